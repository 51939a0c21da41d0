"""Site templates: the line fingerprints of each site's article pages, to learn its boilerplate.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "site_lines",
        sa.Column("source_id", sa.String(64), sa.ForeignKey("core.sources.source_id"), primary_key=True),
        sa.Column("line_hash", sa.String(16), primary_key=True),
        sa.Column("url", sa.Text, primary_key=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        schema="core",
        comment="One row per site, line fingerprint and article URL: lines found on many pages of a site are "
                "its template (menus, footers, teaser lists).",
    )
    op.create_index("ix_core_site_lines_url", "site_lines", ["url"], schema="core")


def downgrade() -> None:
    op.drop_table("site_lines", schema="core")
