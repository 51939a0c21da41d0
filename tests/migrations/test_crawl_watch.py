"""Migration 0007: the crawl's watch. analytics.source_yield counts selector matches and relevant yield per source
and day; core.quality_problems fails a source whose selectors stopped matching or whose yield collapsed."""

import datetime as dt

from sqlalchemy import text

from crawlers.items import FetchedPage
from etl import load

DAY = dt.date(2025, 3, 3)


def archive(db, n: int, parsed_by: str, relevance: float, fetched_at: dt.datetime, listed: dt.date = DAY,
            prefix: str = "") -> None:
    for i in range(n):
        load.archive_page(db, FetchedPage(
            source_id="site", kind="article", url=f"https://site.vn/{prefix}{parsed_by}-{relevance}-{i}",
            final_url="u", status=200, headers={}, fetched_at=fetched_at, body=f"{prefix}{i}".encode(),
            listed_date=listed, relevance=relevance, relevance_evidence={"body": []}, parsed_by=parsed_by,
            selectors_found={"body": parsed_by == "site"}))


def problems(db, since: dt.datetime) -> list[str]:
    return load.quality_problems(db, DAY, DAY, since, ("sources",))


def test_selectors_that_stop_matching_fail_the_source_and_show_in_source_yield(db):
    run = dt.datetime.now(dt.UTC)
    archive(db, 1, "site", 1.0, run)
    archive(db, 3, "generic", 1.0, run)
    [problem] = problems(db, run)
    assert problem.startswith("sources site: the site's selectors parsed 1 of 4 article pages")
    with db.connect() as conn:
        row = conn.execute(text("SELECT pages, site_parsed, fell_back, selector_share, relevant_fetched, "
                                "relevant_share FROM analytics.source_yield WHERE source_id = 'site'")).one()
    assert tuple(row) == (4, 1, 3, 0.25, 4, 1)
    archive(db, 4, "site", 1.0, run, prefix="more")
    assert problems(db, run) == []  # 5 of 8 matched: above half


def test_a_collapse_of_relevant_yield_fails_the_source(db):
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    archive(db, 10, "site", 1.0, past, DAY - dt.timedelta(days=30), prefix="past")
    run = dt.datetime.now(dt.UTC)
    archive(db, 4, "site", 0.0, run)
    [problem] = problems(db, run)
    assert "0 of 4 article pages fetched by the run were relevant" in problem
    archive(db, 4, "site", 1.0, run, prefix="ok")
    assert problems(db, run) == []  # 4 of 8 relevant: not a collapse
