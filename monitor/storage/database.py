"""The door to the database: engines, transactions, migrations, and error translation.

Use ``Database.open(url)`` once per process, ``db.upgrade()`` from ``newsmon db upgrade``, and
``db.ensure_current()`` at daemon start. Repository functions open ``db.write()`` or ``db.read()``; every
SQLAlchemy, psycopg or Alembic exception leaving those is a ``StorageError`` with its cause kept.

SQLite (one process, embedded): WAL, a busy timeout, foreign keys on, and every write transaction starts with
``BEGIN IMMEDIATE`` so two writers queue on the lock instead of deadlocking on a read→write upgrade.
PostgreSQL (psycopg 3): claims add ``FOR UPDATE SKIP LOCKED`` in :meth:`Database.for_claim`, the one place
where the two engines' queries differ.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import sqlalchemy as sa
import sqlalchemy.exc as sa_exc
from sqlalchemy.pool import StaticPool

from monitor.errors import StorageError

SQLITE_BUSY_TIMEOUT_MS: Final = 15_000
MIGRATIONS_DIR: Final = Path(__file__).resolve().parent / "migrations"
UPGRADE_HINT: Final = "run `newsmon db upgrade`"
_WRITE_OPTION: Final = "newsmon_write"


if TYPE_CHECKING:
    import alembic.config
    from sqlalchemy.dialects import postgresql as pg_dialect
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    Insert: TypeAlias = sqlite_dialect.Insert | pg_dialect.Insert


class Database:
    """One engine plus the knowledge of which of the two supported databases is behind it."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine

    @classmethod
    def open(cls, url: str) -> Database:
        """Create the engine for ``sqlite:///path`` or ``postgresql+psycopg://...``; connects lazily."""
        try:
            parsed = sa.make_url(url)
        except sa_exc.ArgumentError as exc:
            raise StorageError(f"not a database URL: {exc}") from exc
        if parsed.get_backend_name() == "sqlite":
            return cls(_sqlite_engine(parsed))
        if parsed.get_backend_name() == "postgresql":
            if parsed.get_driver_name() != "psycopg":
                parsed = parsed.set(drivername="postgresql+psycopg")
            return cls(sa.create_engine(parsed, pool_pre_ping=True, hide_parameters=True))
        raise StorageError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite or postgresql")

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._engine.dialect.name

    @property
    def url(self) -> str:
        """The URL with the password masked: safe to log and show."""
        return self._engine.url.render_as_string(hide_password=True)

    @property
    def engine(self) -> sa.Engine:
        """For tests and tools that must reach below the repository (never for application code)."""
        return self._engine

    def close(self) -> None:
        self._engine.dispose()

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """One write transaction: commits when the block ends, rolls back on any exception."""
        with self._translated(), self._engine.connect() as conn:
            conn.execution_options(**{_WRITE_OPTION: True})
            with conn.begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """One read transaction: a consistent snapshot, never takes the SQLite write lock."""
        with self._translated(), self._engine.connect() as conn, conn.begin():
            yield conn

    def for_claim(self, stmt: sa.Select[Any], of: sa.Table) -> sa.Select[Any]:
        """Lock the selected ``of`` rows and skip rows other workers hold (PostgreSQL); SQLite's
        ``BEGIN IMMEDIATE`` already serialises writers. The only query difference between the engines."""
        if self.dialect == "postgresql":
            return stmt.with_for_update(skip_locked=True, of=of)
        return stmt

    def insert(self, table: sa.Table) -> Insert:
        """An INSERT that knows ``ON CONFLICT`` on this engine (both spell it the same way)."""
        # the dialect modules load on first use: a SQLite `newsmon status` never imports PostgreSQL's
        if self.dialect == "postgresql":
            from sqlalchemy.dialects import postgresql as pg_dialect

            return pg_dialect.insert(table)
        from sqlalchemy.dialects import sqlite as sqlite_dialect

        return sqlite_dialect.insert(table)

    def upgrade(self) -> None:
        """Migrate the schema to the newest revision (Alembic ``upgrade head``), in one transaction."""
        import alembic.command  # Alembic loads for migrations only: `newsmon status` never needs it

        with self._alembic(), self.write() as conn:
            config = _alembic_config(self.url)
            config.attributes["connection"] = conn
            alembic.command.upgrade(config, "head")

    def current_revision(self) -> str | None:
        """The schema revision the database is at; None when it was never migrated."""
        with self.read() as conn:
            if not sa.inspect(conn).has_table(VERSION_TABLE):
                return None
            return conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()

    def head_revision(self) -> str:
        """The newest schema revision this code knows."""
        import alembic.script

        with self._alembic():
            head = alembic.script.ScriptDirectory.from_config(_alembic_config(self.url)).get_current_head()
        if head is None:
            raise StorageError(f"no migrations found in {MIGRATIONS_DIR}")
        return head

    def history(self) -> list[tuple[str, str]]:
        """Every migration this code knows, oldest first: (revision, its one-line description)."""
        import alembic.script

        with self._alembic():
            script = alembic.script.ScriptDirectory.from_config(_alembic_config(self.url))
            revisions = list(script.walk_revisions())
        return [(rev.revision, (rev.doc or "").strip().splitlines()[0]) for rev in reversed(revisions)]

    def ensure_current(self) -> None:
        """Raise ``StorageError`` unless the schema is exactly at the revision this code expects."""
        current = self.current_revision()
        if current is not None and current == written_head():
            return  # the common case, decided without loading Alembic
        head = self.head_revision()
        if current == head:
            return
        if current is None:
            raise StorageError(f"database {self.url} has no newsmon schema: {UPGRADE_HINT}")
        import alembic.script

        with self._alembic():
            script = alembic.script.ScriptDirectory.from_config(_alembic_config(self.url))
            known = {rev.revision for rev in script.walk_revisions()}
        if current not in known:
            raise StorageError(
                f"database {self.url} is at schema {current}, newer than this newsmon knows (head {head}): "
                "upgrade newsmon"
            )
        raise StorageError(f"database {self.url} is at schema {current}, behind {head}: {UPGRADE_HINT}")

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sa_exc.SQLAlchemyError as exc:
            raise StorageError(f"{self.url}: {describe(exc)}") from exc

    @contextmanager
    def _alembic(self) -> Iterator[None]:
        import alembic.util.exc

        try:
            yield
        except alembic.util.exc.CommandError as exc:
            raise StorageError(f"{self.url}: migration failed: {exc}") from exc


