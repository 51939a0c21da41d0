"""Alembic environment: the URL comes from the application's settings, the target from etl.schema."""

from alembic import context
from sqlalchemy import create_engine, pool

from etl import pgserver
from etl.schema import metadata

url = context.config.attributes.get("url") or pgserver.resolve_url()


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=metadata, literal_binds=True, compare_type=True,
                      include_schemas=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, compare_type=True,
                          include_schemas=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
