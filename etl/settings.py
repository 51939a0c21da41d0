"""Where vnru keeps its state; every setting comes from the environment so Airflow, the CLI and tests agree.

DATABASE_URL   PostgreSQL URL of the vnru database; unset = the project-owned server under VNRU_HOME.
VNRU_HOME      folder for the embedded PostgreSQL data, Airflow's home and logs (default: <checkout>/.vnru).
VNRU_PG_PORT   TCP port of the embedded PostgreSQL (default 54329, away from a system server on 5432).
VNRU_MIRROR    base URL of a server holding recorded pages (http://127.0.0.1:PORT); unset = the live sites.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RECORDED_DIR = PROJECT_ROOT / "crawlers" / "recorded"
# the largest page (decompressed) that is archived or cleaned: news articles are well under 2 MB; a bigger
# body is a bomb, a data dump or an error, and would cost memory and minutes on every reprocess
MAX_PAGE_BYTES = 8 * 1024 * 1024


def vnru_home() -> Path:
    return Path(os.environ.get("VNRU_HOME", PROJECT_ROOT / ".vnru"))


def embedded_port() -> int:
    return int(os.environ.get("VNRU_PG_PORT", "54329"))


def database_url() -> str | None:
    return os.environ.get("DATABASE_URL") or None


def mirror_url() -> str | None:
    return os.environ.get("VNRU_MIRROR") or None
