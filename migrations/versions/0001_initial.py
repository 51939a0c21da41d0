"""Initial schema: raw archive, core records, analyst view of events.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

EVENTS_VIEW = """
CREATE VIEW analytics.events AS
SELECT e.event_id,
       e.event_type,
       e.start_date,
       e.end_date,
       e.status,
       e.cameo,
       e.city,
       e.country,
       array_remove(array_agg(DISTINCT p.name) FILTER (WHERE p.side = 'VN'), NULL) AS vn_participants,
       array_remove(array_agg(DISTINCT p.name) FILTER (WHERE p.side = 'RU'), NULL) AS ru_participants,
       (SELECT count(DISTINCT coalesce(a.duplicate_of, a.article_id))
          FROM core.event_sources s JOIN core.articles a USING (article_id)
         WHERE s.event_id = e.event_id) AS source_count,
       first.url AS first_report_url
  FROM core.events e
  JOIN core.articles first ON first.article_id = e.first_article_id
  LEFT JOIN core.event_participants p ON p.event_id = e.event_id
 GROUP BY e.event_id, first.url
"""


def upgrade() -> None:
    for schema in ("raw", "core", "analytics"):
        op.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    op.create_table(
        "sources",
        sa.Column("source_id", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("domains", ARRAY(sa.Text), nullable=False),
        schema="core",
    )
    op.create_table(
        "pages",
        sa.Column("page_id", sa.BigInteger, primary_key=True),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("final_url", sa.Text, nullable=False),
        sa.Column("status", sa.SmallInteger, nullable=False),
        sa.Column("headers", JSONB, nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("listed_date", sa.Date),
        sa.Column("body_gzip", sa.LargeBinary, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.UniqueConstraint("url", "sha256", name="uq_pages_url_sha256"),
        sa.CheckConstraint("kind IN ('sitemap', 'feed', 'archive', 'article')", name="ck_pages_kind"),
        schema="raw",
    )
    op.create_index("ix_raw_pages_source_id", "pages", ["source_id"], schema="raw")
    op.create_table(
        "quarantine",
        sa.Column("page_id", sa.BigInteger, sa.ForeignKey("raw.pages.page_id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema="raw",
    )
    op.create_table(
        "articles",
        sa.Column("article_id", sa.BigInteger, primary_key=True),
        sa.Column("page_id", sa.BigInteger, sa.ForeignKey("raw.pages.page_id"), nullable=False),
        sa.Column("source_id", sa.String(64), sa.ForeignKey("core.sources.source_id"), nullable=False),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("canonical_url", sa.Text, nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("author", sa.Text),
        sa.Column("language", sa.String(8)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("removed", JSONB, nullable=False),
        sa.Column("is_relevant", sa.Boolean, nullable=False),
        sa.Column("duplicate_of", sa.BigInteger, sa.ForeignKey("core.articles.article_id")),
        sa.Column("duplicate_kind", sa.String(8)),
        sa.Column("extracted", JSONB),
        sa.CheckConstraint("duplicate_kind IN ('url', 'text', 'near')", name="ck_articles_duplicate_kind"),
        schema="core",
    )
    for column in ("canonical_url", "published", "content_hash"):
        op.create_index(f"ix_core_articles_{column}", "articles", [column], schema="core")
    op.create_table(
        "persons",
        sa.Column("person_id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("country", sa.String(2), nullable=False),
        schema="core",
    )
    op.create_table(
        "events",
        sa.Column("event_id", sa.BigInteger, primary_key=True),
        sa.Column("event_type", sa.String(16), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("cameo", sa.String(4), nullable=False),
        sa.Column("city", sa.Text),
        sa.Column("country", sa.String(2)),
        sa.Column("first_article_id", sa.BigInteger, sa.ForeignKey("core.articles.article_id"), nullable=False),
        sa.CheckConstraint("event_type IN ('visit', 'talks', 'meeting', 'phone_call', 'agreement', "
                           "'joint_statement', 'conference', 'award')", name="ck_events_event_type"),
        sa.CheckConstraint("status IN ('occurred', 'planned')", name="ck_events_status"),
        sa.CheckConstraint("start_date <= end_date", name="ck_events_date_order"),
        schema="core",
    )
    op.create_table(
        "event_participants",
        sa.Column("event_id", sa.BigInteger, sa.ForeignKey("core.events.event_id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("core.persons.person_id")),
        sa.Column("side", sa.String(2), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("title", sa.Text),
        schema="core",
    )
    op.create_table(
        "event_sources",
        sa.Column("event_id", sa.BigInteger, sa.ForeignKey("core.events.event_id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("article_id", sa.BigInteger, sa.ForeignKey("core.articles.article_id"), primary_key=True),
        sa.Column("evidence", sa.Text, nullable=False),
        schema="core",
    )
    op.execute(EVENTS_VIEW)
    op.execute("COMMENT ON VIEW analytics.events IS 'One row per real-world Vietnam-Russia event, "
               "with participants by side and the number of independent reporting sources.'")


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS analytics.events")
    for table in ("event_sources", "event_participants", "events", "persons", "articles"):
        op.drop_table(table, schema="core")
    op.drop_table("quarantine", schema="raw")
    op.drop_table("pages", schema="raw")
    op.drop_table("sources", schema="core")
    for schema in ("analytics", "core", "raw"):
        op.execute(f"DROP SCHEMA IF EXISTS {schema}")
