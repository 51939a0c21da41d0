"""What the vnru_news DAG needs from an Airflow installation, and how vnru runs Airflow itself.

The DAG expects:
- the connection `vnru_db` to the vnru database (its quality gates are common-sql check operators);
- one pool per source, `crawl_<source>` with one slot, so that no two runs (a backfill beside the daily
  run, say) crawl the same site at once.
`prepare()` creates both for an Airflow home; `airflow_env()` is the environment vnru runs Airflow in.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from etl import settings

CONN_ID = "vnru_db"


def crawl_pool(source: str) -> str:
    return f"crawl_{source}"


def connection_json(db_url: str) -> str:
    """The vnru database as an Airflow connection (the JSON form of AIRFLOW_CONN_<ID>)."""
    url = make_url(db_url)
    return json.dumps({"conn_type": "postgres", "host": url.host, "port": url.port, "login": url.username,
                       "password": url.password, "schema": url.database})


def airflow_env(db_url: str) -> dict:
    """Airflow under VNRU_HOME/airflow, reading this checkout's dags/ and reaching `db_url` as `vnru_db`."""
    home = settings.vnru_home() / "airflow"
    home.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "AIRFLOW_HOME": str(home), "DATABASE_URL": db_url,
            f"AIRFLOW_CONN_{CONN_ID.upper()}": connection_json(db_url),
            "AIRFLOW__CORE__DAGS_FOLDER": str(settings.PROJECT_ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False", "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(settings.PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}


def pools() -> dict[str, dict]:
    """One single-slot pool per registered source, in `airflow pools import` form."""
    from crawlers.sources import SOURCES

    return {crawl_pool(name): {"slots": 1, "include_deferred": False,
                               "description": f"crawls of {name}: one at a time across all runs"}
            for name in SOURCES}


def airflow(env: dict, *args: str, log: Path | None = None) -> subprocess.CompletedProcess:
    """Run `airflow ARGS` in `env`; raise with the log's tail when it fails."""
    result = subprocess.run([sys.executable, "-m", "airflow", *args], env=env, capture_output=True, text=True)
    if log:
        log.write_text(result.stdout + result.stderr)
    if result.returncode != 0:
        raise RuntimeError(f"airflow {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result


def prepare(env: dict, db_url: str | None = None) -> None:
    """Migrate Airflow's metadata database and create the crawl pools; with `db_url`, also store the
    `vnru_db` connection in it (not needed where AIRFLOW_CONN_VNRU_DB is set). Idempotent."""
    airflow(env, "db", "migrate")
    with tempfile.NamedTemporaryFile("w", suffix=".json") as spec:
        json.dump(pools(), spec)
        spec.flush()
        airflow(env, "pools", "import", spec.name)
    if db_url:
        subprocess.run([sys.executable, "-m", "airflow", "connections", "delete", CONN_ID], env=env,
                       capture_output=True)
        airflow(env, "connections", "add", CONN_ID, "--conn-json", connection_json(db_url))


def dag_test(db_url: str, start: dt.date, end: dt.date, say=print) -> None:
    """`airflow dags test vnru_news` for the window, its output kept in VNRU_HOME/airflow/dags.log."""
    env = airflow_env(db_url)
    began = time.monotonic()
    prepare(env)
    say(f"  airflow db migrate, pools: ok ({time.monotonic() - began:.0f}s)")
    began = time.monotonic()
    log = settings.vnru_home() / "airflow" / "dags.log"
    result = airflow(env, "dags", "test", "vnru_news", end.isoformat(),
                     "-c", json.dumps({"start": start.isoformat(), "end": end.isoformat()}), log=log)
    if "state=failed" in result.stdout + result.stderr:
        raise RuntimeError(f"airflow dags test vnru_news: a task failed; see {log}")
    say(f"  airflow dags test vnru_news: ok ({time.monotonic() - began:.0f}s, log {log})")
