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
