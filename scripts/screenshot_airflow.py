"""A PNG of Airflow's grid view for a vnru_news run, taken by headless Chromium after logging in.

    python -m scripts.screenshot_airflow [--out docs/airflow-grid.png] [--admin-url postgresql://…/postgres]

runs the January 2025 window over the recorded pages in a throwaway Airflow (two temporary databases on
the admin URL's server, default the project's embedded one) and saves the grid of that run. The test
tests/ops/test_airflow_server.py uses `grid_screenshot` on its own Airflow.

Chromium and its driver come from Debian (`make install`); the driver path is given, so Selenium never
downloads a browser or a driver.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from etl import settings

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1600,1000"]
JANUARY = {"start": "2025-01-01", "end": "2025-01-31"}


def grid_screenshot(url: str, password: str, dag_id: str, run_id: str, task_ids: list[str], png: Path,
                    timeout: float = 60) -> str:
    """Log in through the UI's form as admin, open the grid of `run_id`, wait until a box is drawn for
    each of `task_ids`, save the window as `png`; returns the text the page showed."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager, were it ever consulted: no downloads
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in [*FLAGS, f"--user-data-dir={profile}"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
        try:
            wait = WebDriverWait(driver, timeout)
            driver.get(f"{url}/")
            wait.until(ready.presence_of_element_located((By.NAME, "username"))).send_keys("admin")
            driver.find_element(By.NAME, "password").send_keys(password)
            driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            wait.until(lambda d: "/auth/login" not in d.current_url)  # logged in: redirected home
            driver.get(f"{url}/dags/{dag_id}/runs/{quote(run_id, safe='')}")
            for task_id in task_ids:
                wait.until(ready.visibility_of_element_located((By.ID, f"grid-{run_id}-{task_id}")))
            time.sleep(1)  # let the last state colours and the details panel settle
            text = driver.find_element(By.TAG_NAME, "body").text
            driver.save_screenshot(str(png))
            return text
        finally:
            driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=settings.PROJECT_ROOT / "docs" / "airflow-grid.png")
    parser.add_argument("--admin-url", help="PostgreSQL URL of a database on the server to use (default: the "
                                            "project's embedded server)")
    args = parser.parse_args()

    from crawlers import mirror
    from etl import pgserver
    from ops import airflow_server
    from ops.cli import upgrade_database

    admin_url = args.admin_url or os.environ.get("VNRU_TEST_ADMIN_URL")
    if not admin_url:
        pgserver.ensure_running()
        admin_url = pgserver.url(db="postgres")
    with contextlib.ExitStack() as stack:
        metadata_url = stack.enter_context(pgserver.temporary_database(admin_url, "airflow_shot"))
        db_url = stack.enter_context(pgserver.temporary_database(admin_url, "vnru_shot"))
        os.environ["DATABASE_URL"] = db_url
        upgrade_database()
        server, mirror_url = mirror.start()
        stack.callback(server.shutdown)
        home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="vnru-airflow-")))
        began = time.monotonic()
        stack.callback(lambda: print(f"airflow stopped after {time.monotonic() - began:.0f}s in all"))
        airflow = stack.enter_context(airflow_server.running(
            db_url, metadata_url, home=home, scheduled=False, extra_env={"VNRU_MIRROR": mirror_url}))
        client = airflow.client()
        client.wait_dag("vnru_news")
        print(f"airflow up at {airflow.url} ({time.monotonic() - began:.0f}s)")
        run = client.trigger("vnru_news", JANUARY, logical_date="2025-01-31T00:00:00+00:00")
        run = client.wait("vnru_news", run["dag_run_id"])
        print(f"run {run['dag_run_id']}: {run['state']} ({time.monotonic() - began:.0f}s)")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        grid_screenshot(airflow.url, airflow.password(), "vnru_news", run["dag_run_id"],
                        client.task_ids("vnru_news"), args.out)
        print(f"wrote {args.out} ({time.monotonic() - began:.0f}s)")


if __name__ == "__main__":
    main()
