"""core.quality_problems(first, last, since): the data-quality rules of a run, in one SQL function.

The DAG's quality gates (common-sql check operators), `vnru run` and the run summary all ask this
function, so a rule is written once. Each row is one problem: its gate, the source or rule it concerns
and a sentence an operator can act on. Gates: sources (a crawl came back broken, or a source that usually
yields articles yielded none in a run that crawled it), articles (no publication date, dated after the
window), events (the extracted events, before they are loaded: missing participants, dated far from
their report, or a collapse of events per article against the past year).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

QUALITY_PROBLEMS = f"""
CREATE FUNCTION core.quality_problems(first date, last date, since timestamptz)
RETURNS TABLE (gate text, subject text, problem text)
LANGUAGE sql STABLE AS $$
WITH window_articles AS (
    SELECT a.*, p.listed_date FROM core.articles a JOIN raw.pages p USING (page_id)
    WHERE p.listed_date BETWEEN first AND last
), broken AS (
    SELECT source_id, count(*) FILTER (WHERE status >= 500) AS errors,
           count(*) FILTER (WHERE status < 300 AND sha256 = '{EMPTY_SHA256}') AS empty
    FROM raw.pages WHERE fetched_at >= since GROUP BY source_id
), yield AS (
    SELECT s.source_id,
           (SELECT count(*) FROM window_articles w WHERE w.source_id = s.source_id) AS articles,
           (SELECT count(*) FROM core.articles a JOIN raw.pages p USING (page_id)
             WHERE p.source_id = s.source_id AND p.listed_date >= first - 365 AND p.listed_date < first)
             * (last - first + 1) / 365.0 AS usual
    FROM core.sources s
), extracted AS (
    SELECT a.article_id, a.published, e AS event,
           (SELECT count(DISTINCT p ->> 'side') FROM jsonb_array_elements(e -> 'participants') p) AS sides
    FROM core.articles a, jsonb_array_elements(a.extracted) e
    WHERE a.published BETWEEN first AND last AND a.extracted IS NOT NULL
), yield_of_events AS (
    SELECT count(*) FILTER (WHERE published >= first) AS articles,
           sum(jsonb_array_length(extracted)) FILTER (WHERE published >= first) AS events,
           count(*) FILTER (WHERE published < first) AS past_articles,
           sum(jsonb_array_length(extracted)) FILTER (WHERE published < first) AS past_events
    FROM core.articles
    WHERE extracted IS NOT NULL AND is_relevant AND duplicate_of IS NULL
      AND published BETWEEN first - 365 AND last
)
SELECT 'sources', source_id,
       format('%s responses fetched during the run came back broken (%s with HTTP 5xx, %s empty)',
              errors + empty, errors, empty)
FROM broken WHERE errors + empty > 0
UNION ALL
SELECT 'sources', source_id,
       format('no article in the window, where the past year gives %s for a window this long', round(usual, 1))
FROM yield WHERE articles = 0 AND usual >= 1
  AND source_id IN (SELECT source_id FROM raw.pages WHERE fetched_at >= since)  -- crawled by this run
UNION ALL
SELECT 'articles', source_id, format('%s articles of the window without a publication date', count(*))
FROM window_articles WHERE published IS NULL GROUP BY source_id
UNION ALL
SELECT 'articles', source_id, format('%s articles listed in the window but dated after it (first: %s)',
                                     count(*), min(url))
FROM window_articles WHERE published > last + 1 GROUP BY source_id
UNION ALL
SELECT 'events', 'participants',
       format('%s extracted events lack a participant on each side (first in article %s)', count(*), min(article_id))
FROM extracted WHERE sides < CASE WHEN event ->> 'type' = 'visit' THEN 1 ELSE 2 END HAVING count(*) > 0
UNION ALL
SELECT 'events', 'dates',
       format('%s extracted events are dated over a year from the article reporting them (first in article %s)',
              count(*), min(article_id))
FROM extracted WHERE abs((event ->> 'start')::date - published) > 366 HAVING count(*) > 0
UNION ALL
SELECT 'events', 'yield',
       format('%s events from %s relevant articles (%s per article), under a quarter of the past year''s %s',
              events, articles, round(events::numeric / articles, 2), round(past_events::numeric / past_articles, 2))
FROM yield_of_events
WHERE articles >= 5 AND past_articles >= 10
  AND events::numeric / articles < 0.25 * past_events::numeric / past_articles
$$
"""


def upgrade() -> None:
    op.execute(QUALITY_PROBLEMS)
    op.execute("COMMENT ON FUNCTION core.quality_problems(date, date, timestamptz) IS "
               "'The data-quality problems of a run over [first, last] that began at since: one row per problem "
               "(gate: sources, articles or events; subject; problem). No row: the run passes.'")


def downgrade() -> None:
    op.execute("DROP FUNCTION core.quality_problems(date, date, timestamptz)")
