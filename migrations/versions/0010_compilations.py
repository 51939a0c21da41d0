"""Compilations and cheaper signatures.

core.article_contains links an original that repeats most of the text of earlier originals (a digest, a
round-up) to each of them; analytics.compilations shows the links with the contained articles' stories.
core.article_signatures gains each text's anchors (etl.dedupe), and its MinHash is now made over CRC-32
instead of SHA-1 shingle hashes: the table is a cache of etl.dedupe.signature, so it is emptied (dedupe makes
each signature again the next time it reads the article), on the way down as well.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from migrations.comments import comment_view

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

COMPILATIONS = """
SELECT k.article_id,
       a.url,
       a.published,
       k.contained_id AS contained_article_id,
       c.url AS contained_url,
       c.story_id AS contained_story_id
  FROM core.article_contains k
  JOIN core.articles a ON a.article_id = k.article_id
  JOIN core.articles c ON c.article_id = k.contained_id
"""
COMMENTS = {
    None: "Compilations (digests, round-ups): one row per earlier original article whose text a later original "
          "mostly repeats. A compilation keeps a story of its own; this view links it to each story it contains.",
    "article_id": "The compilation (analytics.articles.article_id).",
    "url": "URL of the compilation.",
    "published": "Publication date of the compilation.",
    "contained_article_id": "An earlier original article most of whose text the compilation repeats.",
    "contained_url": "URL of the contained article.",
    "contained_story_id": "Story of the contained article (analytics.articles.story_id).",
}


def upgrade() -> None:
    op.execute("TRUNCATE core.article_signatures")
    op.add_column("article_signatures", sa.Column("anchors", sa.LargeBinary, nullable=False), schema="core")
    op.execute("COMMENT ON TABLE core.article_signatures IS 'The MinHash and anchors of each article''s text (of "
               "the content_hash they were computed from), stored once: dedupe reads them instead of hashing the "
               "article again on every run over its dates.'")
    op.create_table(
        "article_contains",
        sa.Column("article_id", sa.BigInteger, sa.ForeignKey("core.articles.article_id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("contained_id", sa.BigInteger, sa.ForeignKey("core.articles.article_id", ondelete="CASCADE"),
                  primary_key=True),
        schema="core",
        comment="Compilations: an original article (a digest, a round-up) and each earlier original most of whose "
                "text it repeats; the compilation stays an article of its own and does not join those stories.",
    )
    op.create_index("ix_core_article_contains_contained_id", "article_contains", ["contained_id"], schema="core")
    op.execute(f"CREATE VIEW analytics.compilations AS {COMPILATIONS}")
    comment_view("analytics.compilations", COMMENTS)
    op.execute("GRANT SELECT ON analytics.compilations TO analyst")


def downgrade() -> None:
    op.execute("DROP VIEW analytics.compilations")
    op.drop_table("article_contains", schema="core")
    op.execute("TRUNCATE core.article_signatures")
    op.drop_column("article_signatures", "anchors", schema="core")
    op.execute("COMMENT ON TABLE core.article_signatures IS 'The MinHash of each article''s text (of the "
               "content_hash it was computed from), stored once: dedupe reads it instead of hashing the article "
               "again on every run over its dates.'")
