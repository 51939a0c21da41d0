"""vnru: Vietnam–Russia news into a queryable record of events.

Without DATABASE_URL every command uses the project's own PostgreSQL under .vnru/ (started on demand).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import socket
import sys
import time
import zlib
from pathlib import Path

from etl import settings

DEMO_START, DEMO_END = "2024-06-01", "2025-05-31"


def _date(text: str) -> dt.date:
    """A YYYY-MM-DD argument within the dates the extractor resolves (no overflow at year 1 or 9999)."""
    from etl.events.dates import EARLIEST, LATEST

    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
    if not EARLIEST <= day <= LATEST:
        raise argparse.ArgumentTypeError(f"{text} is outside {EARLIEST}..{LATEST}")
    return day


def _source(name: str) -> str:
    """A source name of the registry: an unknown one is refused before anything is crawled."""
    from crawlers.sources import SOURCES

    if name not in SOURCES:
        raise argparse.ArgumentTypeError(f"unknown source {name!r} (known: {', '.join(sorted(SOURCES))})")
    return name


class InputError(ValueError):
    """A file the commands cannot read as text: binary, an unknown encoding, or too large."""


BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
BINARY = re.compile(r"[\x00-\x06\x08\x0e-\x1a\x1c-\x1f]")  # C0 controls that text (even hostile) rarely has


def inflate(data: bytes, max_bytes: int = settings.MAX_PAGE_BYTES) -> bytes:
    """The bytes of a plain or gzip file, refused (InputError) beyond `max_bytes` once expanded: a gzip bomb
    is stopped after max_bytes of output, not after it filled the memory."""
    if data[:2] == b"\x1f\x8b":
        inflater = zlib.decompressobj(wbits=31)
        try:
            data = inflater.decompress(data, max_bytes + 1)
        except zlib.error as error:
            raise InputError(f"broken gzip: {error}") from None
    if len(data) > max_bytes:
        raise InputError(f"larger than {max_bytes} bytes (expanded)")
    return data


def decode_text(data: bytes) -> str:
    """Text by the byte-order mark, else strict UTF-8, else UTF-16 when there are NUL bytes; InputError for
    what decodes to no text (binary data, an unknown encoding) instead of printing replacement garbage."""
    bom = next((codec for mark, codec in BOMS if data.startswith(mark)), None)
    candidates = [bom] if bom else ["utf-8"] + (["utf-16-le", "utf-16-be"] if b"\x00" in data else [])
    for codec in candidates:
        try:
            text = data.decode(codec).removeprefix("\ufeff")
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and len(BINARY.findall(text)) <= len(text) // 10:
            return text
    raise InputError("not text (binary data, or an encoding other than UTF-8/UTF-16)")


def read_input(path: str) -> str | bytes:
    """A file for clean/extract: HTML without a byte-order mark stays bytes (decoded by its declared charset
    when parsed), anything else is decoded text."""
    data = inflate(Path(path).read_bytes())
    if data.lstrip()[:1] == b"<" and b"\x00" not in data:
        return data
    return decode_text(data)


ESCAPES = re.compile(r"\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC ... BEL/ST
                     r"|\x1b[P^_X][^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # DCS, PM, APC, SOS ... ST
                     r"|\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI
                     r"|[\x90\x98\x9d-\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # 8-bit DCS, SOS, OSC, PM, APC
                     r"|\x9b[0-?]*[ -/]*[@-~]?"  # 8-bit CSI
                     r"|\x1b.?"  # any other escape
                     r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]", re.S)


def terminal_safe(text: str) -> str:
    """Text fit for a terminal: escape sequences (colours, OSC titles and links, DCS) and control characters
    removed, newlines and tabs kept. Only what is printed is filtered; stored text stays as it came."""
    return ESCAPES.sub("", text)


def json_line(value, **options) -> str:
    """JSON with C1 control characters escaped too (json escapes only C0): safe to print, same data."""
    return re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}",
                  json.dumps(value, ensure_ascii=False, default=str, **options))


def shown(url: str) -> str:
    """A database URL with its password masked, for logs and progress lines (`vnru db url` prints it whole)."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _say(message: str) -> None:
    print(terminal_safe(message), flush=True)


