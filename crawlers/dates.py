"""Dates as sitemaps, feeds and article pages write them, read to the calendar day the publisher meant.

W3C datetime (sitemaps, Atom, <time datetime>): '2024', '2024-06', '2024-06-20', '2024-06-20T11:40+03:00',
'2024-06-20 11:40:00.123Z'; RFC 822/1123 (RSS): 'Thu, 20 Jun 2024 11:40:00 +0300', without weekday or seconds,
with 'GMT' or a zone name; page text: 'June 20, 2024, 11:40', '20 June 2024', '20/06/2024' (day first, as
Vietnamese sites write it), '2024/06/20'. The day is the publisher's local day (no conversion to UTC); a
year or month alone gives its first day.
"""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime

W3C = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ]\d{1,2}:\d{2}.*)?$")
MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
TEXT_FORMS = (
    (re.compile(rf"\b{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), ("month", "day", "year")),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH},?\s+(\d{{4}})\b", re.I), ("day", "month", "year")),
    (re.compile(r"\b(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})\b"), ("year", "month", "day")),
    (re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b"), ("day", "month", "year")),
)


def _build(parts: dict[str, str]) -> dt.date | None:
    month = parts["month"]
    month_number = int(month) if month.isdigit() else MONTHS[month[:3].lower()]
    try:
        return dt.date(int(parts["year"]), month_number, int(parts["day"]))
    except ValueError:
        return None


def parse_date(text: str | None) -> dt.date | None:
    """The calendar day of a date in any of the forms above; None when there is none."""
    text = (text or "").strip()
    if not text:
        return None
    w3c = W3C.match(text)
    if w3c:
        year, month, day = w3c.groups()
        try:
            return dt.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    for pattern, order in TEXT_FORMS:
        match = pattern.search(text)
        if match:
            return _build(dict(zip(order, match.groups(), strict=True)))
    return None
