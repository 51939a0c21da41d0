"""Scale: indexes for every window and run query, stage marks, and the load lock as a row analysts cannot touch.

raw.pages gets indexes on listed_date and fetched_at (window queries, core.quality_problems);
core.articles on duplicate_of (copy linking), core.event_sources on article_id (a report's links,
story components), core.events on (start_date, end_date) (the events a window's reports can join).
core.locks holds one row per exclusive job: the event load locks its row FOR UPDATE with a timeout,
where an advisory lock could be taken (and held forever) by any role, the analyst's included.
core.stage_marks records, per stage and window, a digest of the input and code of the last completed
run: a re-run that finds the same digest skips the stage. core.article_signatures keeps each article's
MinHash, so dedupe hashes an article once, not on every run whose dates reach it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEXES = (("ix_raw_pages_listed_date", "pages", ["listed_date"], "raw"),
           ("ix_raw_pages_fetched_at", "pages", ["fetched_at"], "raw"),
           ("ix_core_articles_duplicate_of", "articles", ["duplicate_of"], "core"),
           ("ix_core_event_sources_article_id", "event_sources", ["article_id"], "core"),
           ("ix_core_events_dates", "events", ["start_date", "end_date"], "core"))


def upgrade() -> None:
    for name, table, columns, schema in INDEXES:
        op.create_index(name, table, columns, schema=schema)
    op.create_table(
        "locks",
        sa.Column("name", sa.Text, primary_key=True),
        schema="core",
        comment="One row per exclusive job (the event load): the job locks its row, with a timeout.",
    )
    op.execute("INSERT INTO core.locks (name) VALUES ('load_events')")
    op.execute("REVOKE ALL ON core.locks FROM PUBLIC")
    op.create_table(
        "stage_marks",
        sa.Column("stage", sa.String(16), primary_key=True),
        sa.Column("window_start", sa.Date, primary_key=True),
        sa.Column("window_end", sa.Date, primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("counts", JSONB, nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema="core",
        comment="Per stage and window: a digest of the input and code of its last completed run, and its counts; "
                "a run finding the same digest skips the stage.",
    )


    op.create_table(
        "article_signatures",
        sa.Column("article_id", sa.BigInteger, sa.ForeignKey("core.articles.article_id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("minhash", sa.LargeBinary, nullable=False),
        schema="core",
        comment="The MinHash of each article's text (of the content_hash it was computed from), stored once: "
                "dedupe reads it instead of hashing the article again on every run over its dates.",
    )


def downgrade() -> None:
    op.drop_table("article_signatures", schema="core")
    op.drop_table("stage_marks", schema="core")
    op.drop_table("locks", schema="core")
    for name, _, _, schema in INDEXES:
        op.drop_index(name, schema=schema)
