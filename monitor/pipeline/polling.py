"""Step 1 of the straight line: claim due feeds, fetch, parse, and save feed state + new articles.

Each feed's poll ends in exactly one ``storage.save_poll`` call (transaction 1), whatever happened:
a broken feed records its error and its backoff there, and the other feeds go on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from monitor import parsing, storage
from monitor.domain import ClaimedFeed, FeedStatus, FeedUpdate, FetchResult, ParseResult
from monitor.errors import FeedGoneError, FetchError, MonitorError, ParseError
from monitor.pipeline.clock import advancing
from monitor.pipeline.context import PipelineContext
from monitor.pipeline.fulltext import add_full_text
from monitor.pipeline.observe import PollObserved
from monitor.pipeline.schedule import next_poll_after_error, next_poll_after_success

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeedPollOutcome:
    feed_url: str
    status: str  # "new", "unchanged", "not_modified", "error", "gone"
    new_articles: int = 0
    error: str | None = None


@dataclass
class PollReport:
    feeds: int = 0
    new_articles: int = 0
    not_modified: int = 0
    errors: int = 0
    outcomes: list[FeedPollOutcome] = field(default_factory=list)

    def add(self, outcome: FeedPollOutcome) -> None:
        self.feeds += 1
        self.new_articles += outcome.new_articles
        self.not_modified += outcome.status == "not_modified"
        self.errors += outcome.status in ("error", "gone")
        self.outcomes.append(outcome)


async def poll_due_feeds(context: PipelineContext, now: datetime, *, every_feed: bool = False) -> PollReport:
    """Poll every feed that is due now (claimed from the database, so N workers never poll one twice).

    ``every_feed`` polls every active feed whether due or not. Either way each feed is polled at most once
    per call (a feed polled at ``now`` is never claimed again by it), and the call returns between two
    batches once ``context.stop`` is set.
    """
    report = PollReport()
    policy = context.settings.polling
    due_by = now + timedelta(days=36500) if every_feed else None
    clock = advancing(now)  # each claim's lease from the time of that claim (issue 12, finding 1)
    lease = context.lease
    while not context.stop.is_set():
        claimed_at = clock()
        feeds = await asyncio.to_thread(
            storage.claim_due_feeds,
            context.db,
            claimed_at,
            policy.batch_size,
            lease.seconds,
            due_by or claimed_at,
            now,
            lease.worker,
        )
        for outcome in await asyncio.gather(*(poll_feed(context, feed, claimed_at) for feed in feeds)):
            report.add(outcome)
        if len(feeds) < policy.batch_size:
            break
    return report


async def poll_feed(context: PipelineContext, feed: ClaimedFeed, now: datetime) -> FeedPollOutcome:
    """Fetch, parse and save one claimed feed; never raises for a problem of the feed itself.

    Not even for a bug: whatever escapes is recorded against this feed (its validators kept, so the next
    poll fetches the same items again) and the other feeds of the cycle go on.
    """
    started = time.perf_counter()
    outcome = await _poll_feed_or_record(context, feed, now)
    context.observers.emit(
        PollObserved(outcome.status, time.perf_counter() - started, new_articles=outcome.new_articles)
    )
    return outcome


async def _poll_feed_or_record(context: PipelineContext, feed: ClaimedFeed, now: datetime) -> FeedPollOutcome:
    try:
        return await _poll_feed(context, feed, now)
    except Exception as exc:
        log.exception(
            "feed poll failed unexpectedly",
            extra={"action": "poll.crashed", "feed": feed.url, "error": f"{type(exc).__name__}: {exc}"},
        )
        reason = f"unexpected {type(exc).__name__} while polling ({exc}): please report this newsmon bug"
        try:
            return await _save_failure(context, feed, now, MonitorError(f"{feed.url}: {reason}"))
        except Exception:  # the database is down too: the lease expires and the feed is polled again
            log.exception("could not record the failure", extra={"action": "poll.crashed", "feed": feed.url})
            return FeedPollOutcome(feed.url, "error", error=reason)


async def _poll_feed(context: PipelineContext, feed: ClaimedFeed, now: datetime) -> FeedPollOutcome:
    try:
        result = await context.fetcher.fetch(feed, now)
    except FeedGoneError as exc:
        return await _save_failure(context, feed, now, exc, gone=True)
    except FetchError as exc:
        return await _save_failure(context, feed, now, exc)
    if result.not_modified:
        update = _success_update(context, feed, result, now, title=None)
        await asyncio.to_thread(storage.save_poll, context.db, update, (), now)
        log.debug("feed not modified", extra={"action": "poll.not_modified", "feed": feed.url})
        return FeedPollOutcome(feed.url, "not_modified")
    try:
        parsed, stats = await _parse(context, feed, result)
    except ParseError as exc:
        return await _save_failure(context, feed, now, exc, result=result)
    except BrokenExecutor as exc:  # the worker died under this feed; the pool restarts on the next submit
        failure = ParseError(result.final_url, f"the parser process died ({exc or type(exc).__name__})")
        return await _save_failure(context, feed, now, failure, result=result)
    update = _success_update(context, feed, result, now, title=parsed.feed_title)
    entries = await add_full_text(context, feed, parsed.entries, now)  # only feeds with fetch_full_text
    new_ids = await asyncio.to_thread(storage.save_poll, context.db, update, entries, now)
    if new_ids:  # wake processors, here or on another host (a hint: they also look on every tick)
        await asyncio.to_thread(storage.notify, context.db, storage.NEW_ARTICLES)
    log.info(
        "polled feed",
        extra={
            "action": "poll.ok",
            "feed": feed.url,
            "entries": len(parsed.entries) + stats.skipped_known,
            "new": len(new_ids),
            "skipped_empty": parsed.skipped_empty,
        },
    )
    return FeedPollOutcome(feed.url, "new" if new_ids else "unchanged", new_articles=len(new_ids))


async def _parse(
    context: PipelineContext, feed: ClaimedFeed, result: FetchResult
) -> tuple[ParseResult, parsing.ParseStats]:
    assert result.body is not None
    known = await asyncio.to_thread(storage.known_identities, context.db, feed.id)
    call = parsing.ParseJob(
        result.body,
        result.final_url,
        result.fetched_at,
        result.content_type,
        known,
        max_bytes=context.settings.http.max_body_bytes,
    )
    if (
        context.parse_executor is None
    ):  # one core: a thread still keeps the event loop (and timeouts) responsive
        return await asyncio.to_thread(call)
    return await asyncio.get_running_loop().run_in_executor(context.parse_executor, call)


def _success_update(
    context: PipelineContext, feed: ClaimedFeed, result: FetchResult, now: datetime, title: str | None
) -> FeedUpdate:
    candidate, count, new_url = _redirect_state(context, feed, result)
    if new_url:
        log.warning(
            "feed moved permanently",
            extra={"action": "poll.moved", "feed": feed.url, "to": new_url, "confirmations": count},
        )
    return FeedUpdate(
        feed_id=feed.id,
        checked_at=now,
        next_poll_at=next_poll_after_success(now, feed.interval_s, context.settings.polling, context.rng),
        etag=result.etag,
        last_modified=result.last_modified,
        url=new_url,
        redirect_candidate=None if new_url else candidate,
        redirect_count=0 if new_url else count,
        title=title,
        http_status=result.status,
    )


def _redirect_state(
    context: PipelineContext, feed: ClaimedFeed, result: FetchResult
) -> tuple[str | None, int, str | None]:
    """(candidate, sightings, confirmed new url): a 301/308 moves the feed only once seen consistently."""
    target = result.permanent_redirect
    if not target or target == feed.url:
        return None, 0, None
    count = feed.redirect_count + 1 if target == feed.redirect_candidate else 1
    confirmed = count >= context.settings.polling.redirect_confirmations
    return target, count, target if confirmed else None


async def _save_failure(
    context: PipelineContext,
    feed: ClaimedFeed,
    now: datetime,
    error: MonitorError,
    *,
    gone: bool = False,
    result: FetchResult | None = None,
) -> FeedPollOutcome:
    errors = feed.error_count + 1
    retry_after = error.retry_after_s if isinstance(error, FetchError) else None
    update = FeedUpdate(
        feed_id=feed.id,
        checked_at=now,
        next_poll_at=next_poll_after_error(
            now, feed.interval_s, errors, context.settings.polling, context.rng, retry_after
        ),
        error_count=errors,
        last_error=str(error),
        status=FeedStatus.GONE if gone else FeedStatus.ACTIVE,
        # a body that failed to parse keeps the old validators: the next poll must fetch it again
        etag=feed.etag,
        last_modified=feed.last_modified,
        redirect_candidate=feed.redirect_candidate,
        redirect_count=feed.redirect_count,
        http_status=getattr(error, "status", None) or (result.status if result else None),
    )
    await asyncio.to_thread(storage.save_poll, context.db, update, (), now)
    level = logging.ERROR if gone else logging.WARNING
    log.log(
        level,
        "feed gone (HTTP 410): deactivated" if gone else "feed poll failed",
        extra={
            "action": "poll.gone" if gone else "poll.error",
            "feed": feed.url,
            "error": str(error),
            "errors": errors,
        },
    )
    return FeedPollOutcome(feed.url, "gone" if gone else "error", error=str(error))
