"""Soak: the pipeline's stages over many generated pages, day by day as the daily DAG runs them, with the
process's memory and the throughput sampled after every day, and every archived page accounted for.

Pages (deterministic, `--seed`): mostly articles written from a small vocabulary of Vietnam-Russia news
(names, places, dated meetings), mixed with walls (paywall, cookie wall, soft 404), empty pages, non-HTML
bytes, broken UTF-8 and oversized bodies. They are archived through etl.load.archive_page (the crawler's
own storage path, without HTTP), then each day's window goes through clean, dedupe, extract and load.

    python -m bench.soak [--pages 50000] [--per-day 100] [--json]

A page is lost when it is archived but neither an article nor quarantined with a reason. Memory is the
resident set (VmRSS) after each day and its peak (VmHWM); it should stay flat as the archive grows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.reliability import fresh_database
from crawlers.items import FetchedPage
from crawlers.sources import SOURCES
from etl import load, pipeline, settings

FIRST_DAY = dt.date(2024, 1, 1)
PEOPLE = [("Vladimir Putin", "Russian President"), ("To Lam", "Party General Secretary"),
          ("Pham Minh Chinh", "Prime Minister"), ("Mikhail Mishustin", "Russian Prime Minister"),
          ("Sergey Lavrov", "Russian Foreign Minister"), ("Bui Thanh Son", "Foreign Minister")]
PLACES = ["Hanoi", "Moscow", "Ho Chi Minh City", "Saint Petersburg", "Kazan", "Da Nang"]
TOPICS = ["energy", "trade", "education", "transport", "nuclear science", "oil and gas", "tourism", "banking"]


def _article(rng: random.Random, day: dt.date) -> str:
    (a, a_title), (b, b_title) = rng.sample(PEOPLE, 2)
    place, topic = rng.choice(PLACES), rng.choice(TOPICS)
    paragraphs = [f"{a_title} {a} held talks with {b_title} {b} in {place} on {day:%B} {day.day}, the two "
                  f"sides said, agreeing to deepen cooperation in {topic} between Vietnam and Russia."]
    for _ in range(rng.randint(3, 8)):
        paragraphs.append(f"Officials discussed {rng.choice(TOPICS)} projects worth {rng.randint(2, 900)} million "
                          f"dollars, a plan for {rng.randint(2025, 2030)} and {rng.choice(TOPICS)} exchanges "
                          f"between agencies of both countries, according to a statement issued in {place}.")
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<html lang="en"><head><title>{a} and {b} discuss {topic}</title><meta property='
            f'"article:published_time" content="{day}T09:00:00+03:00"></head><body><article><h1>{a} and {b} '
            f"discuss {topic}</h1>{body}</article></body></html>")


def page_body(rng: random.Random, day: dt.date) -> tuple[str, bytes]:
    """(kind, body) of one generated page: 85 % articles, the rest the faults of the matrix."""
    roll = rng.random()
    if roll < 0.85:
        return "article", _article(rng, day).encode()
    if roll < 0.89:
        return "paywall", b"<html><head><title>News</title></head><body><p>Subscribe to continue reading.</p>"
    if roll < 0.92:
        return "soft 404", b"<html><head><title>Page not found</title></head><body><p>Not found.</p></body></html>"
    if roll < 0.94:
        return "cookie wall", b"<html><body><p>We use cookies. Accept all cookies to continue.</p></body></html>"
    if roll < 0.96:
        return "empty", b""
    if roll < 0.98:
        return "non-HTML", bytes(rng.randrange(256) for _ in range(3000))
    if roll < 0.999:
        return "broken UTF-8", _article(rng, day).encode().replace(b" the ", b" th\xe9\xff ")
    return "oversized", b"<html><body><p>" + b"x " * (settings.MAX_PAGE_BYTES // 2 + 10) + b"</p></body></html>"


def _memory() -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def soak(pages: int, per_day: int, seed: int, say=print) -> dict:
    rng = random.Random(seed)
    days = -(-pages // per_day)
    samples, kinds = [], {}
    with fresh_database() as url:
        db = create_engine(url, pool_pre_ping=True)
        load.upsert_sources(db, [SOURCES["tass"]])
        began = time.monotonic()
        for n in range(pages):
            day = FIRST_DAY + dt.timedelta(days=n // per_day)
            kind, body = page_body(rng, day)
            kinds[kind] = kinds.get(kind, 0) + 1
            link = f"https://tass.com/politics/{9_000_000 + n}"
            load.archive_page(db, FetchedPage("tass", "article", link, link, 200, {}, dt.datetime.now(dt.UTC), body,
                                              day))
        archived_in = time.monotonic() - began
        say(f"archived {pages} pages in {archived_in:.0f}s ({pages / archived_in:.0f}/s): {kinds}")
        processed, began = 0, time.monotonic()
        for index in range(days):
            day = FIRST_DAY + dt.timedelta(days=index)
            tick = time.monotonic()
            cleaned = pipeline.clean_stage(db, day, day, ["tass"], SOURCES)
            pipeline.dedupe_stage(db, day, day)
            pipeline.extract_stage(db, day, day)
            pipeline.load_stage(db, day, day)
            processed += cleaned["pages"]
            rss, peak = _memory()
            samples.append({"day": index + 1, "pages": processed, "rss_mb": round(rss, 1), "peak_mb": round(peak, 1),
                            "pages_per_s": round(cleaned["pages"] / (time.monotonic() - tick), 1)})
            if index % max(1, days // 20) == 0 or index == days - 1:
                say(json.dumps(samples[-1]))
        with db.connect() as conn:
            lost = conn.scalar(text(
                "SELECT count(*) FROM raw.pages p WHERE p.kind = 'article' AND NOT EXISTS (SELECT FROM core.articles "
                "a WHERE a.url = p.url) AND NOT EXISTS (SELECT FROM raw.quarantine q WHERE q.page_id = p.page_id)"))
            articles = conn.scalar(text("SELECT count(*) FROM core.articles"))
            quarantined = conn.scalar(text("SELECT count(*) FROM raw.quarantine"))
            events = conn.scalar(text("SELECT count(*) FROM core.events"))
        db.dispose()
    elapsed = time.monotonic() - began
    tenth = max(1, len(samples) // 10)
    return {"pages": pages, "days": days, "kinds": kinds, "archive_pages_per_s": round(pages / archived_in, 1),
            "process_pages_per_s": round(processed / elapsed, 1), "articles": articles, "quarantined": quarantined,
            "events": events, "lost": lost,
            "rss_mb_first_tenth": round(max(s["rss_mb"] for s in samples[:tenth]), 1),
            "rss_mb_last_tenth": round(max(s["rss_mb"] for s in samples[-tenth:]), 1),
            "peak_mb": samples[-1]["peak_mb"],
            "pages_per_s_first_tenth": round(sum(s["pages_per_s"] for s in samples[:tenth]) / tenth, 1),
            "pages_per_s_last_tenth": round(sum(s["pages_per_s"] for s in samples[-tenth:]) / tenth, 1),
            "samples": samples}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=50_000)
    parser.add_argument("--per-day", type=int, default=100)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--json", action="store_true", help="print the result (with every day's sample) as JSON")
    args = parser.parse_args(argv)
    result = soak(args.pages, args.per_day, args.seed, say=lambda m: print(m, file=sys.stderr, flush=True))
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=1))
    return 0 if result["lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