def _warn(message: str) -> None:
    print(terminal_safe(message), file=sys.stderr, flush=True)


# --- database ----------------------------------------------------------------------------------

def upgrade_database(revision: str = "head") -> str:
    from alembic import command
    from alembic.config import Config

    from etl import pgserver

    url = pgserver.resolve_url()
    config = Config(str(settings.PROJECT_ROOT / "alembic.ini"))
    config.attributes["url"] = url
    command.upgrade(config, revision)
    return url


def cmd_db(args) -> int:
    from etl import pgserver

    if args.action == "upgrade":
        url = upgrade_database()
        _say(f"database at head: {shown(url)}")
    elif args.action == "analyst-url":
        if settings.database_url():
            raise RuntimeError("DATABASE_URL is set: the analyst's password on that server is its owner's business")
        _say(pgserver.analyst_url())
    elif args.action == "stop":
        _say("embedded PostgreSQL stopped" if pgserver.stop() else "embedded PostgreSQL was not running")
    else:
        _say(pgserver.resolve_url())
    return 0


# --- recorded pages ----------------------------------------------------------------------------

@contextlib.contextmanager
def recorded_pages(wanted: bool):
    """Serve crawlers/recorded on localhost and point the crawlers at it (VNRU_MIRROR) when wanted."""
    if not wanted:
        yield None
        return
    from crawlers import mirror

    with mirror.serving() as url:
        yield url


def network_reachable(host: str, timeout: float = 3.0) -> bool:
    try:
        socket.create_connection((host, 443), timeout=timeout).close()
        return True
    except OSError:
        return False


def use_recorded(choice: str) -> bool:
    if choice != "auto":
        return choice == "recorded"
    from crawlers.sources import SOURCES

    host = next(iter(SOURCES.values())).domains[0]
    reachable = network_reachable(host)
    verdict = "reachable: crawling the live sites" if reachable else "unreachable: using recorded pages"
    _say(f"network: {host} {verdict}")
    return not reachable


# --- pipeline ----------------------------------------------------------------------------------

