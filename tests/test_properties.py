"""Property-based tests (hypothesis) of the cleaner, the date resolver and the extractor: any input, no crash,
and the invariants hold: what the cleaner keeps comes from its input, dates stay within bounds, text is NFC."""

import datetime as dt
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.clean import CleanError, clean_html, clean_text
from etl.events.dates import EARLIEST, LATEST, find_dates
from etl.events.extract import extract_events

QUICK = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MONTHS = ["January", "Feb", "March", "Apr.", "May", "June", "July", "Aug", "Sept", "October", "Nov", "December"]
WORDS = ["Vietnam", "Russia", "Putin", "To Lam", "Pham Minh Chinh", "Mishustin", "Lavrov", "Hanoi", "Moscow",
         "visit", "talks", "met", "held talks with", "will visit", "yesterday", "today", "on Tuesday", "earlier",
         "this week", "Thủ tướng", "Chủ tịch", "Президент", "(VNA)", "–", "-", "to", ".", ",", "\n", "\n\n"]
date_phrase = st.one_of(
    st.builds(lambda m, d, y: f"{m} {d}" + (f", {y}" if y else ""), st.sampled_from(MONTHS),
              st.integers(-3, 40), st.none() | st.integers(1890, 2110)),
    st.builds(lambda d1, d2, m: f"{d1}-{d2} {m}", st.integers(0, 35), st.integers(0, 35), st.sampled_from(MONTHS)),
    st.builds(lambda m, y: f"in {m} {y}", st.sampled_from(MONTHS), st.integers(1890, 2110)),
)
# news-like text: the vocabulary of the extractor and date phrases, mixed with any unicode at all
news = st.lists(st.one_of(st.sampled_from(WORDS), date_phrase, st.text(max_size=12)), max_size=40).map(" ".join)
published = st.dates(min_value=EARLIEST, max_value=LATEST)


def _compact(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).split())


def _is_subsequence(small: str, big: str) -> bool:
    rest = iter(big)
    return all(ch in rest for ch in small)


@QUICK
@given(news)
def test_clean_text_keeps_only_what_its_input_said(text):
    article = clean_text(text)
    assert _is_subsequence(_compact(article.text), _compact(text))
    assert all(line == line.strip() and line for line in article.text.split("\n\n") if article.text)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000) | news.map(lambda t: f"<html><body><article><p>{t}</p></article></body></html>"))
def test_clean_html_either_cleans_or_says_why(page):
    try:
        article = clean_html(page)
    except CleanError:
        return
    assert article.text.strip()
    assert article.published is None or isinstance(article.published, dt.date)


@QUICK
@given(news, published)
def test_every_date_found_is_within_bounds_and_inside_the_sentence(sentence, day):
    for mention in find_dates(sentence, day):
        assert EARLIEST <= mention.first <= mention.last <= LATEST
        assert 0 <= mention.span[0] < mention.span[1] <= len(sentence)
        if mention.precision == "approx":
            assert mention.first <= day


@QUICK
@given(st.sampled_from(MONTHS), st.integers(1, 28), published)
def test_a_yearless_date_resolves_within_a_year_of_publication(month, day, when):
    [mention] = find_dates(f"The leaders met on {month} {day}.", when)
    assert abs((mention.first - when).days) <= 366


@QUICK
@given(news, published)
def test_extract_events_never_crashes_and_keeps_its_invariants(text, day):
    for event in extract_events(text, day):
        assert EARLIEST <= event.start <= event.end <= LATEST
        assert event.evidence and event.evidence in text
        assert {p.country for p in event.participants} <= {"VN", "RU"}
        for person in event.participants:
            assert person.name and unicodedata.is_normalized("NFC", person.name)


VIETNAMESE = ["Thủ tướng", "Phạm Minh Chính", "hội đàm", "với", "Tổng thống", "Nga", "tại", "Hà Nội", "hôm nay",
              "hai bên", "đã ký", "thỏa thuận", "hợp tác", "năng lượng", "Việt Nam", "Liên bang"]


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


def windows_1258(text: str) -> bytes:
    """Text as a windows-1258 page stores it: letters the code page lacks precomposed ('ế', 'ợ') become
    the letter it has ('ê', 'ơ') followed by the combining tone mark."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            tones = "".join(c for c in parts if c in TONE_MARKS)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
            out += (base + tones).encode("cp1258")
    return bytes(out)


def test_text_cleaned_from_a_windows_1258_page_is_nfc():
    words = " ".join(VIETNAMESE * 6)
    page = f'<html><head><meta charset="windows-1258"></head><body><article><p>{words}.</p></article></body></html>'
    article = clean_html(windows_1258(page))
    assert words in article.text
    assert unicodedata.is_normalized("NFC", article.text)
