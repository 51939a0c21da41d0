"""How the stages scale: a synthesised corpus of N articles loaded, deduplicated, extracted and merged
into events in a throwaway database, twice.

The corpus is built from the sentences of the recorded pages (and ../shared/seeds when present) by
controlled perturbation: originals draw sentences from that pool with a share of their words replaced
(so unrelated articles reuse sentences), copies of an original are reordered, trimmed, re-headlined,
given boilerplate or partly rewritten and run within three days; pairs of templated phone-call reports
a year apart must stay apart; digests repeat three stories of the same days and must be linked to each.
The corpus is made and loaded in blocks, so the bench's own memory does not grow with the size. Per size
it prints the CPU (this process plus its PostgreSQL backends) per article and peak memory of each stage,
near-duplicate precision and recall by 5-shingle Jaccard band, digest links' precision and recall, the
article and event loads beside a COPY of the same rows in the same run, and the re-run ratio (second
run's CPU of dedupe, extract and load over the unchanged window divided by the first's; the clean stage
is not part of it: the corpus has no HTML). Progress goes to stderr.

    python -m bench.scale [--sizes 10000 100000] [--json] [--admin-url URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from crawlers.sources import SOURCES
from etl import load, pgserver, pipeline, settings
from etl.clean import Article, CleanError, clean_html
from etl.dedupe import canonical_url, content_hash, shingles
from etl.events.extract import Event, Participant, split_sentences
from etl.templates import page_fingerprints

SHARED = Path(__file__).resolve().parents[2] / "shared"
START = dt.date(2024, 1, 1)
DAYS = 365
BANDS = ((0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.01))
RU = ("Vladimir Putin", "Mikhail Mishustin", "Sergey Lavrov", "Valentina Matviyenko")
VN = ("To Lam", "Pham Minh Chinh", "Luong Cuong", "Bui Thanh Son", "Tran Thanh Man")


def sentence_pool() -> list[str]:
    """Sentences of the recorded article pages and, when present, of the shared seed articles."""
    texts = []
    for path in sorted((settings.PROJECT_ROOT / "crawlers" / "recorded").rglob("*.html")):
        if path.name != "template.html":
            try:
                texts.append(clean_html(path.read_bytes()).text)
            except CleanError:  # a recorded wall or binary page: no article sentences
                continue
    texts += [p.read_text() for p in sorted((SHARED / "seeds").glob("*.txt"))] if (SHARED / "seeds").is_dir() else []
    return [s for t in texts for para in t.split("\n") for s in split_sentences(para) if len(s.split()) >= 6]


@dataclass
class Block:
    """BLOCK synthesised articles as core.articles rows (without page_id/source_id), each row's line
    fingerprints (as the clean stage records them), and what the checks need to know of them."""

    rows: list[dict] = field(default_factory=list)
    lines: list[set[str]] = field(default_factory=list)
    copy_of: dict[str, str] = field(default_factory=dict)  # copy URL -> original URL
    similarity: dict[str, float] = field(default_factory=dict)  # copy URL -> 5-shingle Jaccard with its original
    templated: list[tuple[str, str]] = field(default_factory=list)  # report pairs a year apart, never copies
    digests: dict[str, set[str]] = field(default_factory=dict)  # digest URL -> the original URLs it contains


@dataclass
class Corpus:
    """What the checks need to know of every block loaded so far (their rows are not kept)."""

    size: int = 0
    copy_of: dict[str, str] = field(default_factory=dict)
    similarity: dict[str, float] = field(default_factory=dict)
    templated: list[tuple[str, str]] = field(default_factory=list)
    digests: dict[str, set[str]] = field(default_factory=dict)

    def add(self, block: Block) -> None:
        self.size += len(block.rows)
        self.copy_of |= block.copy_of
        self.similarity |= block.similarity
        self.templated += block.templated
        self.digests |= block.digests


BLOCK = 10_000  # articles synthesised at a time: the bench's memory does not grow with the corpus


@functools.cache
def _pool() -> tuple[list[str], list[str]]:
    pool = sentence_pool()
    return pool, sorted({w for s in pool for w in s.split()})


def synthesise(size: int, first: int, seed: int = 13) -> Block:
    """The articles from number `first` on (BLOCK of them, fewer at the end of `size`): 79.5 % originals,
    18 % copies of the block's originals, 2 % templated reports (pairs a year apart) and 0.5 % digests
    (three originals of the same few days, whole with a few words edited, between an introduction and a
    closing paragraph, run a day or two after the last of them). Each block has its own random stream."""
    rng = random.Random(seed * 1_000_003 + first)
    pool, vocabulary = _pool()
    block = Block()

    def vary(sentence: str, share: float) -> str:
        return " ".join(rng.choice(vocabulary) if rng.random() < share else w for w in sentence.split())

    def paragraphs(n: int) -> list[str]:
        return [" ".join(vary(rng.choice(pool), 0.3) for _ in range(rng.randint(2, 4))) for _ in range(n)]

    def add(url: str, body: list[str], published: dt.date, relevant: bool = False) -> None:
        text = "\n\n".join(body)
        block.rows.append({"url": url, "canonical_url": canonical_url(url), "title": body[0][:80],
                           "published": published, "updated": None, "author": None, "language": "en", "text": text,
                           "content_hash": content_hash(text), "removed": [], "is_relevant": relevant})
        block.lines.append(page_fingerprints(Article(text=text)))

    n = min(BLOCK, size - first)
    originals: list[tuple[str, list[str], dt.date]] = []
    n_templated = max(2, n // 50) // 2 * 2
    n_copies, n_digests = n * 18 // 100, n // 200
    by_day: dict[dt.date, list[int]] = {}
    for i in range(first, first + n - n_copies - n_templated - n_digests):
        body, day = paragraphs(rng.randint(6, 12)), START + dt.timedelta(days=rng.randrange(DAYS - 3))
        add(f"https://news{i % 7}.example/{i}", body, day, relevant=rng.random() < 0.02)
        by_day.setdefault(day, []).append(len(originals))
        originals.append((block.rows[-1]["url"], body, day))
    for i in range(first, first + n_digests):
        _, _, day = rng.choice(originals)
        near = [k for d in range(4) for k in by_day.get(day + dt.timedelta(days=d), [])]
        picked = [originals[k] for k in rng.sample(near, min(3, len(near)))]
        body = paragraphs(1) + [vary(p, 0.01) for _, story, _ in picked for p in story] + paragraphs(1)
        add(f"https://digest.example/{i}", body, max(d for _, _, d in picked) + dt.timedelta(days=rng.randint(1, 2)))
        block.digests[block.rows[-1]["url"]] = {url for url, _, _ in picked}
    for i in range(first, first + n_copies):
        url, body, day = rng.choice(originals)
        copy = list(body)
        if rng.random() < 0.5:
            rng.shuffle(copy)
        if rng.random() < 0.4:
            copy = copy[:max(2, int(len(copy) * rng.uniform(0.5, 0.9)))]
        if rng.random() < 0.5:
            copy = [vary(copy[0], 0.5)] + copy
        if rng.random() < 0.4:
            copy.append("Follow us on our channels. All rights reserved.")
        for k in rng.sample(range(len(copy)), k=min(len(copy) - 1, rng.choice([0, 0, 1, 2]))):
            copy[k] = paragraphs(1)[0]
        copy = [vary(p, rng.choice([0, 0.01, 0.03])) for p in copy]
        add(f"https://wire{i % 5}.example/c{i}", copy, day + dt.timedelta(days=rng.randint(0, 3)))
        block.copy_of[block.rows[-1]["url"]] = url
        a, b = shingles("\n\n".join(copy)), shingles("\n\n".join(body))
        block.similarity[block.rows[-1]["url"]] = len(a & b) / len(a | b)
    for i in range(first, first + n_templated // 2):
        template, day = paragraphs(4), START + dt.timedelta(days=rng.randrange(DAYS // 3))
        urls = []
        for year in (0, 1):
            on = day + dt.timedelta(days=365 * year)
            add(f"https://calls.example/{i}-{year}", [f"On {on:%d %B %Y} the two leaders spoke by phone."] + template,
                min(on, START + dt.timedelta(days=DAYS - 1)))
            urls.append(block.rows[-1]["url"])
        block.templated.append(tuple(urls))
    return block


def blocks(size: int) -> Iterator[Block]:
    """The corpus block by block, each made in a child process while the one before it is loaded."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        ahead = pool.submit(synthesise, size, 0)
        for first in range(0, size, BLOCK):
            block = ahead.result()
            if first + BLOCK < size:
                ahead = pool.submit(synthesise, size, first + BLOCK)
            yield block