def run_pipeline(start: dt.date, end: dt.date, source_ids: list[str], crawl: bool, refetch: bool = False) -> dict:
    """Crawl each source, then the stages in the DAG's order (the quality gate before the load), with a
    progress bar and a line per step. The run's summary goes to core.pipeline_runs even when a step fails;
    a broken source or a failed rule raises at the end, after the other sources were processed."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from crawlers.run import CrawlFailed
    from crawlers.run import crawl as crawl_source
    from crawlers.sources import SOURCES
    from etl import load, pipeline

    db = load.engine()
    started_at = dt.datetime.now(dt.UTC)
    steps = {"clean": lambda: pipeline.clean_stage(db, start, end, source_ids, SOURCES),
             "dedupe": lambda: pipeline.dedupe_stage(db, start, end),
             "extract": lambda: pipeline.extract_stage(db, start, end),
             "gate": lambda: pipeline.gate_stage(db, start, end, started_at),
             "load": lambda: pipeline.load_stage(db, start, end)}
    crawled, done, failed_crawls = [], {}, []
    with Progress(TextColumn("{task.description:<22}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn()) as progress:
        bar = progress.add_task("pipeline", total=(len(source_ids) if crawl else 0) + len(steps) + 1)
        for source in source_ids if crawl else ():
            progress.update(bar, description=f"crawl {source}")
            began = time.monotonic()
            try:
                stats = crawl_source(source, start, end, refetch)
                crawled.append(stats)
                progress.console.print(f"  crawled {source}: {stats.get('article', 0)} article pages fetched, "
                                       f"{stats.get('archived_new', 0)} new in the archive "
                                       f"({time.monotonic() - began:.1f}s)")
            except CrawlFailed as error:
                failed_crawls.append(str(error))
                progress.console.print(terminal_safe(f"  crawl of {source} FAILED: {str(error).splitlines()[0]}"))
            progress.advance(bar)
        try:
            for name, step in steps.items():
                progress.update(bar, description=name)
                done[name] = step()
                progress.console.print(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in done[name].items()))
                progress.advance(bar)
        finally:
            progress.update(bar, description="summary")
            done["summary"] = pipeline.summary_stage(
                db, start, end, f"cli-{started_at:%Y%m%dT%H%M%S.%f}", started_at, done,
                [f"crawl failed: {error.splitlines()[0]}" for error in failed_crawls])
            progress.console.print(f"  summary: {done['summary']['status']}, recorded in core.pipeline_runs")
            progress.advance(bar)
    if failed_crawls:
        raise CrawlFailed("\n".join(failed_crawls))
    if done["summary"]["status"] != "passed":
        raise pipeline.QualityError("data-quality gate failed:\n" + "\n".join(
            f"- {p}" for p in done["summary"]["problems"]))
    return {"crawl": crawled, **done}


def cmd_run(args) -> int:
    from crawlers.sources import SOURCES

    source_ids = args.source or list(SOURCES)
    upgrade_database()
    with recorded_pages(use_recorded(args.pages)):
        run_pipeline(args.start, args.end, source_ids, crawl=not args.reprocess, refetch=args.refetch)
    return 0


def cmd_crawl(args) -> int:
    from crawlers.run import crawl

    upgrade_database()
    with recorded_pages(use_recorded(args.pages)):
        stats = crawl(args.source, args.start, args.end, args.refetch)
    _say(json.dumps(stats, indent=2, default=str))
    return 0


def cmd_clean(args) -> int:
    """Each file's article text (or one JSON object per line with --json); an unreadable file is reported on
    stderr and the batch goes on (exit status 1 at the end)."""
    from crawlers.sources import SOURCES, for_url
    from etl.clean import CleanError

    failed = 0
    for path in args.files:
        source = SOURCES.get(args.source) if args.source else (for_url(args.url) if args.url else None)
        try:
            article = clean_file(path, args, source)
        except (OSError, CleanError, InputError) as error:
            _warn(f"{path}: {error}")
            failed += 1
            continue
        if args.json:
            print(json_line({"path": path, "url": args.url, "title": article.title,
                              "published": article.published.isoformat() if article.published else None,
                              "updated": article.updated.isoformat() if article.updated else None,
                              "author": article.author, "language": article.language, "lead": article.lead,
                              "text": article.text,
                              "removed": [{"text": r.text, "reason": r.reason} for r in article.removed]}))
        else:
            print(terminal_safe(article.text))
    return 1 if failed else 0


def clean_file(path: str, args, source):
    """A file given to `vnru clean` or `extract`, cleaned as HTML (bytes, markup or --html) or as plain text;
    raises OSError, InputError or CleanError when it cannot be."""
    from etl.clean import clean_html, clean_text

    content = read_input(path)
    as_html = args.html or isinstance(content, bytes) or content.lstrip()[:1] == "<"
    return clean_html(content, url=args.url, source=source) if as_html else clean_text(content, source)


def cmd_extract(args) -> int:
    """The events of each file, one JSON object per line with its path; a file that cannot be read or dated
    is reported on stderr and the batch goes on (exit status 1 at the end)."""
    from crawlers.sources import for_url
    from etl.clean import CleanError
    from etl.events.extract import extract_events

    source = for_url(args.url) if args.url else None
    failed = False
    for path in args.files:
        try:
            article = clean_file(path, args, source)
        except (OSError, CleanError, InputError) as error:
            _warn(f"{path}: {error}")
            failed = True
            continue
        published = args.published or article.published
        if published is None:
            _warn(f"{path}: no publication date found; pass --published YYYY-MM-DD")
            failed = True
            continue
        events = [e.as_dict() for e in extract_events(article.text, published)]
        print(json_line({"path": path, "published": published.isoformat(), "events": events}), flush=True)
    return 1 if failed else 0


def cmd_serve(args) -> int:
    from crawlers import mirror

    server, url = mirror.start(port=args.port)
    _say(f"serving {settings.RECORDED_DIR} at {url} (Ctrl-C to stop); crawl it with VNRU_MIRROR={url}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()
    return 0


def cmd_sources_check(args) -> int:
    from crawlers import check
    from crawlers import settings as crawl_settings
    from crawlers.sources import SOURCES

    failed = 0
    for name in args.source or sorted(SOURCES):
        source = SOURCES[name]
        fetch = check.live_fetch(crawl_settings.USER_AGENT) if args.live else check.recorded_fetch(source)
        report = check.check(source, fetch, args.limit)
        failed += not report.ok
        _say(f"{name}: {'ok' if report.ok else 'NEEDS REPAIR'} ({report.pages} pages)")
        for url, listed in report.discovery.items():
            _say(f"  discovery {url}: {listed if isinstance(listed, str) else f'{listed} articles listed'}")
        for field, hits in report.found.items():
            shown = f"{hits}/{report.pages}" if report.declared.get(field, True) else "no rule declared"
            _say(f"  {field:6} {shown}")
        for url in report.fell_back:
            _say(f"  fell back to the generic extractor: {url}")
    return 1 if failed else 0


# --- demo --------------------------------------------------------------------------------------

def cmd_airflow_setup(args) -> int:
    """Prepare the Airflow of this environment (AIRFLOW_HOME) for the vnru_news DAG."""
    from etl import pgserver
    from ops import airflow_setup

    db_url = pgserver.resolve_url()
    airflow_setup.prepare(os.environ.copy(), db_url)
    _say(f"Airflow at {os.environ.get('AIRFLOW_HOME', '~/airflow')}: metadata migrated, pools "
         f"{', '.join(airflow_setup.pools())}, connection {airflow_setup.CONN_ID} -> {shown(db_url)}")
    return 0


def print_events(rows: list[dict]) -> None:
    _say(f"{'date':<23} {'type':<15} {'place':<14} {'Vietnam':<34} {'Russia':<28} src")
    for r in rows:
        when = f"{r['start_date']}" + (f"..{r['end_date']}" if r["end_date"] != r["start_date"] else "")
        place = r["city"] or r["country"] or ""
        _say(f"{when:<23} {r['event_type']:<15} {place:<14} {', '.join(r['vn_participants'] or [])[:33]:<34} "
             f"{', '.join(r['ru_participants'] or [])[:27]:<28} {r['source_count']}")


def cmd_demo(args) -> int:
    from etl import load
    from ops import airflow_setup

    began = time.monotonic()
    _say("1. database")
    db_url = upgrade_database()
    _say(f"  migrated: {shown(db_url)}")
    db = load.engine()
    before = load.table_checksums(db)
    with recorded_pages(use_recorded(args.pages)):
        if args.no_airflow:
            _say(f"2. pipeline for {args.start}..{args.end} (vnru run, without Airflow)")
            from crawlers.sources import SOURCES

            run_pipeline(args.start, args.end, list(SOURCES), crawl=True)
        else:
            _say(f"2. Airflow DAG vnru_news for {args.start}..{args.end}")
            airflow_setup.dag_test(db_url, args.start, args.end, say=_say)
    counts = load.window_counts(db, args.start, args.end)
    pages = load.table_counts(db)["raw.pages"]
    rows = load.events_table(db, args.start, args.end)
    _say(f"3. result: {pages} pages archived, {counts['articles']} articles, {counts['kept']} kept "
         f"(relevant originals), {counts['duplicates']} duplicates dropped, {counts['quarantined']} quarantined, "
         f"{len(rows)} events")
    print_events(rows)
    after = load.table_checksums(db)
    changed = [name for name in after if after[name] != before.get(name)]
    _say(f"4. this run changed: {', '.join(changed)}" if changed else
         "4. this run changed nothing in the database (every table's checksum is as before)")
    _say(f"done in {time.monotonic() - began:.0f}s. Query it: psql \"$(vnru db url | sed s/+psycopg2//)\" "
         "-c 'SELECT * FROM analytics.events'")
    return 0


# --- arguments ---------------------------------------------------------------------------------

def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="vnru", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def pages_option(p):
        p.add_argument("--pages", choices=("auto", "recorded", "live"), default="auto",
                       help="crawl the live sites or the bundled recordings (auto: recordings when offline)")

    p = sub.add_parser("db", help="manage the database: upgrade (Alembic to head), url, analyst-url (the read-only "
                                  "role's, embedded server), stop (embedded server)")
    p.add_argument("action", choices=("upgrade", "url", "analyst-url", "stop"))
    p.set_defaults(func=cmd_db)

    p = sub.add_parser("crawl", help="crawl one source for a date window into the raw archive")
    p.add_argument("--source", required=True, type=_source, help="source name (see crawlers/sources)")
    p.add_argument("--start", required=True, type=_date)
    p.add_argument("--end", required=True, type=_date)
    p.add_argument("--refetch", action="store_true", help="fetch pages again even if archived")
    pages_option(p)
    p.set_defaults(func=cmd_crawl)

    p = sub.add_parser("run", help="the whole pipeline for a date window, without Airflow (same code as the DAG)")
    p.add_argument("--start", required=True, type=_date)
    p.add_argument("--end", required=True, type=_date)
    p.add_argument("--source", action="append", type=_source, help="only this source (repeatable); default all")
    p.add_argument("--reprocess", action="store_true", help="skip crawling; rebuild from the raw archive")
    p.add_argument("--refetch", action="store_true", help="fetch pages again even if archived")
    pages_option(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("clean", help="print the cleaned article of text or HTML files (plain or .gz); "
                                        "site templates learned from the archive apply in the pipeline only")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--html", action="store_true", help="treat input as HTML (default: guessed)")
    p.add_argument("--url", help="the page's URL (picks the source's rules)")
    p.add_argument("--source", type=_source, help="apply this source's rules")
    p.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    p.set_defaults(func=cmd_clean)

    p = sub.add_parser("extract", help="print the events each article reports, one JSON object per line")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--published", type=_date, help="publication date (default: from the page's metadata)")
    p.add_argument("--url", help="the page's URL (picks the source's rules)")
    p.add_argument("--html", action="store_true", help="treat input as HTML (default: guessed)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("sources", help="sources check: do each source's rules still find its articles' title, "
                                       "date, lead and body? (recordings, or --live)")
    p.add_argument("action", choices=["check"])
    p.add_argument("--source", action="append", help="a source name (repeatable; default: all)")
    p.add_argument("--live", action="store_true", help="ask the live sites (robots.txt obeyed)")
    p.add_argument("--limit", type=int, default=5, help="recent articles fetched per source")
    p.set_defaults(func=cmd_sources_check)

    p = sub.add_parser("serve", help="serve the recorded pages on localhost for crawling")
    p.add_argument("--port", type=int, default=8765)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("airflow-setup", help="prepare your Airflow for the DAG: migrate its metadata, create the "
                                             "crawl pools and the vnru_db connection (to DATABASE_URL)")
    p.set_defaults(func=cmd_airflow_setup)

    p = sub.add_parser("demo", help="end to end on the embedded default: migrate, crawl, Airflow DAG, report")
    p.add_argument("--start", type=_date, default=_date(DEMO_START))
    p.add_argument("--end", type=_date, default=_date(DEMO_END))
    p.add_argument("--no-airflow", action="store_true", help="run the stages directly instead of the DAG")
    pages_option(p)
    p.set_defaults(func=cmd_demo)
    return root


def main(argv: list[str] | None = None) -> int:
    """Exit codes: 0 done, 1 failed (a crawl, a gate, an unreadable file), 2 bad arguments (nothing was
    started), 130 interrupted."""
    cli = parser()
    args = cli.parse_args(argv)
    if getattr(args, "start", None) and getattr(args, "end", None) and args.start > args.end:
        cli.error(f"--end {args.end} is before --start {args.start}")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # one clear line for the user; the traceback with VNRU_DEBUG=1
        if os.environ.get("VNRU_DEBUG"):
            raise
        _warn(f"vnru {args.command}: {type(error).__name__}: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
