"""The whole pipeline against a real PostgreSQL, crawling the recorded sites over HTTP with Scrapy."""

import datetime as dt

import pytest
from sqlalchemy import text

from crawlers.sources import SOURCES, RSSFeed, Sitemap
from etl import load, pipeline
from etl.dedupe import content_hash
from ops.cli import run_pipeline
from tests.conftest import END, START, expected_pages


def recorded_in_window(relevant: bool | None = None) -> set[tuple[str, str]]:
    """(source, url) of the annotated recorded pages dated inside the demo window (optionally only the
    relevant or only the unrelated ones): what a crawl of the window must archive."""
    return {(name, page["url"]) for name in SOURCES for page in expected_pages(name)
            if START <= dt.date.fromisoformat(page["published"]) <= END
            and relevant in (None, page["relevant"])}


def test_crawl_archives_every_listed_page_in_the_window_only_and_keeps_the_relevant_ones(crawled):
    with crawled.connect() as conn:
        owned = set(conn.execute(text("SELECT source_id, url FROM raw.pages WHERE kind = 'article'")).all())
        kinds = dict(conn.execute(text("SELECT kind, count(*) FROM raw.pages GROUP BY kind")).all())
        relevant = set(conn.execute(text("SELECT source_id, url FROM core.articles WHERE is_relevant")).all())
    listings = [type(entry) for source in SOURCES.values() for entry in source.discovery]
    assert kinds == {"sitemap": listings.count(Sitemap), "feed": listings.count(RSSFeed), "article": len(owned)}
    # targeted: every relevant in-window page is fetched, an unrelated one only when its listing cannot tell
    assert recorded_in_window(relevant=True) <= owned <= recorded_in_window()
    assert all(SOURCES[source].is_article(url) and SOURCES[source].owns(url) for source, url in owned)
    assert relevant == recorded_in_window(relevant=True)  # per source: exactly its relevant in-window articles
    with crawled.connect() as conn:  # the sitemaps also list 2023 pages, unrecorded: fetching one would 404
        assert conn.scalar(text("SELECT count(*) FROM raw.pages WHERE status <> 200")) == 0


def test_rerun_of_the_same_window_changes_nothing(crawled):
    before = load.table_checksums(crawled), load.table_counts(crawled)
    summary = run_pipeline(START, END, sorted(SOURCES), crawl=True)
    assert (load.table_checksums(crawled), load.table_counts(crawled)) == before
    assert all(c.get("article", 0) == 0 for c in summary["crawl"])  # archived pages are not fetched again
    again = run_pipeline(START, END, sorted(SOURCES), crawl=False)
    assert again["clean"]["changed"] == 0
    assert all(again[stage].get("skipped") for stage in ("clean", "dedupe", "extract", "load"))  # nothing redone
    with crawled.begin() as conn:  # one article's text changes: the stages reading it run again
        conn.execute(text("UPDATE core.articles SET content_hash = 'edited' WHERE article_id = "
                          "(SELECT min(article_id) FROM core.articles WHERE is_relevant AND duplicate_of IS NULL)"))
    assert not pipeline.dedupe_stage(crawled, START, END).get("skipped")
    assert not pipeline.extract_stage(crawled, START, END).get("skipped")


def test_unrelated_pages_and_teasers_stay_out_of_events(crawled):
    with crawled.connect() as conn:
        unrelated = conn.scalars(text("SELECT url FROM core.articles WHERE NOT is_relevant")).all()
        reported_by = set(conn.scalars(text(
            "SELECT a.url FROM core.event_sources JOIN core.articles a USING (article_id)")))
        teaser_days = conn.scalar(text(
            "SELECT count(*) FROM core.events WHERE start_date IN ('2024-10-10', '2024-10-24')"))
    unrelated_recorded = {url for _, url in recorded_in_window(relevant=False)}
    assert set(unrelated) <= unrelated_recorded
    assert len(unrelated) < len(unrelated_recorded)  # listings that show a page unrelated spare its fetch
    assert not reported_by & set(unrelated)
    assert teaser_days == 0


def test_a_syndicated_copy_reports_its_originals_events_and_counts_once(crawled):
    with crawled.connect() as conn:
        [(copy, original, kind)] = conn.execute(text(
            "SELECT article_id, duplicate_of, duplicate_kind FROM core.articles WHERE duplicate_of IS NOT NULL")).all()
        linked = {article: set(conn.scalars(text("SELECT event_id FROM core.event_sources WHERE article_id = :a"),
                                            {"a": article})) for article in (copy, original)}
        counts = conn.execute(text("SELECT source_count, report_count FROM analytics.events "
                                   "WHERE event_id = ANY(:ids)"), {"ids": list(linked[copy])}).all()
    assert kind == "near"
    assert linked[copy] and linked[copy] == linked[original]
    assert all(reports == independent + 1 for independent, reports in counts)