def synthetic_events(rng: random.Random, published: dt.date) -> list[dict]:
    """One or two events with people of both sides, dated near the report (for the event load)."""
    found = []
    for _ in range(rng.randint(1, 2)):
        day = published - dt.timedelta(days=rng.randint(0, 2))
        kind = rng.choice(("talks", "meeting", "phone_call", "visit", "agreement"))
        people = (Participant(rng.choice(RU), "RU", "visitor" if kind == "visit" else "participant"),
                  Participant(rng.choice(VN), "VN", "host" if kind == "visit" else "participant"))
        found.append(Event(kind, day, day, people, "synthetic evidence", dated=True).as_dict())
    return found


# --- measuring -----------------------------------------------------------------------------------

def _backend_cpu(db: Engine) -> float:
    """CPU seconds of this database's backends (their /proc entries; 0 when the server is elsewhere)."""
    with db.connect() as conn:
        pids = conn.scalars(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")).all()
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, IndexError):
            pass
    return total


@contextmanager
def measured(db: Engine, into: dict, name: str):
    """CPU of the process and its backends, wall time and peak RSS of the block, stored under `name` (added
    to what earlier blocks of the same name measured)."""
    cpu, backends, wall = time.process_time(), _backend_cpu(db), time.perf_counter()
    yield
    before = into.get(name, {"cpu_s": 0, "wall_s": 0})
    into[name] = {"cpu_s": round(before["cpu_s"] + time.process_time() - cpu + _backend_cpu(db) - backends, 3),
                  "wall_s": round(before["wall_s"] + time.perf_counter() - wall, 3),
                  "peak_rss_mb": _peak_rss_mb()}


