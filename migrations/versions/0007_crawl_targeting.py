"""Crawl targeting and watch: raw.pages keeps each fetched article's relevance score with its evidence and which
parsing path worked (the site's selectors or the generic extractor, field by field); analytics.source_yield shows
per source and day the share of pages the site's selectors parsed and the relevant yield; core.quality_problems
gains two 'sources' rules: a source's selectors stopped matching (a redesign), or its relevant yield collapsed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

import importlib

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from migrations.comments import comment_view

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

PREVIOUS = importlib.import_module("migrations.versions.0006_quality_rules").QUALITY_PROBLEMS

MIN_PAGES = 3  # the rules judge a source only on this many article pages fetched by the run
MIN_SELECTOR_SHARE = 0.5
YIELD_COLLAPSE = 0.25  # relevant share under a quarter of the source's past year

CRAWL_RULES = f"""
UNION ALL
SELECT 'sources', source_id,
       format('the site''s selectors parsed %s of %s article pages fetched by the run (the rest fell back to '
              'the generic extractor): a redesign? Repair the source (README: Repairing a source)',
              site, parsed)
FROM (SELECT source_id, count(*) FILTER (WHERE parsed_by = 'site') AS site, count(*) AS parsed
      FROM raw.pages WHERE kind = 'article' AND fetched_at >= since AND parsed_by IS NOT NULL
      GROUP BY source_id) run
WHERE parsed >= {MIN_PAGES} AND site < {MIN_SELECTOR_SHARE} * parsed
UNION ALL
SELECT 'sources', run.source_id,
       format('%s of %s article pages fetched by the run were relevant, under a quarter of the past year''s '
              'share (%s%%): targeting or parsing broke?', run.relevant, run.fetched, round(100 * past.share))
FROM (SELECT source_id, count(*) FILTER (WHERE relevance > 0) AS relevant, count(*) AS fetched
      FROM raw.pages WHERE kind = 'article' AND fetched_at >= since AND relevance IS NOT NULL
      GROUP BY source_id) run
JOIN (SELECT source_id, avg((relevance > 0)::int) AS share FROM raw.pages
      WHERE kind = 'article' AND relevance IS NOT NULL AND fetched_at < since AND listed_date >= first - 365
      GROUP BY source_id HAVING count(*) >= 10) past USING (source_id)
WHERE run.fetched >= {MIN_PAGES} AND run.relevant < {YIELD_COLLAPSE} * past.share * run.fetched
$$
"""

ANALYST_VIEWS = importlib.import_module("migrations.versions.0003_analyst_views").VIEWS
OLD_YIELD, OLD_COMMENTS = ANALYST_VIEWS["analytics.source_yield"]
CRAWL_COLUMNS = """,
       count(DISTINCT p.url) FILTER (WHERE p.parsed_by = 'site') AS site_parsed,
       count(DISTINCT p.url) FILTER (WHERE p.parsed_by = 'generic') AS fell_back,
       round(count(DISTINCT p.url) FILTER (WHERE p.parsed_by = 'site')::numeric
             / nullif(count(DISTINCT p.url) FILTER (WHERE p.parsed_by IS NOT NULL), 0), 3) AS selector_share,
       count(DISTINCT p.url) FILTER (WHERE p.relevance > 0) AS relevant_fetched,
       round(count(DISTINCT p.url) FILTER (WHERE p.relevance > 0)::numeric
             / nullif(count(DISTINCT p.url) FILTER (WHERE p.relevance IS NOT NULL), 0), 3) AS relevant_share
  FROM raw.pages p"""
NEW_YIELD = OLD_YIELD.replace("\n  FROM raw.pages p", CRAWL_COLUMNS, 1)
NEW_COMMENTS = {
    None: OLD_COMMENTS[None] + " With the crawl's watch: how many pages the site's own selectors parsed, and the "
                               "relevant yield of the pages fetched.",
    "site_parsed": "Pages whose body the site's own selectors found (raw.pages.parsed_by = 'site').",
    "fell_back": "Pages the generic extractor had to parse: the site's selectors found too little.",
    "selector_share": "site_parsed over the pages parsed: falls towards 0 when the site is redesigned.",
    "relevant_fetched": "Pages whose body the crawl scored relevant (about Vietnam and Russia).",
    "relevant_share": "relevant_fetched over the pages scored: the yield of targeted fetching.",
}


def _replace(function_sql: str) -> None:
    """The function redefined in place (its comment and the check operators' grants stay)."""
    op.execute(function_sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))


def upgrade() -> None:
    op.add_column("pages", sa.Column("relevance", sa.REAL), schema="raw")
    op.add_column("pages", sa.Column("relevance_evidence", JSONB), schema="raw")
    op.add_column("pages", sa.Column("parsed_by", sa.String(16)), schema="raw")
    op.add_column("pages", sa.Column("selectors_found", JSONB), schema="raw")
    op.execute(f"CREATE OR REPLACE VIEW analytics.source_yield AS {NEW_YIELD}")  # columns added at the end
    comment_view("analytics.source_yield", NEW_COMMENTS)
    _replace(PREVIOUS.rstrip().removesuffix("$$") + CRAWL_RULES)


def downgrade() -> None:
    _replace(PREVIOUS)
    op.execute("DROP VIEW analytics.source_yield")
    op.execute(f"CREATE VIEW analytics.source_yield AS {OLD_YIELD}")
    comment_view("analytics.source_yield", OLD_COMMENTS)
    for column in ("selectors_found", "parsed_by", "relevance_evidence", "relevance"):
        op.drop_column("pages", column, schema="raw")
