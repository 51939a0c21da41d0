"""analytics.events: participants with titles as text, every report counted, the first report's source and date.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from alembic import context, op

from migrations.comments import comment_view

revision = "0002"
down_revision = "0001"
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
       coalesce(array_agg(p.name ORDER BY p.name) FILTER (WHERE p.side = 'VN'), '{}') AS vn_participants,
       coalesce(array_agg(p.name ORDER BY p.name) FILTER (WHERE p.side = 'RU'), '{}') AS ru_participants,
       reports.independent AS source_count,
       first.url AS first_report_url,
       string_agg(p.name || coalesce(' (' || p.title || ')', ''), '; ' ORDER BY p.name)
           FILTER (WHERE p.side = 'VN') AS vn_participants_text,
       string_agg(p.name || coalesce(' (' || p.title || ')', ''), '; ' ORDER BY p.name)
           FILTER (WHERE p.side = 'RU') AS ru_participants_text,
       coalesce(bool_or(p.person_id IS NULL), false) AS has_unregistered_participants,
       reports.total AS report_count,
       first.source_id AS first_report_source,
       first.published AS first_report_published
  FROM core.events e
  JOIN core.articles first ON first.article_id = e.first_article_id
  JOIN LATERAL (SELECT count(DISTINCT coalesce(a.duplicate_of, a.article_id)) AS independent, count(*) AS total
                  FROM core.event_sources s JOIN core.articles a USING (article_id)
                 WHERE s.event_id = e.event_id) reports ON true
  LEFT JOIN core.event_participants p ON p.event_id = e.event_id
 GROUP BY e.event_id, first.url, first.source_id, first.published, reports.independent, reports.total
"""

COMMENTS = {
    None: "One row per real-world Vietnam-Russia event, merged across every article that reports it.",
    "event_id": "Stable id of the event (core.events).",
    "event_type": "visit, talks, meeting, phone_call, agreement, joint_statement, conference or award.",
    "start_date": "First day of the event, resolved against the reporting article's publication date.",
    "end_date": "Last day of the event (equal to start_date for one-day events).",
    "status": "occurred, or planned when the articles announce it for a later date.",
    "cameo": "CAMEO code of the event: 042 visit, 040 consult, 041 phone call, 044 meeting in a third country, "
             "046 negotiate, 057 sign agreement, 05 diplomatic cooperation (award).",
    "city": "City where the event took place, when stated.",
    "country": "ISO 3166 alpha-2 code of the country where it took place.",
    "vn_participants": "Canonical names of the Vietnamese participants, sorted.",
    "ru_participants": "Canonical names of the Russian participants, sorted.",
    "source_count": "Independent reports: articles that are not syndicated copies of another reporting article.",
    "first_report_url": "URL of the earliest article that reported the event.",
    "vn_participants_text": "Vietnamese participants as text, each with the title the article gave.",
    "ru_participants_text": "Russian participants as text, each with the title the article gave.",
    "has_unregistered_participants": "True when a participant is a name the people registry does not know.",
    "report_count": "Every linked article, syndicated copies included.",
    "first_report_source": "Source id (core.sources) of the first report.",
    "first_report_published": "Publication date of the first report.",
}


def upgrade() -> None:
    op.execute("DROP VIEW analytics.events")
    op.execute(EVENTS_VIEW)
    comment_view("analytics.events", COMMENTS)


def downgrade() -> None:
    op.execute("DROP VIEW analytics.events")
    op.execute(context.script.get_revision("0001").module.EVENTS_VIEW)
