"""A running Airflow for vnru's operators and tests, and a small client for its REST API.

`running(db_url, metadata_url)` starts `airflow standalone` (API server + UI, scheduler, DAG processor,
triggerer) on a free local port, reading this checkout's dags/ and reaching `db_url` as `vnru_db`; its
metadata lives in the PostgreSQL database `metadata_url` (the LocalExecutor runs tasks side by side,
which SQLite cannot serve). With `broker=` (a Redis URL, e.g. from `redis_database()`) it runs the
CeleryExecutor instead: standalone only knows local executors, so the four components are started one by
one, beside `workers` Celery workers under distinct names, each recording its own name as the host of the
tasks it runs; with `local_backfills` as well, the LocalExecutor is configured beside it and a cluster
policy (`task_instance_mutation_hook`) sends backfills to it, so one server exercises both. Either way
everything is one process group, stopped the way Airflow stops cleanly: SIGINT
to the group, then SIGKILL for whatever still runs after a grace period, so no scheduler, worker or task
process outlives the block.

`Client` is the slice of the Airflow 3 REST API (/api/v2, JWT from /auth/token) that vnru needs:
trigger a run, wait for it, list runs, backfills and task instances (mapped ones included).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import requests

from ops.airflow_setup import airflow_env, prepare

# `airflow ARGS` with SIGINT back at its default first: a shell without job control starts background
# commands with SIGINT ignored, the ignore is inherited, and Airflow would then never shut down on it
_LAUNCH = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
           "os.execv(sys.executable, [sys.executable, '-m', 'airflow', *sys.argv[1:]])")
COMPONENTS = (("scheduler",), ("dag-processor",), ("api-server",), ("triggerer",))  # what standalone runs
CELERY, LOCAL = "CeleryExecutor", "LocalExecutor"
WORKER_NAME = "VNRU_WORKER_NAME"  # a Celery worker's name, recorded as the host of its task instances
FINISHED = {"success", "failed"}  # terminal states of a DAG run
MARKER = "VNRU_AIRFLOW_SERVER"  # set in every process of one server, to find stragglers after a stop


def free_port() -> int:
    """A TCP port nobody listens on right now (the kernel's pick)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_hostname() -> str:
    """Airflow's [core] hostname_callable for the Celery workers started here: the worker's own name, so that
    two workers on one machine tell apart in the task instances' hostname column; elsewhere Airflow's own
    default (the FQDN)."""
    if name := os.environ.get(WORKER_NAME):
        return name
    from airflow.utils.net import getfqdn

    return getfqdn()


def worker_env(env: dict, folder: Path) -> dict:
    """A Celery worker's environment: `env` with the folder's name as the worker's and the folder (created)
    as its VNRU_HOME and TMPDIR."""
    (folder / "tmp").mkdir(parents=True, exist_ok=True)
    return {**env, WORKER_NAME: folder.name, "VNRU_HOME": str(folder), "TMPDIR": str(folder / "tmp")}


def task_instance_mutation_hook(task_instance, dag_run=None) -> None:
    """Airflow cluster policy of the servers started with `local_backfills`: a backfill's task instances go
    to the LocalExecutor, every other run's to the default (Celery). Without the run at hand (Airflow
    passes none while it refreshes a task instance) the run type is read from the run id."""
    from airflow.utils.types import DagRunType

    run_type = dag_run.run_type if dag_run is not None else DagRunType.from_run_id(task_instance.run_id)
    if run_type == DagRunType.BACKFILL_JOB:
        task_instance.executor = LOCAL


def server_env(db_url: str, metadata_url: str, port: int, home: Path | None = None,
               scheduled: bool = True, broker: str | None = None, local_backfills: bool = False) -> dict:
    """airflow_env() plus what a long-running Airflow needs: its metadata database, the executor, the API
    (and the execution API the workers call back) on `port`, and DAGs active as soon as parsed.

    The executor is the LocalExecutor, or with `broker` (a Redis URL) the CeleryExecutor, its results
    kept in the metadata database; `local_backfills` adds the LocalExecutor for backfills (the
    airflow_local_settings.py written in AIRFLOW_HOME/config installs task_instance_mutation_hook).
    `scheduled=False` stops the scheduler from creating the daily runs (manual runs and backfills still
    run): an unpaused vnru_news otherwise gets a run for the latest day at once, which a test does not want."""
    env = airflow_env(db_url)
    if home:
        home.mkdir(parents=True, exist_ok=True)
        env["AIRFLOW_HOME"] = str(home)
    base = f"http://127.0.0.1:{port}"
    env.update({
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url,
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__API__HOST": "127.0.0.1", "AIRFLOW__API__PORT": str(port), "AIRFLOW__API__BASE_URL": base,
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{base}/execution/",
        # Airflow 3 makes "@daily" a point in time (data_interval_start == data_interval_end); vnru_news
        # reads its window from the data interval, so ask for Airflow 2's [day, next day) intervals
        "AIRFLOW__SCHEDULER__CREATE_CRON_DATA_INTERVALS": "True",
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": str(scheduled),
        # a task's calls to the execution API give up after 5 s by default, which a loaded 2-core machine
        # exceeds (the task then fails before it starts); Airflow's docs advise raising it under load
        "AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT": "30",
        # standalone starts its components as `airflow …`: the venv's bin must be on PATH
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]),
    })
    if broker:
        env.update({
            "AIRFLOW__CORE__EXECUTOR": f"{CELERY},{LOCAL}" if local_backfills else CELERY,  # the first: default
            "AIRFLOW__CELERY__BROKER_URL": broker,
            "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + metadata_url,
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": "2",  # two workers of two: PARALLELISM's 4 task slots
            "AIRFLOW__CORE__HOSTNAME_CALLABLE": f"{__name__}.worker_hostname",
        })
        if local_backfills:
            config = Path(env["AIRFLOW_HOME"]) / "config"  # on sys.path of every Airflow process
            config.mkdir(exist_ok=True)
            (config / "airflow_local_settings.py").write_text(
                f"from {__name__} import task_instance_mutation_hook\n\n__all__ = ['task_instance_mutation_hook']\n")
    return env


