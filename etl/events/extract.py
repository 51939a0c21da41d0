"""Extract Vietnam-Russia events (who met whom, what, when, where) from a cleaned article.

Rules, not a model (nothing to download, a few milliseconds an excerpt): a trigger lexicon of the verb and
noun forms of each event type (LEXICON) marks the events of a sentence; each person (etl.events.people)
and date (etl.events.dates) belongs to the trigger of its clause (_Clauses); a side the sentence leaves to
context is filled from it ('He', 'the two sides', a headline's lines, the article's most-named person of
that country); a trigger without a date of its own takes the day in context. Mentions of one real event
across the article are merged; hedges and requests ('invited him to visit', 'asked ... to speed up'),
intentions without a date ('plans to meet'), past-perfect and anniversary mentions, and background
older than a month are not events; people of third countries are never on a side.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, replace

from lemminflect import getAllInflections, getAllInflectionsOOV

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
PLACES = {"Vietnam": "VN", "Viet Nam": "VN", "Russia": "RU",
          "the Russian capital": "RU", "the Russian city": "RU", "the Vietnamese capital": "VN",
          "the Vietnamese city": "VN",
          "the Russian Federation": "RU", **{c: k for c, k in CITIES.items() if k in ("VN", "RU")}}
PLACE = "|".join(re.escape(p) for p in sorted(PLACES, key=len, reverse=True))
# seats of power written for their city ('talks at the Kremlin', 'in Ba Dinh Hall')
LANDMARKS = {"Kremlin": "Moscow", "Novo-Ogaryovo": "Moscow", "Gorki": "Moscow", "Bocharov Ruchei": "Sochi",
             "Presidential Palace": "Hanoi", "Ba Dinh Hall": "Hanoi", "Ba Dinh": "Hanoi"}
CITY_RE = re.compile(r"\b(" + "|".join(re.escape(c) for c in sorted({*CITIES, *LANDMARKS}, key=len, reverse=True))
                     + r")\b")

def forms(*lemmas: str, pos: str = "VERB", without: tuple[str, ...] = ()) -> str:
    """A regex alternation of every inflected form of the lemmas, from lemminflect's English tables (a word
    they lack, such as 'co-chair', is inflected by its rules): the lexicon is written by lemma."""
    words = set(lemmas)
    for lemma in lemmas:
        table = getAllInflections(lemma, upos=pos) or getAllInflectionsOOV(lemma, upos=pos)
        words.update(form for found in table.values() for form in found)
    return "|".join(re.escape(w) for w in sorted(words - set(without), key=len, reverse=True))


# The trigger lexicon: each event type by the lemmas of its verbs and nouns (meet/meeting, receive/reception,
# sign/signing, chair/session, adopt/declaration, award/order, visit/trip), tried in this order; a span
# taken by an earlier type is not read again ('phone talks' is a call, not talks).
PHONE = r"(?:tele)?phone|video|telephonic|online"
# the nouns of a signed document, in any case ('signed the Memorandum of Understanding', 'the MoU')
DOCUMENT = (r"(?i:agreements?|programmes?|programs?|memorand\w+|memos?|MoUs?|communiqu\w+|treat(?:y|ies)|documents?|"
            r"deals?|protocols?|plans?|contracts?|accords?|FTA|conventions?|charters?|roadmaps?|pacts?|minutes)")
FORUM = r"(?i:conference|session|meeting|committee|commission|forum|council|summit|round-?table|congress|dialogue)"
TALK = forms("talk", "speak", "converse")
SIGN = forms("sign", "ink", "conclude", without=("signed",)) + "|exchange of|exchanged"  # not delegation exchanges
LEXICON: tuple[tuple[str, str], ...] = (
    ("phone_call", rf"\b(?:{PHONE})\s+(?:calls?|conversations?|talks|talk|conference|meeting)\b|\b(?:phoned|phones)\b|"
                   rf"\b(?:{TALK}|held talks|conversation)\s+(?:over|by|on)\s+(?:the\s+)?(?:tele)?phone\b|"
                   rf"\b(?:{TALK}|held talks|conversation)\b"
                   r"(?=[^.]{0,60}\b(?:by|over|on)\s+(?:the\s+)?(?:tele)?phone\b)"),
    ("joint_statement", rf"\b(?:{forms('issue', 'adopt', 'release', 'sign')}|adoption of|signing of)\s+"
                        r"(?:a|the|their|an)\s+(?:\w+\s+){0,2}(?:[Jj]oint\s+)?(?:[Ss]tatement|[Dd]eclaration)\b|"
                        r"\b[Jj]oint\s+(?:[Ss]tatement|[Dd]eclaration)\b(?=[^.]{0,60}\b(?:was|were)\s+"
                        r"(?:adopted|issued|signed|released)\b)"),
    ("agreement", r"(?<!anniversary of the )"
                  # 'signed' before its noun ('the signed agreements', 'for signed contracts') is an adjective
                  r"\b(?:(?<!the )(?<!their )(?<!its )(?<!for )(?<!of )(?<!all )(?<!previously )(?<!already )signed|"
                  # 'signing new deals' is an aim, not a signing
                  rf"{SIGN})\b(?!\s+(?:of\s+)?(?:new|more|further|future|additional)\b)"
                  rf"(?=[^.;]{{0,80}}?\b(?:{DOCUMENT})\b)|"
                  rf"\b(?:{DOCUMENT})\b(?=[^.;]{{0,60}}?\b(?:was|were|have been|has been|had been)\s+"
                  r"(?:signed|inked|exchanged)\b)"),
    # 'co-chaired the Dialogue' in any case; 'co-chair of the Commission' is a title
    ("conference", rf"\b(?:{forms('chair', 'co-chair', 'cochair', 'convene')})\b(?!\s+of\b)"
                   rf"(?=[^.]{{0,80}}\b(?:{FORUM})\b)|"
                   r"\b(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                   r"\w+teenth|\w+tieth|twenty-\w+|thirty-\w+)\s+(?:meeting|session|conference|forum)\b|"
                   # the participle ('delegates attending the Forum') describes its noun's people, not the subject
                   rf"\b(?:{forms('attend', 'hold', 'host', 'address', without=('attending',))}|took part in|"
                   r"participated in)\s+(?:a|the|an)\s+[\w\s-]{0,40}?"
                   r"(?:(?i:conference|forum|round-table|roundtable|summit)|"
                   r"(?:[Mm]eeting|[Ss]ession)s?\s+of)\b|"
                   # a sitting of a standing body ('the meeting of the intergovernmental commission') is a session
                   r"\b(?:[Mm]eeting|[Ss]ession)s?\s+of\s+(?:the\s+|a\s+)?(?=[\w\s,-]{0,60}?\b(?i:commission|committee|council)\b)"),
    ("award", r"\b(?:Orders?|Medals?|orders?|medals?)\b(?=[^.]{0,40}\b(?:were|was|are|is|been)\s+"
              r"(?:awarded|presented|conferred|bestowed)\b)|"
              rf"\b(?:{forms('present', 'confer', 'award', 'bestow', 'decorate', 'honour', 'honor')}|handed over|"
              r"presentation of)\b(?=[^.]{0,160}\b(?:Orders?|Medals?|orders?|medals?|[Tt]itle of|[Dd]octor)\b)"),
    ("talks", r"\b(?:talks|negotiations|consultations?|discussions)\b"),
    ("meeting", r"\bcourtesy (?:call|visit)\b|\bcalled on\s+(?=[A-Z])"),
    # a journey to a third country: no event of its own, but it owns the words of its phrase
    ("elsewhere", rf"\b(?:{forms('visit', 'tour', without=('visiting',))}|trip)\s+(?:to|in)\s+"
                  rf"(?!(?:the\s+)?(?:{PLACE}|Russian|Vietnamese|Soviet|General|President|Prime|Chairman|"
                  r"Chairwoman|Minister|Secretary|Deputy|Ambassador)\b)(?:the\s+)?[A-Z]\w+"),
    ("visit", rf"\b(?:{forms('visit', 'tour', 'stay')}|trip)\s+(?:to\s+|in\s+|of\s+)?(?P<dest>{PLACE})\b|"
              rf"\bdelegation\s+to\s+(?P<dest2>{PLACE})\b|"
              rf"\b(?:{forms('arrive', 'land')})\s+(?:in|at)\s+(?:[\w ]{{0,30}}?\s+in\s+)?(?P<dest3>{PLACE})\b|"
              rf"\b(?:{forms('leave', 'depart', 'fly')}|set off)\s+(?:[\w-]+\s+){{0,3}}?for\s+(?P<dest6>{PLACE})\b|"
              rf"\b(?:is|are|was|were)\s+(?:now\s+)?in\s+(?P<dest5>{PLACE})\s+(?=to\s+(?:attend|hold|meet|take)\b|for\s+)|"
              r"\b(?:state|official|working|courtesy|friendship|high-level|first|historic)\s+(?:[\w-]+\s+)?"
              r"(?:visit|trip)\b|\b(?:visit|trip)\s+(?=from|on\s+[A-Z]|at the invitation)|\bvisiting\b|"
              rf"\b(?:{forms('visit', 'tour', without=('visiting',))}|trip|{forms('arrive', 'land')})\s+"
              r"(?:to\s+|in\s+)?the\s+country\b|"
              # 'the visit' bare, with no destination after it: see _event
              r"\b(?P<bare>(?:[Tt]he|[Tt]his)\s+(?:visit|trip))\b(?!\s+(?:to|in|of)\b)"),
    ("meeting", rf"\b(?i:{forms('meet')})\s+"
                r"(?=with\b|[A-Z]|(?:his|her|their|the|a|an|its)\s+(?:[\w-]+\s+){0,3}"
                r"(?:counterparts?|delegations?|leaders?|officials?|representatives?|[A-Z]))|"
                rf"\b(?:{forms('meet', without=('meeting',))})\b(?=[^.,;]{{0,30}}?\bwith\b)|"
                rf"\b(?:{forms('meeting', 'reception', pos='NOUN')})\b|"
                rf"\b(?:{forms('receive')})\b(?=\s+(?:(?:a|an|the|visiting|his|her|their)\s+){{0,2}}(?:[A-Z]|"
                r"delegations?\b|counterparts?\b|ambassadors?\b|ministers?\b|envoys?\b|leaders?\b))|"
                rf"\b(?:{TALK})\s+with\b|\bworking sessions?\b|\baudience\b"),
)
TRIGGERS: tuple[tuple[str, re.Pattern], ...] = tuple((kind, re.compile(pattern)) for kind, pattern in LEXICON)
HEDGE = re.compile(r"\b(?:invit\w*|ready to|hopes?|hoped|hoping|wish(?:es|ed)?|propos\w*|suggest\w*|should|would|could|"
                   r"might|look(?:s|ed|ing)? forward|aim(?:s|ed)? to|needs? to|calls? for|urged?s?|if|ask(?:s|ed)?|"
                   r"request(?:s|ed)?|the early|speed(?:s|ing)? up|accelerat\w*)\b")
PLANNED = re.compile(r"\b(?:will|(?:is|are|was|were) (?:scheduled|set|due|expected|planning|going) to|(?:is|are) to|"
                     r"plans? to|planned to|upcoming|forthcoming|scheduled)\b")
DESTINATION = re.compile(rf"\bto\s+({PLACE})\b")
COUNTERPART = re.compile(r"\bcounterparts?\b|"
                         r"\bthe (?:Vietnamese|Russian) (?:side|leaders?|delegation|guests?|hosts?)\b")
ONE_SIDED = ("agreement", "joint_statement", "conference", "visit")  # may be recorded with one side only
OPENER = re.compile(r"(?:On|At|During|In|Following|After|Before|Amid|On the sidelines of|[A-Z][a-z]+ing)\b[^,;]*,")
REPORTING = re.compile(r"(?:,[^,.;]{0,80}?,)?\s*(?:said|says|told (?:reporters|journalists|the press)|added|noted|"
                       r"stressed|stated|announced|reported|wrote)(?=\s*(?:[.,;:]|$|that\b|on\s|in\s+an?\s))")
PAST_PERFECT = re.compile(r"\bhad\s+(?:already\s+|previously\s+|earlier\s+)?(?:held|met|signed|paid|made|had|\w+ed)\s+"
                          r"(?:[\w-]+\s+){0,3}$")
EARLIER = re.compile(r"\b(?:recent|previous|last|past|earlier|former|prior)\s+"
                     rf"(?!(?:week|weekend|month|year|night|{'|'.join(calendar.day_name)})\b)(?:[\w-]+\s+)?$|"
                     r"\b(?:since|anniversary of)\s+(?:the\s+)?$")  # '25 years since the signing
# an ambassador or embassy travelling inside its host country is not a visit between the two
RESIDENT = re.compile(r"\b(?:[Aa]mbassadors?|[Ee]mbass(?:y|ies)|[Cc]onsul(?:s|ate)?(?:[- ]general)?)\b")
COUNTERPART_OF = re.compile(r"\b(?:his|her|their|the)\s+(Russian|Vietnamese|Russia's|Vietnam's)\s+counterparts?\b")
# an invitation or proposal governs every trigger after it, across commas ('invited X to visit Hanoi, and Y to ...')
INVITED_TO = re.compile(r"\b(?:invit(?:e|es|ed|ing)|propos(?:e|es|ed|ing)|suggest(?:s|ed|ing)?)\b[^.;]*\bto\s")
DURING_TRIP = re.compile(r"(?:During|In the course of|On the sidelines of|Within)\s+(?:the|this|that|his|her|their)\s+"
                         r"(?:[\w-]+\s+){0,2}(?:visit|trip|tour|stay)\b")
THIS_VISIT = re.compile(r"\b(?:the|this) (?:visit|talks|trip)\b")
PRONOUN = re.compile(r"\b(?:He|She|he|she|His|Her|his|her|I|my|My|we|We|our|Our)\b")
# 'the visit', 'this visit', 'X's official visit': the article's own visit
DEFINITE = re.compile(r"(?:\b(?:[Tt]he|[Tt]his|[Tt]hat|its|their)|[’']s)\s+(?:[\w-]+\s+){0,2}$")
BOTH_COUNTRIES = re.compile(r"\b(?:Vietnam|Viet Nam|Vietnamese)\b.*\b(?:Russia|Russian)\b|"
                            r"\b(?:Russia|Russian)\b.*\b(?:Vietnam|Viet Nam|Vietnamese)\b|\b[Tt]he two\b")
# who sent an invitation, greetings or a message is named but not present
INVITER = re.compile(r"\b(?:at the invitation of|invitations? (?:from|of)|greetings (?:from|of)|"
                     r"(?:message|letter)s? from|on behalf of)\b[^,;]*")
COLLECTIVE = re.compile(
    r"\b(?:[Tt]he two\s+(?:[\w-]+\s+){0,2}(?:[\w-]+s|chairmen|heads of state)|[Bb]oth (?:sides|leaders)|They|they|"
    r"[Tt]heir (?=meeting|talks|phone|conversation)|"
    r"[Tt]he (?:Vietnamese |Russian )?delegation|"
    r"(?:Vietnam|Viet Nam) and (?:Russia|the Russian Federation)|"
    r"Russia and (?:Vietnam|Viet Nam))\b")
ABBREVIATIONS = {"Mr", "Mrs", "Ms", "Dr", "Sen", "Lt", "Gen", "Col", "Maj", "Capt", "Prof", "St", "No", "Jan", "Feb",
                 "Mar", "Apr", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "e.g", "i.e", "vs", "Inc", "Ltd", "Co", "Jr",
                 "Sr", "U.S", "U.K", "Dept", "Gov", "Rep"}
PASSIVE = re.compile(r"\b(?:is|are|was|were|been|being)\s+(?:\w+ly\s+)?$")
BACKGROUND_DAYS = 30
# an aside after a comma that recalls a past act or reports speech ('..., as agreed by A and B in May', '..., saying
# that ...') names people and dates of that act, not of the trigger before it; one of presence ('as witnessed by')
# is not an aside
ASIDE = re.compile(r"[,;]\s*(?:as\s+(?!witnessed\b)\w+ed\s+(?:by|at|in|during|on)\b|"
                   r"(?:saying|adding|noting|stressing|affirming|recalling)\b)[^,;]*")


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
    # named by a definite or possessive noun ('the visit', "Putin's trip"): a reference back to an event, of any date
    definite: bool = False
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
    # a full stop glued to the next sentence ('meetings.Expressing') is a scraping slip and still ends one
    for match in re.finditer(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|(?<=[a-z]{3}\.)(?=[A-Z][a-z])", paragraph):
        word = re.search(r"([\w.]+)[.!?]$", paragraph[start:match.start() + 1])
        before = word.group(1) if word else ""
        # an initial, one letter or a Russian digraph's two ('R. Kh. Mardanov', 'Yu. Ushakov'), ends nothing
        if before in ABBREVIATIONS or re.fullmatch(r"[A-Z]|Kh|Yu|Ya|Zh|Sh|Ch|Ts|Ye|Yo", before):
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


class _Clauses:
    """Which trigger of a sentence a word belongs to, by where it stands: words before the first trigger (the
    subject, a leading 'On May 5,') belong to every trigger; a word after a trigger belongs to it ('talks with
    X in 2013'), unless a comma or semicolon comes between, which hands it to the triggers that follow ('Following
    the talks, the two leaders signed ...'), the subject after an opening phrase being that phrase's agent too
    ('On a state visit ..., Putin was greeted'). A participle ('for visiting Russian PM X') describes a person and
    owns nothing when another trigger is there. An aside (ASIDE: '..., as agreed by A and B in May') belongs
    to no trigger. A date in an opening adverbial ('On the sidelines of the ASEAN
    meetings on Thursday, X met Y') dates the whole sentence."""

    def __init__(self, sentence: str, triggers: list[tuple[str, re.Match]]):
        self.sentence = sentence
        owning = [t for t in triggers if t[1].group(0) != "visiting"] or triggers
        self.spans = [(i, m.start(), m.end()) for i, (_, m) in enumerate(triggers) if (_, m) in owning]
        self.elsewhere = {i for i, (kind, _) in enumerate(triggers) if kind == "elsewhere"}
        opener = OPENER.match(sentence)
        self.opener = opener.end() if opener else 0
        self.asides = [m.span() for m in ASIDE.finditer(sentence)]

    def aside(self, position: int) -> bool:
        """Whether the word stands in an aside that reports or recalls rather than narrates."""
        return any(start <= position < end for start, end in self.asides)

    def of(self, position: int, date: bool = False) -> list[int]:
        if date and position < self.opener and not set(self._of(position)) & self.elsewhere:
            return [i for i, _, _ in self.spans]
        return self._of(position)

    def _of(self, position: int) -> list[int]:
        if self.aside(position):
            return []
        before = [(i, end) for i, start, end in self.spans if start <= position]
        after = [i for i, start, _ in self.spans if start > position]
        if not before:
            return [i for i, _, _ in self.spans]
        index, end = before[-1]
        if re.search(r"[,;]", self.sentence[end:position]) and after:
            if end <= self.opener <= position:  # 'On a state visit ..., Putin was greeted': the opener's agent
                return [i for i, start, _ in self.spans if start < self.opener] + after
            return after
        return [index]


def _reports(sentence: str, mention: Mention) -> bool:
    """Whether the person is only the source the sentence quotes ('..., Russian presidential aide Yuri
    Ushakov said'): named after a comma or quote and followed by a verb of saying. The subject right after an
    opening phrase is that phrase's agent ('At the talks with X on Monday, Y said: ...', 'Addressing the
    ceremony, Y stressed ...'), not a source."""
    opener = OPENER.match(sentence)
    if opener and not re.search(r"[,;\"“”]", sentence[opener.end():mention.span[0]]):
        return False
    return bool(REPORTING.match(sentence, mention.span[1]) and
                re.search(r"[,\"”]\s*(?:[\w’'.-]+\s+){0,8}$", sentence[:mention.span[0]]))


def _clause_before(sentence: str, position: int) -> str:
    """The words of the trigger's own clause before it: reported speech or a relative clause before a comma or
    quote ('X will grow, Shoigu said at the talks') does not make the event hedged or planned."""
    before = sentence[:position].replace("at the invitation of", "")
    cut = max(before.rfind(c) for c in ',;:"“”')
    return before[cut + 1:]


VAGUE_DAYS = 27  # a range this long ('in June', 'this month') only places an event, it does not date it


def compatible(a: Event, b: Event) -> bool:
    """Two records of one real event: same kind (talks ~ meeting), shared people on every shared side, dates agree."""
    session = {a.type, b.type} == {"meeting", "conference"} and a.start == b.start and all(
        a.side(c) == b.side(c) for c in ("VN", "RU"))  # meeting the one you hold a session with that day: the session
    # talks and a phone call of the same pair on the same day are one call ('had talks ... During his phone talks')
    call = "phone_call" in (a.type, b.type) and {a.type, b.type} <= {"phone_call", "talks", "meeting"} and \
        a.start == b.start
    if a.type != b.type and {a.type, b.type} != {"talks", "meeting"} and not session and not call:
        return False
    if not _dates_agree(a, b):  # first: the cheapest test, and the one most candidates fail
        return False
    if a.type == "visit":
        return bool({p.name for p in a.participants if p.role == "visitor"}
                    & {p.name for p in b.participants if p.role == "visitor"})
    for country in ("VN", "RU"):
        ours, theirs = a.side(country), b.side(country)
        if bool(ours) != bool(theirs) or (ours and not ours & theirs):
            return False
    return True


def _dates_agree(a: Event, b: Event) -> bool:
    """Dated records overlap; an undated verb ('X met Y') asserts an event of its context's day, not one dated
    months away; an undated definite noun ("Putin's trip") refers back to one of any date."""
    if a.dated and b.dated:
        return a.start <= b.end and b.start <= a.end
    dated, undated = (a, b) if a.dated else (b, a)
    gap = dt.timedelta(days=BACKGROUND_DAYS)
    return not dated.dated or undated.definite or dated.start - gap <= undated.start <= dated.end + gap


def merge(a: Event, b: Event) -> Event:
    """One event from two records of it. Dates: a month-wide or vaguer range around the other is an
    imprecise report of it ('in June' and 'June 19-20' give June 19-20); other ranges are joined (the days
    of one visit)."""
    first, second = (a, b) if a.dated or not b.dated else (b, a)
    names = {p.name for p in first.participants}
    start, end = first.start, first.end
    if first.dated and second.dated:
        vague = [e for e in (a, b) if (e.end - e.start).days >= VAGUE_DAYS]
        inner = [e for e in (a, b) if e not in vague]
        if len(vague) == 1 and inner and vague[0].start <= inner[0].start and inner[0].end <= vague[0].end:
            start, end = inner[0].start, inner[0].end
        else:
            start, end = min(a.start, b.start), max(a.end, b.end)
    kind = next((k for k in ("phone_call", "talks", "conference") if k in (a.type, b.type)), first.type)
    return replace(
        first, type=kind, start=start, end=end,
        participants=first.participants + tuple(p for p in second.participants if p.name not in names),
        status="occurred" if "occurred" in (a.status, b.status) else "planned",
        city=first.city or second.city, country=first.country or second.country)


def merge_events(events: list[Event]) -> list[Event]:
    """Fold every event into the first earlier one it is compatible with. Talks beside a co-chaired session
    of the same two stay apart (analysts record both); a mere meeting of the two that day is the session."""
    merged: list[Event] = []
    for event in events:
        for index, kept in enumerate(merged):
            if compatible(kept, event):
                merged[index] = merge(kept, event)
                break
        else:
            merged.append(event)
    return merged


class _Reader:
    """Walks an article sentence by sentence, keeping the context later sentences lean on."""

    def __init__(self, published: dt.date, registry: Registry):
        self.published, self.registry = published, registry
        self.context_date: tuple[dt.date, dt.date] | None = None
        self.introduced: set[str] = set()
        self.last_named: dict[str, Mention] = {}
        self.visit_place: tuple[str | None, str | None] = (None, None)
        self.events: list[Event] = []
        self.sentence_index = 0
        self.timeline: list[tuple[int, Mention]] = []  # (sentence index, person) of every VN or RU person named
        # (event index, sentence index, countries missing, from a headline, their role)
        self.pending: list[tuple[int, int, list[str], bool, str]] = []
        self.last_pair: dict[str, Mention] = {}  # the first of each side in the last sentence that named both

    def section_break(self):
        self.last_named = {}

    def read(self, sentence: str, headline: bool = False):
        day = self.context_date[0] if self.context_date else self.published
        mentions = self.registry.find(sentence, day, self.introduced)
        dates = find_dates(sentence, self.published)
        triggers = _find_triggers(sentence)
        inviters = [m for m in mentions if any(s <= m.span[0] < e for s, e in
                                                (i.span() for i in INVITER.finditer(sentence)))]
        speakers = [m for m in mentions if _reports(sentence, m)]
        mentions = [m for m in mentions if m not in speakers]
        owners = _Clauses(sentence, triggers)
        nearest: dict[int, DateMention] = {}
        for mention in dates:
            for index in owners.of(mention.span[0], date=True):
                nearest.setdefault(index, mention)
        # the date of a journey to a third country ('a trip to North Korea on Wednesday') dates nothing after it,
        # nor does a line that reports nothing ('By A. Writer May 20 | 11:56 am': a byline's stamp); any other
        # day of the sentence dates its triggers that state none ('signed ..., following their talks on May 10'),
        # then the sentences after it
        abroad = [d for d in dates if owners.elsewhere and set(owners.of(d.span[0], date=True)) <= owners.elsewhere]
        if not (headline and not owners.spans):
            self._update_context_date([d for d in dates if d not in abroad])
        for index, (kind, match) in enumerate(triggers):
            if kind == "elsewhere":
                continue
            own = [m for m in mentions if index in owners.of(m.span[0])]
            if kind == "visit":  # 'X held talks with Y, who is paying a visit': Y, named nearest before it
                own += [m for m in mentions if m.span[0] < match.start() and m not in own][-1:]
            self._event(sentence, kind, match, own if kind == "visit" else [m for m in own if m not in inviters],
                        nearest.get(index), headline)
        # people of a clause dated long ago ('as agreed by A and B in May 2024') are background, not whom a
        # later 'He' or 'the two sides' means
        long_ago = self.published - dt.timedelta(days=BACKGROUND_DAYS)
        old = {i for i, d in nearest.items() if d.last < long_ago}
        old_aside = any(owners.aside(d.span[0]) and d.last < long_ago for d in dates)
        pair: dict[str, Mention] = {}
        for mention in mentions:
            recalled = old_aside and owners.aside(mention.span[0]) or old and set(owners.of(mention.span[0])) <= old
            if mention.country in ("VN", "RU") and not recalled:
                self.last_named[mention.country] = mention
                self.timeline.append((self.sentence_index, mention))
                pair.setdefault(mention.country, mention)
        if len(pair) == 2:
            self.last_pair = pair
        self.sentence_index += 1

    def _update_context_date(self, dates: list[DateMention]):
        """Later sentences without a date inherit this one's: its first single day near publication,
        else a range, unless the day already in context lies inside that range ('on June 19-20')."""
        year = dt.timedelta(days=366)
        near = [d for d in dates if d.precision == "day"
                and self.published - year <= d.first <= self.published + year]
        days = [d for d in near if d.first == d.last]
        if days:
            if not self.context_date:
                self._date_lead(days[0].first)
            self.context_date = (days[0].first, days[0].last)
        elif near and not (self.context_date and near[0].first <= self.context_date[0] <= near[0].last):
            self.context_date = (near[0].first, near[0].last)

    def _date_lead(self, day: dt.date) -> None:
        """A lead that names no day ('X met Y in Sochi') happened on the first day the article states after it
        ('... arrived yesterday'), when that day lies in the week before publication: every event read so far
        without a date of its own was dated by publication only for want of one."""
        if self.published - dt.timedelta(days=7) <= day <= self.published:
            self.events = [e if e.dated else replace(e, start=day, end=day) for e in self.events]

    def _event(self, sentence, kind, match, mentions, date_mention, headline):
        clause = _clause_before(sentence, match.start())
        if HEDGE.search(clause) or PAST_PERFECT.search(clause) or EARLIER.search(clause) or \
                INVITED_TO.search(sentence[:match.start()]):
            return  # 'invited him to visit', 'he had held meetings', 'Medvedev's recent visit': not this event
        people: dict[str, dict[str, Mention]] = {}
        for mention in mentions:
            people.setdefault(mention.country, {}).setdefault(mention.person.name, mention)
        people = {c: named for c, named in people.items() if c in ("VN", "RU")}
        # a passive award ('X was awarded the Order') leaves its giver to context, as 'He' does
        refers = bool(COLLECTIVE.search(sentence) or PRONOUN.search(sentence)
                      or kind == "award" and PASSIVE.search(sentence, 0, match.start()))
        vague = date_mention and date_mention.precision in ("week", "month", "year")
        around = self.context_date[0] if self.context_date else self.published
        if vague and date_mention.first <= around <= date_mention.last:  # 'in 2024' in a 2024 article says nothing
            date_mention = None
        if date_mention and date_mention.precision != "approx":
            start, end, dated = date_mention.first, date_mention.last, True
        elif self.context_date:
            start, end, dated = self.context_date[0], self.context_date[0], False
        else:
            start, end, dated = self.published, self.published, False
        trip = [e for e in self.events if e.type == "visit" and e.dated][-1:]
        if not dated and trip and DURING_TRIP.match(sentence) and not trip[0].start <= start <= trip[0].end:
            start = end = trip[0].start  # 'During the trip, ...': within the trip last named, however long ago
        self._counterparts(sentence, people, start)
        if people.get("VN") and people.get("RU") and end >= self.published - dt.timedelta(days=BACKGROUND_DAYS):
            # the pair a later 'the two leaders' refers to
            self.last_pair = {c: next(iter(named.values())) for c, named in people.items()}
        if refers:  # 'the two sides': the two last named together; 'He': the people last named in this section
            context = self.last_pair if COLLECTIVE.search(sentence) and self.last_pair else self.last_named
            for country, mention in context.items():
                people.setdefault(country, {mention.person.name: mention})
        status = "planned" if PLANNED.search(clause) or start > self.published else "occurred"
        if (status == "planned" or re.search(r"\bto\s+(?:\w+ly\s+)?$", sentence[:match.start()])) and not dated:
            # 'plans to meet X', 'will sign', 'determined to conclude': an intention, not yet an event
            return
        city_match = CITY_RE.search(sentence)
        city = LANDMARKS.get(city_match.group(1), city_match.group(1)) if city_match else None
        if kind == "visit":
            # 'the visit' before any visit was told refers to the one the sentence's welcome in a city of
            # the two countries implies ('welcoming X in Hanoi, Y said the visit ...'); after one, it is that one
            if match.group("bare") and (CITIES.get(city or "") not in ("VN", "RU")
                                        or any(e.type == "visit" for e in self.events)):
                return
            destination = self._destination(match, people, city, sentence)
            if not destination or RESIDENT.search(sentence[:match.start()]):
                return
            visitors = [n for c, names in people.items() if c != destination for n in names]
            if not visitors:  # 'the visit', 'his visit', 'X's official visit': the visitor is the article's own
                if not (refers or headline or DEFINITE.search(sentence[:match.start()])):
                    return
                other = "RU" if destination == "VN" else "VN"
                self.pending.append((len(self.events), self.sentence_index, [other], headline, "visitor"))
            participants = tuple(_participant(m, "visitor" if c != destination else "host")
                                 for c, named in people.items() for m in named.values())
            event = Event(kind, start, end, participants, sentence, status, city if city else None, destination, dated,
                          bool(DEFINITE.search(sentence[:match.start()])))
            if CITIES.get(city or "") != destination:
                event.city = None
            self.visit_place = (event.city, destination)
            self.events.append(event)
            return
        if not people and kind in ("agreement", "joint_statement") and THIS_VISIT.search(sentence) and self.last_pair:
            # 'a highlight of the visit is the signing of ...': signed by the two the article is about
            people = {c: {m.person.name: m} for c, m in self.last_pair.items()}
        if not people and not (refers or BOTH_COUNTRIES.search(sentence)):
            return
        if not people.get("VN") or not people.get("RU"):
            if not (refers or headline or COUNTERPART.search(sentence) or kind in ONE_SIDED):
                return
            self.pending.append((len(self.events), self.sentence_index, [c for c in ("VN", "RU") if c not in people],
                                 headline, "participant"))
        country = CITIES[city] if city else self.visit_place[1]
        city = city or (self.visit_place[0] if country == self.visit_place[1] else None)
        vn, ru = list(people.get("VN", {}).values()), list(people.get("RU", {}).values())
        # one person meeting several ('met A, B and C', 'a courtesy call on A and B') is several meetings; a
        # gathering ('a meeting with A and B') is one
        gathering = re.match(r"(?:meeting|session|reception|working session|talks)\b", match.group(0)) and re.search(
            r"\b(?:a|an|one)\s+(?:[\w-]+\s+)?$", sentence[:match.start()])
        several = kind in ("meeting", "talks") and not gathering
        groups = ([([v], ru) for v in vn] if len(vn) > 1 and len(ru) == 1 and several
                  else [(vn, [r]) for r in ru] if len(ru) > 1 and len(vn) == 1 and several
                  else [(vn, ru)])
        for vn_side, ru_side in groups:
            participants = tuple(_participant(m, "participant") for m in vn_side + ru_side)
            self.events.append(Event(kind, start, end, participants, sentence, status, city, country, dated,
                                     bool(DEFINITE.search(sentence[:match.start()]))))

    def _counterparts(self, sentence: str, people: dict[str, dict[str, Mention]], day: dt.date) -> None:
        """'X held talks with his Russian counterpart': whoever held X's office in the other country that day."""
        for found in COUNTERPART_OF.finditer(sentence):
            country = "RU" if found.group(1).startswith("Russia") else "VN"
            other = "VN" if country == "RU" else "RU"
            if people.get(country) or not people.get(other):
                continue
            for mention in people[other].values():
                roles = {o.role for o in mention.person.offices if o.held_on(day)}
                holders = {p.name: p for role in roles for p in self.registry.holders(role, country, day)}
                if len(holders) == 1:
                    person = next(iter(holders.values()))
                    people[country] = {person.name: Mention(person, found.span(), "title", found.group(0))}
                    break

    def _destination(self, match: re.Match, people: dict, city: str | None, sentence: str) -> str | None:
        """Where a visit goes: the place the trigger names, a bilateral city in the sentence, the country of
        whoever invited, or, when only one side is named, the other country."""
        named = next((value for key, value in match.groupdict().items() if key.startswith("dest") and value), None)
        if match.group(0) == "visiting" and not named:  # 'for visiting Russian PM X': X is the visitor
            guest = next((m for named in people.values() for m in named.values() if m.span[0] >= match.end()), None)
            if guest:
                return "RU" if guest.country == "VN" else "VN"
        named = named or next((m.group(1) for m in DESTINATION.finditer(sentence, match.end(), match.end() + 80)), None)
        if named:
            return PLACES[named]
        if CITIES.get(city or "") in ("VN", "RU"):
            return CITIES[city]
        invitation = INVITER.search(sentence)
        if invitation:
            hosts = {c for c, named in people.items() for m in named.values()
                     if invitation.start() <= m.span[0] < invitation.end()}
            if len(hosts) == 1:
                return hosts.pop()
        if len(people) == 1:
            return "RU" if "VN" in people else "VN"
        return self.visit_place[1]

    def fill_sides(self) -> None:
        """Give an event the side its sentence left to context ('He held talks with Putin', 'the two sides
        signed'): the person of that country holding the office the named side holds (a prime minister's
        counterpart) unless the event is a definite reference ('the meeting'), else the one the article names
        most often (its protagonist on that side), the one named nearest before the event breaking a tie. An
        event left with no side at all is dropped."""
        counts: dict[str, int] = {}
        persons = {mention.person.name: mention.person for _, mention in self.timeline}
        for _, mention in self.timeline:
            counts[mention.person.name] = counts.get(mention.person.name, 0) + 1
        dropped = set()
        for index, at, countries, headline, role in self.pending:
            event = self.events[index]
            added = []
            for country in countries:
                following = [m for i, m in self.timeline if m.country == country and at < i <= at + 3]
                if headline and following:
                    added.append(_participant(following[0], role))
                    continue
                offices = {o.role for p in event.participants if p.name in persons and not event.definite
                           for o in persons[p.name].offices if o.held_on(event.start)}
                named = [(any(o.role in offices and o.held_on(event.start) for o in m.person.offices),
                          counts[m.person.name], i <= at, i if i <= at else -i, m) for i, m in self.timeline
                         if m.country == country]
                if named:
                    added.append(_participant(max(named, key=lambda n: n[:4])[4], role))
            self.events[index] = replace(event, participants=event.participants + tuple(added))
            filled = self.events[index]
            both = filled.side("VN") and filled.side("RU")
            if not filled.participants or (filled.type not in ONE_SIDED and not both):
                dropped.add(index)  # a meeting, call or award needs someone on each side
        self.events = [e for i, e in enumerate(self.events) if i not in dropped]


def _participant(mention: Mention, role: str) -> Participant:
    return Participant(mention.person.name, mention.country, role, mention.title, mention.person.registered)


def strip_diacritics(text: str) -> str:
    """'Tô Lâm visited Hà Nội' -> 'To Lam visited Ha Noi': the English press of Vietnam (VNS, VGP) writes names and
    places with diacritics; only the marks go, every other character (dashes, quotes) stays."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", text)
                                                if not unicodedata.combining(c)))


def extract_events(text: str, published: dt.date, registry: Registry | None = None) -> list[Event]:
    """The bilateral events an article's body reports, merged, in order of first mention.
    ValueError for a publication date outside dates.EARLIEST..LATEST."""
    if not EARLIEST <= published <= LATEST:
        raise ValueError(f"publication date {published} outside {EARLIEST}..{LATEST}")
    reader = _Reader(published, registry or default_registry())
    # an initial glued to the surname ('B.Titov') is a scraping slip, like glued sentences
    text = re.sub(r"\b([A-Z])\.(?=[A-Z][a-z])", r"\1. ", strip_diacritics(text))
    for paragraph in re.split(r"\n\s*\n|\n", text):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if is_headline(paragraph):
            reader.section_break()
        for sentence in split_sentences(paragraph):
            reader.read(sentence, headline=is_headline(paragraph))
    reader.fill_sides()
    cutoff = published - dt.timedelta(days=BACKGROUND_DAYS)
    return [e for e in merge_events(reader.events) if e.end >= cutoff]


def is_bilateral(text: str) -> bool:
    """Whether an article is about Vietnam and Russia at all (both named in its body, 'Việt Nam' included)."""
    text = strip_diacritics(text)
    return bool(re.search(r"\b(?:Vietnam|Viet Nam|Vietnamese)\b", text)) and bool(
        re.search(r"\b(?:Russia|Russian|Moscow|Kremlin)\b", text))
