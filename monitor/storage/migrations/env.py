"""Alembic environment: runs inside ``Database.upgrade()`` on the connection it hands over.

Run by hand (``alembic -c monitor/storage/migrations/alembic.ini ...``) it opens its own connection from
``-x url=...`` or the ``sqlalchemy.url`` option; only new revisions should ever be written that way.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from monitor.storage.tables import metadata

# Any number stays the same across releases: two daemons upgrading at once queue on this lock.
_MIGRATION_LOCK_ID = 0x6E6577736D6F6E  # "newsmon"


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        transactional_ddl=True,  # SQLite too: our BEGIN makes its DDL transactional
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
        context.run_migrations()


def _run_online() -> None:
    given = context.config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("pass the database with -x url=sqlite:///path or postgresql+psycopg://...")
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported: newsmon migrates a live database")
_run_online()
