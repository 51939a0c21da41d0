"""Shared fixtures: a real PostgreSQL server, a fresh migrated database per test, the recorded-pages server.

The server is the one at VNRU_TEST_ADMIN_URL, else the machine's on 127.0.0.1:5432 when it answers,
else a throwaway one started under the test's temporary folder (initdb/pg_ctl, as etl.pgserver does).
Each database is created for its test and dropped after, so tests run beside the demo.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from etl import pgserver, settings
from ops.cli import DEMO_END, DEMO_START

SHARED = settings.PROJECT_ROOT.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip: a user's clone has no shared evaluation data beside it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not found: the shared evaluation data sits beside the checkout only in CI/dev")
    return path


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def pg_admin_url(tmp_path_factory) -> str:
    if os.environ.get("VNRU_TEST_ADMIN_URL"):
        yield os.environ["VNRU_TEST_ADMIN_URL"]
        return
    if _answers(5432):
        yield "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
        return
    home = tmp_path_factory.mktemp("pg")
    home.chmod(0o755)
    port = 55000 + os.getpid() % 1000
    pgserver.ensure_running(home=home, port=port)
    yield pgserver.url(port, "postgres", home)
    pgserver.stop(home)


@contextlib.contextmanager
def migrated_database(admin_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A new database on the test server, migrated to head, dropped after; DATABASE_URL points at it."""
    from ops.cli import upgrade_database

    with pgserver.temporary_database(admin_url, "vnru_test") as url:
        monkeypatch.setenv("DATABASE_URL", url)
        upgrade_database()
        yield url


@pytest.fixture(scope="session")
def migrated_template(pg_admin_url) -> str:
    """One database migrated to head for the session; each test's database is a copy of it."""
    with pytest.MonkeyPatch.context() as patch, migrated_database(pg_admin_url, patch) as url:
        yield url


@contextlib.contextmanager
def copied_database(admin_url: str, template: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A copy of `template` for the block, dropped after; DATABASE_URL points at it."""
    with pgserver.temporary_database(admin_url, "vnru_test", template=template) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        yield url


@pytest.fixture
def db_url(request, pg_admin_url, migrated_template, monkeypatch) -> str:
    """A new database migrated to head (holding the demo data when the test asks for `crawled`);
    DATABASE_URL points at it for the code under test."""
    template = request.getfixturevalue("crawled_template") if "crawled" in request.fixturenames else migrated_template
    with copied_database(pg_admin_url, template, monkeypatch) as url:
        yield url


@pytest.fixture(scope="module")
def module_db_url(pg_admin_url, migrated_template) -> str:
    """db_url shared by a module's tests (one Airflow serving them all, say); DATABASE_URL set meanwhile."""
    with pytest.MonkeyPatch.context() as patch, copied_database(pg_admin_url, migrated_template, patch) as url:
        yield url


@pytest.fixture
def db(db_url):
    engine = create_engine(db_url)
    yield engine
    engine.dispose()


START, END = dt.date.fromisoformat(DEMO_START), dt.date.fromisoformat(DEMO_END)  # the demo's window


@pytest.fixture(scope="session")
def crawled_template(pg_admin_url, migrated_template) -> str:
    """The demo data, made once per session: the recorded sites crawled over HTTP and run through the
    pipeline into a copy of the migrated database."""
    from crawlers import mirror as recorded
    from crawlers.sources import SOURCES
    from ops.cli import run_pipeline

    server, mirror_url = recorded.start()
    try:
        with pytest.MonkeyPatch.context() as patch, copied_database(pg_admin_url, migrated_template, patch) as url:
            patch.setenv("VNRU_MIRROR", mirror_url)
            run_pipeline(START, END, sorted(SOURCES), crawl=True)
            yield url
    finally:
        server.shutdown()


@pytest.fixture
def crawled(db, mirror):
    """A database holding the demo data (a copy of crawled_template), the recorded sites still served."""
    return db


@pytest.fixture
def analyst(db_url):
    """The test database as the read-only `analyst` role (the servers the tests use trust local users)."""
    engine = create_engine(make_url(db_url).set(username="analyst", password=None))
    yield engine
    engine.dispose()


@pytest.fixture
def mirror(monkeypatch) -> str:
    """The recorded pages served on localhost, with the crawlers pointed at them."""
    from crawlers import mirror as recorded

    server, url = recorded.start()
    monkeypatch.setenv("VNRU_MIRROR", url)
    yield url
    server.shutdown()


@pytest.fixture
def broken_mirror(monkeypatch):
    """The recorded pages served with some sites broken: `broken_mirror({source: fault})`, fault 'http500'
    (every response of that site a server error) or 'empty' (every response an empty page)."""
    from crawlers import mirror as recorded

    servers = []

    def start(faults: dict[str, str]) -> str:
        class Broken(recorded._Handler):
            def do_GET(self):
                fault = next((f for source, f in faults.items() if self.path.startswith(f"/{source}/")), None)
                if fault is None:
                    return super().do_GET()
                self.send_response(500 if fault == "http500" else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        server, url = recorded.start(handler_class=Broken)
        servers.append(server)
        monkeypatch.setenv("VNRU_MIRROR", url)
        return url

    yield start
    for server in servers:
        server.shutdown()


def expected_pages(source: str) -> list[dict]:
    return json.loads((settings.RECORDED_DIR / source / "expected.json").read_text())["pages"]
