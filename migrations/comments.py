"""COMMENT ON a view and each of its columns, for the documented analytics views."""

from alembic import op


def comment_view(view: str, comments: dict[str | None, str]) -> None:
    """`comments[None]` describes the view itself; every other key is one of its columns."""
    for column, comment in comments.items():
        target = f"VIEW {view}" if column is None else f"COLUMN {view}.{column}"
        quoted = comment.replace("'", "''")
        op.execute(f"COMMENT ON {target} IS '{quoted}'")
