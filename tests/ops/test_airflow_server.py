"""vnru_news in a running Airflow, as an operator drives it: the REST API, the backfill CLI and the UI.

One `airflow standalone` (ops.airflow_server) serves the whole module, with its own metadata database
and its own vnru database on the test server, crawling the recorded pages. Task lists come from the
API, so new tasks in the DAG need no change here. Timings are printed (`pytest -rP` shows them).
"""

from __future__ import annotations

import datetime as dt
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


@dataclass
class Airflow:
    server: Server
    client: Client
    db: Engine


@pytest.fixture(scope="module")
def airflow(pg_admin_url, module_db_url, tmp_path_factory):
    """Airflow for the module: its own metadata database, the module's vnru database, the recorded sites."""
    recorded, mirror_url = mirror.start()
    try:
        with pgserver.temporary_database(pg_admin_url, "airflow_test") as metadata_url:
            began = time.monotonic()
            with airflow_server.running(module_db_url, metadata_url, home=tmp_path_factory.mktemp("airflow"),
                                        scheduled=False, extra_env={"VNRU_MIRROR": mirror_url}) as server:
                client = server.client()
                client.wait_dag(DAG)
                print(f"airflow healthy, {DAG} parsed: {time.monotonic() - began:.0f}s")
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


def backfill(airflow: Airflow, *options: str) -> tuple[dict, list[dict], float]:
    """`airflow backfill create` over BACKFILL_DAYS, waited for; its runs and how long it took."""
    known = {b["id"] for b in airflow.client.backfills(DAG)}
    began = time.monotonic()
    airflow.server.cli("backfill", "create", "--dag-id", DAG, "--from-date", BACKFILL_DAYS[0],
                       "--to-date", BACKFILL_DAYS[1], *options)
    [created] = [b for b in airflow.client.backfills(DAG) if b["id"] not in known]
    done = airflow.client.wait_backfill(created["id"], timeout=1200)
    took = time.monotonic() - began
    runs = airflow.client.runs(DAG, run_type="backfill")
    tis = [ti for ti in airflow.client.task_instances(DAG) if ti["dag_run_id"] in {r["dag_run_id"] for r in runs}]
    print(f"backfill {created['id']} {' '.join(options)}: {len(runs)} runs, {len(tis)} task instances in "
          f"{took:.0f}s; states {dict(Counter(ti['state'] for ti in tis))}, "
          f"tries {dict(Counter(ti['try_number'] for ti in tis))}")
    assert len(runs) == len(BACKFILL_DATES) and {r["state"] for r in runs} == {"success"}, Counter(
        r["state"] for r in runs)
    assert {r["logical_date"][:10] for r in runs} == BACKFILL_DATES
    assert all(when(r["end_date"]) >= when(done["created_at"]) for r in runs)  # run (again) by this backfill
    assert not unfinished(tis)
    assert {ti["task_id"] for ti in tis} == set(airflow.client.task_ids(DAG))
    return done, runs, took


def test_backfill_twice_leaves_identical_tables(airflow):
    backfill(airflow)
    first = table_checksums(airflow.db)
    with airflow.db.connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM core.events")) > 0  # the window holds reports
    backfill(airflow, "--reprocess-behavior", "completed")
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
