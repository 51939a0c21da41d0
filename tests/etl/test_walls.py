"""Walls with HTTP 200 (paywall, login, cookie, CAPTCHA, soft 404) are told from articles, and a walled URL
is quarantined and fetched again by the next run, which then keeps the real article."""

import datetime as dt
import gzip
import html

import lxml.html
import pytest
from sqlalchemy import text

from crawlers.items import FetchedPage
from crawlers.mirror import recorded_path
from crawlers.sources import SOURCES
from etl import load, pipeline, settings
from etl.clean import HtmlPage, clean_html
from etl.walls import REFETCH_STAGE, page_problem
from tests.conftest import expected_pages, shared_path

FILLER = ("The delegations discussed cooperation in energy, trade, education and transport, and agreed "
          "to meet again before the end of the year to review the progress of the joint projects. ")


def page(title: str, *paragraphs: str, extra: str = "") -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}{extra}</body></html>".encode()


@pytest.mark.parametrize("body, kind", [
    (page("Talks in Hanoi", "Hanoi (VNA) The two ministers met on Monday.",
          "Subscribe to continue reading this article."), "paywall"),
    (page("Talks in Hanoi", "Please log in to continue.", extra='<form><input type="password"></form>'),
     "login wall"),
    (page("Before you continue", "We use cookies to improve your experience. Accept all cookies to go on."),
     "cookie wall"),
    (page("Just a moment...", "Checking your browser before accessing the site."), "CAPTCHA"),
    (page("Attention", "One more step", extra='<div class="g-recaptcha" data-sitekey="x"></div>'), "CAPTCHA"),
    (page("Page not found", "Sorry, the page you requested could not be found."), "soft 404"),
    (page("Không tìm thấy trang", "Trang bạn tìm không tồn tại."), "soft 404"),
    (b"%PDF-1.7\n" + bytes(range(256)) * 8, "not HTML"),
    (b"Service temporarily overloaded, try again later.", "not HTML"),
])
def test_walls_are_quarantined_to_be_fetched_again(body, kind):
    problem = page_problem(200, body)
    assert problem is not None and problem.stage == REFETCH_STAGE and problem.reason.startswith(kind)


def test_an_article_with_a_cookie_banner_or_a_subscribe_footer_is_an_article():
    article = page("Talks in Hanoi", *[FILLER] * 8, "Subscribe to read our newsletter. We use cookies.")
    assert page_problem(200, article) is None
    assert page_problem(200, page("Error 404 fixed: ministers agree", *[FILLER] * 8)) is None


def test_error_status_and_oversized_pages_are_quarantined_for_good():
    assert page_problem(503, b"").stage == "clean"
    assert page_problem(200, b" " * (settings.MAX_PAGE_BYTES + 1)).reason.startswith("page larger than")


def test_no_recorded_or_benchmark_article_is_taken_for_a_wall():
    pages = [recorded_path(name, page["url"]).read_bytes() for name in SOURCES for page in expected_pages(name)]
    benchmark = sorted(shared_path("bench", "aeb", "html").glob("*.html.gz"))[:80]  # a quick, fixed sample
    pages += [gzip.decompress(p.read_bytes()) for p in benchmark]
    assert len(pages) > 80
    assert [p[:80] for p in pages if page_problem(200, p)] == []


def test_walls_and_the_cleaner_share_one_parse_and_leave_it_as_they_found_it():
    """The clean stage decodes and parses a page once (HtmlPage): the walls check strips scripts and the cleaner
    drops a site's clutter elements, each from its own copy, so the shared tree stays whole for the next reader."""
    url = "https://tass.com/politics/1806207"
    body = (settings.RECORDED_DIR / "tass" / "politics" / "1806207").read_bytes()
    body = body.replace(b"</p>", b"<script>track('paragraph');</script></p>", 1)
    shared = HtmlPage(body)
    parsed = lxml.html.tostring(shared.tree)
    assert page_problem(200, shared) is None
    article = clean_html(shared, url=url, source=SOURCES["tass"])
    assert lxml.html.tostring(shared.tree) == parsed
    alone = clean_html(body, url=url, source=SOURCES["tass"])
    assert (article.text, article.title, article.published, article.removed) == \
        (alone.text, alone.title, alone.published, alone.removed)
    assert any(r.reason.startswith("selector ") for r in article.removed)