def _peak_rss_mb() -> float:
    """The process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the forking parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _copy_table(db: Engine, source: str, twin: str) -> float:
    """CPU of COPYing `source`'s rows into an empty twin of it: same columns, defaults, checks, indexes and
    foreign keys (so the COPY pays for the same constraint checks as the load)."""
    with db.begin() as conn:
        conn.execute(text(f"CREATE TABLE {twin} (LIKE {source} INCLUDING ALL)"))
        for definition in conn.scalars(text("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                                            "WHERE conrelid = CAST(:t AS regclass) AND contype = 'f'"), {"t": source}):
            conn.execute(text(f"ALTER TABLE {twin} ADD {definition}"))
    with tempfile.TemporaryFile("w+") as data:  # on disk: a million articles' rows are gigabytes
        with db.connect() as conn:
            conn.connection.driver_connection.cursor().copy_expert(f"COPY {source} TO STDOUT", data)
        data.seek(0)
        timing: dict = {}
        with measured(db, timing, "copy"), db.begin() as conn:
            conn.connection.driver_connection.cursor().copy_expert(f"COPY {twin} FROM STDIN", data)
    return timing["copy"]["cpu_s"]


def run_size(admin_url: str, size: int) -> dict:
    corpus = Corpus()
    result: dict = {"stages": {}}
    stages = result["stages"]
    with pgserver.temporary_database(admin_url, "vnru_bench") as url:
        os.environ["DATABASE_URL"] = url
        from ops.cli import upgrade_database

        upgrade_database()
        db = create_engine(url)
        load.upsert_sources(db, SOURCES.values())
        source = next(iter(SOURCES))
        for block in blocks(size):
            first = corpus.size + 1
            corpus.add(block)
            with db.begin() as conn:  # the archive rows the articles point at (not measured)
                conn.execute(text("INSERT INTO raw.pages (page_id, source_id, kind, url, final_url, status, headers, "
                                  "fetched_at, listed_date, body_gzip, sha256) SELECT i, :source, 'article', 'p' || i, "
                                  "'p' || i, 200, '{}', now(), NULL, '', md5(i::text) "
                                  "FROM generate_series(:first, :last) i"),
                             {"source": source, "first": first, "last": corpus.size})
            for i, row in enumerate(block.rows, first):
                row.update(page_id=i, source_id=source)
            with measured(db, stages, "article_load"):
                for i in range(0, len(block.rows), 5000):
                    load.save_articles(db, block.rows[i:i + 5000])
            lines = [(source, row["url"], fingerprints) for row, fingerprints in zip(block.rows, block.lines,
                                                                                     strict=True)]
            with measured(db, stages, "site_lines"):
                for i in range(0, len(lines), 5000):
                    load.save_site_lines(db, lines[i:i + 5000])
            print(f"  {corpus.size} of {size} articles synthesised and loaded", file=sys.stderr, flush=True)
        result["articles"] = corpus.size
        copy_cpu = _copy_table(db, "core.articles", "public.articles_copy")
        result["article_load_vs_copy"] = round(copy_cpu / stages["article_load"]["cpu_s"], 3)
        first = {name: _in_child(url, name) for name in ("dedupe", "extract")}
        rng = random.Random(7)
        with db.connect() as conn:
            originals = conn.execute(text("SELECT article_id, published FROM core.articles "
                                          "WHERE duplicate_of IS NULL AND NOT is_relevant")).all()
        for i in range(0, len(originals), 5000):
            load.save_extracted(db, {a: synthetic_events(rng, p) for a, p in originals[i:i + 5000]})
        first["load"] = _in_child(url, "load")
        stages.update(first)
        copies = sum(_copy_table(db, f"core.{t}", f"public.{t}_copy")
                     for t in ("events", "event_participants", "event_sources"))
        result["event_load_vs_copy"] = round(copies / first["load"]["cpu_s"], 3)
        second = {name: _in_child(url, name) for name in ("dedupe", "extract", "load")}
        result["rerun_ratio"] = round(sum(s["cpu_s"] for s in second.values())
                                      / sum(s["cpu_s"] for s in first.values()), 4)
        result.update(near_duplicates(db, corpus))
        with db.connect() as conn:
            result["rows"] = {t: conn.scalar(text(f"SELECT count(*) FROM core.{t}"))
                              for t in ("articles", "events", "event_participants", "event_sources")}
        db.dispose()
    for stage in stages.values():
        stage["cpu_ms_per_article"] = round(1000 * stage["cpu_s"] / corpus.size, 3)
    result["peak_rss_mb"] = max(stages[name]["peak_rss_mb"] for name in ("dedupe", "extract", "load"))
    return result


def _stage_alone(url: str, name: str) -> dict:
    """One pipeline stage over the corpus' year, measured in this process (a fresh one: see _in_child)."""
    db = create_engine(url)
    timing: dict = {}
    with measured(db, timing, name):
        getattr(pipeline, f"{name}_stage")(db, START, START + dt.timedelta(days=DAYS - 1))
    db.dispose()
    return timing[name]


