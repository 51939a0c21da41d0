"""Find the dates a news sentence mentions and resolve them against the article's publication date.

Regexes locate the expressions wires use ('on September 5', 'from January 20-23', 'May 8 to 11',
'today (October 16)', 'yesterday', 'on Saturday (local time)', 'in June 2024', 'earlier this week', 'last
November', 'in August', 'in 2013', 'last year');
dateparser turns each part into a date relative to the publication date, and a year-less date takes
the year that puts it closest to publication, so 'December 30' in an article of January 2 is the
previous December, and a weekday is the latest such day on or before publication ('on Tuesday' in
Tuesday's paper is that day).
A bare 'earlier' only says 'on or before publication' (precision 'approx').
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import dateparser

MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
         r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:,?\s+((?:19|20)\d\d))?"
TO = r"\s*(?:-|–|—|to|and|until|through)\s*"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY = "(?:" + "|".join(WEEKDAYS) + ")"
# the dates vnru resolves: a publication date or a mention outside them is an error, not an overflow
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)

PATTERNS = (
    ("relative_dated", re.compile(rf"\b(?:today|yesterday|tomorrow)\s*\(\s*"
                                  rf"(?:{WEEKDAY},?\s*)?({MONTH})\s+({DAY})\s*\)", re.I)),
    ("month_range", re.compile(rf"\b({MONTH})\s+({DAY}){TO}({MONTH})\s+({DAY}){YEAR}\b")),
    ("day_range", re.compile(rf"\b({MONTH})\s+({DAY}){TO}({DAY})\b(?!\s*(?:%|per|years?|km))(?!\s*{MONTH}){YEAR}")),
    ("day_range_first", re.compile(rf"\b({DAY}){TO}({DAY})\s+({MONTH}){YEAR}\b")),
    ("day", re.compile(rf"\b({MONTH})\s+({DAY})\b(?![-–]\d){YEAR}")),
    ("day_first", re.compile(rf"\b({DAY})\s+({MONTH}){YEAR}\b")),
    ("month", re.compile(rf"\bin\s+({MONTH})\s+((?:19|20)\d\d)\b")),
    ("month_relative", re.compile(rf"\b(?:in|last|early|late|mid-?)\s+({MONTH})\b(?!\s*\d)"
                                  rf"(?:\s+(last|this|next)\s+year)?")),
    ("period", re.compile(r"\b(?:last|previous|past)\s+(week|month|year)\b")),
    ("year", re.compile(r"\b(?:in|during|the|early|late)\s+((?:19|20)\d\d)\b(?![-–/]\d)")),
    ("earlier", re.compile(r"\bearlier(?:\s+(today|in the day|this (?:week|month|year)))?\b", re.I)),
    ("relative", re.compile(r"\b(today|yesterday|tomorrow)\b", re.I)),
    # 'on Monday', 'this Monday', and the bare 'signed Monday' of agency copy; 'next Monday' is no past day
    ("weekday", re.compile(rf"(?<![Nn]ext )\b({WEEKDAY})\b")),
)

LIMIT = re.compile(r"\b(?:until|till|through|up to)\s+(?:the\s+)?(?:end of\s+)?$", re.I)


@dataclass(frozen=True)
class DateMention:
    """A date or range found in a sentence; span is its character range there."""

    span: tuple[int, int]
    first: dt.date
    last: dt.date
    precision: str = "day"  # day | week | month | year | approx (a bare 'earlier': on or before publication)


@lru_cache(maxsize=4096)
def _parse(text: str, base: dt.date, prefer: str = "current_period") -> dt.date | None:
    parsed = dateparser.parse(text, languages=["en"], settings={
        "RELATIVE_BASE": dt.datetime(base.year, base.month, base.day), "PREFER_DATES_FROM": prefer,
        "PREFER_DAY_OF_MONTH": "first"})
    return parsed.date() if parsed else None


def _month_day(month: str, day: str, year: str | None, published: dt.date) -> dt.date | None:
    """A day of a month; without a year, the year that puts it closest to publication."""
    day_number = re.sub(r"\D", "", day)
    if year:
        return _parse(f"{month} {day_number} {year}", published)
    candidates = [_parse(f"{month} {day_number} {y}", published) for y in (published.year - 1, published.year,
                                                                            published.year + 1)]
    candidates = [c for c in candidates if c and EARLIEST <= c <= LATEST]
    return min(candidates, key=lambda c: abs((c - published).days)) if candidates else None


def _resolve(kind: str, groups: tuple, published: dt.date) -> tuple[dt.date, dt.date, str] | None:
    if kind == "month_range":
        m1, d1, m2, d2, year = groups
        first, last = _month_day(m1, d1, year, published), _month_day(m2, d2, year, published)
        if first and last and last < first:
            last = last.replace(year=last.year + 1)
    elif kind in ("day_range", "day_range_first"):
        month, d1, d2, year = groups if kind == "day_range" else (groups[2], groups[0], groups[1], groups[3])
        first = _month_day(month, d1, year, published)
        try:  # the second day lies in the first one's month: '2-1 Jan' runs backwards and is no range
            last = first.replace(day=int(re.sub(r"\D", "", d2))) if first else None
        except ValueError:
            return None
        if last and last < first:
            return None
    elif kind in ("day", "day_first", "relative_dated"):
        if kind == "relative_dated":
            month, day, year = (*groups, None)
        else:
            month, day, year = groups if kind == "day" else (groups[1], groups[0], groups[2])
        first = last = _month_day(month, day, year, published)
    elif kind == "month":
        first = _parse(f"1 {groups[0]} {groups[1]}", published)
        if not first:
            return None
        return first, first.replace(day=calendar.monthrange(first.year, first.month)[1]), "month"
    elif kind == "month_relative":
        number = _parse(f"1 {groups[0]} 2000", published).month
        year = published.year + {"last": -1, "next": 1}.get(groups[1] or "", 0)
        if not groups[1] and number > published.month:  # a bare month is the latest one on or before publication
            year -= 1
        first = dt.date(year, number, 1)
        return first, first.replace(day=calendar.monthrange(year, number)[1]), "month"
    elif kind == "period":  # the calendar week, month or year before the publication's
        if groups[0] == "year":
            return dt.date(published.year - 1, 1, 1), dt.date(published.year - 1, 12, 31), "year"
        if groups[0] == "month":
            last = published.replace(day=1) - dt.timedelta(days=1)
            return last.replace(day=1), last, "month"
        monday = published - dt.timedelta(days=published.weekday() + 7)
        return monday, monday + dt.timedelta(days=6), "week"
    elif kind == "year":
        year = int(groups[0])
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    elif kind == "earlier":
        period = (groups[0] or "").lower()
        if not period:
            return published, published, "approx"
        first = {"this week": published - dt.timedelta(days=published.weekday()),
                 "this month": published.replace(day=1), "this year": published.replace(month=1, day=1)
                 }.get(period, published)
        return first, published, "month"  # vague: a span, not the day of anything
    elif kind == "weekday":
        back = (published.weekday() - WEEKDAYS.index(groups[0])) % 7
        first = last = published - dt.timedelta(days=back)
    else:
        first = last = _parse(groups[0], published, "past")
    return (first, last, "day") if first and last else None


def find_dates(sentence: str, published: dt.date) -> list[DateMention]:
    """Every date expression of the sentence, in order, without overlaps (longer patterns win), each within
    EARLIEST..LATEST (`published` must be within them too). A limit ('a visit that will last until May 11',
    'valid through June') bounds a span begun elsewhere and dates nothing itself."""
    if not EARLIEST <= published <= LATEST:
        raise ValueError(f"publication date {published} outside {EARLIEST}..{LATEST}")
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(sentence):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            resolved = _resolve(kind, match.groups(), published)
            if resolved and min(resolved[:2]) >= EARLIEST and max(resolved[:2]) <= LATEST:
                taken.append(match.span())
                if not LIMIT.search(sentence, 0, match.start()):
                    found.append(DateMention(match.span(), *resolved))
    return sorted(found, key=lambda m: m.span)
