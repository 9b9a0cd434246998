"""The clock: the daemon is the only package that reads it (stages take ``now``)."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
