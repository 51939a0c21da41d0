"""A project-owned PostgreSQL server under VNRU_HOME, used when DATABASE_URL is not set.

initdb and pg_ctl refuse to run as root, so as root the data folder is handed to the
`postgres` system user and the server runs as that user (runuser).

It listens on 127.0.0.1 only and asks every connection for a password (scram-sha-256, no `trust`): the
superuser's password is generated on first start into VNRU_HOME/postgres-password (mode 0600, outside the
repository), so another local user can neither log in as the superuser nor reach the Unix socket (0700).
A server initialised by an older vnru with `trust` is given the password and the rules on its next start.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import psycopg2.errors
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


HBA = """# written by vnru (etl/pgserver.py): a password for every connection, TCP from this machine only
local   all all                scram-sha-256
host    all all 127.0.0.1/32   scram-sha-256
host    all all ::1/128        scram-sha-256
"""


def password(home: Path | None = None, role: str = "postgres") -> str:
    """The password of `role` from VNRU_HOME/<role>-password, generated (0600) when absent."""
    path = (home or settings.vnru_home()) / f"{role}-password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
            out.write(secrets.token_urlsafe(24))
    return path.read_text().strip()


def url(port: int | None = None, db: str = DB_NAME, home: Path | None = None) -> str:
    return (f"postgresql+psycopg2://postgres:{password(home)}@127.0.0.1:{port or settings.embedded_port()}"
            f"/{db}")


def _initdb(bins: Path, pgdata: Path, secret: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:  # the password reaches initdb through a file only it reads
        pwfile = Path(tmp) / "pw"
        pwfile.write_text(secret)
        if os.geteuid() == 0:
            shutil.chown(tmp, "postgres")
            shutil.chown(pwfile, "postgres")
        _check(_as_server_user([str(bins / "initdb"), "-D", str(pgdata), "-U", "postgres", f"--pwfile={pwfile}",
                                "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"]), "initdb")


def _secure(pgdata: Path, port: int, secret: str) -> None:
    """Give a server still trusting local connections (initialised by an older vnru) the password and the
    password-only rules; nothing to do once pg_hba.conf is vnru's."""
    hba = pgdata / "pg_hba.conf"
    if hba.read_text() == HBA:
        return
    conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", password=secret, dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("ALTER ROLE postgres PASSWORD %s", (secret,))
        hba.write_text(HBA)
        cur.execute("SELECT pg_reload_conf()")
    conn.close()


def ensure_running(home: Path | None = None, port: int | None = None) -> str:
    """Initialise (once) and start (if stopped) the embedded server; create the vnru database; return its URL."""
    home = home or settings.vnru_home()
    port = port or settings.embedded_port()
    pgdata, sockets = home / "pgdata", home / "pgrun"
    home.mkdir(parents=True, exist_ok=True)
    secret = password(home)
    bins = bindir()
    if not (pgdata / "PG_VERSION").exists():
        _hand_over(pgdata)
        _initdb(bins, pgdata, secret)
    _hand_over(sockets)
    if _as_server_user([str(bins / "pg_ctl"), "-D", str(pgdata), "status"]).returncode != 0:
        options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c unix_socket_permissions=0700"
        _check(_as_server_user([str(bins / "pg_ctl"), "-D", str(pgdata), "-o", options,
                                "-l", str(pgdata / "server.log"), "-w", "-t", "60", "start"]), "pg_ctl start")
    _secure(pgdata, port, secret)
    create_database(port, DB_NAME, secret)
    return url(port, home=home)


def create_database(port: int, name: str, secret: str) -> None:
    conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", password=secret, dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone() is None:
            with contextlib.suppress(psycopg2.errors.DuplicateDatabase):  # a concurrent first run created it
                cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def analyst_url(home: Path | None = None, port: int | None = None) -> str:
    """The embedded server's URL for the read-only `analyst` role (created by the migrations), its password
    generated into VNRU_HOME/analyst-password and set on the role."""
    admin = ensure_running(home, port)
    secret = password(home, "analyst")
    conn = psycopg2.connect(make_url(admin).set(drivername="postgresql").render_as_string(hide_password=False))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = 'analyst'")
        if cur.fetchone() is None:
            raise RuntimeError("no analyst role yet: run `vnru db upgrade` first")
        cur.execute("ALTER ROLE analyst PASSWORD %s", (secret,))
    conn.close()
    return make_url(admin).set(username="analyst", password=secret).render_as_string(hide_password=False)


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
