"""Tolerant parsing: each case is a page built to show one way a real page differs from the recordings."""

import dataclasses
import datetime as dt

import pytest

from crawlers.dates import parse_date
from crawlers.listings import parse_feed, parse_sitemap, url_period
from crawlers.parsing import parse_page
from crawlers.sources import SOURCES
from crawlers.sources.base import Layout, request_url
from etl.clean import clean_html

TASS = SOURCES["tass"]
WORDS = " ".join(f"word{i}" for i in range(50))  # filler: enough words for a body


def page(body: str, head: str = "") -> bytes:
    return f"<html><head>{head}</head><body><h1 class='news-header__title'>A title</h1>{body}</body></html>".encode()


def test_every_body_match_is_joined_in_page_order():
    html = page(f"<div class='text-block'><p>First half {WORDS}.</p></div><figure>photo</figure>"
                f"<div class='text-block'><p>Second half after the photo.</p></div>")
    parsed = parse_page(html, TASS)
    assert parsed.path == "site"
    assert parsed.body.splitlines()[-1] == "Second half after the photo."
    assert "Second half after the photo." in clean_html(html, source=TASS).text


def test_text_outside_paragraphs_and_br_lines_are_kept():
    html = page(f"<div class='text-block'>Direct text {WORDS}.<br>A line after a break.<br/>"
                f"<b>Bold</b> inline text.<p>A paragraph.</p>Tail text.</div>")
    assert parse_page(html, TASS).body.splitlines() == [
        f"Direct text {WORDS}.", "A line after a break.", "Bold inline text.", "A paragraph.", "Tail text."]


@pytest.mark.parametrize("body", ["<div class='other'><p>{w}</p><p>{w}</p></div>",
                                  "<div class='text-block'><p>Too short.</p></div><div><p>{w}</p><p>{w}</p></div>"])
def test_selectors_finding_nothing_or_too_little_fall_back_to_the_generic_extractor(body):
    prose = ("Russian and Vietnamese officials met in Hanoi on Monday to discuss trade, energy and education, "
             "and agreed to meet again next year in Moscow to review the progress of their joint projects. ")
    html = page(f"<article>{body.format(w=prose * 2)}</article>")
    assert parse_page(html, TASS).path == "generic"
    assert "agreed to meet again next year in Moscow" in clean_html(html, source=TASS).text


def test_the_date_selector_dates_a_page_without_metadata():
    html = page(f"<time class='news-header__date'>December 26, 2025, 14:05</time>"
                f"<div class='text-block'><p>{WORDS}</p></div>")
    assert parse_page(html, TASS).published == dt.date(2025, 12, 26)
    assert clean_html(html, source=TASS).published == dt.date(2025, 12, 26)


def test_tass_lead_outside_the_body_is_kept_and_the_dateline_cut():
    html = page("<div class='news-header__lead'>The lead sentence outside the body</div>"
                f"<div class='text-block'><p>IGORA /Leningrad Region/, December 26. /TASS/. Putin met {WORDS}.</p>"
                "</div>")
    lines = parse_page(html, TASS).body.splitlines()
    assert lines == ["The lead sentence outside the body", f"Putin met {WORDS}."]
    assert "/TASS/" not in clean_html(html, source=TASS).text


@pytest.mark.parametrize("suffix", ["?utm_source=rss&utm_medium=feed", "/", "#comments", "?fbclid=abc"])
def test_article_patterns_match_canonical_urls(suffix):
    assert TASS.is_article("https://tass.com/politics/1806207" + suffix)
    assert SOURCES["vietnamplus"].is_article("https://en.vietnamplus.vn/a-b-c-post288915.vnp" + suffix)
    assert not TASS.is_article("https://tass.com/politics" + suffix)


def test_the_requested_url_drops_tracking_but_keeps_the_host_as_written():
    assert request_url("https://WWW.Site.vn/a/b-1.html?utm_source=rss&page=2#top") == "https://www.site.vn/a/b-1.html?page=2"
    assert request_url("https://tass.com/politics/1806207/?fbclid=x") == "https://tass.com/politics/1806207/"


