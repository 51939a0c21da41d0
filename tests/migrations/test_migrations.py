"""Alembic migrations against a real PostgreSQL: up, down, up again, and no drift from etl.schema."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from etl import settings
from etl.schema import metadata


def _config(url: str) -> Config:
    config = Config(str(settings.PROJECT_ROOT / "alembic.ini"))
    config.attributes["url"] = url
    return config


def test_upgrade_matches_models(db):
    with db.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_schemas": True, "compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_down_and_up_again(db, db_url):
    command.downgrade(_config(db_url), "base")
    assert not set(inspect(db).get_schema_names()) & {"raw", "core", "analytics"}
    command.upgrade(_config(db_url), "head")
    assert "events" in inspect(db).get_view_names(schema="analytics")
    assert {"pages", "quarantine"} <= set(inspect(db).get_table_names(schema="raw"))


def test_two_first_runs_at_once_both_reach_head(pg_admin_url):
    """Two `vnru db upgrade` of an empty database at the same moment: one migrates, the other waits for its
    advisory lock and finds the schema at head (no IntegrityError from the race)."""
    import os
    import subprocess
    import sys

    from etl import pgserver

    with pgserver.temporary_database(pg_admin_url, "vnru_race") as url:
        env = {**os.environ, "DATABASE_URL": url}
        runs = [subprocess.Popen([sys.executable, "-m", "ops.cli", "db", "upgrade"], env=env, cwd=settings.PROJECT_ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
        assert [code for code, _ in results] == [0, 0], results