def test_events_table_lists_the_visits(crawled):
    rows = load.events_table(crawled, START, END)
    visits = {(r["start_date"].isoformat(), tuple(r["ru_participants"] or ()), tuple(r["vn_participants"] or ()))
              for r in rows if r["event_type"] == "visit"}
    assert any(start.startswith("2024-06-19") and "Vladimir Putin" in ru for start, ru, _ in visits)
    assert any(start.startswith("2025-01-14") and "Mikhail Mishustin" in ru for start, ru, _ in visits)
    assert load.quality_problems(crawled, START, END, dt.datetime(2000, 1, 1, tzinfo=dt.UTC)) == []


def test_broken_page_is_quarantined_with_its_reason(crawled):
    with crawled.begin() as conn:
        conn.execute(text("UPDATE raw.pages SET status = 500 WHERE page_id = (SELECT min(page_id) FROM raw.pages "
                          "WHERE kind = 'article')"))
    counts = pipeline.clean_stage(crawled, START, END, sites=SOURCES)
    with crawled.connect() as conn:
        reasons = conn.scalars(text("SELECT reason FROM raw.quarantine")).all()
    assert counts["quarantined"] == 1 and reasons == ["HTTP status 500"]


def test_failed_load_is_rolled_back(crawled, monkeypatch):
    before = load.table_checksums(crawled)
    with crawled.begin() as conn:
        conn.execute(text(
            "DELETE FROM core.event_sources; DELETE FROM core.event_participants; DELETE FROM core.events"))
    emptied = load.table_checksums(crawled)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    real_write = load._write_links
    monkeypatch.setattr(load, "_write_links", explode)  # events and participants written, links not yet
    with pytest.raises(RuntimeError):
        load.load_events(crawled, START, END)
    assert load.table_checksums(crawled) == emptied  # nothing of the failed batch landed
    monkeypatch.setattr(load, "_write_links", real_write)
    load.load_events(crawled, START, END)
    assert load.table_counts(crawled)["core.events"] == len(load.events_table(crawled, START, END))
    assert before["core.articles"] == load.table_checksums(crawled)["core.articles"]


def test_one_event_reported_by_several_sources_is_one_row_with_its_first_report(crawled):
    with crawled.connect() as conn:
        rows = conn.execute(text(
            "SELECT e.event_id, e.source_count, e.report_count, e.first_report_published, e.first_report_source, "
            "       (SELECT min(a.published) FROM core.event_sources s JOIN core.articles a USING (article_id) "
            "         WHERE s.event_id = e.event_id) AS earliest, "
            "       (SELECT count(DISTINCT a.source_id) FROM core.event_sources s JOIN core.articles a "
            "         USING (article_id) WHERE s.event_id = e.event_id) AS outlets "
            "  FROM analytics.events e WHERE e.event_type = 'visit' AND 'Mikhail Mishustin' = ANY(e.ru_participants) "
            "   AND e.start_date = '2025-01-14'")).all()
    [visit] = rows
    annotated = {source for source in SOURCES for page in expected_pages(source) for event in page.get("events", ())
                 if event["type"] == "visit" and event["start"] == "2025-01-14" and "Mikhail Mishustin" in event["ru"]}
    assert visit.outlets == len(annotated) >= 3 and visit.source_count >= 3
    assert visit.first_report_published == visit.earliest


def test_each_run_is_summarised_in_pipeline_runs(crawled):
    with crawled.connect() as conn:
        [run] = conn.execute(text("SELECT * FROM analytics.pipeline_runs")).all()
    assert run.run_id.startswith("cli-") and run.status == "passed" and run.problems == []
    assert (run.window_start, run.window_end) == (START, END)
    with crawled.connect() as conn:
        fetched = conn.scalar(text("SELECT count(*) FROM raw.pages WHERE kind = 'article'"))
    assert (run.pages_fetched, run.articles_changed, run.duplicates, run.quarantined) == (fetched, fetched, 1, 0)
    assert run.events_new > 0 and run.finished_at >= run.started_at


