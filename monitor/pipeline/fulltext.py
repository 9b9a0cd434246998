"""Optional full text: for a feed that carries only summaries, read each new entry's page instead.

Many publishers put two sentences in their feed and the story on the page; rules written against the
story then miss it. A feed configured with ``fetch_full_text: true`` gets, between parse and save in
``poll_feed`` (so the full text is stored with the article in transaction 1), each *new* entry's link
fetched with ``Fetcher.fetch_page`` and its main text extracted by ``parsing.extract_main_text`` into
``Entry.content``.

Politeness and safety come from the shared ``Fetcher``: pages go through the same per-host and total
concurrency gates, timeouts, size cap and redirect rules as feeds, so a feed of 100 new entries on one
host is fetched ``per_host_concurrency`` pages at a time, within half the feed's claim lease; and a page
is only ever read from a public address unless ``http.allow_private`` lists it (a feed's links are a
remote party's choice). Extraction is CPU work and runs in a thread.

A page is a bonus, never a condition: when it cannot be fetched or read, the entry is saved as the feed
gave it and a warning with ``action: fulltext.failed`` says why.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Sequence
from datetime import datetime

from monitor import parsing
from monitor.domain import ClaimedFeed, Entry
from monitor.errors import FetchError, ParseError
from monitor.pipeline.context import PipelineContext

log = logging.getLogger(__name__)


def carries_only_a_summary(entry: Entry) -> bool:
    """The entry has a link to read and its content is empty or no longer than its summary."""
    return bool(entry.link) and len(entry.content.strip()) <= len(entry.summary.strip())


async def add_full_text(
    context: PipelineContext, feed: ClaimedFeed, entries: Sequence[Entry], now: datetime
) -> tuple[Entry, ...]:
    """``entries`` in order, each summary-only one with its page's main text as ``content``.

    Returns the entries unchanged for a feed without ``fetch_full_text: true``. Never raises for a
    page: a failure keeps that entry as it was.
    """
    if not entries or not feed.fetch_full_text:  # the row's option: it follows the feed when it moves
        return tuple(entries)
    # One slow publisher must not hold the feed's poll for ever (the worker renews the claim meanwhile).
    # Pages not read by then keep the summary.
    budget_s = context.settings.polling.full_text_budget_s
    tasks = [asyncio.ensure_future(_with_full_text(context, feed, entry, now)) for entry in entries]
    done, late = await asyncio.wait(tasks, timeout=budget_s)
    for task in late:
        task.cancel()
    return tuple(
        task.result() if task in done else _failed(feed, entry, f"not read within {budget_s:.0f} s")
        for task, entry in zip(tasks, entries, strict=True)
    )


async def _with_full_text(context: PipelineContext, feed: ClaimedFeed, entry: Entry, now: datetime) -> Entry:
    if not carries_only_a_summary(entry):
        return entry
    assert entry.link is not None
    try:
        text = await _main_text(context, entry.link, now)
    except (FetchError, ParseError) as exc:
        return _failed(feed, entry, str(exc))
    if len(text) <= len(entry.summary.strip()):
        # a paywall, a cookie wall or a page about something else: the summary says more
        return _failed(feed, entry, f"{entry.link}: the page's text is no longer than the feed's summary")
    log.debug(
        "full text added",
        extra={"action": "fulltext.ok", "feed": feed.url, "link": entry.link, "chars": len(text)},
    )
    return dataclasses.replace(entry, content=text)


async def _main_text(context: PipelineContext, link: str, now: datetime) -> str:
    page = await context.fetcher.fetch_page(link, now)
    if page.body is None:  # a 304 to a request that sent no validators: nothing to read
        raise FetchError(link, f"HTTP {page.status} without a body")
    return await asyncio.to_thread(
        parsing.extract_main_text, page.body, url=page.final_url, content_type=page.content_type
    )


def _failed(feed: ClaimedFeed, entry: Entry, error: str) -> Entry:
    log.warning(
        "full text not fetched: keeping the feed's summary",
        extra={"action": "fulltext.failed", "feed": feed.url, "link": entry.link, "error": error},
    )
    return entry
