"""
### vnru_news: Vietnam–Russia news into a table of events

Every day (or for any window you trigger) this DAG crawls each registered news source, cleans the
archived pages into articles, marks duplicates, extracts bilateral events, merges them into
`core.events` and checks the result.

* **Window**: the run's data interval, or the `start`/`end` params of a manual run (inclusive dates).
* **sources**: which sources to crawl (empty = all); **reprocess**: skip crawling and rebuild the
  window from the raw archive.
* Tasks exchange only dates and counts; the pages and articles stay in PostgreSQL.
* Re-running a window changes nothing that is already right.
* The load task updates the asset `vnru.core.events`: schedule downstream DAGs on it.
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import Asset, Param, chain, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowSkipException

from crawlers.sources import SOURCES  # the registry only: parsing touches no network and no database
from etl.airflow_setup import crawl_pool

# Downstream DAGs can be scheduled on this: it is updated each time the load task succeeds.
EVENTS = Asset("vnru.core.events")

RETRIES = {"retries": 3, "retry_delay": dt.timedelta(seconds=30), "retry_exponential_backoff": 2.0,
           "max_retry_delay": dt.timedelta(minutes=10)}


@dag(
    dag_id="vnru_news",
    schedule="@daily",
    start_date=dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc),
    catchup=False,
    max_active_runs=1,
    tags=["vnru", "news", "etl"],
    doc_md=__doc__,
    default_args={"retries": 1, "retry_delay": dt.timedelta(seconds=10)},
    params={
        "start": Param(None, type=["null", "string"], format="date", description="first day (YYYY-MM-DD)"),
        "end": Param(None, type=["null", "string"], format="date", description="last day (YYYY-MM-DD)"),
        "sources": Param([], type="array", description="source names to crawl; empty = all"),
        "reprocess": Param(False, type="boolean", description="rebuild from the archive without crawling"),
    },
)
def vnru_news():
    @task
    def window() -> dict:
        """The inclusive date window: params if given, else the data interval; and when the run began
        (the first task's clock: `dags test` sets the run's start_date to its logical date)."""
        context = get_current_context()
        params, run = context["params"], context["dag_run"]
        start = params.get("start") or (run.data_interval_start or run.run_after).date().isoformat()
        end = params.get("end") or (
            (run.data_interval_end - dt.timedelta(days=1)).date().isoformat() if run.data_interval_end else start)
        if start > end:
            raise ValueError(f"start {start} is after end {end}")
        return {"start": start, "end": end, "began": dt.datetime.now(dt.timezone.utc).isoformat()}

    @task
    def plan(span: dict) -> list[dict]:
        """The slices of the window each source's crawl is mapped over; none on a reprocess run."""
        from crawlers.run import window_slices

        params = get_current_context()["params"]
        unknown = set(params.get("sources") or ()) - set(SOURCES)
        if unknown:
            raise ValueError(f"unknown sources {sorted(unknown)}; known: {sorted(SOURCES)}")
        if params.get("reprocess"):
            return []
        return [{"start": first.isoformat(), "end": last.isoformat()} for first, last in window_slices(
            dt.date.fromisoformat(span["start"]), dt.date.fromisoformat(span["end"]))]

    @task(map_index_template="{{ slice }}", **RETRIES)
    def crawl(source: str, span: dict) -> dict:
        """Crawl one source for one slice of the window into the raw archive. Its own pool keeps one crawl
        per site at a time across runs; a broken site fails only its own task."""
        from crawlers.run import crawl as run_crawl

        context = get_current_context()
        context["slice"] = f"{span['start']}..{span['end']}"
        if source not in (context["params"].get("sources") or SOURCES):
            raise AirflowSkipException(f"{source} is not among the sources asked for")
        return run_crawl(source, dt.date.fromisoformat(span["start"]), dt.date.fromisoformat(span["end"]))

    def stage(name: str, **task_args):
        """A task running etl.pipeline.<name>_stage over the window."""

        @task(task_id=name, **task_args)
        def run(span: dict) -> dict:
            from etl import load, pipeline

            counts = getattr(pipeline, f"{name}_stage")(
                load.engine(), dt.date.fromisoformat(span["start"]), dt.date.fromisoformat(span["end"]))
            print(f"{name}: {counts}")
            return counts

        return run(span)

    @task
    def check(span: dict, cleaned: dict, deduped: dict, loaded: dict) -> dict:
        """Record the run's summary in core.pipeline_runs, then fail on any data-quality rule."""
        from etl import load, pipeline

        summary = pipeline.check_stage(
            load.engine(), dt.date.fromisoformat(span["start"]), dt.date.fromisoformat(span["end"]),
            get_current_context()["dag_run"].run_id, dt.datetime.fromisoformat(span["began"]),
            {"clean": cleaned, "dedupe": deduped, "load": loaded})
        print(f"run summary: {summary}")
        return summary

    span = window()
    slices = plan(span)
    crawled = [crawl.override(task_id=f"crawl_{name}", pool=crawl_pool(name)).partial(source=name)
               .expand(span=slices) for name in SOURCES]
    # all_done: one broken source fails its own crawl task, the others' pages are still processed
    cleaned = stage("clean", trigger_rule="all_done")
    deduped = stage("dedupe")
    extracted = stage("extract")
    loaded = stage("load", outlets=[EVENTS], **RETRIES)
    chain(crawled, cleaned, deduped, extracted, loaded)
    check(span, cleaned, deduped, loaded)


vnru_news()
