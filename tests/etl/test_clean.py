"""Snippet checks for cleaning: what must go and what must stay, on the seeds and the recorded pages."""

import html
import json
import string

import pytest

from crawlers.sources import SOURCES
from etl import settings
from etl.clean import CleanError, clean_html, clean_text, repair_glued_words
from tests.conftest import expected_pages, shared_path


def seed_cases():
    path = settings.PROJECT_ROOT.parent / "shared" / "eval" / "seed_events.json"
    if not path.exists():
        return [pytest.param(None, id="shared-data-absent")]
    return [pytest.param(a, id=a["file"][:3]) for a in json.loads(path.read_text())["articles"]]


def check_snippets(text: str, clutter: dict):
    assert [s for s in clutter["drop"] if s in text] == []
    assert [s for s in clutter["keep"] if s not in text] == []


@pytest.mark.parametrize("article", seed_cases())
def test_seed_text_is_cleaned(article):
    if article is None:
        shared_path("eval", "seed_events.json")
    raw = shared_path("seeds", article["file"]).read_text(encoding="utf-8")
    check_snippets(clean_text(raw).text, article["clutter"])


def wrap(source: str, raw: str, published: str) -> str:
    template = string.Template((settings.RECORDED_DIR / source / "template.html").read_text())
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in raw.splitlines() if line.strip())
    return template.substitute(title="Seed article", published=f"{published}T09:00:00+07:00", body=body)


@pytest.mark.parametrize("source", sorted(SOURCES))
@pytest.mark.parametrize("article", seed_cases())
def test_seed_inside_site_template_is_cleaned(article, source):
    if article is None:
        shared_path("eval", "seed_events.json")
    raw = shared_path("seeds", article["file"]).read_text(encoding="utf-8")
    cleaned = clean_html(wrap(source, raw, article["published"]), source=SOURCES[source])
    check_snippets(cleaned.text, article["clutter"])
    assert cleaned.published.isoformat() == article["published"]


def recorded_cases():
    return [pytest.param(source, page, id=page["url"].rsplit("/", 1)[-1][:40])
            for source in sorted(SOURCES) for page in expected_pages(source)]


@pytest.mark.parametrize("source,page", recorded_cases())
def test_recorded_page_is_cleaned(source, page):
    path = settings.RECORDED_DIR / source / page["url"].split("/", 3)[3]
    article = clean_html(path.read_bytes(), url=page["url"], source=SOURCES[source])
    assert [s for s in page["must_contain"] if s not in article.text] == []
    assert [s for s in page["must_not_contain"] if s in article.text] == []
    assert article.published.isoformat() == page["published"]
    assert article.title


@pytest.mark.parametrize("glued,repaired", [
    ("the Communist Party ofVietnam", "the Communist Party of Vietnam"),
    ("signed anagreement", "signed an agreement"),
    ("leadersof major parties", "leaders of major parties"),
    ("Commission for ExternalRelations", "Commission for External Relations"),
    ("a conference hostedby the party", "a conference hosted by the party"),
    ("multilateralisation and VietnamPlus stay whole", "multilateralisation and VietnamPlus stay whole"),
])
def test_glued_words_are_split(glued, repaired):
    assert repair_glued_words(glued) == repaired


def test_clutter_lines_and_tails_are_removed_with_reasons():
    text = ("Share:\nHanoi (VNA) – The two sides signed a plan.\nA caption of the talks (Photo: VNA)\n"
            "The rest of the story./.\nAn unrelated teaser after the end marker.")
    article = clean_text(text)
    assert article.text == "The two sides signed a plan.\n\nThe rest of the story"
    reasons = {r.reason for r in article.removed}
    assert {"interface", "dateline", "caption", "after end marker"} <= reasons


@pytest.mark.parametrize("page", [b"", b"   ", b"<html><body><nav>Home</nav></body></html>"])
def test_pages_without_article_text_raise_a_clear_error(page):
    with pytest.raises(CleanError):
        clean_html(page)
