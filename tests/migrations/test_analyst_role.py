"""The analyst role reads the analytics views and nothing else."""

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import ProgrammingError


def test_analyst_selects_every_analytics_view(db, analyst):
    views = inspect(db).get_view_names(schema="analytics")
    assert {"events", "event_participants", "event_sources", "articles", "source_yield"} <= set(views)
    with analyst.connect() as conn:
        for view in views:
            conn.execute(text(f"SELECT * FROM analytics.{view} LIMIT 1")).all()


@pytest.mark.parametrize("statement", [
    "SELECT count(*) FROM raw.pages",
    "SELECT count(*) FROM core.articles",
    "INSERT INTO core.sources VALUES ('x', 'x', 'VN', 'en', '{}')",
    "DELETE FROM core.events",
    "CREATE TABLE analytics.mine (x int)",
    "CREATE TABLE public.mine (x int)",
    "COPY (SELECT 1) TO PROGRAM 'true'",
    "SELECT pg_read_file('/etc/passwd')",
    "SELECT pg_ls_dir('.')",
])
def test_analyst_cannot_write_or_read_behind_the_views(analyst, statement):
    with analyst.connect() as conn, pytest.raises(ProgrammingError, match="permission denied|must be superuser"):
        conn.execute(text(statement))


def test_every_analytics_column_is_documented(db):
    with db.connect() as conn:
        missing = conn.execute(text(
            "SELECT c.table_name || '.' || c.column_name FROM information_schema.columns c "
            "WHERE c.table_schema = 'analytics' AND col_description("
            "  format('%I.%I', c.table_schema, c.table_name)::regclass, c.ordinal_position) IS NULL")).scalars().all()
        undocumented_views = conn.execute(text(
            "SELECT table_name FROM information_schema.views WHERE table_schema = 'analytics' "
            "AND obj_description(format('%I.%I', table_schema, table_name)::regclass) IS NULL")).scalars().all()
    assert missing == [] and undocumented_views == []