def _in_child(url: str, name: str) -> dict:
    """Run a stage in a new interpreter, as an Airflow task runs: its peak RSS is the stage's own, not
    the bench's with the corpus in it."""
    print(f"  {name} stage ...", file=sys.stderr, flush=True)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        timing = pool.submit(_stage_alone, url, name).result()
    print(f"  {name}: {timing}", file=sys.stderr, flush=True)  # kept if a later stage fails
    return timing


def near_duplicates(db: Engine, corpus: Corpus) -> dict:
    """Precision of the copies marked (pointing into the right story) and recall by Jaccard band."""
    with db.connect() as conn:
        marked = dict(conn.execute(text("SELECT a.url, o.url FROM core.articles a JOIN core.articles o "
                                        "ON o.article_id = a.duplicate_of")).all())

    def story(url: str) -> str:
        return corpus.copy_of.get(url, url)

    right = sum(story(copy) == story(original) for copy, original in marked.items())
    bands = {}
    for low, high in BANDS:
        copies = [u for u, j in corpus.similarity.items() if low <= j < high]
        bands[f"{low:.1f}-{min(high, 1):.1f}"] = {"copies": len(copies), "recall": round(
            sum(story(marked.get(u, u)) == story(u) and u in marked for u in copies) / max(1, len(copies)), 4)}
    above = [u for u, j in corpus.similarity.items() if j >= 0.6]
    below = [u for u, j in corpus.similarity.items() if j < 0.6]
    return {"neardup_precision": round(right / max(1, len(marked)), 4),
            "neardup_recall": round(sum(u in marked and story(marked[u]) == story(u) for u in above)
                                    / max(1, len(above)), 4),
            "neardup_found_below_0_6": round(sum(u in marked for u in below) / max(1, len(below)), 4),
            "neardup_bands": bands,
            "templated_pairs_merged": sum(b in marked or a in marked for a, b in corpus.templated),
            **compilations(db, corpus)}


