"""Crawl cost and recall on the simulated site (bench/simsite.py): a backfill of a window, then a re-crawl of it.

    python -m bench.crawl [--months 12] [--per-month 4000] [--json]

Prints requests_per_relevant (every request the site answered, robots.txt and listings included, per relevant
article found), recall (relevant articles of the window found), and of the re-crawl recrawl_requests,
recrawl_conditional (listings revalidated with If-None-Match / If-Modified-Since) and recrawl_article_requests.
Needs PostgreSQL (VNRU_BENCH_ADMIN_URL, default the local server on 5432): a throwaway database is migrated and
dropped after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from unittest import mock

from bench import simsite
from crawlers import run
from etl import pgserver

ADMIN_URL = os.environ.get("VNRU_BENCH_ADMIN_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")


def measure(start: dt.date, months: int, per_month: int, admin_url: str = ADMIN_URL) -> dict:
    """Backfill then re-crawl the simulated site's whole span; the figures of both crawls."""
    from ops.cli import upgrade_database

    site = simsite.Site(simsite.generate(start, months, per_month))
    end = max(a.day for a in site.articles)
    relevant = {a.path for a in site.articles if a.relevant}
    server, url = simsite.serve(site)
    try:
        with pgserver.temporary_database(admin_url, "vnru_bench") as db_url, tempfile.TemporaryDirectory() as home, \
                mock.patch.dict(os.environ, {"DATABASE_URL": db_url, "VNRU_MIRROR": url, "VNRU_HOME": home}):
            upgrade_database()
            backfill = run.crawl("bench.simsite:SOURCE", start, end)
            first, site.log[:] = list(site.log), []
            recrawl = run.crawl("bench.simsite:SOURCE", start, end)
            second = list(site.log)
    finally:
        server.shutdown()
    found = {path for path, status, _ in first if status == 200 and path in relevant}
    listing = ("/robots.txt", "/sitemap", "/rss/", "/tag/")
    return {
        "window": f"{start}..{end}", "articles": len(site.articles), "relevant": len(relevant),
        "requests": len(first), "listing_requests": sum(p.startswith(listing) for p, _, _ in first),
        "article_requests": sum(not p.startswith(listing) for p, _, _ in first),
        "relevant_found": len(found), "requests_per_relevant": round(len(first) / max(1, len(found)), 4),
        "recall": round(len(found) / max(1, len(relevant)), 4),
        "forbidden_requests": sum(p.startswith("/search") for p, _, _ in first + second),
        "forbidden_by_robots": backfill.get("robots_forbidden", 0),
        "skipped_by_listing": backfill.get("skipped_by_listing", 0),
        "recrawl_requests": len(second), "recrawl_conditional": sum(c for _, _, c in second),
        "recrawl_not_modified": sum(s == 304 for _, s, _ in second),
        "recrawl_article_requests": sum(not p.startswith(listing) for p, _, _ in second),
        "recrawl_skipped_archived": recrawl.get("skipped_archived", 0),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2025, 1, 1))
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--per-month", type=int, default=4000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = measure(args.start, args.months, args.per_month)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:28} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
