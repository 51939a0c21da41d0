"""Is a page about Vietnam–Russia relations? Scored before fetching, from what listings say of it, and after,
from its body; a score always comes with its evidence (which words, found where) so a decision can be checked.

Pure functions. The sides are recognised by country words and by the office holders of etl/events/people.yaml
(full names and aliases; Russian surnames too, which news titles use alone: 'Putin receives ...').
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from crawlers.listings import Listed
from etl.events.extract import is_bilateral
from etl.events.people import ascii_fold, default_registry

COUNTRY_WORDS = {
    "VN": ("Vietnam", "Viet Nam", "Vietnamese", "Hanoi", "Ha Noi", "Ho Chi Minh City", "Saigon"),
    "RU": ("Russia", "Russian", "Russians", "Russian Federation", "Moscow", "Kremlin", "Soviet"),
}
SLUG_WORDS = re.compile(r"[a-z]{2,}(?:[-_][a-z0-9]+){2,}")


@dataclass(frozen=True)
class Relevance:
    """score: 1.0 both sides named (or the site's own topic page lists it), 0.5 one side, 0.0 neither; None
    when the listing says nothing to judge by (the page must be fetched to know)."""

    score: float | None
    evidence: tuple[str, ...]

    @property
    def worth_fetching(self) -> bool:
        return self.score is None or self.score >= 1.0


@lru_cache(maxsize=1)
def _side_patterns() -> dict[str, re.Pattern]:
    terms: dict[str, set[str]] = {side: set(words) for side, words in COUNTRY_WORDS.items()}
    for person in default_registry().people.values():
        names = {person.name, *person.aliases}
        if person.country == "RU":
            names |= {s for s in person.short if len(s) >= 4}
        terms[person.country] |= {ascii_fold(n) for n in names}
    return {side: re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True))
                             + r")(?![\w-])", re.IGNORECASE) for side, words in terms.items()}


def sides(text: str) -> dict[str, list[str]]:
    """The words naming each side (VN, RU) in `text`."""
    folded = ascii_fold(text)
    return {side: pattern.findall(folded) for side, pattern in _side_patterns().items()}


def slug_text(url: str) -> str:
    """The words of a descriptive URL slug ('.../putin-meets-to-lam-post123.vnp' -> 'putin meets to lam post123'),
    '' for an opaque URL ('/politics/1806207')."""
    path = urlsplit(url).path.rstrip("/")
    last = path.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    return " ".join(re.split(r"[-_]", last)) if SLUG_WORDS.fullmatch(last) else ""


def listing_relevance(entries: list[Listed]) -> Relevance:
    """Relevance of one URL from every listing that named it: titles, keywords, descriptions, the URL slug and
    the site's topic pages."""
    if any(e.topic for e in entries):
        return Relevance(1.0, ("listed on the site's Vietnam–Russia topic page",))
    parts = [(field, value) for e in entries for field, value in
             (("title", e.title), ("keywords", e.keywords), ("description", e.description)) if value]
    slug = slug_text(entries[0].url) if entries else ""
    if slug:
        parts.append(("slug", slug))
    if not parts:
        return Relevance(None, ("the listing gives no title, keywords, description or slug",))
    found: dict[str, list[str]] = {"VN": [], "RU": []}
    evidence = []
    for field, value in parts:
        for side, words in sides(value).items():
            found[side] += words
            evidence += [f"{field}: {w} ({side})" for w in dict.fromkeys(words)]
    score = (bool(found["VN"]) + bool(found["RU"])) / 2
    return Relevance(score, tuple(dict.fromkeys(evidence)) or ("no side named in " + ", ".join(
        dict.fromkeys(f for f, _ in parts)),))


def body_relevance(text: str) -> Relevance:
    """Relevance of a fetched page's text: 0 unless etl's is_bilateral holds (the pipeline's own test), then 0.5
    rising to 1.0 as the less-named side reaches three mentions; evidence: the words of each side, counted."""
    found = sides(text)
    counts = {side: {w: words.count(w) for w in dict.fromkeys(words)} for side, words in found.items()}
    evidence = tuple(f"body: {w} x{n} ({side})" for side, words in counts.items() for w, n in words.items())
    if not is_bilateral(text):
        return Relevance(0.0, evidence)
    return Relevance(0.5 + 0.5 * min(1.0, min(len(found["VN"]), len(found["RU"])) / 3), evidence)
