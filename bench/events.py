"""Score event extraction on the seed articles against ../shared/eval/seed_events.json.

The rule is the one written in that file: a prediction matches a gold event when the types agree
(talks and meeting count as one), the predicted start lies in the gold [start, end], and every side
the gold names shares a canonical person with the prediction; each gold event matches at most one
prediction. Precision counts predictions matching any gold event; recall counts required ones.

The recorded pages (crawlers/recorded/<source>/expected.json) are scored the same way with
--recorded; there a visit is identified by who travelled where, so its host side is not required.

    python -m bench.events [--gold PATH] [--repeat N] [--recorded]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from crawlers.mirror import recorded_path
from crawlers.sources import SOURCES
from etl import settings
from etl.clean import clean_html, clean_text
from etl.events.extract import Event, extract_events

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = SHARED / "eval" / "seed_events.json"


def _kind(event_type: str) -> str:
    return "talks" if event_type == "meeting" else event_type


def matches(predicted: Event, gold: dict) -> bool:
    if _kind(predicted.type) != _kind(gold["type"]):
        return False
    if not dt.date.fromisoformat(gold["start"]) <= predicted.start <= dt.date.fromisoformat(gold["end"]):
        return False
    return all(not gold[side] or predicted.side(side.upper()) & set(gold[side]) for side in ("vn", "ru"))


@dataclass
class Score:
    predicted: int = 0
    correct: int = 0
    required: int = 0
    found: int = 0
    misses: list[str] = field(default_factory=list)
    false_events: list[str] = field(default_factory=list)
    per_article: list[tuple[str, int, int, int, int]] = field(default_factory=list)  # label, pred, correct, req, found

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.required if self.required else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def describe(event) -> str:
    if isinstance(event, Event):
        return (f"{event.type} {event.start}..{event.end} VN={sorted(event.side('VN'))} "
                f"RU={sorted(event.side('RU'))}")
    return f"{event['type']} {event['start']}..{event['end']} VN={event['vn']} RU={event['ru']}"


def score_article(predicted: list[Event], gold_events: list[dict], score: Score, label: str = "") -> None:
    """Add one article's predictions to the score: a greedy one-to-one matching, required gold first."""
    unmatched = list(predicted)
    before = (score.correct, score.required, score.found)
    for gold in sorted(gold_events, key=lambda g: not g["required"]):
        hit = next((p for p in unmatched if matches(p, gold)), None)
        if hit is not None:
            unmatched.remove(hit)
            score.correct += 1
            score.found += gold["required"]
        elif gold["required"]:
            score.misses.append(f"{label}: {describe(gold)}")
        score.required += gold["required"]
    score.predicted += len(predicted)
    score.false_events += [f"{label}: {describe(p)}" for p in unmatched]
    score.per_article.append((label, len(predicted), score.correct - before[0], score.required - before[1],
                              score.found - before[2]))


def run(gold_path: Path = GOLD, repeat: int = 1) -> tuple[Score, float]:
    """Score every seed article; returns the score and mean milliseconds of extraction per article."""
    gold = json.loads(gold_path.read_text())
    seeds = gold_path.parent.parent / "seeds"
    score, elapsed, runs = Score(), 0.0, 0
    for article in gold["articles"]:
        text = clean_text((seeds / article["file"]).read_text(encoding="utf-8")).text
        published = dt.date.fromisoformat(article["published"])
        for _ in range(repeat):
            began = time.perf_counter()
            predicted = extract_events(text, published)
            elapsed += time.perf_counter() - began
            runs += 1
        score_article(predicted, article["events"], score, article["file"])
    return score, 1000 * elapsed / runs


def _visitor_side_only(gold: dict) -> dict:
    return {**gold, gold["country"].lower(): []} if gold["type"] == "visit" else gold


def run_recorded() -> Score:
    """Score the recorded pages, cleaned from their HTML by their source's rules, against their annotations."""
    score = Score()
    for name, source in sorted(SOURCES.items()):
        expected = json.loads((settings.RECORDED_DIR / name / "expected.json").read_text())
        for page in expected["pages"]:
            html = recorded_path(name, page["url"]).read_bytes()
            found = extract_events(clean_html(html, url=page["url"], source=source).text,
                                   dt.date.fromisoformat(page["published"]))
            gold = [_visitor_side_only({**e, "required": True}) for e in page["events"]]
            score_article(found, gold, score, page["url"])
    return score


def report(score: Score) -> None:
    print(f"{'article':<60} {'pred':>4} {'ok':>4} {'req':>4} {'found':>5}")
    for label, predicted, correct, required, found in score.per_article:
        print(f"{label[-60:]:<60} {predicted:>4} {correct:>4} {required:>4} {found:>5}")
    for line in score.misses:
        print("MISS  ", line)
    for line in score.false_events:
        print("FALSE ", line)
    print(f"predicted {score.predicted}, correct {score.correct}, required {score.required}, found {score.found}")
    print(f"precision {score.precision:.3f}  recall {score.recall:.3f}  F1 {score.f1:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD, help=f"gold file (default {GOLD})")
    parser.add_argument("--repeat", type=int, default=5, help="extractions per article for the timing")
    parser.add_argument("--recorded", action="store_true", help="also score the recorded pages' annotations")
    args = parser.parse_args(argv)
    if not args.gold.exists():
        print(f"gold file not found: {args.gold} (the shared evaluation data sits beside the checkout)")
        return 2
    score, ms = run(args.gold, args.repeat)
    print(f"== seed articles ({args.gold})")
    report(score)
    print(f"extraction: {ms:.1f} ms per article (mean of {args.repeat} runs each)")
    if args.recorded:
        print("\n== recorded pages (crawlers/recorded/*/expected.json)")
        report(run_recorded())
    return 0


if __name__ == "__main__":
    sys.exit(main())
