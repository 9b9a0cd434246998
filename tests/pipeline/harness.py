"""Building a real PipelineContext for a test: a config file written to tmp_path, a real database."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from monitor import pipeline
from monitor.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def write_settings(
    tmp_path: Path,
    database_url: str,
    feeds: Sequence[str] = (),
    subscribers: Sequence[tuple[str, str]] = (),
    rules: str | None = None,
    extra: str = "",
    timeout_s: float = 10.0,
    enrichment: bool = False,
    full_text_feeds: Collection[str] = (),
    allow_private: Sequence[str] = ("127.0.0.1",),
) -> Settings:
    """A config with these feed URLs, (name, apprise URL) subscribers and a rules folder.

    The feeds listed in ``full_text_feeds`` too are configured with ``fetch_full_text: true``.
    ``allow_private`` lets article pages and cross-origin redirects reach the loopback test servers.
    """
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir(exist_ok=True)
    if rules:
        (rules_dir / "rule.yaml").write_text(rules)
    lines = [
        f"database: {{url: '{database_url}'}}",
        "rules: {paths: [rules]}",
        f"http: {{per_host_concurrency: 8, total_concurrency: 16, timeout_s: {timeout_s}, "
        f"allow_private: [{', '.join(repr(entry) for entry in allow_private)}]}}",
        "polling: {redirect_confirmations: 3, backoff_base_s: 60, default_interval_s: 300}",
        "feeds:" if feeds else "feeds: []",
        *(
            f"  - {{url: '{url}', fetch_full_text: true}}"
            if url in full_text_feeds
            else f"  - {{url: '{url}'}}"
            for url in feeds
        ),
        "subscribers:" if subscribers else "subscribers: []",
        *(f"  - {{name: {name}, urls: ['{url}']}}" for name, url in subscribers),
        f"enrichment: {{enabled: {str(enrichment).lower()}}}",
        extra,
    ]
    path = tmp_path / "newsmon.yaml"
    path.write_text("\n".join(lines) + "\n")
    return load_settings(path, {})


@asynccontextmanager
async def running(settings: Settings, now: datetime = NOW) -> AsyncIterator[pipeline.PipelineContext]:
    """An open context with the config's feeds synced (due at ``now``), parsing inline (no process pool)."""
    async with pipeline.open_context(settings, None) as context:
        pipeline.sync_feeds(context, now)
        yield context


def scalar(context: pipeline.PipelineContext, sql: str, **params: object) -> object:
    with context.db.engine.connect() as conn:
        return conn.execute(sa.text(sql), params).scalar()


def rows(context: pipeline.PipelineContext, sql: str, **params: object) -> list[sa.Row[object]]:
    with context.db.engine.connect() as conn:
        return list(conn.execute(sa.text(sql), params).all())
