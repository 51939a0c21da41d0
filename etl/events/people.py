"""Resolve the people a sentence names, by name or by title and date, against etl/events/people.yaml.

Full names and their variants always match. Short forms ('Trong', 'Putin') match once the person
was introduced in full earlier in the article, or, for a Russian surname the registry holds only
once, at any time: Vietnamese given names repeat across many office holders, Russian surnames rarely.
After an honorific or a title ('Mr. Minh', 'NA Chairman Man') a short form not yet introduced is the one person of it
in office that day (in an office of that title).
A title with a country ('the Russian Prime Minister') resolves to whoever held that office on the date.
A name the registry does not know, shaped like a Russian or Vietnamese name (etl/events/names.yaml) and next to
a title, is kept as an unregistered person with that title: never dropped, never forced onto a known
person whose short form it contains ('Vyacheslav Petrov' is not Vyacheslav Volodin).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml

REGISTRY_FILE = Path(__file__).with_name("people.yaml")
NAMES_FILE = Path(__file__).with_name("names.yaml")
TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
WORD = re.compile(r"(?<![\w-])[^\W\d_][^\s,;:()\"“”]*")  # where a full name may start
WORD_GOES_ON = re.compile(r"[\w-]")
# an office named as whom someone serves ('Aide to the President of Russia', 'envoy of the Prime Minister') names
# the principal, who is not there
SERVES = re.compile(r"\b(?:aides?|advis[eo]rs?|assistants?|envoys?|representatives?|spokes(?:man|woman|person)|"
                    r"secretary|messengers?|chiefs? of staff)\s+(?:to|of|for)\s+(?:the\s+)?$", re.I)
CONNECTORS = {"of", "the", "for", "and", "on", "in", "at", "to"}
COUNTRY_WORDS = {
    "VN": r"Vietnamese|Vietnam's|Viet Nam's|Vietnam’s|Viet Nam’s|Vietnam|Viet Nam",
    "RU": r"Russian|Russia's|Russia’s|Russia|Russian Federation's",
}


@lru_cache(maxsize=1 << 16)
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
    registered: bool = True


@dataclass(frozen=True)
class Mention:
    """A person named in a sentence: by name, short form, a title resolved on a date, or an unknown name."""

    person: Person
    span: tuple[int, int]
    via: str  # name | short | title | unknown
    title: str | None = None

    @property
    def country(self) -> str:
        return self.person.country


@dataclass(frozen=True)
class NameShapes:
    """What unregistered Russian and Vietnamese names and the titles beside them look like (etl/events/names.yaml)."""

    ru_given: frozenset[str]
    ru_patronymic: re.Pattern
    vn_family: frozenset[str]
    vn_places: frozenset[str]
    place_words: frozenset[str]
    title_words: frozenset[str]
    honorifics: frozenset[str]
    not_names: frozenset[str]  # capitalised words that cannot be part of a name (months, weekdays, countries)
    third_countries: tuple[tuple[re.Pattern, str], ...] = ()  # (country words, ISO code) of other countries

    def third_country(self, sentence: str, span: tuple[int, int], others: list[tuple[int, int]]) -> str | None:
        """The other country a name belongs to by its own title ('Belarusian President Alexander Lukashenko',
        'Alexander Lukashenko, President of Belarus', 'Chairman of the Eurasian Economic Commission'), or None.
        Only the words since the last other name or 'and' count, so a neighbour's title is not this one's, and
        a destination ('Ambassador to Belarus') or a Vietnamese or Russian word before the name rules it out."""
        start = max([_segment_start(sentence, span[0])] + [e for _, e in others if e <= span[0]]
                    + [m.end() for m in re.finditer(r"\band\b", sentence[:span[0]])])
        after = re.match(r",?\s+(?:the\s+)?[^,;.()]{0,60}?\bof\s+(?:the\s+)?(?:Republic of\s+)?([^,;.()]{0,60})",
                         sentence[span[1]:])
        before = sentence[start:span[0]]
        if re.search(rf"\b(?:{COUNTRY_WORDS['VN']}|{COUNTRY_WORDS['RU']})\b", before):
            return None  # 'Vietnamese Ambassador to Belarus ...'
        for pattern, code in self.third_countries:
            if any(not re.search(r"\b(?:to|in|at|from)\s+(?:the\s+)?$", before[:m.start()])
                   for m in pattern.finditer(before)) or (after and pattern.match(after.group(1))):
                return code
        return None

    def names(self, sentence: str, skip: list[tuple[int, int]]) -> list[tuple[str, tuple[int, int]]]:
        """(country, span) of every Russian- or Vietnamese-shaped name outside the `skip` spans."""
        tokens = [t for t in TOKEN.finditer(sentence) if not any(s <= t.start() < e for s, e in skip)]
        found, i = [], 0
        while i < len(tokens):
            country, last = self._name_at(sentence, tokens, i)
            if country:
                found.append((country, (tokens[i].start(), tokens[last].end())))
                i = last + 1
            else:
                i += 1
        return found

    def _name_at(self, sentence: str, tokens: list[re.Match], i: int) -> tuple[str | None, int]:
        def follows(j: int) -> bool:
            return j < len(tokens) and sentence[tokens[j - 1].end():tokens[j].start()] == " "

        def name_word(j: int, longest: int = 20) -> bool:
            word = tokens[j].group()
            return (word[0].isupper() and len(word) <= longest and ascii_fold(word) not in self.not_names
                    and word.lower() not in self.title_words and ascii_fold(word) not in self.place_words)

        first = ascii_fold(tokens[i].group())
        if first in self.ru_given:
            j = i + 1
            if follows(j) and follows(j + 1) and self.ru_patronymic.search(tokens[j].group()) and name_word(j + 1):
                j += 1
            return ("RU", j) if follows(j) and name_word(j) else (None, i)
        if first in self.vn_family:
            j = i
            while j - i < 3 and follows(j + 1) and name_word(j + 1, longest=7):
                j += 1
            words = ascii_fold(sentence[tokens[i].start():tokens[j].end()])
            place = any(words == p or words.startswith(p + " ") for p in self.vn_places)
            next_is_place = follows(j + 1) and ascii_fold(tokens[j + 1].group()) in self.place_words
            if j > i and not place and not next_is_place:
                return "VN", j
        return None, i

    def title_before(self, sentence: str, start: int, skip: list[tuple[int, int]]) -> tuple[bool, str | None]:
        """Whether a title or honorific directly precedes the name at `start`, and the title without them."""
        segment_start = _segment_start(sentence, start)
        words = []
        for token in reversed(list(TOKEN.finditer(sentence, segment_start, start))):
            if any(s <= token.start() < e for s, e in skip):
                break
            word = token.group()
            if not (word[0].isupper() or word in CONNECTORS or word.lower() in self.title_words or word == "s"):
                break
            words.insert(0, token)
        while words and words[0].group() in CONNECTORS | {"s"}:
            words.pop(0)
        if not any(w.group().lower() in self.title_words | self.honorifics for w in words):
            return False, None
        while words and (words[0].group() in self.honorifics or words[0].group() in COUNTRY_ADJECTIVES):
            words.pop(0)
        return True, (sentence[words[0].start():words[-1].end()] if words else None)

    def title_after(self, sentence: str, end: int) -> str | None:
        """An appositive title: 'Ivan Petrov, Governor of Primorsky Krai, said'."""
        match = re.match(r",\s+(?:the\s+|a\s+)?([^,;.()]{3,120}?)(?=[,;.(]|\s+(?:said|says|who|and)\b|$)",
                         sentence[end:])
        if not match:
            return None
        words = match.group(1).split()
        if len(words) > 14 or not any(w.lower().rstrip("’'s") in self.title_words for w in words[:4]):
            return None
        while words and words[0] in COUNTRY_ADJECTIVES:
            words.pop(0)
        return " ".join(words) or None


SEPARATOR = re.compile(r"[,;:()\"“”—–]|\s-\s")


def _segment_start(sentence: str, end: int) -> int:
    """Where the phrase ending at `end` begins: after the last comma, bracket, quote or dash (a dateline's
    'MOSCOW —' or 'VOV.VN -' is not part of the title that follows it)."""
    return max((m.end() for m in SEPARATOR.finditer(sentence, 0, end)), default=0)


COUNTRY_ADJECTIVES = {"Vietnamese", "Russian", "Vietnam's", "Russia's", "Vietnam’s", "Russia’s"}


def _given_key(name: str) -> str:
    """A given name's first letters with transliteration variants folded (Sergei/Sergey, Aleksandr/Alexander)."""
    return ascii_fold(name).lower().replace("ks", "x").replace("y", "i")[:3]


