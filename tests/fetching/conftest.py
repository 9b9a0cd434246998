"""Fixtures for the fetching tests: a live FeedServer and a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.support.feed_server import FeedServer


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.fixture
def now() -> datetime:
    return datetime(2025, 1, 15, 12, 0, 0, tzinfo=UTC)