def test_a_walled_url_is_not_counted_as_archived_until_the_article_comes(db):
    """The crawler skips the URLs of load.archived_urls: a wall leaves the URL out of it, so the next run
    fetches it again; the real article then replaces the wall in the window."""
    url = "https://tass.com/politics/1806207"
    real = (settings.RECORDED_DIR / "tass" / "politics" / "1806207").read_bytes()
    load.upsert_sources(db, [SOURCES["tass"]])
    day = dt.date(2024, 6, 20)

    def fetched(body: bytes, minute: int) -> FetchedPage:
        return FetchedPage("tass", "article", url, url, 200, {}, dt.datetime(2024, 6, 20, 12, minute, tzinfo=dt.UTC),
                           body, day)

    wall = fetched(page("Putin and To Lam hold talks", "Subscribe to continue reading."), 0)
    wall.relevance = 0.0  # the crawl scores the wall's few words as unrelated: that says nothing of the article
    load.archive_page(db, wall)
    assert pipeline.clean_stage(db, day, day, ["tass"], SOURCES)["quarantined"] == 1
    with db.connect() as conn:
        stage, reason = conn.execute(text("SELECT stage, reason FROM raw.quarantine")).one()
        assert conn.scalar(text("SELECT count(*) FROM core.articles")) == 0
    assert stage == REFETCH_STAGE and reason.startswith("paywall") and url not in load.archived_urls(db, "tass")
    assert url not in load.irrelevant_urls(db, "tass")

    load.archive_page(db, fetched(real, 5))
    assert pipeline.clean_stage(db, day, day, ["tass"], SOURCES)["articles"] == 1
    with db.connect() as conn:
        assert "held talks in Hanoi" in conn.scalar(text("SELECT text FROM core.articles"))
    assert url in load.archived_urls(db, "tass")


def test_a_huge_archived_body_is_read_only_up_to_the_limit_and_quarantined(db, monkeypatch):
    """A page archived before the size limit (a bomb expanding to a gigabyte) is not expanded in memory."""
    from etl import walls

    monkeypatch.setattr(load, "MAX_PAGE_BYTES", 10_000)  # the mechanism, at a size quick to test
    monkeypatch.setattr(walls, "MAX_PAGE_BYTES", 10_000)
    url = "https://tass.com/politics/1"
    load.upsert_sources(db, [SOURCES["tass"]])
    body = b"<html><body><p>" + b"a " * 1_000_000 + b"</p></body></html>"
    load.archive_page(db, FetchedPage("tass", "article", url, url, 200, {}, dt.datetime.now(dt.UTC), body,
                                      dt.date(2024, 6, 20)))
    [stored] = load.pages_in_window(db, dt.date(2024, 6, 20), dt.date(2024, 6, 20))
    assert len(stored.body) == 10_001
    assert pipeline.clean_stage(db, dt.date(2024, 6, 20), dt.date(2024, 6, 20), ["tass"], SOURCES)["quarantined"] == 1
    with db.connect() as conn:
        assert conn.scalar(text("SELECT reason FROM raw.quarantine")).startswith("page larger than")


REAL = settings.RECORDED_DIR / "tass" / "politics" / "1806207"  # declares utf-8, with Cyrillic and © in it
URL = "https://tass.com/politics/1806207"


def test_a_copy_garbled_by_invalid_bytes_throughout_is_refetched_and_a_few_stray_bytes_are_kept():
    """Bytes invalid in the declared UTF-8 in every sentence make a damaged copy, fetched again; two stray bytes
    in an otherwise good page leave the article, with a replacement character only where each bad byte was."""
    real = REAL.read_bytes()
    garbled = real.replace(b" the ", b" th\xe9 \xff ")
    problem = page_problem(200, garbled)
    assert problem.stage == REFETCH_STAGE and problem.reason.startswith("encoding damage (")
    assert "invalid in utf-8, declared" in problem.reason
    clean = clean_html(real, url=URL, source=SOURCES["tass"])
    lead = real.rindex(clean.paragraphs[1][:40].encode())  # two bad bytes in the body, not the meta tags
    stray = real[:lead] + real[lead:].replace(b" the ", b" th\xe9 ", 2)
    assert page_problem(200, stray) is None
    kept = clean_html(stray, url=URL, source=SOURCES["tass"])
    assert kept.text.count("\ufffd") >= 1 and "2 byte sequences invalid in utf-8 (declared)" in str(kept.removed)
    assert kept.text.replace("th\ufffd", "the") == clean.text  # all else exactly as published


def test_a_garbled_copy_is_quarantined_and_its_url_asked_again(db):
    real = REAL.read_bytes()
    load.upsert_sources(db, [SOURCES["tass"]])
    day = dt.date(2024, 6, 20)
    load.archive_page(db, FetchedPage("tass", "article", URL, URL, 200, {}, dt.datetime.now(dt.UTC),
                                      real.replace(b" the ", b" th\xe9 \xff "), day))
    assert pipeline.clean_stage(db, day, day, ["tass"], SOURCES)["quarantined"] == 1
    with db.connect() as conn:
        stage, reason = conn.execute(text("SELECT stage, reason FROM raw.quarantine")).one()
    assert stage == REFETCH_STAGE and reason.startswith("encoding damage")
    assert URL not in load.archived_urls(db, "tass") and URL not in load.irrelevant_urls(db, "tass")
