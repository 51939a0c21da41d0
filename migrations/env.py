"""Alembic environment: the URL comes from the application's settings, the target from etl.schema."""

from alembic import context
from sqlalchemy import create_engine, pool, text

from etl import pgserver
from etl.schema import metadata

url = context.config.attributes.get("url") or pgserver.resolve_url()
LOCK_KEY, LOCK_TIMEOUT = "vnru.migrations", "5min"


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=metadata, literal_binds=True, compare_type=True,
                      include_schemas=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Under a session advisory lock: two first runs on an empty database migrate one after the other (the
    second finds the schema at head) instead of racing into an IntegrityError. A lock held by someone else
    for over LOCK_TIMEOUT fails the upgrade with PostgreSQL's lock-timeout error rather than waiting forever."""
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        connection.execute(text(f"SET lock_timeout = '{LOCK_TIMEOUT}'"))
        connection.execute(text("SELECT pg_advisory_lock(hashtext(:key))"), {"key": LOCK_KEY})
        connection.commit()
        try:
            context.configure(connection=connection, target_metadata=metadata, compare_type=True,
                              include_schemas=True)
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
        finally:
            connection.rollback()
            connection.execute(text("SELECT pg_advisory_unlock(hashtext(:key))"), {"key": LOCK_KEY})
            connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
