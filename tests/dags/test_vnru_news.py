"""The DAG: parses cleanly without touching the network or a database, and runs end to end.

The full run is `dag.test()` in a child process with its own AIRFLOW_HOME (Airflow reads its
configuration at import), over the recorded pages, into a fresh test database.
"""

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import text

from crawlers.sources import SOURCES
from etl import load, settings
from ops.airflow_setup import airflow_env, prepare


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
        from crawlers.sources import SOURCES
        crawls = {f"crawl_{name}" for name in SOURCES}
        gates = {"quality_sources", "quality_articles", "quality_events"}
        assert {t.task_id for t in dag.tasks} == {"window", "plan", "clean", "dedupe", "extract", "load",
                                                  "summary"} | crawls | gates
        assert all(dag.get_task(c).pool == c and dag.get_task(c).is_mapped for c in crawls)
        assert all(type(dag.get_task(g)).__name__ == "SQLCheckOperator" for g in gates)
        assert {"quality_articles", "quality_events"} <= dag.get_task("load").upstream_task_ids
        assert dag.get_task("summary").trigger_rule == "all_done"
        assert dag.get_task("crawl_tass").retries >= 3 and dag.get_task("load").retries >= 3
        assert [a.name for a in dag.get_task("load").outlets] == ["vnru.core.events"]
        print("ok")
    """)
    result = subprocess.run([sys.executable, "-c", script, str(settings.PROJECT_ROOT / "dags")],
                            capture_output=True, text=True, env=os.environ)
    assert result.returncode == 0 and "ok" in result.stdout, result.stderr[-3000:]


DAG_TEST = textwrap.dedent("""
    import datetime as dt, json, sys
    from sqlalchemy import select
    from airflow.dag_processing.dagbag import DagBag
    from airflow.models import TaskInstance
    from airflow.utils.session import create_session
    dag = DagBag(dag_folder=sys.argv[1]).dags["vnru_news"]
    if sys.argv[3] == "no-retries":  # the final states are wanted, not minutes of backoff
        for t in dag.tasks:
            t.retries = 0
    run = dag.test(logical_date=dt.datetime.fromisoformat(sys.argv[4]), run_conf=json.loads(sys.argv[2]))
    with create_session() as session:
        tis = session.scalars(select(TaskInstance).where(TaskInstance.run_id == run.run_id)).all()
        states = {ti.task_id + (f"[{ti.map_index}]" if ti.map_index >= 0 else ""): str(ti.state) for ti in tis}
    print("STATES", json.dumps({"run": str(run.state), **states}))
""")


def run_dag(db_url: str, conf: dict, retries: bool = True, logical_date: str = "2025-05-31T00:00:00+00:00"
            ) -> tuple[dict, str]:
    """`dag.test()` of vnru_news in a child process with its own Airflow home: (task states, output)."""
    env = airflow_env(db_url)
    prepare(env)
    result = subprocess.run([sys.executable, "-c", DAG_TEST, str(settings.PROJECT_ROOT / "dags"), json.dumps(conf),
                             "retries" if retries else "no-retries", logical_date], env=env, capture_output=True,
                            text=True)
    output = result.stdout + result.stderr
    line = next((x for x in result.stdout.splitlines() if x.startswith("STATES ")), None)
    assert line, output[-4000:]
    return json.loads(line.removeprefix("STATES ")), output


def test_dag_run_over_recorded_pages_loads_the_events(db, db_url, mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("VNRU_HOME", str(tmp_path))
    asked = ["hanoitimes", "tass", "vietnamplus"]  # each reports the Mishustin visit; the others skip at once
    states, output = run_dag(db_url, {"start": "2025-01-01", "end": "2025-01-31", "sources": asked})
    crawls = {task: state for task, state in states.items() if task.startswith("crawl_")}
    assert states["run"] == "success" and crawls == {
        f"crawl_{name}[0]": "success" if name in asked else "skipped" for name in SOURCES}, output[-4000:]
    assert {state for task, state in states.items() if task not in crawls} == {"success"}
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

    before = load.table_checksums(db)
    states, output = run_dag(db_url, {"start": "2025-01-01", "end": "2025-01-31", "reprocess": True},
                             logical_date="2025-06-01T00:00:00+00:00")
    crawls = {task: state for task, state in states.items() if task.startswith("crawl_")}
    assert states["run"] == "success" and set(crawls.values()) == {"skipped"}, output[-4000:]
    assert load.table_checksums(db) == before  # rebuilt from the archive: nothing fetched, nothing changed


def test_broken_sites_fail_their_own_crawl_tasks_and_the_sources_gate_and_the_summary_say_why(
        db, db_url, broken_mirror, tmp_path, monkeypatch):
    monkeypatch.setenv("VNRU_HOME", str(tmp_path))
    faults = {"tass": "http500", "hanoitimes": "empty"}  # both kinds of fault in one run; vietnamplus still loads
    broken_mirror(faults)
    asked = ["hanoitimes", "tass", "vietnamplus"]  # the others' crawl tasks skip at once
    states, output = run_dag(db_url, {"start": "2025-01-01", "end": "2025-01-31", "sources": asked}, retries=False)
    crawls = {task: state for task, state in states.items() if task.startswith("crawl_")}
    assert crawls == {f"crawl_{name}[0]": ("failed" if name in faults else "success") if name in asked
                      else "skipped" for name in SOURCES}, output[-4000:]
    assert states["quality_sources"] == "failed" and states["run"] == "failed"
    assert {states[t] for t in ("clean", "dedupe", "extract", "quality_articles", "quality_events", "load")} == {
        "success"}  # the other site's events are loaded
    with db.connect() as conn:
        problems = conn.scalar(text("SELECT problems FROM core.pipeline_runs"))
        events = conn.scalar(text("SELECT count(*) FROM core.events"))
    assert events > 0
    for source, fault in faults.items():
        [problem] = [p for p in problems if p.startswith(f"sources {source}: ")]
        errors, empty = map(int, re.search(r"\((\d+) with HTTP 5xx, (\d+) empty\)", problem).groups())
        assert (errors > 0, empty > 0) == (fault == "http500", fault == "empty")
        assert f"{source}: " + problem.split(": ", 1)[1] in output  # the gate's log says it too
        assert f"crawl failed: crawl_{source}: 1 of 1 slices did not finish" in " ".join(problems)
