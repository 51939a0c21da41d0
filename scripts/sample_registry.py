"""Draw a reproducible random sample of office terms from etl/events/people.yaml, for checking them by hand
against public sources (issue 11's bar: a fresh sample is at least 95 % right).

    python -m scripts.sample_registry [--size 40] [--seed 20261201] [--unverified-only]

Terms are numbered in file order, so the same seed redraws the same sample as long as no term is added or
removed (corrected dates do not change the draw).
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from etl.events.people import REGISTRY_FILE


@dataclass(frozen=True)
class Term:
    number: int  # 1-based position of the term in file order
    person: str
    country: str
    role: str
    start: str
    end: str | None
    source: str | None  # None = marked `verified: false`


def registry_terms(path: Path = REGISTRY_FILE) -> list[Term]:
    """Every office term of the registry, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    offices = [(entry, office) for entry in data["people"] for office in entry.get("offices") or ()]
    return [Term(n, entry["name"], entry["country"], office["role"], str(office["start"]),
                 None if office.get("end") is None else str(office["end"]), office.get("source"))
            for n, (entry, office) in enumerate(offices, start=1)]


def sample_terms(terms: list[Term], size: int, seed: int) -> list[Term]:
    """`size` distinct terms drawn with `seed`, in file order (all of them when there are fewer)."""
    picked = random.Random(seed).sample(range(len(terms)), min(size, len(terms)))
    return [terms[i] for i in sorted(picked)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=40, help="how many terms to draw (default 40)")
    parser.add_argument("--seed", type=int, default=20261201,
                        help="random seed; the same seed redraws the same sample (default: issue 11's check)")
    parser.add_argument("--unverified-only", action="store_true",
                        help="draw only from terms marked `verified: false`")
    parser.add_argument("--file", type=Path, default=REGISTRY_FILE, help="registry file (default: the project's)")
    args = parser.parse_args(argv)
    terms = registry_terms(args.file)
    if args.unverified_only:
        terms = [t for t in terms if t.source is None]
    sample = sample_terms(terms, args.size, args.seed)
    print(f"# {len(sample)} of {len(terms)} terms, seed {args.seed}")
    print("no.\tperson\tcountry\trole\tstart\tend\tsource")
    for t in sample:
        print(f"{t.number}\t{t.person}\t{t.country}\t{t.role}\t{t.start}\t{t.end or 'null'}\t"
              f"{t.source or 'verified: false'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
