"""Resolve the people a sentence names, by name or by title and date, against etl/people.yaml.

Full names and their variants always match. Short forms ('Trong', 'Putin') match once the person
was introduced in full earlier in the article, or, for a Russian surname the registry holds only
once, at any time: Vietnamese given names repeat across many office holders, Russian surnames rarely.
A title with a country ('the Russian Prime Minister') resolves to whoever held that office on the date.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

REGISTRY_FILE = Path(__file__).with_name("people.yaml")
COUNTRY_WORDS = {
    "VN": r"Vietnamese|Vietnam's|Viet Nam's|Vietnam’s|Viet Nam’s|Vietnam|Viet Nam",
    "RU": r"Russian|Russia's|Russia’s|Russia|Russian Federation's",
}


def ascii_fold(text: str) -> str:
    """'Nguyễn Phú Trọng' -> 'Nguyen Phu Trong' (Vietnamese đ/Đ included)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


@dataclass(frozen=True)
class Office:
    role: str
    start: dt.date
    end: dt.date | None

    def held_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Person:
    name: str
    country: str
    aliases: tuple[str, ...]
    short: tuple[str, ...]
    offices: tuple[Office, ...]


@dataclass(frozen=True)
class Mention:
    """A person named in a sentence: by name, short form, or a title resolved on a date."""

    person: Person
    span: tuple[int, int]
    via: str  # name | short | title

    @property
    def country(self) -> str:
        return self.person.country


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class Registry:
    def __init__(self, people: list[Person], roles: dict[str, dict[str, list[str]]]):
        self.people = {p.name: p for p in people}
        full: dict[str, Person] = {}
        for person in people:
            for alias in (person.name, *person.aliases):
                full[alias] = full[ascii_fold(alias)] = person
        self._full = full
        self._full_re = re.compile(rf"(?<![\w-])(?:{_alternation(full)})(?![\w-])")
        shorts: dict[str, list[Person]] = defaultdict(list)
        for person in people:
            for short in person.short:
                shorts[short].append(person)
        self._short = dict(shorts)
        self._short_re = re.compile(rf"(?<![\w-])(?<!Viet )(?:{_alternation(shorts)})(?![\w-])") if shorts else None
        self._titles: list[tuple[re.Pattern, str, str]] = []
        for role, by_country in roles.items():
            for country, titles in (by_country or {}).items():
                if not titles:
                    continue
                others = {t for c, ts in by_country.items() if c != country for t in (ts or ())}
                unambiguous = [t for t in titles if t not in others]
                alternation = _alternation(titles)
                pattern = rf"(?:\b(?:{COUNTRY_WORDS[country]})\s+(?:{alternation})"
                if unambiguous:
                    pattern += rf"|(?<![\w-])(?:{_alternation(unambiguous)})"
                self._titles.append((re.compile(pattern + r")(?![\w-])"), role, country))

    def holders(self, role: str, country: str, day: dt.date) -> list[Person]:
        return [p for p in self.people.values() if p.country == country
                and any(o.role == role and o.held_on(day) for o in p.offices)]

    def find(self, sentence: str, day: dt.date, introduced: set[str]) -> list[Mention]:
        """People the sentence names; adds everyone named in full to `introduced`."""
        mentions: list[Mention] = []
        for match in self._full_re.finditer(sentence):
            person = self._full[match.group(0)]
            mentions.append(Mention(person, match.span(), "name"))
            introduced.add(person.name)
        taken = [m.span for m in mentions]
        if self._short_re:
            for match in self._short_re.finditer(sentence):
                if any(s <= match.start() < e for s, e in taken):
                    continue
                candidates = self._short[match.group(0)]
                known = [p for p in candidates if p.name in introduced]
                if len(known) == 1:
                    mentions.append(Mention(known[0], match.span(), "short"))
                elif not known and len(candidates) == 1 and candidates[0].country == "RU":
                    mentions.append(Mention(candidates[0], match.span(), "short"))
        for pattern, role, country in self._titles:
            for match in pattern.finditer(sentence):
                if self._names_follow(sentence, match.end(), mentions):
                    continue
                holders = self.holders(role, country, day)
                if len(holders) == 1:
                    mentions.append(Mention(holders[0], match.span(), "title"))
        return sorted(mentions, key=lambda m: m.span)

    @staticmethod
    def _names_follow(sentence: str, end: int, mentions: list[Mention]) -> bool:
        """A title directly introduces a name ('Prime Minister and Party chair Dmitry Medvedev')."""
        for mention in mentions:
            gap = sentence[end:mention.span[0]]
            if mention.via != "title" and 0 <= mention.span[0] - end <= 60 and not re.search(r"[,;:()]", gap):
                return True
        return False


def _date(value) -> dt.date | None:
    return value if isinstance(value, dt.date) or value is None else dt.date.fromisoformat(str(value))


def load_registry(path: Path = REGISTRY_FILE) -> Registry:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    people = [
        Person(
            name=entry["name"], country=entry["country"],
            aliases=tuple(entry.get("aliases") or ()), short=tuple(entry.get("short") or ()),
            offices=tuple(Office(o["role"], _date(o["start"]), _date(o.get("end")))
                          for o in entry.get("offices") or ()),
        )
        for entry in data["people"]
    ]
    return Registry(people, data.get("roles") or {})


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    return load_registry()
