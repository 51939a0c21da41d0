"""Score main-text extraction on the article-extraction benchmark (../shared/bench/aeb), vnru beside trafilatura.

The metric is the benchmark's own: tokens are the `\\w+` matches of a text, shingles are runs of 4
consecutive tokens (a text of 1-3 tokens is one shorter shingle, an empty text has none); per page,
TP/FP/FN count the shingles shared by prediction and truth, only predicted, only true (as multisets),
divided by their sum so that every page weighs the same. Precision is averaged over the pages that
predicted something and recall over the pages whose truth has text, as the benchmark's evaluate.py
does: an empty prediction is left out of the precision mean and scores recall 0; a page with empty
prediction and empty truth would be left out of both (AEB has none). F1 is the harmonic mean of the
two averages. Both extractors get the same gunzipped bytes, page by page in turn; time is the wall time of their
calls alone. The speed ratio is the steady-state one: the check set runs first, so one-time start-up work
(dateparser loading its locale data the first time htmldate hands it a date string: 1 to 10 s, whichever page
first needs it) falls there, and the check set's own times are printed beside it.

Beside AEB, a small check set of the project's own pages of other kinds (bench/checkset: forum, recipe,
recipe card, FAQ accordion, news explainer with its questions in buttons, list-heavy guide, how-to steps,
blog with a long introduction, feature with its introduction in a block of its own, Q&A, live blog,
interview and podcast transcript, German, Spanish and Vietnamese news, a one-line page, a caption-only
page), each with snippets its text must contain and must not contain, so that a gain on AEB is not bought
on pages it lacks.

    python -m bench.extraction [--data DIR] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from etl.clean import CleanError, clean_html

DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "aeb"
CHECKSET = Path(__file__).resolve().parent / "checkset"
TOKEN = re.compile(r"\w+")
SHINGLE = 4


def shingles(text: str) -> Counter:
    tokens = TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1)) if tokens)


def page_counts(truth: str, predicted: str) -> tuple[float, float, float]:
    """(TP, FP, FN) of one page over shingle multisets, normalised to sum to 1 (all 0 when both are empty)."""
    true, pred = shingles(truth), shingles(predicted)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _ratio(hit: float, miss: float) -> float:
    return hit / (hit + miss)


@dataclass
class Score:
    name: str
    precision: float
    recall: float
    pages: int
    seconds: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def score(name: str, counts: list[tuple[float, float, float]], seconds: float) -> Score:
    """Average precision over pages that predicted text and recall over pages whose truth has text."""
    precisions = [_ratio(tp, fp) for tp, fp, fn in counts if tp + fp > 0]
    recalls = [_ratio(tp, fn) for tp, fp, fn in counts if tp + fn > 0]
    mean = lambda values: sum(values) / len(values) if values else 0.0  # noqa: E731
    return Score(name, mean(precisions), mean(recalls), len(counts), seconds)


def vnru(html: bytes) -> str:
    """vnru's cleaner with no source: benchmark pages come from arbitrary sites."""
    try:
        return clean_html(html).text
    except CleanError:
        return ""


def plain_trafilatura(html: bytes) -> str:
    return trafilatura.extract(html) or ""


EXTRACTORS: dict[str, Callable[[bytes], str]] = {"vnru": vnru, "trafilatura": plain_trafilatura}


def load(data: Path) -> list[tuple[str, bytes]]:
    """(true article body, page bytes) of every benchmark page."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    return [(item["articleBody"], gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes()))
            for key, item in sorted(truth.items())]


def run(data: Path = DATA, names: tuple[str, ...] = tuple(EXTRACTORS)) -> dict[str, Score]:
    """Score each named extractor on every page; they take turns page by page, so load on the machine
    slows them alike and the speed ratio stays fair, and the one going first alternates, as the second one
    on a page finds the caches they share warm (trafilatura's string caches, which vnru calls too)."""
    pages = load(data)
    counts: dict[str, list] = {name: [] for name in names}
    seconds = dict.fromkeys(names, 0.0)
    for index, (truth, html) in enumerate(pages):
        for name in names[index % len(names):] + names[:index % len(names)]:
            began = time.perf_counter()
            predicted = EXTRACTORS[name](html)
            seconds[name] += time.perf_counter() - began
            counts[name].append(page_counts(truth, predicted))
    return {name: score(name, counts[name], seconds[name]) for name in names}


@dataclass
class Checks:
    name: str
    kept: int  # must-contain snippets found
    wanted: int
    dropped: int  # must-not-contain snippets absent
    clutter: int
    failures: list[str]  # "page: missing|unwanted 'snippet'"
    seconds: float = 0.0  # run first: one-time start-up falls here


def run_checks(folder: Path = CHECKSET, names: tuple[str, ...] = tuple(EXTRACTORS)) -> dict[str, Checks]:
    """The snippet checks of the check set, per extractor."""
    pages = json.loads((folder / "checks.json").read_text(encoding="utf-8"))["pages"]
    results = {name: Checks(name, 0, 0, 0, 0, []) for name in names}
    for page, checks in sorted(pages.items()):
        html = (folder / page).read_bytes()
        for name in names:
            began = time.perf_counter()
            text, result = EXTRACTORS[name](html), results[name]
            result.seconds += time.perf_counter() - began
            missing = [s for s in checks["must_contain"] if s not in text]
            unwanted = [s for s in checks["must_not_contain"] if s in text]
            result.wanted += len(checks["must_contain"])
            result.kept += len(checks["must_contain"]) - len(missing)
            result.clutter += len(checks["must_not_contain"])
            result.dropped += len(checks["must_not_contain"]) - len(unwanted)
            result.failures += [f"{page}: missing {s!r}" for s in missing]
            result.failures += [f"{page}: unwanted {s!r}" for s in unwanted]
    return results


def report(results: dict[str, Score], checks: dict[str, Checks] | None = None) -> str:
    lines = [f"{'extractor':<12} {'F1':>6} {'precision':>9} {'recall':>6} {'pages/s':>8}"]
    lines += [f"{s.name:<12} {s.f1:6.3f} {s.precision:9.3f} {s.recall:6.3f} {s.pages_per_second:8.1f}"
              for s in results.values()]
    if {"vnru", "trafilatura"} <= results.keys():
        ratio = results["vnru"].pages_per_second / results["trafilatura"].pages_per_second
        lines.append(f"speed vnru/trafilatura: {ratio:.2f}x")
    pages = next(iter(results.values())).pages
    lines.append(f"date accuracy: not measured, 0 pages with a ground-truth date ({pages} pages, no dates in AEB)")
    for c in (checks or {}).values():
        lines.append(f"check set, {c.name}: {c.kept}/{c.wanted} snippets kept, {c.dropped}/{c.clutter} clutter dropped"
                     f" ({c.seconds:.1f} s, run first: start-up included)"
                     + "".join(f"\n  {failure}" for failure in c.failures))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help=f"benchmark folder (default {DATA})")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").exists():
        print(f"benchmark not found: {args.data} (the shared evaluation data sits beside the checkout)")
        return 2
    checks = run_checks()  # first: one-time start-up is not charged to the AEB pages' speed
    results = run(args.data)
    if args.json:
        print(json.dumps({s.name: {"f1": s.f1, "precision": s.precision, "recall": s.recall, "pages": s.pages,
                                   "pages_per_second": s.pages_per_second, "check_set": {
                                       "kept": checks[s.name].kept, "wanted": checks[s.name].wanted,
                                       "dropped": checks[s.name].dropped, "clutter": checks[s.name].clutter}}
                          for s in results.values()}, indent=2))
    else:
        print(report(results, checks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
