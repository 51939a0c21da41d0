"""Score event extraction on the seed articles against ../shared/eval/seed_events.json.

The rule is the one written in that file: a prediction matches a gold event when the types agree
(talks and meeting count as one), the predicted start lies in the gold [start, end], and every side
the gold names shares a canonical person with the prediction; each gold event matches at most one
prediction. Precision counts predictions matching any gold event; recall counts required ones.

    python -m bench.events [--gold PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from etl.clean import clean_text
from etl.extract import Event, extract_events

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD, help=f"gold file (default {GOLD})")
    parser.add_argument("--repeat", type=int, default=5, help="extractions per article for the timing")
    args = parser.parse_args(argv)
    if not args.gold.exists():
        print(f"gold file not found: {args.gold} (the shared evaluation data sits beside the checkout)")
        return 2
    score, ms = run(args.gold, args.repeat)
    for line in score.misses:
        print("MISS  ", line)
    for line in score.false_events:
        print("FALSE ", line)
    print(f"predicted {score.predicted}, correct {score.correct}, required {score.required}, found {score.found}")
    print(f"precision {score.precision:.3f}  recall {score.recall:.3f}  F1 {score.f1:.3f}")
    print(f"extraction: {ms:.1f} ms per article (mean of {args.repeat} runs each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
