"""Site templates: pure learning of recurring lines, and their counts kept in PostgreSQL by the clean stage."""

import datetime as dt
import string

from sqlalchemy import text

from crawlers.items import FetchedPage
from crawlers.sources import SOURCES
from etl import load, pipeline, settings
from etl.clean import Article, Removed
from etl.templates import SiteLines, fingerprint, page_fingerprints, strip_template, template_fingerprints

BOILERPLATE = "Trending now: Hanoi's Old Quarter draws crowds on holidays"


def test_fingerprint_ignores_case_spacing_and_punctuation():
    assert fingerprint("Related news:  Hanoi's metro") == fingerprint("related NEWS hanoi s metro")
    assert fingerprint("Related news") != fingerprint("Related views")


def test_a_page_counts_once_per_line():
    article = Article(text="Menu\n\nBody one.\n\nMenu")
    assert page_fingerprints(article) == {fingerprint("Menu"), fingerprint("Body one.")}


def test_template_needs_enough_pages_and_a_large_enough_share():
    menu, story = fingerprint("Menu"), fingerprint("A story")
    assert template_fingerprints(SiteLines(pages=9, counts={menu: 9})) == frozenset()
    assert template_fingerprints(SiteLines(pages=10, counts={menu: 3, story: 2})) == {menu}
    assert template_fingerprints(SiteLines(pages=100, counts={menu: 30, story: 29})) == {menu}


def test_template_lines_are_removed_with_their_reason():
    article = Article(text="The two sides signed a plan.\n\nMenu", removed=[Removed("Share", "interface")])
    stripped = strip_template(article, frozenset({fingerprint("menu")}))
    assert stripped.text == "The two sides signed a plan."
    assert stripped.removed == [Removed("Share", "interface"), Removed("Menu", "site template")]
    assert strip_template(article, frozenset()) is article


def _page(number: int) -> FetchedPage:
    template = string.Template((settings.RECORDED_DIR / "hanoitimes" / "template.html").read_text())
    body = (f"<p>Story {number}: the city opened bridge number {number} across the Red River on Monday, "
            f"officials said, after {number + 2} years of work.</p><p>The bridge carries four lanes of traffic "
            f"and a cycle path, and the city expects it to cut the morning commute between the two banks by "
            f"a quarter once the approach roads are finished next year.</p><p>{BOILERPLATE}</p>")
    html = template.substitute(title=f"Bridge {number} opens", published="2025-01-14T09:00:00+07:00", body=body)
    return FetchedPage(source_id="hanoitimes", kind="article", url=f"https://hanoitimes.vn/bridge-{number}.{number}.html",
                       final_url=f"https://hanoitimes.vn/bridge-{number}.{number}.html", status=200, headers={},
                       fetched_at=dt.datetime(2025, 1, 15, tzinfo=dt.UTC), listed_date=dt.date(2025, 1, 14),
                       body=html.encode())


def test_clean_stage_learns_a_sites_template_and_counts_each_page_once(db, monkeypatch):
    load.upsert_sources(db, SOURCES.values())
    day = dt.date(2025, 1, 14)
    for number in range(12):
        load.archive_page(db, _page(number))
    first = pipeline.clean_stage(db, day, day, sites=SOURCES)
    with db.connect() as conn:
        texts = conn.scalars(text("SELECT text FROM core.articles ORDER BY url")).all()
        reasons = conn.scalars(text("SELECT DISTINCT r->>'reason' FROM core.articles, "
                                    "jsonb_array_elements(removed) r WHERE r->>'text' = :line"),
                               {"line": BOILERPLATE}).all()
    assert first["articles"] == 12 and len(texts) == 12
    assert all("opened bridge number" in body and BOILERPLATE not in body for body in texts)
    assert reasons == ["site template"]
    before = load.table_checksums(db)["core.site_lines"], load.table_counts(db)["core.site_lines"]
    assert pipeline.clean_stage(db, day, day, sites=SOURCES)["skipped"]  # nothing new: the stage is skipped
    with monkeypatch.context() as patch:  # changed cleaning code: the same pages are cleaned again
        patch.setattr(pipeline, "_code_digest", lambda stage: "another version")
        assert not pipeline.clean_stage(db, day, day, sites=SOURCES).get("skipped")
    again = pipeline._clean(db, day, day, None, SOURCES)  # and cleaning the same pages again changes nothing
    assert again["changed"] == 0
    assert (load.table_checksums(db)["core.site_lines"], load.table_counts(db)["core.site_lines"]) == before
    counts = load.site_line_counts(db, ["hanoitimes"], min_count=1)["hanoitimes"]
    assert counts.pages == 12 and counts.counts[fingerprint(BOILERPLATE)] == 12


def test_site_lines_follow_a_page_whose_lines_changed(db):
    load.upsert_sources(db, SOURCES.values())
    url = "https://hanoitimes.vn/a.1.html"
    load.save_site_lines(db, [("hanoitimes", url, {"aaa", "bbb"})])
    assert load.save_site_lines(db, [("hanoitimes", url, {"aaa", "bbb"})]) == 0
    assert load.save_site_lines(db, [("hanoitimes", url, {"aaa", "ccc"})]) == 2
    counts = load.site_line_counts(db, ["hanoitimes", "tass"], min_count=1)
    assert counts["hanoitimes"] == SiteLines(pages=1, counts={"aaa": 1, "ccc": 1})
    assert counts["tass"] == SiteLines(pages=0)
    assert load.site_line_counts(db, ["hanoitimes"], 1, lines={"ccc"})["hanoitimes"] == SiteLines(1, {"ccc": 1})