def compilations(db: Engine, corpus: Corpus) -> dict:
    """Digests: share of the stories they contain that are linked (recall), share of all links that point
    from a digest to a story it contains (precision), and digests wrongly marked as copies."""
    with db.connect() as conn:
        links = conn.execute(text("SELECT a.url, c.url FROM core.article_contains k JOIN core.articles a "
                                  "ON a.article_id = k.article_id JOIN core.articles c ON c.article_id = k.contained_id"
                                  )).all()
        copies = set(conn.scalars(text("SELECT url FROM core.articles WHERE duplicate_of IS NOT NULL")))
    truth = {(digest, story) for digest, stories in corpus.digests.items() for story in stories}
    right = len(truth & set(links))
    return {"digests": len(corpus.digests), "digest_links_recall": round(right / max(1, len(truth)), 4),
            "digest_links_precision": round(right / max(1, len(links)), 4),
            "digests_marked_copies": len(copies & set(corpus.digests))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--json", action="store_true", help="one JSON object keyed by size")
    parser.add_argument("--admin-url", default=os.environ.get("VNRU_BENCH_ADMIN_URL",
                                                              "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args(argv)
    results = {}
    for size in args.sizes:
        results[str(size)] = run_size(args.admin_url, size)
        if not args.json:
            r = results[str(size)]
            print(f"{size} articles: rerun {r['rerun_ratio']}, near-dup P {r['neardup_precision']} "
                  f"R {r['neardup_recall']}, article load/COPY {r['article_load_vs_copy']}, "
                  f"event load/COPY {r['event_load_vs_copy']}, peak {r['peak_rss_mb']} MB, digest links "
                  f"P {r['digest_links_precision']} R {r['digest_links_recall']}")
            for name, stage in r["stages"].items():
                print(f"  {name:<13} {stage['cpu_ms_per_article']:>8} ms/article  {stage['peak_rss_mb']} MB")
    if args.json:
        json.dump(results, sys.stdout, indent=2, default=str)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
