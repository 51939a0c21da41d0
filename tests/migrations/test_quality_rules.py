"""core.quality_problems (migration 0006): each rule fires on the fault it names, and only then.

The demo data passes every rule; each test breaks one thing and reads the problem the gates would report.
"""

import datetime as dt
import json

from sqlalchemy import text

from etl import load
from tests.conftest import END, START

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def problems(db, start=START, end=END, since=EPOCH, gates=("sources", "articles", "events")) -> list[str]:
    return load.quality_problems(db, start, end, since, gates)


def test_the_demo_data_passes_every_rule(crawled):
    assert problems(crawled) == []


def test_a_broken_response_fetched_during_the_run_fails_its_source(crawled):
    began = dt.datetime.now(dt.UTC)
    with crawled.begin() as conn:
        conn.execute(text(
            "INSERT INTO raw.pages (source_id, kind, url, final_url, status, headers, fetched_at, listed_date, "
            "body_gzip, sha256) SELECT source_id, kind, url, final_url, 500, headers, now(), listed_date, body_gzip, "
            "'0' FROM raw.pages WHERE source_id = 'tass' AND kind = 'sitemap' LIMIT 1"))
    assert problems(crawled, since=began) == [
        "sources tass: 1 responses fetched during the run came back broken (1 with HTTP 5xx, 0 empty)"]
    assert problems(crawled, since=dt.datetime.now(dt.UTC)) == []  # a later run does not inherit it


def test_a_source_that_usually_yields_articles_and_yields_none_fails(crawled):
    with crawled.connect() as conn:
        yielding = conn.scalars(text("SELECT DISTINCT source_id FROM core.articles")).all()
    next_year = problems(crawled, END + dt.timedelta(days=1), END + dt.timedelta(days=365))
    assert sorted(p.split(":")[0] for p in next_year) == sorted(f"sources {s}" for s in yielding)
    assert all("no article in the window" in p for p in next_year)
    next_day = END + dt.timedelta(days=1)
    assert problems(crawled, next_day, next_day) == []  # a day is too short to expect anything
    since_now = dt.datetime.now(dt.UTC)
    assert problems(crawled, END + dt.timedelta(days=1), END + dt.timedelta(days=365), since_now) == [
        ]  # a run that crawled none of them (reprocess, or other sources asked for) does not blame them


def test_articles_dated_after_the_window_fail_the_articles_gate(crawled):
    with crawled.begin() as conn:
        conn.execute(text("UPDATE core.articles SET published = :late WHERE article_id = "
                          "(SELECT min(article_id) FROM core.articles)"), {"late": END + dt.timedelta(days=30)})
    [problem] = problems(crawled)
    assert problem.startswith("articles ") and "1 articles listed in the window but dated after it" in problem


def test_extracted_events_dated_far_from_their_report_fail_the_events_gate(crawled):
    with crawled.begin() as conn:
        conn.execute(text("UPDATE core.articles SET extracted = jsonb_set(extracted, '{0,start}', '\"2001-01-01\"') "
                          "WHERE article_id = (SELECT min(article_id) FROM core.articles "
                          "WHERE jsonb_array_length(extracted) > 0)"))
    [problem] = problems(crawled)
    assert problem.startswith("events dates: 1 extracted events are dated over a year from the article")


def _copies(db, count: int, published: dt.date, events: int) -> None:
    """`count` copies of a demo article, published on `published`, each reporting `events` talks that day."""
    talks = {"type": "talks", "start": published.isoformat(), "end": published.isoformat(),
             "participants": [{"name": "To Lam", "side": "VN"}, {"name": "Vladimir Putin", "side": "RU"}]}
    with db.begin() as conn:
        conn.execute(text(
            "INSERT INTO core.articles (page_id, source_id, url, canonical_url, published, text, content_hash, "
            "removed, is_relevant, extracted) SELECT page_id, source_id, url || '#copy' || n || :day, canonical_url, "
            ":day, text, content_hash, removed, true, CAST(:extracted AS jsonb) "
            "FROM core.articles, generate_series(1, :count) n WHERE article_id = (SELECT min(article_id) "
            "FROM core.articles)"), {"count": count, "day": published, "extracted": json.dumps([talks] * events)})


def test_a_collapse_of_events_per_article_fails_the_events_gate(crawled):
    first, last = dt.date(2026, 1, 1), dt.date(2026, 1, 31)
    _copies(crawled, 12, dt.date(2025, 12, 15), events=2)
    _copies(crawled, 6, dt.date(2026, 1, 10), events=2)
    assert problems(crawled, first, last, gates=("events",)) == []
    _copies(crawled, 30, dt.date(2026, 1, 11), events=0)
    [problem] = problems(crawled, first, last, gates=("events",))
    assert problem.startswith("events yield: ") and "under a quarter of the past year's" in problem
