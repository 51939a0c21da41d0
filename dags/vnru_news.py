"""
### vnru_news: Vietnam–Russia news into a table of events

Every day (or for any window you trigger) this DAG crawls each registered news source, cleans the
archived pages into articles, marks duplicates, extracts bilateral events, checks them, merges them into
`core.events` and records the run's summary in `core.pipeline_runs`.

* **Window**: the run's data interval, or the `start`/`end` params of a manual run (inclusive dates).
* **crawl_&lt;source&gt;**: one task per site, mapped over slices of the window (at most 92 days each), in
  the pool `crawl_<source>` (one slot: a site is never crawled by two runs at once). A broken site turns
  only its own task red; the others' pages are still processed.
* **quality_sources / quality_articles / quality_events**: SQL checks of `core.quality_problems`; the
  articles and events gates run before the load, so bad rows never reach the analysts' views. A failed
  gate's log lists the problems; so does `analytics.pipeline_runs`.
* **sources**: which sources to crawl (empty = all); **reprocess**: skip crawling and rebuild the
  window from the raw archive.
* **Backfill**: `airflow backfill create --dag-id vnru_news --from-date 2024-03-01 --to-date 2024-06-30`,
  or one manual run with `start`/`end`. Re-running a window changes nothing that is already right.
* Tasks exchange only dates and counts; the pages and articles stay in PostgreSQL.
* The load task updates the asset `vnru.core.events`: schedule downstream DAGs on it.
* Needs the connection `vnru_db` and the crawl pools: `vnru airflow-setup` creates them.
"""

from __future__ import annotations

import datetime as dt

from airflow.providers.common.sql.operators.sql import SQLCheckOperator
from airflow.sdk import Asset, Param, chain, dag, get_current_context, task
from airflow.sdk.exceptions import AirflowSkipException

from crawlers.sources import SOURCES  # the registry only: parsing touches no network and no database
from ops.airflow_setup import CONN_ID, crawl_pool

# Downstream DAGs can be scheduled on this: it is updated each time the load task succeeds.
EVENTS = Asset("vnru.core.events")

# Data-quality gates: common-sql checks of core.quality_problems (migration 0006) for the run's window.
# The articles and events gates judge rows before the load; the sources gate says which site broke.
GATES = {
    "sources": "Fails when a source's crawl came back broken (HTTP 5xx, empty pages) or a source that "
               "usually yields articles for a window this long yielded none.",
    "articles": "Fails when articles of the window lack a publication date or are dated after the window.",
    "events": "Fails, before the load, when extracted events lack a participant on each side, are dated "
              "over a year from their report, or events per article collapse against the past year.",
}
GATE_SQL = """
SELECT count(*) = 0 AS passed, coalesce(string_agg(subject || ': ' || problem, '; '), 'none') AS problems
FROM core.quality_problems('{{ ti.xcom_pull(task_ids="window")["start"] }}',
                           '{{ ti.xcom_pull(task_ids="window")["end"] }}',
                           '{{ ti.xcom_pull(task_ids="window")["began"] }}')
WHERE gate = '{{ params.gate }}'
"""


def quality_gate(gate: str) -> SQLCheckOperator:
    """A task that fails with the gate's problems in its log (retrying would not change the data)."""
    return SQLCheckOperator(task_id=f"quality_{gate}", conn_id=CONN_ID, sql=GATE_SQL, params={"gate": gate},
                            retry_on_failure=False, retries=0, doc_md=GATES[gate])


def unfinished_crawls(ti, params: dict) -> list[str]:
    """'crawl failed' lines for the sources asked for whose mapped crawl left fewer results than the run had
    slices (a failed slice returns nothing): a run whose crawls failed is never summarised as passed."""
    slices = ti.xcom_pull(task_ids="plan") or []
    failed = []
    for name in params.get("sources") or SOURCES:
        done = [r for r in ti.xcom_pull(task_ids=[f"crawl_{name}"]) if r]  # a list: every map index
        if len(done) < len(slices):
            failed.append(f"crawl failed: crawl_{name}: {len(slices) - len(done)} of {len(slices)} slices did not "
                          "finish (see that task's log)")
    return failed


RETRIES = {"retries": 3, "retry_delay": dt.timedelta(seconds=30), "retry_exponential_backoff": 2.0,
           "max_retry_delay": dt.timedelta(minutes=10)}


@dag(
    dag_id="vnru_news",
    schedule="@daily",
    start_date=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
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
        return {"start": start, "end": end, "began": dt.datetime.now(dt.UTC).isoformat()}

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

            extra = {"sites": SOURCES} if name == "clean" else {}
            counts = getattr(pipeline, f"{name}_stage")(
                load.engine(), dt.date.fromisoformat(span["start"]), dt.date.fromisoformat(span["end"]), **extra)
            print(f"{name}: {counts}")
            return counts

        return run(span)

    @task(trigger_rule="all_done", retries=0)
    def summary(span: dict) -> dict:
        """Record the run's summary in core.pipeline_runs, also when a stage or a gate failed (then fail too,
        so the run's state says what the summary says)."""
        from etl import load, pipeline

        context = get_current_context()
        ti = context["ti"]
        stages = {name: ti.xcom_pull(task_ids=name) for name in ("clean", "dedupe", "load")}
        result = pipeline.summary_stage(
            load.engine(), dt.date.fromisoformat(span["start"]), dt.date.fromisoformat(span["end"]),
            context["dag_run"].run_id, dt.datetime.fromisoformat(span["began"]), stages,
            failures=unfinished_crawls(ti, context["params"]))
        print(f"run summary: {result}")
        if result["status"] == "failed":
            raise pipeline.QualityError("the run failed:\n" + "\n".join(f"- {p}" for p in result["problems"]))
        return result

    span = window()
    slices = plan(span)
    crawled = [crawl.override(task_id=f"crawl_{name}", pool=crawl_pool(name)).partial(source=name)
               .expand(span=slices) for name in SOURCES]
    # all_done: one broken source fails its own crawl task, the others' pages are still processed
    cleaned = stage("clean", trigger_rule="all_done")
    deduped = stage("dedupe")
    extracted = stage("extract")
    loaded = stage("load", outlets=[EVENTS], **RETRIES)
    gates = {gate: quality_gate(gate) for gate in GATES}
    chain(crawled, cleaned, deduped, extracted, [gates["articles"], gates["events"]], loaded)
    chain(cleaned, gates["sources"])
    chain([loaded, gates["sources"]], summary(span))


vnru_news()
