"""The vnru tables, as SQLAlchemy Core metadata (Alembic compares migrations against it).

Three schemas keep the layers apart:
  raw        every fetched response, byte for byte, and the pages quarantined with a reason;
  core       cleaned articles, people, events and their links to sources, the line fingerprints of
             each site's pages that reveal its templates (written by etl.load);
  analytics  documented views for analysts (created by migrations, never written directly).
"""

from sqlalchemy import (
                        REAL,
                        BigInteger,
                        Boolean,
                        CheckConstraint,
                        Column,
                        Date,
                        DateTime,
                        ForeignKey,
                        Index,
                        Integer,
                        LargeBinary,
                        MetaData,
                        SmallInteger,
                        String,
                        Table,
                        Text,
                        UniqueConstraint,
                        func,
                        text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

EVENT_TYPES = ("visit", "talks", "meeting", "phone_call", "agreement", "joint_statement", "conference", "award")

sources = Table(
    "sources", metadata,
    Column("source_id", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("country", String(2), nullable=False),
    Column("language", String(8), nullable=False),
    Column("domains", ARRAY(Text), nullable=False),
    schema="core",
)

pages = Table(
    "pages", metadata,
    Column("page_id", BigInteger, primary_key=True),
    Column("source_id", String(64), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("url", Text, nullable=False),
    Column("final_url", Text, nullable=False),
    Column("status", SmallInteger, nullable=False),
    Column("headers", JSONB, nullable=False),
    Column("fetched_at", DateTime(timezone=True), nullable=False, index=True),
    Column("listed_date", Date, index=True),
    Column("body_gzip", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("relevance", REAL),  # articles: the crawl's relevance score of the body, 0..1 (0: never fetched again)
    Column("relevance_evidence", JSONB),
    Column("parsed_by", String(16)),  # articles: 'site' (the source's selectors) or 'generic' (fallback)
    Column("selectors_found", JSONB),  # articles: per field (title, date, lead, body), found by the site's rules
    UniqueConstraint("url", "sha256", name="uq_pages_url_sha256"),
    CheckConstraint("kind IN ('sitemap', 'feed', 'archive', 'article')", name="kind"),
    schema="raw",
)

quarantine = Table(
    "quarantine", metadata,
    Column("page_id", BigInteger, ForeignKey("raw.pages.page_id", ondelete="CASCADE"), primary_key=True),
    Column("stage", String(16), nullable=False),
    Column("reason", Text, nullable=False),
    Column("quarantined_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    schema="raw",
)

articles = Table(
    "articles", metadata,
    Column("article_id", BigInteger, primary_key=True),
    Column("page_id", BigInteger, ForeignKey("raw.pages.page_id"), nullable=False),
    Column("source_id", String(64), ForeignKey("core.sources.source_id"), nullable=False),
    Column("url", Text, nullable=False, unique=True),
    Column("canonical_url", Text, nullable=False, index=True),
    Column("title", Text),
    Column("published", Date, index=True),
    Column("updated", Date),
    Column("author", Text),
    Column("language", String(8)),
    Column("text", Text, nullable=False),
    Column("content_hash", String(64), nullable=False, index=True),
    Column("removed", JSONB, nullable=False),
    Column("is_relevant", Boolean, nullable=False),
    Column("duplicate_of", BigInteger, ForeignKey("core.articles.article_id"), index=True),
    Column("duplicate_kind", String(8)),
    Column("extracted", JSONB),
    Column("story_id", BigInteger),  # smallest article_id of the articles linked through shared events
    CheckConstraint("duplicate_kind IN ('url', 'text', 'near')", name="duplicate_kind"),
    schema="core",
)

persons = Table(
    "persons", metadata,
    Column("person_id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("country", String(2), nullable=False),
    schema="core",
)

events = Table(
    "events", metadata,
    Column("event_id", BigInteger, primary_key=True),
    Column("event_type", String(16), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("status", String(8), nullable=False),
    Column("cameo", String(4), nullable=False),
    Column("city", Text),
    Column("country", String(2)),
    Column("first_article_id", BigInteger, ForeignKey("core.articles.article_id"), nullable=False),
    CheckConstraint("event_type IN " + str(EVENT_TYPES), name="event_type"),
    CheckConstraint("status IN ('occurred', 'planned')", name="status"),
    CheckConstraint("start_date <= end_date", name="date_order"),
    Index("ix_core_events_dates", "start_date", "end_date"),
    Index("ix_core_events_span", text("daterange(start_date, end_date, '[]')"), postgresql_using="gist"),
    schema="core",
)

event_participants = Table(
    "event_participants", metadata,
    Column("event_id", BigInteger, ForeignKey("core.events.event_id", ondelete="CASCADE"), primary_key=True),
    Column("name", Text, primary_key=True),
    Column("person_id", Integer, ForeignKey("core.persons.person_id")),
    Column("side", String(2), nullable=False),
    Column("role", String(16), nullable=False),
    Column("title", Text),
    schema="core",
)

pipeline_runs = Table(
    "pipeline_runs", metadata,
    Column("run_id", Text, primary_key=True),  # the Airflow run id, or cli-<start time> for `vnru run`
    Column("window_start", Date, nullable=False),
    Column("window_end", Date, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("status", String(8), nullable=False),
    Column("pages_fetched", Integer, nullable=False),
    Column("articles_changed", Integer, nullable=False),
    Column("duplicates", Integer, nullable=False),
    Column("events_new", Integer, nullable=False),
    Column("events_merged", Integer, nullable=False),
    Column("quarantined", Integer, nullable=False),
    Column("problems", ARRAY(Text), nullable=False),
    CheckConstraint("status IN ('passed', 'failed')", name="status"),
    schema="core",
)

event_sources = Table(
    "event_sources", metadata,
    Column("event_id", BigInteger, ForeignKey("core.events.event_id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", BigInteger, ForeignKey("core.articles.article_id"), primary_key=True, index=True),
    Column("evidence", Text, nullable=False),
    schema="core",
)

# One row per (site, line fingerprint, article URL): a URL counts once however often it was fetched
# or re-cleaned, so pages per line = count(*) and pages per site = count(DISTINCT url).
site_lines = Table(
    "site_lines", metadata,
    Column("source_id", String(64), ForeignKey("core.sources.source_id"), primary_key=True),
    Column("line_hash", String(16), primary_key=True),
    Column("url", Text, primary_key=True),
    Column("first_seen", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_core_site_lines_url", "url"),
    schema="core",
    comment="One row per site, line fingerprint and article URL: lines found on many pages of a site are its "
            "template (menus, footers, teaser lists).",
)

locks = Table(
    "locks", metadata,
    Column("name", Text, primary_key=True),
    schema="core",
    comment="One row per exclusive job (the event load): the job locks its row, with a timeout.",
)

stage_marks = Table(
    "stage_marks", metadata,
    Column("stage", String(16), primary_key=True),
    Column("window_start", Date, primary_key=True),
    Column("window_end", Date, primary_key=True),
    Column("digest", String(64), nullable=False),
    Column("counts", JSONB, nullable=False),
    Column("marked_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    schema="core",
    comment="Per stage and window: a digest of the input and code of its last completed run, and its counts; "
            "a run finding the same digest skips the stage.",
)

article_signatures = Table(
    "article_signatures", metadata,
    Column("article_id", BigInteger, ForeignKey("core.articles.article_id", ondelete="CASCADE"), primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("minhash", LargeBinary, nullable=False),
    Column("anchors", LargeBinary, nullable=False),
    schema="core",
    comment="The MinHash and anchors of each article's text (of the content_hash they were computed from), "
            "stored once: dedupe reads them instead of hashing the article again on every run over its dates.",
)

article_contains = Table(
    "article_contains", metadata,
    Column("article_id", BigInteger, ForeignKey("core.articles.article_id", ondelete="CASCADE"), primary_key=True),
    Column("contained_id", BigInteger, ForeignKey("core.articles.article_id", ondelete="CASCADE"), primary_key=True,
           index=True),
    schema="core",
    comment="Compilations: an original article (a digest, a round-up) and each earlier original most of whose "
            "text it repeats; the compilation stays an article of its own and does not join those stories.",
)