def _one_letter_off(full: dict[str, Person]) -> dict[str, Person]:
    """Every full name of two words or more with one letter dropped, mapped to its person (a variant two
    people share is left out); exact forms are not keys, they match already."""
    variants: dict[str, set[str]] = defaultdict(set)
    people = {}
    for form, person in full.items():
        folded = ascii_fold(form)
        if " " not in folded:
            continue
        people[person.name] = person
        for i, char in enumerate(folded):
            if char.isalpha():
                variants[folded[:i] + folded[i + 1:]].add(person.name)
    return {v: people[names.pop()] for v, names in variants.items() if len(names) == 1 and v not in full}


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class Registry:
    def __init__(self, people: list[Person], roles: dict[str, dict[str, list[str]]], shapes: NameShapes):
        self.people = {p.name: p for p in people}
        self.shapes = shapes
        by_surname: dict[tuple[str, str], list[Person]] = defaultdict(list)
        for person in people:
            if person.country == "RU":
                given, *_, surname = person.name.split()
                by_surname[(_given_key(given), surname)].append(person)
        self._by_given_and_surname = dict(by_surname)
        full: dict[str, Person] = {}
        for person in people:
            for alias in (person.name, *person.aliases):
                full[alias] = full[ascii_fold(alias)] = person
        self._full = full
        self._near = _one_letter_off(full)
        # full forms by their first word, longest first: a sentence is scanned word by word, not with one
        # alternation of every name (which costs a regex step per name at every position)
        by_first: dict[str, list[str]] = defaultdict(list)
        for form in sorted(full, key=len, reverse=True):
            by_first[form.split()[0]].append(form)
        self._by_first = dict(by_first)
        shorts: dict[str, list[Person]] = defaultdict(list)
        for person in people:
            for short in person.short:
                shorts[short].append(person)
        self._short = dict(shorts)
        self._short_re = re.compile(rf"(?<![\w-])(?<!Viet )(?:{_alternation(shorts)})(?![\w-])") if shorts else None
        # (first words of the titles, pattern, role, country): a sentence without any of those words is
        # not searched with that pattern, which keeps find() fast with many roles
        self._titles: list[tuple[frozenset[str], re.Pattern, str, str]] = []
        self._honorific_re = re.compile(rf"\b(?:{_alternation(shapes.honorifics)})\.?\s+$")
        self._role_titles = {(role, country): tuple(titles or ()) for role, by_country in roles.items()
                             for country, titles in (by_country or {}).items()}
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
                first_words = frozenset(TOKEN.match(t).group() for t in titles)
                self._titles.append((first_words, re.compile(pattern + r")(?![\w-])"), role, country))

    def holders(self, role: str, country: str, day: dt.date) -> list[Person]:
        return [p for p in self.people.values() if p.country == country
                and any(o.role == role and o.held_on(day) for o in p.offices)]

    def find(self, sentence: str, day: dt.date, introduced: set[str]) -> list[Mention]:
        """People the sentence names; adds everyone named in full to `introduced`."""
        mentions: list[Mention] = []
        for word in WORD.finditer(sentence):
            if mentions and word.start() < mentions[-1].span[1]:
                continue
            for form in self._by_first.get(word.group(), ()):
                end = word.start() + len(form)
                if sentence.startswith(form, word.start()) and not WORD_GOES_ON.match(sentence, end):
                    mentions.append(Mention(self._full[form], (word.start(), end), "name"))
                    break
        mentions += self._misspelt(sentence, [m.span for m in mentions])
        shaped = self.shapes.names(sentence, [m.span for m in mentions])
        # every name-shaped span is taken, kept or not: an unknown name is nobody else's short form
        names = [m.span for m in mentions] + [span for _, span in shaped]
        for country, span in shaped:
            words = sentence[span[0]:span[1]].split()
            country = self.shapes.third_country(sentence, span, names) or country
            known = self._by_given_and_surname.get((_given_key(words[0]), words[-1]), []) if country == "RU" else []
            if len(known) == 1:  # a registered Russian written with a patronymic the aliases lack
                mentions.append(Mention(known[0], span, "name"))
            elif self.shapes.title_before(sentence, span[0], names)[0] or self.shapes.title_after(sentence, span[1]):
                person = Person(ascii_fold(" ".join(words)), country, (), (), (), registered=False)
                mentions.append(Mention(person, span, "unknown"))
        introduced.update(m.person.name for m in mentions if m.via == "name")
        if self._short_re:
            for match in self._short_re.finditer(sentence):
                if any(s <= match.start() < e for s, e in names):
                    continue
                candidates = self._short[match.group(0)]
                known = [p for p in candidates if p.name in introduced]
                if len(known) == 1 and known[0].country == "VN" and self._place_like(sentence, match):
                    continue
                if not known:  # 'Mr. Minh', 'NA Chairman Man' before any full name
                    known = self._addressed(sentence, match.start(), names, candidates, day)
                if len(known) == 1:
                    mentions.append(Mention(known[0], match.span(), "short"))
                elif not known and len(candidates) == 1 and candidates[0].country == "RU":
                    mentions.append(Mention(candidates[0], match.span(), "short"))
        words = set(TOKEN.findall(sentence))
        for first_words, pattern, role, country in self._titles:
            if not first_words & words:
                continue
            for match in pattern.finditer(sentence):
                if self._names_follow(sentence, match.end(), mentions) or SERVES.search(sentence, 0, match.start()):
                    continue
                holders = self.holders(role, country, day)
                if len(holders) == 1:
                    mentions.append(Mention(holders[0], match.span(), "title", match.group(0)))
        spans = [m.span for m in mentions]
        return sorted((m if m.via == "title" else self._in_office(sentence, m, spans)
                       for m in mentions), key=lambda m: m.span)

    def _in_office(self, sentence: str, mention: Mention, spans: list[tuple[int, int]]) -> Mention:
        """The mention with the title the sentence gives; a registered person whose title here is another
        country's or a bloc's ('Viktor Khristenko, chairman of the Eurasian Economic Commission's board')
        speaks for that, not for their own country."""
        mention = replace(mention, title=self._title(sentence, mention.span, spans))
        other = self.shapes.third_country(sentence, mention.span, spans) if mention.via == "name" else None
        return replace(mention, person=replace(mention.person, country=other)) if other else mention

    def _misspelt(self, sentence: str, taken: list[tuple[int, int]]) -> list[Mention]:
        """Full names written one letter short or long ('Nguen Phu Trong', 'Vladimir Puttin'): two to four
        words of a run of capitalised words outside names already found, looked up by their one-letter
        deletions."""
        found: list[Mention] = []
        for run in re.finditer(r"[A-Z][^\W\d_]+(?:[ -][A-Z][^\W\d_]+)+", sentence):
            if any(s < run.end() and run.start() < e for s, e in taken):
                continue
            words = list(re.finditer(r"[^\W\d_]+", run.group(0)))
            for size in range(min(len(words), 4), 1, -1):
                text = run.group(0)
                hits = ((i, self._near_person(ascii_fold(text[words[i].start():words[i + size - 1].end()])))
                        for i in range(len(words) - size + 1))
                hit = next(((i, person) for i, person in hits if person), None)
                if hit:
                    span = (run.start() + words[hit[0]].start(), run.start() + words[hit[0] + size - 1].end())
                    found.append(Mention(hit[1], span, "name"))
                    break
        return found

    def _near_person(self, text: str) -> Person | None:
        """The one person whose full name is `text` with one letter added or dropped."""
        people = {self._near.get(text)} | {self._full.get(text[:i] + text[i + 1:]) for i in range(len(text))}
        people.discard(None)
        return people.pop() if len(people) == 1 and len(text) >= 10 else None

    def _addressed(self, sentence: str, start: int, names: list[tuple[int, int]], candidates: list[Person],
                   day: dt.date) -> list[Person]:
        """The people of a short form not yet introduced whom its title or honorific fits that day: after an
        honorific ('Mr. Minh') whoever of them is in office, after a title ('NA Chairman Man') whoever holds an
        office of that title (a 'Minister Son' is not a Son who chairs something else)."""
        if self._honorific_re.search(sentence, max(0, start - 8), start):
            return [p for p in candidates if any(o.held_on(day) for o in p.offices)]
        title = self.shapes.title_before(sentence, start, names)[1]
        if not title:
            return []
        return [p for p in candidates if any(o.held_on(day) and any(t in title for t in
                                                                       self._role_titles.get((o.role, p.country), ()))
                                             for o in p.offices)]

    @staticmethod
    def _place_like(sentence: str, match: re.Match) -> bool:
        """A Vietnamese given name that is part of a longer name or a place ('Lam Dong', 'in Hue')."""
        return bool(re.match(r" [A-Z]", sentence[match.end():])
                    or re.search(r"\b(?:in|near|of|from|to)\s+$", sentence[:match.start()]))

    def _title(self, sentence: str, span: tuple[int, int], spans: list[tuple[int, int]]) -> str | None:
        return self.shapes.title_before(sentence, span[0], spans)[1] or self.shapes.title_after(sentence, span[1])

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
    return Registry(people, data.get("roles") or {}, load_name_shapes())


def load_name_shapes(path: Path = NAMES_FILE) -> NameShapes:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    not_names = {*calendar.month_name[1:], *calendar.month_abbr[1:], *calendar.day_name,
                 *COUNTRY_ADJECTIVES, "Vietnam", "Russia", "Viet", "Nam", "The", "On", "In", "At"}
    return NameShapes(
        ru_given=frozenset(data["ru_given"]), ru_patronymic=re.compile(data["ru_patronymic"] + "$"),
        vn_family=frozenset(data["vn_family"]), vn_places=frozenset(data["vn_places"]),
        place_words=frozenset(data["place_words"]), title_words=frozenset(data["title_words"]),
        honorifics=frozenset(data["honorifics"]), not_names=frozenset(not_names),
        third_countries=tuple((re.compile(rf"\b(?:{_alternation(words)})\b"), code)
                              for code, words in (data.get("third_countries") or {}).items()))


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    return load_registry()
