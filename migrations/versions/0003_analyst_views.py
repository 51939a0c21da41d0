"""Analyst views (events by person, the reports of each event, articles with their story, source yield per
day) and the read-only
`analyst` role, which may read the analytics schema and nothing else.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from migrations.comments import comment_view

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

VIEWS = {
    "analytics.event_participants": ("""
SELECT p.name AS person,
       p.side AS country,
       p.person_id IS NOT NULL AS registered,
       p.title,
       p.role,
       e.event_id,
       e.event_type,
       e.start_date,
       e.end_date,
       e.status,
       e.city,
       e.country AS event_country,
       e.source_count
  FROM core.event_participants p
  JOIN analytics.events e USING (event_id)
""", {
        None: "Events by person: one row per participant of each event in analytics.events.",
        "person": "Canonical name of the participant (ASCII), or the name as written when not registered.",
        "country": "Side of the participant: VN or RU.",
        "registered": "True when the person is in the people registry (core.persons).",
        "title": "The title the reporting article gave the person, when it gave one.",
        "role": "visitor or host (of a visit), else participant.",
        "event_id": "The event (analytics.events.event_id).",
        "event_type": "Type of the event.",
        "start_date": "First day of the event.",
        "end_date": "Last day of the event.",
        "status": "occurred or planned.",
        "city": "City of the event, when stated.",
        "event_country": "ISO 3166 alpha-2 code of the country where the event took place.",
        "source_count": "Independent reports of the event.",
    }),
    "analytics.articles": ("""
SELECT a.article_id,
       a.source_id,
       a.url,
       a.title,
       a.published,
       a.updated,
       a.author,
       a.is_relevant,
       a.duplicate_of,
       a.duplicate_kind,
       a.story_id,
       count(*) OVER (PARTITION BY a.story_id) AS story_size,
       (SELECT count(*) FROM core.event_sources s WHERE s.article_id = a.article_id) AS event_count,
       split_part(a.text, E'\n\n', 1) AS lead,
       a.text
  FROM core.articles a
""", {
        None: "One row per cleaned article, with its story: the articles linked through the events they report.",
        "article_id": "Stable id of the article.",
        "source_id": "The news source (core.sources).",
        "url": "The article URL as crawled.",
        "title": "Headline.",
        "published": "Publication date.",
        "updated": "Date of the latest update the page states, when later than the publication.",
        "author": "Author or agency, when the page names one.",
        "is_relevant": "True when the body names both Vietnam and Russia.",
        "duplicate_of": "The original article when this one is a copy (same URL, same text or syndicated near-copy).",
        "duplicate_kind": "url, text or near (syndicated near-copy).",
        "story_id": "Smallest article_id of the story: articles reporting a shared event, and copies of them.",
        "story_size": "Number of articles in the story.",
        "event_count": "Number of events this article reports (a copy reports its original's).",
        "lead": "The first paragraph of the article.",
        "text": "The cleaned article text (paragraphs separated by blank lines).",
    }),
    "analytics.event_sources": ("""
SELECT s.event_id,
       a.article_id,
       a.source_id,
       a.url,
       a.published,
       a.article_id = e.first_article_id AS is_first_report,
       a.duplicate_of IS NOT NULL AS is_copy,
       s.evidence
  FROM core.event_sources s
  JOIN core.events e USING (event_id)
  JOIN core.articles a USING (article_id)
""", {
        None: "Which articles reported each event, and the sentence each one reported it in.",
        "event_id": "The event (analytics.events.event_id).",
        "article_id": "The reporting article (analytics.articles.article_id).",
        "source_id": "The news source of the article.",
        "url": "The article URL.",
        "published": "Publication date of the article.",
        "is_first_report": "True for the earliest article that reported the event.",
        "is_copy": "True when the article is a syndicated or duplicate copy of another reporting article.",
        "evidence": "The sentence the event was extracted from.",
    }),
    "analytics.source_yield": ("""
SELECT p.source_id,
       p.listed_date AS day,
       count(DISTINCT p.url) AS pages,
       count(DISTINCT p.url) FILTER (WHERE p.status <> 200) AS failed_pages,
       count(DISTINCT q.page_id) AS quarantined,
       count(DISTINCT a.article_id) AS articles,
       count(DISTINCT a.article_id) FILTER (WHERE a.is_relevant AND a.duplicate_of IS NULL) AS relevant_originals,
       count(DISTINCT a.article_id) FILTER (WHERE a.duplicate_of IS NOT NULL) AS duplicates,
       count(DISTINCT s.event_id) AS events
  FROM raw.pages p
  LEFT JOIN raw.quarantine q ON q.page_id = p.page_id
  LEFT JOIN core.articles a ON a.page_id = p.page_id
  LEFT JOIN core.event_sources s ON s.article_id = a.article_id
 WHERE p.kind = 'article' AND p.listed_date IS NOT NULL
 GROUP BY p.source_id, p.listed_date
""", {
        None: "Source yield per day: what each source's article pages listed on a day became.",
        "source_id": "The news source (core.sources).",
        "day": "The date the sitemap, feed or archive listed the pages under.",
        "pages": "Distinct article URLs fetched.",
        "failed_pages": "Of those, pages whose response was not HTTP 200.",
        "quarantined": "Pages the pipeline set aside with a reason (raw.quarantine).",
        "articles": "Cleaned articles.",
        "relevant_originals": "Articles about Vietnam and Russia that are not copies: the ones events are read from.",
        "duplicates": "Articles that copy another (URL, text or syndicated near-copy).",
        "events": "Distinct events these articles report.",
    }),
}

GRANTS = """
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'analyst') THEN
    CREATE ROLE analyst LOGIN;
  END IF;
END $$;
GRANT USAGE ON SCHEMA analytics TO analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO analyst;
ALTER DEFAULT PRIVILEGES IN SCHEMA analytics GRANT SELECT ON TABLES TO analyst;
"""


def upgrade() -> None:
    op.add_column("articles", sa.Column("story_id", sa.BigInteger), schema="core")
    op.add_column("articles", sa.Column("updated", sa.Date), schema="core")
    op.execute("UPDATE core.articles SET story_id = coalesce(duplicate_of, article_id)")
    for view, (query, comments) in VIEWS.items():
        op.execute(f"CREATE VIEW {view} AS {query}")
        comment_view(view, comments)
    op.execute(GRANTS)


def downgrade() -> None:
    op.execute("REVOKE ALL ON ALL TABLES IN SCHEMA analytics FROM analyst")
    op.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA analytics REVOKE SELECT ON TABLES FROM analyst")
    op.execute("REVOKE USAGE ON SCHEMA analytics FROM analyst")
    for view in reversed(VIEWS):
        op.execute(f"DROP VIEW {view}")
    op.drop_column("articles", "updated", schema="core")
    op.drop_column("articles", "story_id", schema="core")
