"""A project-owned PostgreSQL server under VNRU_HOME, used when DATABASE_URL is not set.

initdb and pg_ctl refuse to run as root, so as root the data folder is handed to the
`postgres` system user and the server runs as that user (runuser).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
from sqlalchemy.engine import make_url

from etl import settings

DB_NAME = "vnru"


class PostgresNotFound(RuntimeError):
    pass


def bindir() -> Path:
    """The folder of initdb/pg_ctl: pg_config's answer, else the newest /usr/lib/postgresql/N/bin."""
    if shutil.which("pg_config"):
        candidate = Path(subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip())
        if (candidate / "initdb").exists():
            return candidate
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    raise PostgresNotFound(
        "PostgreSQL server binaries (initdb, pg_ctl) not found. Install them with "
        "`apt-get install postgresql` or set DATABASE_URL to an existing server."
    )


def _as_server_user(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def _hand_over(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")
        path.chmod(0o700)


def _check(result: subprocess.CompletedProcess, what: str) -> None:
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}")


def url(port: int | None = None, db: str = DB_NAME) -> str:
    return f"postgresql+psycopg2://postgres@127.0.0.1:{port or settings.embedded_port()}/{db}"


def ensure_running(home: Path | None = None, port: int | None = None) -> str:
    """Initialise (once) and start (if stopped) the embedded server; create the vnru database; return its URL."""
    home = home or settings.vnru_home()
    port = port or settings.embedded_port()
    pgdata, sockets = home / "pgdata", home / "pgrun"
    home.mkdir(parents=True, exist_ok=True)
    bins = bindir()
    if not (pgdata / "PG_VERSION").exists():
        _hand_over(pgdata)
        _check(_as_server_user([str(bins / "initdb"), "-D", str(pgdata), "-U", "postgres",
                                "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]), "initdb")
    _hand_over(sockets)
    if _as_server_user([str(bins / "pg_ctl"), "-D", str(pgdata), "status"]).returncode != 0:
        options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1"
        _check(_as_server_user([str(bins / "pg_ctl"), "-D", str(pgdata), "-o", options,
                                "-l", str(pgdata / "server.log"), "-w", "-t", "60", "start"]), "pg_ctl start")
    create_database(port, DB_NAME)
    return url(port)


def create_database(port: int, name: str) -> None:
    conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


@contextlib.contextmanager
def temporary_database(admin_url: str, prefix: str = "vnru_tmp", template: str | None = None) -> Iterator[str]:
    """A new database `<prefix>_<random>` on the server of `admin_url` for the block, dropped after
    (connections and all): tests and throwaway Airflow instances run beside the real data.

    With `template` (a database URL on the same server) the new database is a copy of that one, made by
    the server in a fraction of the time a migration or a crawl takes; its open sessions are ended first."""
    admin = make_url(admin_url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    conn = psycopg2.connect(host=admin.host, port=admin.port, user=admin.username, password=admin.password,
                            dbname=admin.database)
    conn.autocommit = True
    try:
        if template:
            source = make_url(template).database
            conn.cursor().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                                  "AND pid <> pg_backend_pid()", (source,))
            conn.cursor().execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
        else:
            conn.cursor().execute(f'CREATE DATABASE "{name}"')
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        conn.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


def stop(home: Path | None = None) -> bool:
    """Stop the embedded server; False if it was not running."""
    pgdata = (home or settings.vnru_home()) / "pgdata"
    if not (pgdata / "PG_VERSION").exists():
        return False
    return _as_server_user([str(bindir() / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"]).returncode == 0


def resolve_url() -> str:
    """DATABASE_URL when set, else the embedded server (started on demand)."""
    return settings.database_url() or ensure_running()
