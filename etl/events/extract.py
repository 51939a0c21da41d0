"""Extract Vietnam-Russia events (who met whom, what, when, where) from a cleaned article.

Rules, not a model: a trigger phrase names the event type ('held talks', 'paid an official visit to
Russia', 'signed an agreement'); the people come from etl.events.people (by name, short form or title on the
date); dates from etl.events.dates, each date going to the trigger nearest to it, and a sentence without one
inheriting the last date the article gave. A sentence whose subject is collective ('the two sides
signed') takes the people last named on each side. Mentions of one real event across the article are
merged; hedged sentences ('invited him to visit', 'ready to welcome') and background older than a
month are not events.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from etl.events.dates import EARLIEST, LATEST, DateMention, find_dates
from etl.events.people import Mention, Registry, default_registry

CAMEO = {"visit": "042", "talks": "046", "meeting": "040", "phone_call": "041", "agreement": "057",
         "joint_statement": "057", "conference": "040", "award": "05"}
ROLE_CAMEO = {"visitor": "042", "host": "043"}  # make a visit / host a visit
THIRD_COUNTRY_MEETING = "044"  # meet at a third location
CITIES = {"Hanoi": "VN", "Ha Noi": "VN", "Ho Chi Minh City": "VN", "Da Nang": "VN", "Hai Phong": "VN",
          "Moscow": "RU", "St. Petersburg": "RU", "Saint Petersburg": "RU", "St Petersburg": "RU",
          "Vladivostok": "RU", "Sochi": "RU", "Kazan": "RU",
          # where the two sides meet at multilateral summits and forums (CAMEO 044: a third location)
          "Vientiane": "LA", "Beijing": "CN", "Shanghai": "CN", "Jakarta": "ID", "Kuala Lumpur": "MY",
          "Singapore": "SG", "Bangkok": "TH", "Phnom Penh": "KH", "Manila": "PH", "Tokyo": "JP", "Seoul": "KR",
          "New Delhi": "IN", "Astana": "KZ", "Minsk": "BY", "Tashkent": "UZ", "Bishkek": "KG", "Dushanbe": "TJ",
          "Baku": "AZ", "Ashgabat": "TM", "Yerevan": "AM", "Samarkand": "UZ", "Ulaanbaatar": "MN",
          "New York": "US", "Geneva": "CH", "Rio de Janeiro": "BR", "Johannesburg": "ZA", "Lima": "PE"}
# where a bilateral visit goes: the two countries and their cities
PLACES = {"Vietnam": "VN", "Viet Nam": "VN", "the Southeast Asian country": "VN", "Russia": "RU",
          "the Russian Federation": "RU", **{c: k for c, k in CITIES.items() if k in ("VN", "RU")}}
PLACE = "|".join(re.escape(p) for p in sorted(PLACES, key=len, reverse=True))
CITY_RE = re.compile(r"\b(" + "|".join(re.escape(c) for c in sorted(CITIES, key=len, reverse=True)) + r")\b")

TRIGGERS: tuple[tuple[str, re.Pattern], ...] = tuple((kind, re.compile(pattern)) for kind, pattern in (
    ("phone_call", r"\b(?:phone|telephone|video)\s+(?:call|conversation|talks)\b|\bphoned\b|"
                   r"\bspoke by (?:tele)?phone\b"),
    ("joint_statement", r"\b(?:issued|adopted|released|signed)\s+(?:a|the)\s+[Jj]oint\s+[Ss]tatement\b"),
    ("agreement", r"(?<!anniversary of the )\b(?:signed|signs|sign|signing|inked|exchange of)\b"
                  r"(?=[^.;]{0,80}?\b(?:agreements?|programmes?|"
                  r"programs?|memorand\w+|MoUs?|communiqu\w+|treat(?:y|ies)|documents?|deals?|protocols?|plans?|"
                  r"contracts?|accords?)\b)"),
    ("conference", r"\bco-chair(?:ed|s)?\b(?=[^.]{0,80}\b(?:conference|session|meeting|committee|commission|forum)\b)|"
                   r"\b(?:attended|held|hosted|addressed)\s+(?:a|the)\s+[\w\s-]{0,30}?(?:conference|forum|round-table|roundtable)\b"),
    ("award", r"\b(?:presented|handed over|conferred|awarded|bestowed)\b(?=[^.]{0,80}\b(?:Orders?|Medals?)\b)"),
    ("talks", r"\b(?:held|hold|holds|holding|had)\s+(?:official\s+|bilateral\s+|high-level\s+)?talks\b|"
              r"\btalks\s+with\b|\b[Aa]t\s+(?:the|their)\s+talks\b"),
    ("visit", rf"\b(?:visit|visits|visited|visiting|trip|tour)\s+(?:to\s+|in\s+)?(?P<dest>{PLACE})\b|"
              rf"\bdelegation\s+to\s+(?P<dest2>{PLACE})\b|"
              rf"\barrived\s+(?:in|at)\s+(?:[\w ]{{0,30}}?\s+in\s+)?(?P<dest3>{PLACE})\b|"
              rf"\b(?:is|are|was|were)\s+in\s+(?P<dest4>{PLACE})\s+(?:on|for)\s+(?:an?\s+)?(?:[\w-]+\s+){{0,2}}visit\b"),
    ("meeting", r"\b(?:met|meets|meet|meeting)\s+with\b|\bmet\s+(?=[A-Z])|\bmeets\b|"
                r"\b[Aa]t\s+(?:the|their|a)\s+(?:meeting|reception)\b|"
                r"\b(?:gave|gives|give|hosted|hosts|host|held|holds)\s+a\s+reception\b|\breceiv(?:ed|es)\s+(?=[A-Z])|"
                r"\bworking sessions?\b|\bheld\s+(?:meetings|a meeting)\b|\bcourtesy call\b|\bdiscussed\b"),
))
HEDGE = re.compile(r"\b(?:invit\w*|ready to|hopes?|hoped|hoping|wish(?:es|ed)?|propos\w*|suggest\w*|should|would|could|"
                   r"might|look(?:s|ed|ing)? forward|aim(?:s|ed)? to|needs? to|calls? for|urged?s?|if)\b")
PLANNED = re.compile(r"\b(?:will|(?:is|are) (?:scheduled|set|due|expected|planning|going) to|(?:is|are) to|plans? to|"
                     r"upcoming)\b")
INVITER = re.compile(r"\bat the invitation of\b[^,;]*")
COLLECTIVE = re.compile(
    r"\b(?:[Tt]he two (?i:sides|leaders|PMs|prime ministers|presidents|ministries|ministers|delegations|"
    r"parties|officials|legislators|heads of state|chairmen|chairs)|[Bb]oth (?:sides|leaders)|They|they|"
    r"[Tt]he (?:Vietnamese |Russian )?delegation|"
    r"[Tt]he Vietnamese official|[Hh]ost and guest|(?:Vietnam|Viet Nam) and (?:Russia|the Russian Federation)|"
    r"Russia and (?:Vietnam|Viet Nam))\b")
ABBREVIATIONS = {"Mr", "Mrs", "Ms", "Dr", "Sen", "Lt", "Gen", "Col", "Maj", "Capt", "Prof", "St", "No", "Jan", "Feb",
                 "Mar", "Apr", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "e.g", "i.e", "vs", "Inc", "Ltd", "Co", "Jr",
                 "Sr", "U.S", "U.K", "Dept", "Gov", "Rep"}
BACKGROUND_DAYS = 30


@dataclass(frozen=True)
class Participant:
    """A person of the event; `registered` is False for a name the registry does not know (kept as written)."""

    name: str
    country: str
    role: str = "participant"  # visitor | host | participant
    title: str | None = None
    registered: bool = True


@dataclass
class Event:
    type: str
    start: dt.date
    end: dt.date
    participants: tuple[Participant, ...]
    evidence: str
    status: str = "occurred"
    city: str | None = None
    country: str | None = None
    dated: bool = False  # the date was stated for this event, not inherited
    cameo: str = field(init=False)

    def __post_init__(self):
        self.cameo = CAMEO[self.type]
        if self.type in ("meeting", "talks") and self.country not in (None, "VN", "RU"):
            self.cameo = THIRD_COUNTRY_MEETING

    def side(self, country: str) -> set[str]:
        return {p.name for p in self.participants if p.country == country}

    def as_dict(self) -> dict:
        return {"type": self.type, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "status": self.status, "cameo": self.cameo, "city": self.city, "country": self.country,
                "participants": [{"name": p.name, "country": p.country, "role": p.role, "side": p.country,
                                  "title": p.title, "registered": p.registered,
                                  "cameo": ROLE_CAMEO.get(p.role, self.cameo)} for p in self.participants],
                "evidence": self.evidence}


def split_sentences(paragraph: str) -> list[str]:
    sentences, start = [], 0
    for match in re.finditer(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])", paragraph):
        word = re.search(r"([\w.]+)[.!?]$", paragraph[start:match.start() + 1])
        before = word.group(1) if word else ""
        if before in ABBREVIATIONS or re.fullmatch(r"[A-Z]", before):
            continue
        sentences.append(paragraph[start:match.end()].strip())
        start = match.end()
    sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]


def is_headline(paragraph: str) -> bool:
    return len(paragraph.split()) <= 16 and not re.search(r"[.!?\"”:]$", paragraph)


def _find_triggers(sentence: str) -> list[tuple[str, re.Match]]:
    found: list[tuple[str, re.Match]] = []
    for kind, pattern in TRIGGERS:
        for match in pattern.finditer(sentence):
            if not any(m.start() < match.end() and match.start() < m.end() for _, m in found):
                found.append((kind, match))
    return sorted(found, key=lambda item: item[1].start())


def _destination(match: re.Match) -> str | None:
    place = next((match.group(g) for g in ("dest", "dest2", "dest3", "dest4") if match.group(g)), None)
    return PLACES.get(place) if place else None


def compatible(a: Event, b: Event) -> bool:
    """Two records of one real event: same kind (talks ~ meeting), shared people on every shared side, dates agree."""
    if a.type != b.type and {a.type, b.type} != {"talks", "meeting"}:
        return False
    if a.type == "visit":
        if not ({p.name for p in a.participants if p.role == "visitor"}
                & {p.name for p in b.participants if p.role == "visitor"}):
            return False
    else:
        for country in ("VN", "RU"):
            if a.side(country) and b.side(country) and not a.side(country) & b.side(country):
                return False
            if bool(a.side(country)) != bool(b.side(country)):
                return False
    if a.dated and b.dated:
        return a.start <= b.end and b.start <= a.end
    return True


def merge(a: Event, b: Event) -> Event:
    first, second = (a, b) if a.dated or not b.dated else (b, a)
    names = {p.name for p in first.participants}
    start, end = first.start, first.end
    if first.dated and second.dated:
        start, end = min(a.start, b.start), max(a.end, b.end)
    return replace(
        first, type="talks" if "talks" in (a.type, b.type) else first.type, start=start, end=end,
        participants=first.participants + tuple(p for p in second.participants if p.name not in names),
        status="occurred" if "occurred" in (a.status, b.status) else "planned",
        city=first.city or second.city, country=first.country or second.country)


def merge_events(events: list[Event]) -> list[Event]:
    """Fold every event into the first earlier one it is compatible with; meetings inside a co-chaired
    conference of the same people (on its day, or undated) are the conference."""
    merged: list[Event] = []
    for event in events:
        for index, kept in enumerate(merged):
            if compatible(kept, event):
                merged[index] = merge(kept, event)
                break
        else:
            merged.append(event)
    conferences = [e for e in merged if e.type == "conference"]
    return [e for e in merged if not (e.type in ("meeting", "talks") and any(
        {p.name for p in e.participants} <= {p.name for p in c.participants}
        and (not e.dated or c.start <= e.start <= c.end)
        for c in conferences))]


class _Reader:
    """Walks an article sentence by sentence, keeping the context later sentences lean on."""

    def __init__(self, published: dt.date, registry: Registry):
        self.published, self.registry = published, registry
        self.context_date: tuple[dt.date, dt.date] | None = None
        self.introduced: set[str] = set()
        self.last_named: dict[str, Mention] = {}
        self.visit_place: tuple[str | None, str | None] = (None, None)
        self.events: list[Event] = []

    def section_break(self):
        self.last_named = {}

    def read(self, sentence: str):
        day = self.context_date[0] if self.context_date else self.published
        mentions = self.registry.find(sentence, day, self.introduced)
        dates = find_dates(sentence, self.published)
        triggers = _find_triggers(sentence)
        nearest: dict[int, DateMention] = {}
        for mention in dates:  # each date goes to its nearest trigger; a trigger keeps its nearest date
            if triggers:
                distances = [self._distance(mention, m) for _, m in triggers]
                owner = distances.index(min(distances))
                if owner not in nearest or distances[owner] < self._distance(nearest[owner], triggers[owner][1]):
                    nearest[owner] = mention
        inviters = [m for m in mentions if any(s <= m.span[0] < e for s, e in
                                                (i.span() for i in INVITER.finditer(sentence)))]
        for index, (kind, match) in enumerate(triggers):
            self._event(sentence, kind, match, mentions if kind == "visit" else
                        [m for m in mentions if m not in inviters], nearest.get(index))
        self._update_context_date(dates)
        for mention in mentions:
            self.last_named[mention.country] = mention

    def _update_context_date(self, dates: list[DateMention]):
        """Later sentences without a date inherit this one's: its first single day near publication,
        else a range, unless the day already in context lies inside that range ('on June 19-20')."""
        near = [d for d in dates if d.precision != "approx" and self.published - dt.timedelta(days=366) <= d.first
                <= self.published + dt.timedelta(days=366)]
        days = [d for d in near if d.first == d.last]
        if days:
            self.context_date = (days[0].first, days[0].last)
        elif near and not (self.context_date and near[0].first <= self.context_date[0] <= near[0].last):
            self.context_date = (near[0].first, near[0].last)

    @staticmethod
    def _distance(mention: DateMention, match: re.Match) -> int:
        return min(abs(mention.span[0] - match.end()), abs(match.start() - mention.span[1]))

    def _event(self, sentence, kind, match, mentions, date_mention):
        before = sentence[:match.start()].replace("at the invitation of", "")
        if HEDGE.search(before):
            return
        people = {}
        for mention in mentions:
            people.setdefault(mention.country, {}).setdefault(mention.person.name, mention)
        if COLLECTIVE.search(before) or (not mentions and re.match(r"[Aa]t the", sentence)):
            for country, mention in self.last_named.items():
                people.setdefault(country, {mention.person.name: mention})
        if date_mention and date_mention.precision != "approx":
            start, end, dated = date_mention.first, date_mention.last, True
        elif self.context_date:
            start, end, dated = self.context_date[0], self.context_date[0], False
        else:
            start, end, dated = self.published, self.published, False
        status = "planned" if PLANNED.search(before) or start > self.published else "occurred"
        city_match = CITY_RE.search(sentence)
        city = city_match.group(1) if city_match else None
        if kind == "visit":
            destination = _destination(match)
            visitors = [n for c, names in people.items() if c != destination for n in names]
            if not destination or not visitors:
                return
            participants = tuple(_participant(m, "visitor" if c != destination else "host")
                                 for c, named in people.items() for m in named.values())
            event = Event(kind, start, end, participants, sentence, status, city if city else None, destination, dated)
            if CITIES.get(city or "") != destination:
                event.city = None
            self.visit_place = (event.city, destination)
            self.events.append(event)
            return
        if not people.get("VN") or not people.get("RU"):
            return
        country = CITIES[city] if city else self.visit_place[1]
        city = city or (self.visit_place[0] if country == self.visit_place[1] else None)
        vn, ru = list(people["VN"].values()), list(people["RU"].values())
        groups = ([([v], ru) for v in vn] if len(vn) > 1 and len(ru) == 1 and kind in ("meeting", "talks")
                  else [(vn, [r]) for r in ru] if len(ru) > 1 and len(vn) == 1 and kind in ("meeting", "talks")
                  else [(vn, ru)])
        for vn_side, ru_side in groups:
            participants = tuple(_participant(m, "participant") for m in vn_side + ru_side)
            self.events.append(Event(kind, start, end, participants, sentence, status, city, country, dated))


def _participant(mention: Mention, role: str) -> Participant:
    return Participant(mention.person.name, mention.country, role, mention.title, mention.person.registered)


def extract_events(text: str, published: dt.date, registry: Registry | None = None) -> list[Event]:
    """The bilateral events an article's body reports, merged, in order of first mention.
    ValueError for a publication date outside dates.EARLIEST..LATEST."""
    if not EARLIEST <= published <= LATEST:
        raise ValueError(f"publication date {published} outside {EARLIEST}..{LATEST}")
    reader = _Reader(published, registry or default_registry())
    for paragraph in re.split(r"\n\s*\n|\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if is_headline(paragraph):
            reader.section_break()
        for sentence in split_sentences(paragraph):
            reader.read(sentence)
    cutoff = published - dt.timedelta(days=BACKGROUND_DAYS)
    return [e for e in merge_events(reader.events) if e.end >= cutoff]


def is_bilateral(text: str) -> bool:
    """Whether an article is about Vietnam and Russia at all (both named in its body)."""
    return bool(re.search(r"\b(?:Vietnam|Viet Nam|Vietnamese)\b", text)) and bool(
        re.search(r"\b(?:Russia|Russian|Moscow|Kremlin)\b", text))
