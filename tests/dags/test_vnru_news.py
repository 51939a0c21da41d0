"""The DAG: parses cleanly without touching the network or a database, and runs end to end.

The full run is `dag.test()` in a child process with its own AIRFLOW_HOME (Airflow reads its
configuration at import), over the recorded pages, into a fresh test database.
"""

import os
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import text

from etl import settings
from etl.airflow_setup import airflow_env, prepare


@pytest.fixture
def airflow_home(tmp_path, monkeypatch):
    monkeypatch.setenv("AIRFLOW_HOME", str(tmp_path / "airflow"))
    monkeypatch.setenv("AIRFLOW__CORE__DAGS_FOLDER", str(settings.PROJECT_ROOT / "dags"))
    monkeypatch.setenv("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
    return tmp_path / "airflow"


def test_dag_parses_without_network_or_database(airflow_home):
    script = textwrap.dedent("""
        import socket, sys
        def refuse(*a, **k):
            raise RuntimeError("network or database touched at parse time")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        from airflow.dag_processing.dagbag import DagBag
        bag = DagBag(dag_folder=sys.argv[1])
        assert not bag.import_errors, bag.import_errors
        dag = bag.dags["vnru_news"]
        assert dag.tags and dag.doc_md
        assert {t.task_id for t in dag.tasks} >= {"window", "plan", "crawl_tass", "clean", "dedupe", "extract", "load", "check"}
        assert dag.get_task("crawl_tass").pool == "crawl_tass"
        assert dag.get_task("crawl_tass").retries >= 3 and dag.get_task("load").retries >= 3
        assert [a.name for a in dag.get_task("load").outlets] == ["vnru.core.events"]
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", script, str(settings.PROJECT_ROOT / "dags")],
                            capture_output=True, text=True, env=os.environ)
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr[-3000:]


def test_dag_run_over_recorded_pages_loads_the_events(db, db_url, mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("VNRU_HOME", str(tmp_path))
    env = airflow_env(db_url)
    prepare(env)
    script = textwrap.dedent("""
        import datetime as dt, sys
        from airflow.dag_processing.dagbag import DagBag
        dag = DagBag(dag_folder=sys.argv[1]).dags["vnru_news"]
        run = dag.test(logical_date=dt.datetime(2025, 5, 31, tzinfo=dt.timezone.utc),
                       run_conf={"start": "2025-01-01", "end": "2025-01-31"})
        print("STATE", run.state)
    """)
    result = subprocess.run([sys.executable, "-c", script, str(settings.PROJECT_ROOT / "dags")], env=env,
                            capture_output=True, text=True)
    assert "STATE success" in result.stdout, (result.stdout + result.stderr)[-4000:]
    with db.connect() as conn:
        events = conn.execute(text("SELECT event_type, start_date, vn_participants, ru_participants "
                                   "FROM analytics.events")).all()
        outside = conn.scalar(text("SELECT count(*) FROM core.articles WHERE published NOT BETWEEN "
                                   "'2025-01-01' AND '2025-01-31'"))
        runs = conn.execute(text("SELECT run_id, status, window_start, pages_fetched FROM core.pipeline_runs")).all()
        fetched = conn.scalar(text("SELECT count(*) FROM raw.pages WHERE kind = 'article'"))
    assert [(r.status, str(r.window_start), r.pages_fetched) for r in runs] == [("passed", "2025-01-01", fetched)]
    assert not runs[0].run_id.startswith("cli-")
    assert outside == 0
    assert {("visit", "Mikhail Mishustin")} <= {(e.event_type, r) for e in events for r in e.ru_participants or ()}
    assert all(str(e.start_date).startswith("2025-01") for e in events)
