"""Fixtures shared by every test tier.

Databases: ``database_url`` and ``db`` run a test on SQLite (a file under ``tmp_path``) and on the local
PostgreSQL. PostgreSQL gets one fresh database per test session (``newsmon_test_<pid>_<random>``), migrated
once and truncated before each test, dropped at the end. If PostgreSQL cannot be reached those tests fail;
set ``NEWSMON_SKIP_POSTGRES=1`` to skip them instead. ``NEWSMON_TEST_POSTGRES_URL`` points at another
server's maintenance database (default: ``postgres`` on 127.0.0.1:5432 as user ``postgres``).
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from monitor.storage import Database
from monitor.storage.tables import metadata

POSTGRES_ADMIN_URL = os.environ.get(
    "NEWSMON_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SKIP_POSTGRES = os.environ.get("NEWSMON_SKIP_POSTGRES") == "1"

ENGINES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


@dataclass
class PostgresServer:
    """Creates and drops uniquely named databases on the test server through its maintenance database."""

    admin: sa.Engine

    def create_database(self, suffix: str = "") -> str:
        name = f"newsmon_test_{os.getpid()}_{secrets.token_hex(4)}{suffix}"
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        return self.admin.url.set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        name = sa.make_url(url).database
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass(frozen=True)
class _SessionDatabase:
    url: str
    cleaner: sa.Engine  # truncates between tests
    revision: str


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The local PostgreSQL, or a failure that says how to skip it."""
    if SKIP_POSTGRES:
        pytest.skip("NEWSMON_SKIP_POSTGRES=1: PostgreSQL tests skipped")
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.fail(
            f"PostgreSQL at {admin.url.render_as_string()} is unreachable ({exc.orig}); "
            "start it or set NEWSMON_SKIP_POSTGRES=1 to skip the PostgreSQL tests",
            pytrace=False,
        )
    yield PostgresServer(admin)
    admin.dispose()


@pytest.fixture(scope="session")
def _postgres_session_database(postgres_server: PostgresServer) -> Iterator[_SessionDatabase]:
    url = postgres_server.create_database()
    db = Database.open(url)
    db.upgrade()
    revision = db.current_revision()
    db.close()
    cleaner = sa.create_engine(url, poolclass=sa.NullPool)
    yield _SessionDatabase(url, cleaner, revision or "")
    cleaner.dispose()
    postgres_server.drop_database(url)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "newsmon.db"
    db = Database.open(f"sqlite:///{path}")
    db.upgrade()
    db.close()  # the last connection to close checkpoints the WAL into the file we copy
    return path


@pytest.fixture
def sqlite_url(_sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated, empty SQLite database of this test's own."""
    path = tmp_path / "newsmon.db"
    shutil.copyfile(_sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def postgres_url(_postgres_session_database: _SessionDatabase) -> str:
    """The session's migrated PostgreSQL database, emptied for this test."""
    session = _postgres_session_database
    with session.cleaner.begin() as conn:
        # DELETE and restarting the id sequences is much faster than TRUNCATE on a handful of rows
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
        for (sequence,) in conn.exec_driver_sql(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
        ):
            conn.exec_driver_sql(f'ALTER SEQUENCE "{sequence}" RESTART')
        # a test may have moved the schema revision to see how the code reacts
        conn.execute(sa.text("UPDATE alembic_version SET version_num = :rev"), {"rev": session.revision})
    return session.url


@pytest.fixture(params=ENGINES)
def database_url(request: pytest.FixtureRequest) -> str:
    """A migrated, empty database on each engine in turn."""
    return str(request.getfixturevalue(f"{request.param}_url"))


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """An open ``Database`` on a migrated, empty database, on each engine in turn."""
    database = Database.open(database_url)
    yield database
    database.close()


@pytest.fixture(params=ENGINES)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database that exists but was never migrated, on each engine in turn."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.create_database(suffix="_empty")
    yield url
    server.drop_database(url)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tiers: anything on PostgreSQL or marked slow belongs to the integration tier (``make integration``),
    which runs after the unit tier (``make unit``: no external service, seconds)."""
    for item in items:
        if item.get_closest_marker("postgres") or item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.integration)
