"""vnru_news in a running Airflow, as an operator drives it: the REST API, the backfill CLI and the UI.

One Airflow (ops.airflow_server) serves the whole module, with its own metadata database and its own vnru
database on the test server, crawling the recorded pages. When Redis answers on 127.0.0.1:6379 (and the
Celery provider is installed) it runs the CeleryExecutor with two workers, each with its own VNRU_HOME and
temporary folder, on a Redis database of its own, and the LocalExecutor beside it for the backfills (so
both executors stay covered by one server); else `airflow standalone` on the LocalExecutor, and the Celery
test skips saying why. Task lists come from the API, so new tasks in the DAG need no change here.
Timings are printed (`pytest -rP` shows them).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib
import importlib.util
import socket
import struct
import time
from collections import Counter
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, create_engine, text

from crawlers import mirror
from etl import pgserver
from etl.load import table_checksums
from ops import airflow_server
from ops.airflow_server import Client, Server
from scripts.screenshot_airflow import CHROMEDRIVER, CHROMIUM, JANUARY, grid_screenshot

pytestmark = pytest.mark.slow

DAG = "vnru_news"
DONE = {"success", "skipped"}
BACKFILL_DAYS = ("2025-01-14", "2025-01-14")  # one daily run (a day with reports): the property needs no more
BACKFILL_DATES = {"2025-01-14"}
REDIS = ("127.0.0.1", 6379)


@dataclass
class Airflow:
    server: Server
    client: Client
    db: Engine


@functools.cache
def no_celery() -> str | None:
    """Why the module cannot run the CeleryExecutor here, or None when it can."""
    if not importlib.util.find_spec("airflow.providers.celery"):
        return "apache-airflow-providers-celery is not installed (`pip install -c requirements.lock -e .`)"
    try:
        socket.create_connection(REDIS, timeout=2).close()
    except OSError as error:
        return f"no Redis on {REDIS[0]}:{REDIS[1]} ({error}): the module runs on the LocalExecutor"
    return None


@pytest.fixture(scope="module")
def airflow(pg_admin_url, module_db_url, tmp_path_factory):
    """Airflow for the module: its own metadata database, the module's vnru database, the recorded sites;
    on Celery with two workers when Redis answers."""
    recorded, mirror_url = mirror.start()
    try:
        with contextlib.ExitStack() as stack:
            metadata_url = stack.enter_context(pgserver.temporary_database(pg_admin_url, "airflow_test"))
            broker = None if no_celery() else stack.enter_context(airflow_server.redis_database(*REDIS))
            began = time.monotonic()
            with airflow_server.running(module_db_url, metadata_url, home=tmp_path_factory.mktemp("airflow"),
                                        scheduled=False, extra_env={"VNRU_MIRROR": mirror_url},
                                        broker=broker, local_backfills=True) as server:
                client = server.client()
                client.wait_dag(DAG)
                print(f"airflow healthy ({server.env['AIRFLOW__CORE__EXECUTOR']}, workers {server.workers}), "
                      f"{DAG} parsed: {time.monotonic() - began:.0f}s")
                db = create_engine(module_db_url)
                yield Airflow(server, client, db)
                db.dispose()
                began = time.monotonic()
            print(f"airflow stopped: {time.monotonic() - began:.0f}s")
            assert not airflow_server.stragglers(server), "processes left behind by Airflow"
    finally:
        recorded.shutdown()


@pytest.fixture(scope="module")
def january_run(airflow) -> dict:
    """January 2025 (all three sources report the Mishustin visit) triggered through the REST API."""
    began = time.monotonic()
    run = airflow.client.trigger(DAG, JANUARY, logical_date="2025-01-31T00:00:00+00:00")
    run = airflow.client.wait(DAG, run["dag_run_id"], timeout=600)
    print(f"REST run {run['dag_run_id']}: {run['state']} in {time.monotonic() - began:.0f}s")
    return run


def unfinished(tis: list[dict]) -> list[tuple]:
    return [(ti["dag_run_id"], ti["task_id"], ti["map_index"], ti["state"]) for ti in tis if ti["state"] not in DONE]


def when(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp)


def backfill(airflow: Airflow) -> tuple[dict, list[dict], float]:
    """`airflow backfill create` over BACKFILL_DAYS, waited for; its runs and how long it took."""
    known = {b["id"] for b in airflow.client.backfills(DAG)}
    began = time.monotonic()
    airflow.server.cli("backfill", "create", "--dag-id", DAG, "--from-date", BACKFILL_DAYS[0],
                       "--to-date", BACKFILL_DAYS[1])
    [created] = [b for b in airflow.client.backfills(DAG) if b["id"] not in known]
    done = airflow.client.wait_backfill(created["id"], timeout=1200)
    took = time.monotonic() - began
    runs = airflow.client.runs(DAG, run_type="backfill")
    tis = [ti for ti in airflow.client.task_instances(DAG) if ti["dag_run_id"] in {r["dag_run_id"] for r in runs}]
    print(f"backfill {created['id']}: {len(runs)} runs, {len(tis)} task instances in "
          f"{took:.0f}s; states {dict(Counter(ti['state'] for ti in tis))}, "
          f"tries {dict(Counter(ti['try_number'] for ti in tis))}")
    assert len(runs) == len(BACKFILL_DATES) and {r["state"] for r in runs} == {"success"}, Counter(
        r["state"] for r in runs)
    assert {r["logical_date"][:10] for r in runs} == BACKFILL_DATES
    assert all(when(r["end_date"]) >= when(done["created_at"]) for r in runs)  # run (again) by this backfill
    assert not unfinished(tis)
    assert {ti["task_id"] for ti in tis} == set(airflow.client.task_ids(DAG))
    ran = [ti for ti in tis if ti["start_date"]]
    assert ran and not {ti["hostname"] for ti in ran} & set(airflow.server.workers)  # the LocalExecutor ran them
    if airflow.server.workers:
        assert {ti["executor"] for ti in ran} == {airflow_server.LOCAL}
    return done, runs, took


def test_a_backfill_over_processed_days_leaves_identical_tables(airflow, january_run):
    assert january_run["state"] == "success"  # January is in the tables: the backfill's day is done again
    first = table_checksums(airflow.db)
    with airflow.db.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM core.events WHERE start_date = :day"),
                           {"day": dt.date.fromisoformat(BACKFILL_DAYS[0])}) > 0  # the day holds reports
    backfill(airflow)
    assert table_checksums(airflow.db) == first


def test_rest_run_succeeds_and_loads_the_mishustin_visit(airflow, january_run):
    assert january_run["state"] == "success"
    assert january_run["conf"] == JANUARY
    tis = airflow.client.task_instances(DAG, january_run["dag_run_id"])
    assert not unfinished(tis)
    assert {ti["task_id"] for ti in tis} == set(airflow.client.task_ids(DAG))
    assert all(ti["map_index"] >= 0 for ti in tis if ti["task_id"].startswith("crawl_"))  # mapped crawls
    with airflow.db.connect() as conn:
        visits = conn.execute(text("SELECT start_date FROM analytics.events WHERE event_type = 'visit' "
                                   "AND 'Mikhail Mishustin' = ANY(ru_participants)")).scalars().all()
    assert visits and all(str(day).startswith("2025-01") for day in visits)


def test_on_celery_the_run_spreads_over_both_workers_and_records_its_summary(airflow, january_run):
    if no_celery():
        pytest.skip(no_celery())
    assert january_run["state"] == "success"
    tis = airflow.client.task_instances(DAG, january_run["dag_run_id"])
    ran = [ti for ti in tis if ti["start_date"]]  # a task the scheduler skipped never reached a worker
    hosts = Counter(ti["hostname"] for ti in ran)
    print(f"task instances per worker: {dict(hosts)}")
    assert set(hosts) == set(airflow.server.workers), hosts  # every task on a worker, and on both of them
    with airflow.db.connect() as conn:
        summary = conn.execute(text("SELECT status, articles_changed FROM core.pipeline_runs WHERE run_id = :run"),
                               {"run": january_run["dag_run_id"]}).one()
        events = conn.scalar(text("SELECT count(*) FROM core.events"))
    assert summary.status == "passed" and summary.articles_changed > 0 and events > 0


def test_redis_database_claims_an_empty_database_of_its_own_and_flushes_it():
    if no_celery():
        pytest.skip(no_celery())
    import redis

    with airflow_server.redis_database(*REDIS) as first, airflow_server.redis_database(*REDIS) as second:
        assert first != second  # two claims (two test runs) never share a database
        client = redis.Redis.from_url(first)
        client.set("left-behind", "1")
    assert client.dbsize() == 0
    client.close()


def test_celery_workers_get_their_own_name_home_and_temporary_folder(tmp_path, monkeypatch):
    env = airflow_server.server_env("postgresql://u@h/vnru", "postgresql+psycopg2://u@h/meta", 8080, tmp_path,
                                    broker="redis://127.0.0.1:6379/3")
    assert env["AIRFLOW__CORE__EXECUTOR"] == airflow_server.CELERY
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"] == "db+postgresql+psycopg2://u@h/meta"
    worker = airflow_server.worker_env(env, tmp_path / "vnru-worker-1")
    assert worker["VNRU_HOME"] == str(tmp_path / "vnru-worker-1") and (tmp_path / "vnru-worker-1" / "tmp").is_dir()
    module, name = env["AIRFLOW__CORE__HOSTNAME_CALLABLE"].rsplit(".", 1)
    hostname = getattr(importlib.import_module(module), name)
    monkeypatch.setenv(airflow_server.WORKER_NAME, worker[airflow_server.WORKER_NAME])
    assert hostname() == "vnru-worker-1"
    monkeypatch.delenv(airflow_server.WORKER_NAME)
    from airflow.utils.net import getfqdn

    assert hostname() == getfqdn()
    assert "AIRFLOW__CELERY__BROKER_URL" not in airflow_server.server_env("postgresql://u@h/vnru", "postgresql://m",
                                                                          8080, tmp_path)


def test_the_policy_sends_backfills_and_only_them_to_the_local_executor(tmp_path):
    from types import SimpleNamespace

    from airflow.utils.types import DagRunType

    for run_type, run, expected in [(DagRunType.BACKFILL_JOB, True, airflow_server.LOCAL),
                                    (DagRunType.BACKFILL_JOB, False, airflow_server.LOCAL),
                                    (DagRunType.MANUAL, True, None), (DagRunType.SCHEDULED, False, None)]:
        ti = SimpleNamespace(run_id=f"{run_type.value}__2025-01-15T00:00:00+00:00", executor=None)
        airflow_server.task_instance_mutation_hook(ti, SimpleNamespace(run_type=run_type) if run else None)
        assert ti.executor == expected, (run_type, run)
    env = airflow_server.server_env("postgresql://u@h/vnru", "postgresql://m", 8080, tmp_path,
                                    broker="redis://127.0.0.1:6379/3", local_backfills=True)
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor,LocalExecutor"  # Celery stays the default
    assert "task_instance_mutation_hook" in (tmp_path / "config" / "airflow_local_settings.py").read_text()


def png_size(path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">II", header[16:24])


@pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                    reason="needs Debian's chromium and chromium-driver (`make install` installs them)")
def test_ui_login_and_grid_screenshot(airflow, january_run, tmp_path):
    png = tmp_path / "grid.png"
    task_ids = airflow.client.task_ids(DAG)
    began = time.monotonic()
    shown = grid_screenshot(airflow.server.url, airflow.server.password(), DAG, january_run["dag_run_id"],
                            task_ids, png)
    print(f"screenshot: {time.monotonic() - began:.0f}s, {png.stat().st_size} bytes")
    width, height = png_size(png)
    assert width >= 1000 and height >= 600 and png.stat().st_size > 20_000
    assert all(task_id in shown for task_id in task_ids)