def test_a_failed_gate_stops_the_run_before_the_load_and_is_recorded(crawled):
    with crawled.begin() as conn:
        conn.execute(text("UPDATE core.articles SET extracted = jsonb_set(extracted, '{0,participants}', '[]') "
                          "WHERE article_id = (SELECT min(article_id) FROM core.articles "
                          "WHERE jsonb_array_length(extracted) > 0)"))
    started = dt.datetime.now(dt.UTC)
    with pytest.raises(pipeline.QualityError, match="1 extracted events lack a participant on each side"):
        pipeline.gate_stage(crawled, START, END, started)
    pipeline.summary_stage(crawled, START, END, "manual__retry", started,
                           {"clean": {"changed": 0, "quarantined": 0}, "dedupe": {"duplicates": 1}, "load": None})
    with crawled.connect() as conn:
        status, problems = conn.execute(text(
            "SELECT status, problems FROM core.pipeline_runs WHERE run_id = 'manual__retry'")).one()
    assert status == "failed"
    assert [p.split(" (")[0] for p in problems] == [
        "events participants: 1 extracted events lack a participant on each side", "stage load did not finish"]


def test_vnru_run_with_a_broken_site_processes_the_others_then_fails_naming_it(db, broken_mirror):
    broken_mirror({"tass": "http500"})
    asked = ["hanoitimes", "tass", "vietnamplus"]  # the property needs a broken site and others, not all fourteen
    with pytest.raises(Exception, match="crawl of tass: .* responses broken") as failure:
        run_pipeline(START, END, asked, crawl=True)
    assert type(failure.value).__name__ == "CrawlFailed"
    with db.connect() as conn:
        sources = conn.scalars(text("SELECT DISTINCT source_id FROM core.articles")).all()
        status, problems = conn.execute(text("SELECT status, problems FROM core.pipeline_runs")).one()
        quarantined = conn.scalar(text("SELECT count(*) FROM raw.quarantine"))
    assert sorted(sources) == ["hanoitimes", "vietnamplus"] and quarantined == 0
    assert status == "failed" and len(problems) == 2 and problems[0].startswith("sources tass: ")
    assert problems[1].startswith("crawl failed: crawl of tass: ")


def test_dedupe_keeps_the_verdicts_of_the_week_before_its_window(db):
    """The week before a window only supplies originals: an article there judged a copy by an earlier run
    stays one, although this run cannot read the original it copies (ten days before the window)."""
    day = dt.date(2025, 3, 20)
    story = " ".join(f"Delegations from Hanoi and Moscow discussed point {i} of the energy plan." for i in range(30))
    texts = {"y": (day - dt.timedelta(days=10), story),
             "x": (day - dt.timedelta(days=7), story.replace("point 3 ", "item 3 ")),
             "z": (day, story.replace("point 5 ", "item 5 "))}
    with db.begin() as conn:
        conn.execute(text("INSERT INTO core.sources VALUES ('site', 'Site', 'VN', 'en', '{site.vn}')"))
        for page_id, (name, (published, _)) in enumerate(texts.items(), 1):
            url = f"https://site.vn/{name}"
            conn.execute(text("INSERT INTO raw.pages (page_id, source_id, kind, url, final_url, status, headers, "
                              "fetched_at, listed_date, body_gzip, sha256) VALUES (:p, 'site', 'article', :u, :u, "
                              "200, '{}', now(), :d, '', :s)"), {"p": page_id, "u": url, "d": published, "s": name})
    load.save_articles(db, [{"page_id": page_id, "source_id": "site", "url": f"https://site.vn/{name}",
                             "canonical_url": f"https://site.vn/{name}", "title": name, "published": published,
                             "updated": None, "author": None, "language": "en", "text": body,
                             "content_hash": content_hash(body), "is_relevant": True, "removed": []}
                            for page_id, (name, (published, body)) in enumerate(texts.items(), 1)])

    def duplicate_of() -> dict[str, str | None]:
        with db.connect() as conn:
            return dict(conn.execute(text("SELECT a.title, o.title FROM core.articles a "
                                          "LEFT JOIN core.articles o ON o.article_id = a.duplicate_of")).all())

    pipeline.dedupe_stage(db, day - dt.timedelta(days=10), day - dt.timedelta(days=7))
    assert duplicate_of() == {"y": None, "x": "y", "z": None}
    pipeline.dedupe_stage(db, day, day)
    # x stays y's copy; z is not a copy of a copy, and y is too old for z (as a run over the whole span says)
    assert duplicate_of() == {"y": None, "x": "y", "z": None}
    pipeline.dedupe_stage(db, day - dt.timedelta(days=10), day)
    assert duplicate_of() == {"y": None, "x": "y", "z": None}
