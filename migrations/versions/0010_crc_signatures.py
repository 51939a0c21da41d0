"""Near-duplicate signatures hashed with CRC-32: core.article_signatures is a cache of etl.dedupe.signature,
whose shingle hash changed from SHA-1 to CRC-32, so the stored signatures are cleared (dedupe makes each
again the next time it reads the article). Both directions clear it: either code reads only its own kind.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("TRUNCATE core.article_signatures")


def downgrade() -> None:
    op.execute("TRUNCATE core.article_signatures")