def test_an_older_layout_parses_archived_html_of_its_time():
    old = Layout(body_selector="div.b-material-text", title_selector="h1.b-title",
                 date_selector="span.b-date", valid_until=dt.date(2022, 6, 30))
    source = dataclasses.replace(TASS, layouts=(old,))
    html = page(f"<span class='b-date'>30.06.2022</span><div class='b-material-text'>{WORDS}</div>")
    parsed = parse_page(html, source, dt.date(2022, 3, 1))
    assert (parsed.path, parsed.layout, parsed.published) == ("site", 0, dt.date(2022, 6, 30))
    assert source.layouts_for(dt.date(2022, 3, 1))[0] is old
    assert source.layouts_for(dt.date(2025, 1, 1))[0] == source.current_layout
    assert parse_page(html, source, dt.date(2025, 1, 1)).path == "site"  # tried when the current one fails
    assert parse_page(html, TASS).path == "generic"  # without the older layout


def test_news_sitemap_entries_dated_only_by_publication_date_are_kept():
    kind, entries = parse_sitemap(b"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://tass.com/politics/1</loc><news:news><news:publication><news:name>TASS</news:name></news:publication>
<news:publication_date>2025-12-26T10:00:00+03:00</news:publication_date><news:title>Putin meets To Lam</news:title>
<news:keywords>Russia, Vietnam</news:keywords></news:news></url></urlset>""")
    assert kind == "urlset"
    assert entries[0].day == dt.date(2025, 12, 26)
    assert (entries[0].title, entries[0].keywords) == ("Putin meets To Lam", "Russia, Vietnam")


def test_atom_and_rdf_feeds_are_read():
    atom = parse_feed(b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>T</title>
<link rel="alternate" href="https://tass.com/world/2"/><updated>2025-01-02T03:04:05Z</updated></entry></feed>""")
    assert [(e.url, e.day) for e in atom] == [("https://tass.com/world/2", dt.date(2025, 1, 2))]
    rss = parse_feed(b"""<rss><channel><item><title>T</title><link> https://tass.com/world/3 </link>
<description>&lt;p&gt;Hanoi &lt;b&gt;talks&lt;/b&gt;&lt;/p&gt;</description>
<dc:date xmlns:dc="http://purl.org/dc/elements/1.1/">2025-02-03</dc:date></item></channel></rss>""")
    assert [(e.url, e.day, e.description) for e in rss] == [("https://tass.com/world/3", dt.date(2025, 2, 3),
                                                            "Hanoi talks")]


@pytest.mark.parametrize(("text", "day"), [
    ("2024", dt.date(2024, 1, 1)), ("2024-06", dt.date(2024, 6, 1)), ("2024-06-20", dt.date(2024, 6, 20)),
    ("2024-06-20T23:40:00+03:00", dt.date(2024, 6, 20)), ("2024-06-20T23:40Z", dt.date(2024, 6, 20)),
    ("2024-06-20 11:40:00.123456", dt.date(2024, 6, 20)),
    ("Thu, 20 Jun 2024 23:40:00 +0300", dt.date(2024, 6, 20)), ("20 Jun 2024 11:40 GMT", dt.date(2024, 6, 20)),
    ("Thu, 20 Jun 2024 11:40:00 EST", dt.date(2024, 6, 20)),
    ("June 20, 2024, 11:40", dt.date(2024, 6, 20)), ("20 June 2024", dt.date(2024, 6, 20)),
    ("20/06/2024 11:40", dt.date(2024, 6, 20)), ("2024/06/20", dt.date(2024, 6, 20)),
    ("Thứ Năm, 20/06/2024", dt.date(2024, 6, 20)), ("", None), ("not a date", None), ("2024-13-45", None),
])
def test_every_listing_date_form(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize(("url", "period"), [
    ("https://x.vn/sitemap-2024-06.xml", (dt.date(2024, 6, 1), dt.date(2024, 6, 30))),
    ("https://x.vn/sitemaps/2024/02/29.xml", (dt.date(2024, 2, 29), dt.date(2024, 2, 29))),
    ("https://x.vn/sitemap_news_202412.xml", (dt.date(2024, 12, 1), dt.date(2024, 12, 31))),
    ("https://x.vn/sitemap-2024.xml", None), ("https://x.vn/sitemap-posts-3.xml", None),
    ("https://x.vn/sitemap-20241.xml", None),
])
def test_a_child_sitemap_named_by_its_period(url, period):
    assert url_period(url) == period