@dataclass
class Server:
    """One running Airflow: where it answers, its home and log, and the environment of its processes."""

    url: str
    home: Path
    log: Path
    env: dict = field(repr=False)
    processes: list[subprocess.Popen] = field(repr=False)  # the first leads the process group
    workers: list[str] = field(default_factory=list)  # Celery workers' names (none on the LocalExecutor)

    @property
    def group(self) -> int:
        return self.processes[0].pid

    def password(self) -> str:
        """The admin password the simple auth manager generated in AIRFLOW_HOME."""
        users = json.loads((self.home / "simple_auth_manager_passwords.json.generated").read_text())
        return users["admin"]

    def client(self) -> Client:
        return Client(self.url, "admin", self.password())

    def cli(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        """`airflow ARGS` against this server's metadata database (e.g. `backfill create …`)."""
        result = subprocess.run([sys.executable, "-m", "airflow", *args], env=self.env, capture_output=True,
                                text=True, timeout=timeout, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"airflow {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
        return result


@contextlib.contextmanager
def running(db_url: str, metadata_url: str, *, home: Path | None = None, port: int | None = None,
            scheduled: bool = True, log: Path | None = None, extra_env: dict | None = None,
            broker: str | None = None, workers: int = 2, local_backfills: bool = False,
            timeout: float = 180) -> Iterator[Server]:
    """Airflow for the block: prepared (migrated, pools), healthy, its Celery workers (with `broker`)
    answering, and stopped after."""
    port = port or free_port()
    env = server_env(db_url, metadata_url, port, home, scheduled, broker, local_backfills)
    env.update(extra_env or {})
    env[MARKER] = uuid.uuid4().hex
    home = Path(env["AIRFLOW_HOME"])
    log = log or home / ("airflow.log" if broker else "standalone.log")
    names = [f"vnru-worker-{n}" for n in range(1, workers + 1)] if broker else []
    # (command, its environment): each worker gets its own VNRU_HOME and TMPDIR, as on a machine of its own,
    # so a task reading a file another task left on its worker's disk fails here too; the task logs stay
    # under the shared AIRFLOW_HOME, where the API server reads them (no log server on the workers)
    commands = [*((command, env) for command in COMPONENTS),
                *((("celery", "worker", "--celery-hostname", name, "--skip-serve-logs"), worker_env(env, home / name))
                  for name in names)] if broker else [(("standalone",), env)]
    prepare(env)
    processes: list[subprocess.Popen] = []
    server = Server(f"http://127.0.0.1:{port}", home, log, env, processes, names)
    try:
        with open(log, "ab") as out:
            for command, command_env in commands:
                # one process group, led by the first (a group cannot span sessions: no start_new_session)
                processes.append(subprocess.Popen([sys.executable, "-c", _LAUNCH, *command], env=command_env,
                                                  stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                                  process_group=processes[0].pid if processes else 0))
        wait_healthy(server, timeout)
        wait_workers(server, timeout)
        yield server
    finally:
        if processes:
            stop(server)


def exited(server: Server) -> str | None:
    """Which of the server's commands has exited, if one has."""
    for process in server.processes:
        if process.poll() is not None:
            return f"`airflow {' '.join(process.args[3:])}` exited ({process.returncode}); see {server.log}"
    return None


def wait_healthy(server: Server, timeout: float) -> None:
    """Until /api/v2/monitor/health reports every component healthy (or a process died)."""
    deadline = time.monotonic() + timeout
    status = None
    while time.monotonic() < deadline:
        if problem := exited(server):
            raise RuntimeError(problem)
        with contextlib.suppress(requests.RequestException, ValueError):
            status = requests.get(f"{server.url}/api/v2/monitor/health", timeout=5).json()
            if all(part.get("status") == "healthy" for part in status.values()):
                return
        time.sleep(1)
    raise TimeoutError(f"Airflow not healthy after {timeout}s (last status {status}); see {server.log}")


def wait_workers(server: Server, timeout: float) -> None:
    """Until every Celery worker of the server answers a ping on the broker (none to wait for without)."""
    if not server.workers:
        return
    from celery import Celery

    app = Celery(broker=server.env["AIRFLOW__CELERY__BROKER_URL"])
    wanted = {f"celery@{name}" for name in server.workers}
    deadline = time.monotonic() + timeout
    try:
        while not wanted <= (answered := {node for reply in app.control.ping(timeout=1) for node in reply}):
            if problem := exited(server):
                raise RuntimeError(problem)
            if time.monotonic() > deadline:
                raise TimeoutError(f"Celery workers {sorted(wanted - answered)} silent after {timeout}s; see "
                                   f"{server.log}")
    finally:
        app.close()


def stop(server: Server, grace: float = 60) -> None:
    """SIGINT to the process group (Airflow's clean shutdown), SIGKILL after `grace` seconds, then
    SIGKILL any process still carrying this server's marker (one that left the group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.group, signal.SIGINT)
    deadline = time.monotonic() + grace
    for process in server.processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(max(0.1, deadline - time.monotonic()))
    deadline = time.monotonic() + 15
    while stragglers(server) and time.monotonic() < deadline:  # children finish their own shutdown
        time.sleep(0.5)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.group, signal.SIGKILL)
    for pid in stragglers(server):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    for process in server.processes:
        process.wait(10)


@contextlib.contextmanager
def redis_database(host: str = "127.0.0.1", port: int = 6379) -> Iterator[str]:
    """The URL of a Redis database nobody uses, for the block: the first empty one this process can claim
    (an atomic SET NX of a claim key, so two test runs never share one), flushed after."""
    import redis

    admin = redis.Redis(host, port, socket_timeout=5)
    try:
        count = int(admin.config_get("databases").get("databases", 16))
    except redis.ResponseError:  # CONFIG disabled on this server
        count = 16
    finally:
        admin.close()
    claim = uuid.uuid4().hex
    for number in range(1, count):  # 0 is everybody's default
        client = redis.Redis(host, port, number, socket_timeout=5)
        if client.dbsize() == 0 and client.set("vnru:claimed-by", claim, nx=True):
            break
        client.close()
    else:
        raise RuntimeError(f"no empty Redis database on {host}:{port}")
    try:
        yield f"redis://{host}:{port}/{number}"
    finally:
        client.flushdb()
        client.close()


def stragglers(server: Server) -> list[int]:
    """Live processes started by this server (found by the marker in their environment; Linux /proc)."""
    tag = f"{MARKER}={server.env[MARKER]}".encode()
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError):
            if (int(entry.name) != os.getpid() and tag in (entry / "environ").read_bytes().split(b"\0")
                    and (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"):  # not a zombie
                found.append(int(entry.name))
    return found


class Client:
    """Airflow 3 REST API, authenticated with a JWT from the simple auth manager's /auth/token."""

    def __init__(self, url: str, username: str, password: str):
        self.url, self.username, self.password = url.rstrip("/"), username, password
        self.session = requests.Session()
        self._login()

    def _login(self) -> None:
        response = requests.post(f"{self.url}/auth/token", json={"username": self.username,
                                                                 "password": self.password}, timeout=30)
        response.raise_for_status()
        self.session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"

    def request(self, method: str, path: str, **kwargs) -> dict:
        """One call to /api/v2`path`; logs in again once if the token expired."""
        for attempt in (1, 2):
            response = self.session.request(method, f"{self.url}/api/v2{path}", timeout=60, **kwargs)
            if response.status_code == 401 and attempt == 1:
                self._login()
                continue
            if not response.ok:
                raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:2000]}")
            return response.json()

    def pages(self, path: str, key: str, **params) -> list[dict]:
        """Every item of a paged collection (the API returns at most 100 per call)."""
        items: list[dict] = []
        while True:
            page = self.request("GET", path, params={**params, "limit": 100, "offset": len(items)})
            items += page[key]
            if not page[key] or len(items) >= page["total_entries"]:
                return items

    def wait_dag(self, dag_id: str, timeout: float = 120) -> dict:
        """The DAG once the DAG processor has parsed it, unpaused."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                dag = self.request("GET", f"/dags/{dag_id}")
                break
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(2)
        if dag["is_paused"]:
            dag = self.request("PATCH", f"/dags/{dag_id}", json={"is_paused": False})
        return dag

    def task_ids(self, dag_id: str) -> list[str]:
        """The DAG's task ids as Airflow parsed them (a mapped task is one id)."""
        return [task["task_id"] for task in self.request("GET", f"/dags/{dag_id}/tasks")["tasks"]]

    def trigger(self, dag_id: str, conf: dict | None = None, logical_date: str | None = None) -> dict:
        """A manual run; `logical_date` (ISO) None leaves the run without one, as the UI does."""
        return self.request("POST", f"/dags/{dag_id}/dagRuns", json={"conf": conf or {},
                                                                      "logical_date": logical_date})

    def run(self, dag_id: str, run_id: str) -> dict:
        return self.request("GET", f"/dags/{dag_id}/dagRuns/{quote(run_id, safe='')}")

    def runs(self, dag_id: str, **filters) -> list[dict]:
        """DAG runs, filtered as the API allows (run_type=backfill, state=…)."""
        return self.pages(f"/dags/{dag_id}/dagRuns", "dag_runs", **filters)

    def task_instances(self, dag_id: str, run_id: str = "~") -> list[dict]:
        """Every task instance of a run (`~`: of every run), one per map index of a mapped task."""
        return self.pages(f"/dags/{dag_id}/dagRuns/{quote(run_id, safe='~')}/taskInstances", "task_instances")

    def backfills(self, dag_id: str) -> list[dict]:
        return self.pages("/backfills", "backfills", dag_id=dag_id)

    def wait(self, dag_id: str, run_id: str, timeout: float = 600, poll: float = 2) -> dict:
        """The run once it has finished (success or failed); TimeoutError with its state otherwise."""
        deadline = time.monotonic() + timeout
        while (run := self.run(dag_id, run_id))["state"] not in FINISHED:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{dag_id} {run_id} still {run['state']} after {timeout}s")
            time.sleep(poll)
        return run

    def wait_backfill(self, backfill_id: int, timeout: float = 1800, poll: float = 5) -> dict:
        """The backfill once all its runs have finished (the scheduler sets completed_at)."""
        deadline = time.monotonic() + timeout
        while not (backfill := self.request("GET", f"/backfills/{backfill_id}"))["completed_at"]:
            if time.monotonic() > deadline:
                raise TimeoutError(f"backfill {backfill_id} not completed after {timeout}s")
            time.sleep(poll)
        return backfill
