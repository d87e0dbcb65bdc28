"""Alembic environment: runs on the engine callradar.db hands over, or the configured one."""

from __future__ import annotations

from alembic import context

from callradar.models import Base

config = context.config


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from callradar.db import get_engine

        engine = get_engine()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration on SQLite copies a table and drops the old one, and with
            # foreign keys enforced (callradar.db turns them on) that drop cascades: a
            # downgrade of members.joined deleted every contact. SQLite ignores the pragma
            # inside a transaction, so it is set before the migrations' own.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        with connection.begin():
            context.configure(
                connection=connection, target_metadata=Base.metadata, render_as_batch=sqlite
            )
            context.run_migrations()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


run_migrations_online()