def describe(exc: BaseException) -> str:
    """One line about a database error: the driver's first line, never the statement's parameters."""
    cause = exc.orig if isinstance(exc, sa_exc.DBAPIError) and exc.orig is not None else exc
    first_line = (str(cause).strip().splitlines() or [""])[0]
    return f"{type(cause).__name__}: {first_line}" if first_line else type(cause).__name__


VERSION_TABLE: Final = "alembic_version"
_REVISION = re.compile(r"^(down_)?revision(?:\s*:[^=\n]+)?\s*=\s*(?:['\"]([^'\"]+)['\"]|None)", re.M)


def written_head() -> str | None:
    """The head revision read off the migration files (``revision = "..."``, ``down_revision = ...``)
    without loading Alembic; None unless exactly one revision is no other's parent."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for found in _REVISION.finditer(path.read_text(encoding="utf-8")):
            if found.group(2):
                (parents if found.group(1) else revisions).add(found.group(2))
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else None


def _alembic_config(url: str) -> alembic.config.Config:
    import alembic.config

    config = alembic.config.Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    in_memory = url.database in (None, "", ":memory:")
    if not in_memory and url.database is not None and not url.database.startswith("file:"):
        try:
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the directory for {url.database}: {exc}") from exc
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False}, "hide_parameters": True}
    if in_memory:  # every connection would otherwise see its own empty database
        options["poolclass"] = StaticPool
    engine = sa.create_engine(url, **options)
    sa.event.listen(engine, "connect", _configure_sqlite_connection)
    sa.event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # sqlite3 must not issue its own (deferred) BEGIN: _begin_sqlite_transaction does, see the SQLAlchemy
    # docs "Serializable isolation / Savepoints / Transactional DDL".
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in _SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


# WAL: readers never block the writer. synchronous=NORMAL is durable against a process crash (what the
# outbox guarantee needs); a power cut may lose the last commits, never consistency.
_SQLITE_PRAGMAS: Sequence[str] = (
    "PRAGMA journal_mode=WAL",
    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
    "PRAGMA foreign_keys=ON",
    "PRAGMA synchronous=NORMAL",
)


def _begin_sqlite_transaction(conn: sa.Connection) -> None:
    writing = conn.get_execution_options().get(_WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
