"""Run one source's crawl for a date window in a fresh process (Twisted's reactor runs once per process)."""

from __future__ import annotations

import ctypes
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from etl import pgserver, settings

SLICE_DAYS = 92  # a long backfill crawls a source a quarter at a time: each slice is retried alone


class CrawlFailed(RuntimeError):
    pass


PR_SET_PDEATHSIG = 1


def _die_with(parent: int):
    """A preexec_fn making the child receive SIGKILL when its parent dies (Linux prctl PR_SET_PDEATHSIG), so a
    `kill -9` of `vnru run` or of an Airflow task does not leave a crawler archiving on; elsewhere none."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # resolved before the fork: the child only calls it

    def arm():
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the signal was armed
            os._exit(1)
    return arm


def run_child(command: list[str], **options) -> subprocess.CompletedProcess:
    """subprocess.run of a child that dies with this process."""
    return subprocess.run(command, preexec_fn=_die_with(os.getpid()), **options)


def window_slices(start: dt.date, end: dt.date, days: int = SLICE_DAYS) -> list[tuple[dt.date, dt.date]]:
    """[start, end] cut into consecutive inclusive slices of at most `days` days."""
    slices = []
    while start <= end:
        last = min(end, start + dt.timedelta(days=days - 1))
        slices.append((start, last))
        start = last + dt.timedelta(days=1)
    return slices


def crawl(source: str, start: dt.date, end: dt.date, refetch: bool = False) -> dict:
    """Crawl `source` for [start, end] into the archive; returns the crawl's counters.

    Honours DATABASE_URL (else the embedded server) and VNRU_MIRROR (recorded pages)."""
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawlers.settings", "DATABASE_URL": pgserver.resolve_url(),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(settings.PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryDirectory() as tmp:
        stats_file = Path(tmp) / "stats.json"
        command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"source={source}",
                   "-a", f"start={start}", "-a", f"end={end}", "-a", f"refetch={int(refetch)}",
                   "-a", f"stats_file={stats_file}", "-s", "LOG_LEVEL=WARNING"]
        if settings.mirror_url():
            # a local recording needs no politeness delay
            command += ["-s", f"VNRU_MIRROR={settings.mirror_url()}", "-s", "DOWNLOAD_DELAY=0",
                        "-s", "AUTOTHROTTLE_ENABLED=False"]
        result = run_child(command, env=env, capture_output=True, text=True, cwd=settings.PROJECT_ROOT)
        if result.returncode != 0 or not stats_file.exists():
            raise CrawlFailed(f"crawl of {source} failed ({result.returncode}):\n{result.stderr[-3000:]}")
        stats = json.loads(stats_file.read_text())
    if stats.get("vnru/rate_limited"):
        raise CrawlFailed(f"crawl of {source}: {stats['vnru/rate_limited']} URLs rate-limited (429/503 with a "
                          f"Retry-After over VNRU_RETRY_AFTER_MAX, or after every wait): "
                          f"{stats.get('vnru/rate_limited_urls', '')} (archived with that status and quarantined; "
                          f"asked again by the next run)")
    if stats.get("vnru/refused"):
        raise CrawlFailed(f"crawl of {source}: {stats['vnru/refused']} pages refused for their size: "
                          f"{stats.get('vnru/refused_urls', '')} (over DOWNLOAD_MAXSIZE as sent or decompressed; "
                          f"archived without the body and quarantined, not asked again unless --refetch)")
    if stats.get("vnru/broken"):
        raise CrawlFailed(f"crawl of {source}: {stats['vnru/broken']} of {stats.get('downloader/response_count')} "
                          f"responses broken (HTTP 5xx or an empty page; archived, and quarantined by the clean "
                          f"stage):\n{result.stderr[-3000:]}")
    if stats.get("vnru/capped"):
        raise CrawlFailed(f"crawl of {source} reached the cap of requests per run (VNRU_MAX_REQUESTS): "
                          f"{stats['vnru/capped']} requests not sent; crawl a shorter window or raise the cap")
    if not stats.get("downloader/response_count"):
        raise CrawlFailed(f"crawl of {source}: no response at all (site unreachable?):\n{result.stderr[-3000:]}")
    if stats.get("vnru/unanswered"):
        raise CrawlFailed(f"crawl of {source}: {stats['vnru/unanswered']} article pages got no usable response "
                          f"(not archived, asked again by the next run): {stats.get('vnru/unanswered_urls', '')}"
                          f"\n{result.stderr[-3000:]}")
    errors = stats.get("log_count/ERROR", 0)
    if errors:
        raise CrawlFailed(f"crawl of {source} logged {errors} errors:\n{result.stderr[-3000:]}")
    return {"source": source, **{k.removeprefix("vnru/"): v for k, v in stats.items() if k.startswith("vnru/")},
            "responses": stats.get("downloader/response_count", 0),
            "robots_forbidden": stats.get("robotstxt/forbidden", 0)}
