"""Column types that behave the same on SQLite and PostgreSQL.

SQLite has no time zones: it stores ``DateTime`` as naive text. ``UTCDateTime`` stores UTC and hands back
aware UTC datetimes on both engines, so nothing above storage ever compares a naive and an aware value.
Text stored by SQLAlchemy always carries microseconds, so string order is time order in SQLite queries.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timezone-aware UTC datetime; refuses naive values instead of guessing their zone."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                f"naive datetime {value.isoformat()} given to storage: pass an aware UTC datetime"
            )
        value = value.astimezone(UTC)
        # SQLite keeps text; drop the offset so every stored value has the same shape and sorts as time.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {type(value).__name__}")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def json_column_type() -> sa.JSON:
    """Portable JSON (JSON text in SQLite, ``json`` in PostgreSQL); Python ``None`` is SQL NULL."""
    return sa.JSON(none_as_null=True)
