"""Event spans: a GiST index on core.events' date range, so the load finds the stored events a batch of
reports can join (those whose days overlap the batch's weeks) without scanning every event that started
earlier, as a b-tree on (start_date, end_date) must.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX ix_core_events_span ON core.events USING gist (daterange(start_date, end_date, '[]'))")


def downgrade() -> None:
    op.execute("DROP INDEX core.ix_core_events_span")
