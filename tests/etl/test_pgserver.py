"""The embedded PostgreSQL asks for a password: no `trust`, credentials generated outside the repository."""

import socket
import tempfile
from pathlib import Path

import psycopg2
import psycopg2.errors
import pytest

from etl import pgserver, settings


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """One throwaway embedded server for the module (initdb takes seconds)."""
    try:
        pgserver.bindir()
    except pgserver.PostgresNotFound as missing:
        pytest.skip(str(missing))
    with tempfile.TemporaryDirectory(prefix="vnru-pg-") as tmp:  # not under pytest's 0700 folders: as root,
        home = Path(tmp)                                        # the server runs as postgres and must reach it
        home.chmod(0o755)
        port = _free_port()
        try:
            yield home, port, pgserver.ensure_running(home=home, port=port)
        finally:
            pgserver.stop(home)


def _connect(port: int, **credentials):
    return psycopg2.connect(host="127.0.0.1", port=port, dbname="vnru", connect_timeout=5, **credentials)


def test_embedded_server_refuses_connections_without_the_generated_password(server):
    home, port, url = server
    secret_file = home / "postgres-password"
    assert oct(secret_file.stat().st_mode & 0o777) == "0o600"
    assert ".vnru/" in (settings.PROJECT_ROOT / ".gitignore").read_text().split()  # the default home, untracked
    for credentials in ({"user": "postgres"}, {"user": "postgres", "password": "postgres"}, {"user": "nobody"}):
        with pytest.raises(psycopg2.OperationalError, match="password authentication failed|no password"):
            _connect(port, **credentials)
    with _connect(port, user="postgres", password=secret_file.read_text().strip()) as conn, conn.cursor() as cur:
        cur.execute("SELECT current_user")
        assert cur.fetchone() == ("postgres",)
    assert f":{secret_file.read_text().strip()}@" in url
    hba = (home / "pgdata" / "pg_hba.conf").read_text()
    assert "trust" not in hba.replace("written by vnru", "")
    assert oct((home / "pgrun").stat().st_mode & 0o777) == "0o700"


def test_a_server_initialised_with_trust_is_secured_on_its_next_start(server):
    home, port, _ = server
    pgserver.stop(home)
    hba = home / "pgdata" / "pg_hba.conf"
    hba.write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")  # as older vnru left it
    secret = (home / "postgres-password").read_text().strip()
    pgserver.ensure_running(home=home, port=port)
    assert hba.read_text() == pgserver.HBA
    with pytest.raises(psycopg2.OperationalError):
        _connect(port, user="postgres")
    _connect(port, user="postgres", password=secret).close()


def test_the_analyst_logs_in_with_its_own_password_and_only_reads(server, monkeypatch):
    from ops.cli import upgrade_database

    home, port, url = server
    monkeypatch.setenv("DATABASE_URL", url)
    upgrade_database()
    analyst = pgserver.analyst_url(home, port)
    secret = (home / "analyst-password").read_text().strip()
    assert f"analyst:{secret}@" in analyst and oct((home / "analyst-password").stat().st_mode & 0o777) == "0o600"
    with pytest.raises(psycopg2.OperationalError):
        _connect(port, user="analyst")
    with _connect(port, user="analyst", password=secret) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM analytics.events")
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("SELECT count(*) FROM raw.pages")
