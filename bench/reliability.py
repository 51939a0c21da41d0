"""The fault matrix: every fault or bad input of issue 14 tried against the real components, with how many
times the faulty thing was tried, what vnru did, and the rows lost and duplicated once the fault is gone.

Fetch faults come from a fault-injecting HTTP server on 127.0.0.1 that serves the recorded pages (as
`vnru serve` does) except for one article, https://tass.com/politics/1806207, which it breaks in one way per
row. Each row gets a fresh database: a run with the fault (`vnru run`'s code, crawl included), then a run
with the fault gone; `lost` and `duplicated` compare the articles, events and their sources with a run that
saw no fault at all. Process and concurrency faults kill or overlap real processes; bad input goes through
`vnru`'s own argument and file handling.

    python -m bench.reliability [--json] [--only NAME ...] [--write-doc]

`--write-doc` rewrites docs/reliability.md from the rows. Needs PostgreSQL (VNRU_TEST_ADMIN_URL, else the
machine's on 127.0.0.1:5432, else the embedded server) to create and drop its throwaway databases.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from crawlers import mirror as recorded
from etl import pgserver, settings

TARGET_URL, TARGET_PATH = "https://tass.com/politics/1806207", "/tass/politics/1806207"
START, END = dt.date(2024, 6, 19), dt.date(2024, 6, 21)  # the window of the target article only
DOC = settings.PROJECT_ROOT / "docs" / "reliability.md"
TIMEOUT = 2  # seconds: the crawler's download timeout during the bench (VNRU_DOWNLOAD_TIMEOUT)


@dataclass
class Row:
    fault: str
    group: str
    tries: int
    outcome: str
    lost: int
    duplicated: int


# --- the fault-injecting server ----------------------------------------------------------------

Responder = Callable[["FaultHandler", int], bool]  # (handler, attempt number from 1) -> handled


class FaultHandler(recorded._Handler):
    """Serves the recordings; requests for TARGET_PATH go through `respond` while the fault is on."""

    respond: Responder | None = None
    hits: list[float]
    lock = threading.Lock()

    def do_GET(self):
        if self.path.split("?")[0] == TARGET_PATH or self.path.startswith(TARGET_PATH + "/loop"):
            with self.lock:
                self.hits.append(time.monotonic())
                attempt = len(self.hits)
            if self.respond and self.respond(self, attempt):
                return
            self.path = TARGET_PATH
        return super().do_GET()

    def send(self, status: int, body: bytes, headers: dict[str, str] | None = None, length: int | None = None):
        self.send_response(status)
        for name, value in {"Content-Type": "text/html", **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)


@contextlib.contextmanager
def fault_server(respond: Responder | None) -> Iterator[type[FaultHandler]]:
    handler = type("Faulty", (FaultHandler,), {"respond": staticmethod(respond) if respond else None, "hits": []})
    with recorded.serving(handler_class=handler):
        yield handler


def real_page() -> bytes:
    return (settings.RECORDED_DIR / "tass" / "politics" / "1806207").read_bytes()


def first(n: int, fault: Callable[[FaultHandler], None]) -> Responder:
    """The fault on the first n attempts, the real page after (n=0: always)."""
    def respond(handler: FaultHandler, attempt: int) -> bool:
        if n and attempt > n:
            return False
        fault(handler)
        return True
    return respond


def status(code: int, headers: dict[str, str] | None = None):
    return lambda h: h.send(code, b"", headers)


def body(content: bytes, headers: dict[str, str] | None = None):
    return lambda h: h.send(200, content, headers)


def stall(h: FaultHandler):
    time.sleep(TIMEOUT + 1.5)
    h.send(200, real_page())


def truncated(h: FaultHandler):
    page = real_page()
    h.send(200, page[: len(page) // 3], length=len(page))
    h.close_connection = True


def redirect_loop(h: FaultHandler):
    h.send(302, b"", {"Location": f"{TARGET_PATH}/loop{len(h.hits)}"})


def off_site(h: FaultHandler):
    h.send(302, b"", {"Location": "http://127.0.0.2:9/elsewhere"})


def gzip_bomb(h: FaultHandler):
    h.send(200, gzip.compress(b" " * (settings.MAX_PAGE_BYTES * 4), compresslevel=9), {"Content-Encoding": "gzip"})


def reencoded(codec: str, declared: str | None, header: str | None):
    def fault(h: FaultHandler):
        page = real_page().decode("utf-8")
        page = page.replace('charset="utf-8"', "").replace("charset=utf-8", "")
        if declared:
            page = page.replace("<head>", f'<head><meta charset="{declared}">', 1)
        if codec == "broken-utf-8":  # bytes invalid in UTF-8 in every sentence
            data = page.encode().replace(b" the ", b" th\xe9 \xff ")
        elif codec == "stray-utf-8":  # two stray bytes in the body of an otherwise good page
            data = page.encode()
            body_at = data.index(b"<body")
            data = data[:body_at] + data[body_at:].replace(b" the ", b" th\xe9 ", 2)
        else:
            data = page.encode(codec, errors="replace")
        h.send(200, data, {"Content-Type": f"text/html; charset={header}" if header else "text/html"})
    return fault


def wall(title: str, *lines: str, extra: str = ""):
    content = "".join(f"<p>{line}</p>" for line in lines)
    return body(f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{content}{extra}</body></html>"
                .encode())


HOSTILE = ("<html><head><title>Putin and To Lam hold talks</title></head><body><article>"
           + "".join(f"<p>{p}</p>" for p in [
               "Russian President Vladimir Putin and Vietnamese President To Lam held talks in Hanoi on Thursday, "
               "June 20, 2024, and the two leaders signed documents. \x1b]0;owned\x07\x1b[2J",
               "'); DROP TABLE core.articles; -- \x00 " + "x" * 200_000,
               "Both sides agreed to expand trade, energy and education cooperation between Vietnam and Russia "
               "in the coming years, officials from both countries said after the talks ended."])
           + "</article></body></html>").encode()

HOSTILE_FAULT = "hostile text (SQL, NUL, escape sequences, a 200 kB line)"
LASTING = {HOSTILE_FAULT}  # the page is what it is: compared with its own first run, not the real article
OVERSIZED = {"oversized body (3x the limit)", "gzip bomb (expands to 4x the limit)"}  # re-asked by an operator

FETCH_FAULTS: list[tuple[str, Responder]] = [
    ("timeout once, then the page", first(1, stall)),
    ("timeout on every try", first(0, stall)),
    ("429 with Retry-After, then the page", first(1, status(429, {"Retry-After": "1"}))),
    ("429 with a Retry-After over the cap, then the page", first(1, status(429, {"Retry-After": "3600"}))),
    ("HTTP 503 twice, then the page", first(2, status(503))),
    ("HTTP 503 on every try", first(0, status(503))),
    ("redirect loop", first(0, redirect_loop)),
    ("off-site redirect", first(0, off_site)),
    ("truncated body once, then the page", first(1, truncated)),
    ("truncated body on every try", first(0, truncated)),
    ("wrong charset in the header (latin-1 for UTF-8)", first(0, reencoded("utf-8", None, "iso-8859-1"))),
    ("no charset anywhere", first(0, reencoded("utf-8", None, None))),
    ("windows-1258, declared", first(0, reencoded("cp1258", "windows-1258", None))),
    ("windows-1258, undeclared", first(0, reencoded("cp1258", None, None))),
    ("broken UTF-8 bytes in a UTF-8 page", first(0, reencoded("broken-utf-8", "utf-8", "utf-8"))),
    ("two stray bad bytes in a UTF-8 page", first(0, reencoded("stray-utf-8", "utf-8", "utf-8"))),
    ("oversized body (3x the limit)", first(0, body(b"<html><body><p>" + b"x " * (settings.MAX_PAGE_BYTES * 3 // 2)
                                                      + b"</p></body></html>"))),
    ("gzip bomb (expands to 4x the limit)", first(0, gzip_bomb)),
    ("non-HTML (a PDF)", first(0, body(b"%PDF-1.7\n" + bytes(range(256)) * 40, {"Content-Type": "application/pdf"}))),
    ("soft 404 with HTTP 200, then the page", first(1, wall("Page not found", "The page you requested was not "
                                                                                "found."))),
    ("paywall, then the page", first(1, wall("Putin and To Lam hold talks", "Hanoi, June 20.",
                                             "Subscribe to continue reading."))),
    ("login wall, then the page", first(1, wall("Sign in", "Please sign in to continue reading.",
                                               extra='<form><input type="password"></form>'))),
    ("cookie wall, then the page", first(1, wall("Before you continue", "We use cookies. Accept all cookies "
                                                                        "to continue to the site."))),
    ("CAPTCHA page, then the page", first(1, wall("Just a moment...", "Checking your browser before accessing "
                                                                      "tass.com.",
                                                  extra='<div class="cf-challenge"></div>'))),
    (HOSTILE_FAULT, first(0, body(HOSTILE))),
]


# --- databases and runs ------------------------------------------------------------------------

def admin_url() -> str:
    if os.environ.get("VNRU_TEST_ADMIN_URL"):
        return os.environ["VNRU_TEST_ADMIN_URL"]
    with contextlib.suppress(OSError):
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        return "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
    return pgserver.ensure_running().rsplit("/", 1)[0] + "/postgres"


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    from ops.cli import upgrade_database

    with pgserver.temporary_database(admin_url(), "vnru_bench") as url:
        previous = os.environ.get("DATABASE_URL")
        os.environ["DATABASE_URL"] = url
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                upgrade_database()
            yield url
        finally:
            os.environ.pop("DATABASE_URL") if previous is None else os.environ.__setitem__("DATABASE_URL", previous)


def run(sources: list[str] | None = None, refetch: bool = False) -> str | None:
    """One `vnru run` of the window in this process (its progress output swallowed); the error, if any."""
    from ops.cli import run_pipeline

    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            run_pipeline(START, END, sources or ["tass"], crawl=True, refetch=refetch)
    except Exception as error:  # the row reports it
        return f"{type(error).__name__}: {str(error).splitlines()[0][:140]}"
    return None


def snapshot(url: str) -> dict:
    """What a run left: rows per natural key, the target's archive/quarantine state, the last run's status."""
    engine = create_engine(url)
    with engine.connect() as conn:
        state = {
            "articles": set(conn.scalars(text("SELECT url FROM core.articles"))),
            "article_rows": conn.scalar(text("SELECT count(*) FROM core.articles")),
            "events": conn.scalar(text("SELECT count(*) FROM core.events")),
            "event_sources": conn.scalar(text("SELECT count(*) FROM core.event_sources")),
            "page_dupes": conn.scalar(text("SELECT count(*) - count(DISTINCT (url, sha256)) FROM raw.pages")),
            "target_pages": conn.scalar(text("SELECT count(*) FROM raw.pages WHERE url = :u"), {"u": TARGET_URL}),
            "quarantine": conn.execute(text(
                "SELECT q.stage, q.reason FROM raw.quarantine q JOIN raw.pages p USING (page_id) WHERE p.url = :u "
                "ORDER BY p.fetched_at DESC LIMIT 1"), {"u": TARGET_URL}).first(),
            "target_text": conn.scalar(text("SELECT text FROM core.articles WHERE url = :u"), {"u": TARGET_URL}),
            "status": conn.scalar(text("SELECT status FROM core.pipeline_runs ORDER BY finished_at DESC LIMIT 1")),
        }
    engine.dispose()
    return state


def losses(baseline: dict, after: dict) -> tuple[int, int]:
    lost = (len(baseline["articles"] - after["articles"]) + max(0, baseline["events"] - after["events"])
            + max(0, baseline["event_sources"] - after["event_sources"]))
    duplicated = (after["article_rows"] - len(after["articles"]) + max(0, after["events"] - baseline["events"])
                  + max(0, after["event_sources"] - baseline["event_sources"]) + after["page_dupes"])
    return lost, duplicated


def describe(error: str | None, state: dict) -> str:
    """What the faulty run did, in words."""
    parts = []
    if state["quarantine"]:
        parts.append(f"quarantined ({state['quarantine'][0]}): {state['quarantine'][1][:130]}")
    elif state["target_text"]:
        replaced = state["target_text"].count("\ufffd")
        mojibake = "Ã" in state["target_text"] or "â€" in state["target_text"]
        verbatim = "DROP TABLE core.articles" in state["target_text"]
        parts.append("article kept" + (f" with {replaced} replacement characters where bytes were bad" if replaced
                                       else "") + (" but its text is garbled (mojibake)" if mojibake else "")
                     + (", the SQL stored as text" if verbatim else ""))
    elif not state["target_pages"]:
        parts.append("not archived")
    parts.append(f"run {state['status'] or 'not recorded'}" + (f" ({error})" if error else ""))
    return "; ".join(parts)


def fetch_fault(name: str, respond: Responder, baseline: dict) -> Row:
    """The run with the fault, then one without; a page whose content the fault replaces for good (hostile
    text) is served again instead, and compared with its own first run."""
    lasting = name in LASTING
    with fresh_database() as url:
        with fault_server(respond) as handler:
            error = run()
            tries = len(handler.hits)
            waited = [later - earlier for earlier, later in zip(handler.hits, handler.hits[1:], strict=False)]
        during = snapshot(url)
        with fault_server(respond if lasting else None) as handler:
            recovery = run()
            asked_again = len(handler.hits)
            if name in OVERSIZED:  # not asked again by itself: an operator re-asks it (vnru run --refetch)
                recovery = run(refetch=True)
        after = snapshot(url)
    lost, duplicated = losses(during if lasting else baseline, after)
    healed = TARGET_URL in after["articles"] and not recovery
    outcome = describe(error, during)
    if "Retry-After" in name and waited:
        outcome += f"; asked again {waited[0]:.1f} s later"
    if name in OVERSIZED:
        outcome += f"; next run: asked {asked_again} times; after `--refetch`"
    else:
        outcome += "; next run"
    return Row(name, "fetch", tries, outcome + (": article kept" if healed else f": {recovery or 'article missing'}"),
               lost, duplicated)


# --- process and concurrency faults --------------------------------------------------------------

def _cli(*args: str, env: dict | None = None, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ops.cli", *args], cwd=settings.PROJECT_ROOT,
                            env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **options)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def killed_run(baseline: dict, whole_run: bool) -> Row:
    """`vnru run` (whole_run) or its crawler child killed with SIGKILL while the article is being fetched."""
    held = threading.Event()

    def slow(handler: FaultHandler, attempt: int) -> bool:
        held.set()
        time.sleep(4)
        return False

    with fresh_database() as url, fault_server(slow) as handler:
        process = _cli("run", "--start", str(START), "--end", str(END), "--source", "tass", "--pages", "live")
        held.wait(60)
        crawler = next(iter(_children(process.pid)), None)
        killed_at = time.monotonic()
        os.kill(process.pid if whole_run else crawler, signal.SIGKILL)
        process.wait(60)
        time.sleep(5)
        orphan = crawler is not None and _alive(crawler)
        if orphan:
            os.kill(crawler, signal.SIGKILL)
        tries, hits_after = len(handler.hits), sum(1 for t in handler.hits if t > killed_at)
        during = snapshot(url)
        handler.respond = None
        recovery = run()
        after = snapshot(url)
    lost, duplicated = losses(baseline, after)
    what = ("the crawler child " + ("survived (orphan)" if orphan else "died with it") if whole_run else
            f"vnru run exit {process.returncode}, run {during['status'] or 'not recorded'}")
    return Row("`vnru run` killed (SIGKILL)" if whole_run else "crawl killed (SIGKILL of the Scrapy child)",
               "process", tries, f"{what}; {hits_after} requests after the kill; next run: "
               + ("article kept" if TARGET_URL in after["articles"] and not recovery else str(recovery)),
               lost, duplicated)


def database_stopped_mid_crawl(baseline: dict) -> Row:
    """The crawl's database (a throwaway embedded server) stopped while a page is being fetched, started 3 s
    later: the archive write retries (etl.load.transient) and lands."""
    from ops.cli import upgrade_database

    with tempfile.TemporaryDirectory(prefix="vnru-bench-pg-") as tmp:
        home = Path(tmp)
        home.chmod(0o755)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        url = pgserver.ensure_running(home, port)

        def stop_then_serve(handler: FaultHandler, attempt: int) -> bool:
            if attempt == 1:
                pgserver.stop(home)
                threading.Timer(3, pgserver.ensure_running, (home, port)).start()
            return False

        previous = os.environ.get("DATABASE_URL")
        os.environ["DATABASE_URL"] = url
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                upgrade_database()
            with fault_server(stop_then_serve) as handler:
                error = run()
                tries = len(handler.hits)
            during = snapshot(url)
            with fault_server(None):
                recovery = run()
            after = snapshot(url)
        finally:
            os.environ.pop("DATABASE_URL") if previous is None else os.environ.__setitem__("DATABASE_URL", previous)
            pgserver.stop(home)
    lost, duplicated = losses(baseline, after)
    return Row("database stopped mid-crawl (restarted 3 s later)", "database", tries,
               describe(error, during) + ("; next run: article kept" if TARGET_URL in after["articles"]
                                          and not recovery else f"; next run: {recovery}"), lost, duplicated)


def overlapping_runs(baseline: dict) -> Row:
    with fresh_database() as url, fault_server(None) as handler:
        runs = [_cli("run", "--start", str(START), "--end", str(END), "--source", "tass", "--pages", "live")
                for _ in range(2)]
        codes = [p.wait(300) for p in runs]
        tries = len(handler.hits)
        after = snapshot(url)
    lost, duplicated = losses(baseline, after)
    return Row("two overlapping `vnru run` of the same window", "concurrency", tries,
               f"exit codes {codes}; tables as after one run" if (lost, duplicated) == (0, 0) else
               f"exit codes {codes}", lost, duplicated)


def two_first_runs() -> Row:
    with pgserver.temporary_database(admin_url(), "vnru_bench") as url:
        runs = [_cli("db", "upgrade", env={"DATABASE_URL": url}) for _ in range(2)]
        codes = [p.wait(300) for p in runs]
        errors = [p.stderr.read().strip().splitlines()[-1:] for p in runs]
    return Row("two first runs migrating an empty database at once", "concurrency", 2,
               "both reached head (the second waited for the migration lock)" if codes == [0, 0] else
               f"exit codes {codes}: {errors}", 0, 0)


# --- bad input ---------------------------------------------------------------------------------

def bad_input() -> list[Row]:
    """`vnru` with bad arguments and files: exit code, the one line it printed, whether anything started."""
    with tempfile.TemporaryDirectory(prefix="vnru-bench-input-") as folder:
        return _bad_input(Path(folder))


def _bad_input(tmp: Path) -> list[Row]:
    (tmp / "binary.bin").write_bytes(bytes(range(256)) * 16)
    (tmp / "utf16.txt").write_bytes("The ministers met in Hà Nội on Monday.".encode("utf-16"))
    (tmp / "escapes.txt").write_text("The ministers \x1b]0;owned\x07met \x1b[2Jin Hanoi\x1b]8;;http://x\x1b\\.")
    (tmp / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * (settings.MAX_PAGE_BYTES * 4)))
    cases = [
        ("end date before the start", ["run", "--start", "2024-02-01", "--end", "2024-01-01"]),
        ("unknown --source", ["run", "--start", "2024-01-01", "--end", "2024-01-02", "--source", "nope"]),
        ("--published 0001-01-01", ["extract", str(tmp / "utf16.txt"), "--published", "0001-01-01"]),
        ("`vnru clean` of a binary file", ["clean", str(tmp / "binary.bin")]),
        ("`vnru clean` of a gzip bomb", ["clean", str(tmp / "bomb.txt.gz")]),
        ("`vnru clean` of UTF-16 text", ["clean", str(tmp / "utf16.txt")]),
        ("`vnru clean` of text with ESC/OSC sequences", ["clean", str(tmp / "escapes.txt")]),
    ]
    rows = []
    for name, argv in cases:  # DATABASE_URL at a closed port: a command that reached the database would fail
        process = _cli(*argv, env={"DATABASE_URL": "postgresql+psycopg2://nobody@127.0.0.1:1/none"})
        out, err = process.communicate(timeout=120)
        escapes = any(c == "\x1b" or "\x80" <= c <= "\x9f" for c in out + err)
        said = (err.strip().splitlines() or out.strip().splitlines() or [""])[-1].replace(f"{tmp}/", "")[:110]
        rows.append(Row(name, "input", 1, f"exit {process.returncode}: {said}"
                        + ("; ESCAPES REACHED THE TERMINAL" if escapes else "")
                        + ("; TRACEBACK" if "Traceback" in err else ""), 0, 0))
    return rows


# --- the matrix ----------------------------------------------------------------------------------

def matrix(only: list[str] | None = None, say=print) -> list[Row]:
    os.environ["VNRU_DOWNLOAD_TIMEOUT"] = str(TIMEOUT)

    def wanted(name: str) -> bool:
        return not only or any(o.lower() in name.lower() for o in only)

    with fresh_database() as url, fault_server(None):
        error = run()
        baseline = snapshot(url)
    if error or TARGET_URL not in baseline["articles"]:
        raise RuntimeError(f"the fault-free run failed: {error}")
    say(f"baseline: {len(baseline['articles'])} articles, {baseline['events']} events")
    rows = []
    jobs: list[tuple[str, Callable[[], Row | list[Row]]]] = [
        *((name, lambda n=name, r=respond: fetch_fault(n, r, baseline)) for name, respond in FETCH_FAULTS),
        ("crawl killed", lambda: killed_run(baseline, whole_run=False)),
        ("vnru run killed", lambda: killed_run(baseline, whole_run=True)),
        ("database stopped mid-crawl", lambda: database_stopped_mid_crawl(baseline)),
        ("overlapping runs", lambda: overlapping_runs(baseline)),
        ("two first runs", two_first_runs),
        ("bad input", bad_input),
    ]
    for name, job in jobs:
        if not wanted(name):
            continue
        began = time.monotonic()
        result = job()
        for row in result if isinstance(result, list) else [result]:
            rows.append(row)
            say(f"{row.fault}: tries {row.tries}, lost {row.lost}, duplicated {row.duplicated}: {row.outcome} "
                f"({time.monotonic() - began:.0f}s)")
    return rows


def write_doc(rows: list[Row]) -> None:
    lines = DOC.read_text().split("\n<!-- matrix -->")[0].splitlines() if DOC.exists() else []
    table = ["| fault | group | tries | what happened | lost | duplicated |", "|---|---|---|---|---|---|"]
    table += [f"| {r.fault} | {r.group} | {r.tries} | {r.outcome.replace('|', '/')} | {r.lost} | {r.duplicated} |"
              for r in rows]
    stamp = f"Generated by `python -m bench.reliability --write-doc` on {dt.date.today()}: {len(rows)} rows, " \
            f"{sum(r.lost for r in rows)} lost, {sum(r.duplicated for r in rows)} duplicated."
    DOC.write_text("\n".join(lines) + "\n<!-- matrix -->\n\n" + stamp + "\n\n" + "\n".join(table) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reliability", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the rows as a JSON list")
    parser.add_argument("--only", nargs="*", help="only the faults whose name contains one of these")
    parser.add_argument("--write-doc", action="store_true", help="rewrite the matrix in docs/reliability.md")
    args = parser.parse_args(argv)
    rows = matrix(args.only, say=(lambda message: print(message, file=sys.stderr, flush=True)))
    if args.json:
        print(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1))
    if args.write_doc:
        write_doc(rows)
    return 0 if all(r.lost == 0 and r.duplicated == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
