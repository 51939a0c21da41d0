"""core.pipeline_runs: one row per pipeline run (Airflow or `vnru run`) with its counts and quality verdict;
analytics.pipeline_runs shows it to operators and analysts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

from migrations.comments import comment_view

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COMMENTS = {
    None: "One row per pipeline run over a date window: what it fetched, changed and loaded, and its quality verdict.",
    "run_id": "The Airflow run id, or cli-<start time> for a `vnru run`.",
    "window_start": "First day of the run's window.",
    "window_end": "Last day of the run's window.",
    "started_at": "When the run started.",
    "finished_at": "When its quality check finished.",
    "status": "passed, or failed when a data-quality rule found offending rows (see problems).",
    "pages_fetched": "Article pages fetched from the sites during the run.",
    "articles_changed": "Articles of the window that were new or changed.",
    "duplicates": "Articles of the window marked as copies of another.",
    "events_new": "Events the run created.",
    "events_merged": "Event reports the run merged into events already known.",
    "quarantined": "Pages of the window set aside with a reason.",
    "problems": "The data-quality rules that failed, with their counts.",
}


def upgrade() -> None:
    op.create_table(
        "pipeline_runs",
        sa.Column("run_id", sa.Text, primary_key=True),
        sa.Column("window_start", sa.Date, nullable=False),
        sa.Column("window_end", sa.Date, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        *(sa.Column(name, sa.Integer, nullable=False) for name in (
            "pages_fetched", "articles_changed", "duplicates", "events_new", "events_merged", "quarantined")),
        sa.Column("problems", ARRAY(sa.Text), nullable=False),
        sa.CheckConstraint("status IN ('passed', 'failed')", name="status"),
        schema="core",
    )
    op.execute("CREATE VIEW analytics.pipeline_runs AS SELECT * FROM core.pipeline_runs")
    comment_view("analytics.pipeline_runs", COMMENTS)


def downgrade() -> None:
    op.execute("DROP VIEW analytics.pipeline_runs")
    op.drop_table("pipeline_runs", schema="core")
