"""Registry-wide: a date-window crawl of each source's recordings archives exactly the relevant articles listed
inside the window (targeted discovery skips the unrelated ones before fetching, or scores them 0 after)."""

import datetime as dt
import json
import os
import subprocess
import sys

from crawlers.sources import SOURCES
from etl import settings


def expected_pages(name: str) -> list[dict]:
    return json.loads((settings.RECORDED_DIR / name / "expected.json").read_text())["pages"]


WINDOWS = [(dt.date(2024, 6, 1), dt.date(2025, 5, 31)), (dt.date(2025, 1, 14), dt.date(2025, 1, 14))]


def relevant_in(start: dt.date, end: dt.date) -> set[str]:
    return {p["url"] for name in SOURCES for p in expected_pages(name)
            if p["relevant"] and start <= dt.date.fromisoformat(p["published"]) <= end}


def test_window_crawl_archives_exactly_the_relevant_articles_of_the_window(mirror, tmp_path):
    out = tmp_path / "pages.jsonl"
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawlers.settings", "PYTHONPATH": str(settings.PROJECT_ROOT)}
    windows = ",".join(f"{start}:{end}" for start, end in WINDOWS)
    subprocess.run([sys.executable, "-m", "tests.crawlers.window_crawl", str(out), windows, *sorted(SOURCES)],
                   env=env, cwd=settings.PROJECT_ROOT, check=True, timeout=120)
    pages = [json.loads(line) for line in out.read_text().splitlines()]
    for start, end in WINDOWS:
        crawled = [p for p in pages if p["window"] == f"{start}:{end}"]
        assert relevant_in(start, end)  # the window holds recorded relevant pages
        assert {p["url"] for p in crawled if p["status"] == 200 and p["relevance"]} == relevant_in(start, end)
        assert all(start <= dt.date.fromisoformat(p["listed_date"]) <= end for p in crawled)
