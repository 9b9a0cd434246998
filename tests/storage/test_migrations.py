"""The schema: migrations build it from nothing, the code refuses a database that is behind, and the
migrations produce exactly what ``tables.py`` describes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from monitor.errors import StorageError
from monitor.storage import Database
from monitor.storage.tables import metadata

TABLES = {"feeds", "articles", "enrichments", "stories", "matches", "rule_state", "outbox", "deliveries"}


def test_upgrade_builds_every_table_from_an_empty_database(empty_database_url: str) -> None:
    db = Database.open(empty_database_url)
    try:
        assert db.current_revision() is None
        db.upgrade()
        assert db.current_revision() == db.head_revision()
        assert set(sa.inspect(db.engine).get_table_names()) >= TABLES
        db.ensure_current()
        db.upgrade()  # a second upgrade has nothing to do
        assert db.current_revision() == db.head_revision()
    finally:
        db.close()


def test_ensure_current_on_an_unmigrated_database_says_how_to_fix_it(empty_database_url: str) -> None:
    db = Database.open(empty_database_url)
    try:
        with pytest.raises(StorageError, match=r"has no newsmon schema: run `newsmon db upgrade`"):
            db.ensure_current()
    finally:
        db.close()


def test_ensure_current_refuses_a_schema_from_a_newer_release(db: Database) -> None:
    with db.write() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
    with pytest.raises(StorageError, match=r"newer than this newsmon knows .*upgrade newsmon"):
        db.ensure_current()


def test_migrations_and_table_definitions_agree(db: Database) -> None:
    with db.read() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_ensure_current_accepts_a_migrated_database(db: Database) -> None:
    db.ensure_current()


def test_0006_drops_the_outbox_match_id_and_its_downgrade_brings_it_back(empty_database_url: str) -> None:
    """The one migration that removes a column: rows survive both ways, on both engines."""
    import alembic.command

    from monitor.storage.database import _alembic_config

    def migrate(db: Database, step: str, target: str) -> None:
        with db.write() as conn:
            config = _alembic_config(db.url)
            config.attributes["connection"] = conn
            getattr(alembic.command, step)(config, target)

    def outbox_columns(db: Database) -> set[str]:
        with db.read() as conn:
            return {column["name"] for column in sa.inspect(conn).get_columns("outbox")}

    db = Database.open(empty_database_url)
    try:
        migrate(db, "upgrade", "0005_delivery")
        assert "match_id" in outbox_columns(db)
        with db.write() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO outbox (id, rule_id, article_id, subscriber, channel, dedupe_key, title, body,"
                    " body_format, next_attempt_at, created_at)"
                    " VALUES (1, 'r', 7, 's', 's #0 (json)', 'k', 't', 'b', 'text', :now, :now)"
                ),
                {"now": "2026-12-04 10:00:00+00:00"},
            )
        migrate(db, "upgrade", "head")
        assert "match_id" not in outbox_columns(db)
        migrate(db, "downgrade", "0005_delivery")
        assert "match_id" in outbox_columns(db)
        with db.read() as conn:
            assert conn.execute(sa.text("SELECT dedupe_key, match_id FROM outbox")).all() == [("k", None)]
    finally:
        db.close()
