"""The long-running daemon: APScheduler drives the claim ticks; signals stop or reload it.

- SIGTERM / SIGINT: stop scheduling, let the steps in hand finish the batch they are on (each ends in a
  committed transaction; ``context.stop`` makes every batch loop return before its next claim), close the
  database. Nothing is left half-written because every write is one transaction, and a backlog of queued
  articles waits in the database for the next start instead of holding up the stop.
- SIGHUP: reload the whole config and its rules (pipeline/reload.py); a config with errors is refused and
  the running one kept.
APScheduler 3.x runs in-process with jobs rebuilt from the config at start (no shared job store): the work
itself is claimed from the database, so several daemons can share one PostgreSQL with no leader.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from monitor import pipeline
from monitor.daemon.clock import utc_now
from monitor.daemon.wakeups import WakeListener
from monitor.daemon.workers import Heartbeat, enrichment_pool, parse_pool
from monitor.settings import Settings

if TYPE_CHECKING:  # the scheduler is the long-running daemon's: `run --once` does not import it
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)
PROCESS_WHILE_POLLING_S = 0.2  # how often to look for newly stored articles while a poll is under way


@dataclass
class OnceSummary:
    polled: pipeline.PollReport
    processed: pipeline.ProcessReport
    delivered: pipeline.DrainReport


async def run_once(
    settings: Settings, clock: Callable[[], datetime] = utc_now, *, every_feed: bool = False
) -> OnceSummary:
    """Poll every due feed (``every_feed``: every active feed) once, process, deliver what is due, return."""
    executor = parse_pool(settings.polling.parse_workers)
    enrichers, workers = enrichment_pool(settings)
    try:
        async with pipeline.open_context(settings, executor, enrichers, workers) as context:
            heartbeat = Heartbeat(context.db, context.lease, settings.workers.heartbeat_s, clock).start()
            try:
                pipeline.sync_feeds(context, clock())
                return await _cycle(context, clock, every_feed=every_feed)
            finally:
                heartbeat.stop()
    finally:
        for pool in (executor, enrichers):
            if pool is not None:
                pool.shutdown(wait=True)


async def _cycle(
    context: pipeline.PipelineContext, clock: Callable[[], datetime], *, every_feed: bool = False
) -> OnceSummary:
    """Poll, process, deliver. Articles are processed while the rest of the feeds are still being polled:
    parsing runs in worker processes, so this process's core would otherwise idle through a cold poll."""
    polling = asyncio.ensure_future(pipeline.poll_due_feeds(context, clock(), every_feed=every_feed))
    processed = pipeline.ProcessReport()
    while not polling.done():
        step = await asyncio.to_thread(pipeline.process_pending_articles, context, clock())
        processed.add(step)
        if not step.articles:
            await asyncio.wait({polling}, timeout=PROCESS_WHILE_POLLING_S)
    polled = polling.result()
    if context.stop.is_set():  # stopping: what is left waits in the database for the next start
        return OnceSummary(polled, processed, pipeline.DrainReport())
    processed.add(await asyncio.to_thread(pipeline.process_pending_articles, context, clock()))
    processed.add(await asyncio.to_thread(pipeline.check_flatlines, context, clock()))
    await asyncio.to_thread(pipeline.flush_digests, context, clock())
    delivered = await pipeline.drain_outbox(context, clock())
    return OnceSummary(polled, processed, delivered)


class Daemon:
    """Owns the clock, the scheduler, the signals and the in-flight steps of one process."""

    def __init__(
        self,
        settings: Settings,
        config_path: Path,
        clock: Callable[[], datetime] = utc_now,
        observers: pipeline.Observers | None = None,
    ) -> None:
        self.settings = settings
        self.observers = observers or pipeline.Observers()
        self.config_path = config_path
        self.clock = clock
        self.last_reload: pipeline.ReloadResult | None = None  # for /readyz and the metrics
        self.stopping = asyncio.Event()
        self.last_tick_at: datetime | None = None  # end of the last completed cycle, for /healthz
        self._in_flight: set[asyncio.Task[object]] = set()

    async def run(self) -> None:
        executor = parse_pool(self.settings.polling.parse_workers)
        enrichers, enrich_workers = enrichment_pool(self.settings)
        try:
            async with pipeline.open_context(self.settings, executor, enrichers, enrich_workers) as context:
                context.observers = self.observers
                workers = self.settings.workers
                heartbeat = Heartbeat(context.db, context.lease, workers.heartbeat_s, self.clock).start()
                try:
                    pipeline.sync_feeds(context, self.clock())
                    self.last_reload = await asyncio.to_thread(
                        pipeline.remember_start, context, self.config_path, self.clock()
                    )
                    await self._serve(context)
                finally:
                    heartbeat.stop()
        finally:
            for pool in (executor, enrichers):
                if pool is not None:
                    pool.shutdown(wait=True, cancel_futures=True)
        log.info("daemon stopped", extra={"action": "daemon.stopped"})

    def stop(self) -> None:
        self.stopping.set()

    async def _cycle(self, context: pipeline.PipelineContext) -> OnceSummary:
        summary = await _cycle(context, self.clock)
        self.last_tick_at = self.clock()
        return summary

    async def _serve(self, context: pipeline.PipelineContext) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self._on_stop_signal, signum)
        loop.add_signal_handler(signal.SIGHUP, self._on_reload_signal, context)
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        scheduler = AsyncIOScheduler(timezone=UTC)
        self._schedule(scheduler, "cycle", self.settings.polling.tick_s, lambda: self._cycle(context))
        # processing and delivery run on every tick AND the moment new work is announced (wake-ups)
        process_now, deliver_now = asyncio.Event(), asyncio.Event()
        loops = [
            asyncio.ensure_future(
                self._on_wake(
                    "process",
                    self.settings.polling.tick_s,
                    process_now,
                    lambda: asyncio.to_thread(pipeline.process_pending_articles, context, self.clock()),
                )
            ),
            asyncio.ensure_future(
                self._on_wake(
                    "deliver",
                    self.settings.delivery.tick_s,
                    deliver_now,
                    lambda: pipeline.drain_outbox(context, self.clock()),
                )
            ),
        ]
        wakeups = WakeListener(context.db, loop, [process_now, deliver_now])
        await asyncio.to_thread(wakeups.start)
        self._schedule(
            scheduler,
            "digests",
            self.settings.delivery.tick_s,
            lambda: asyncio.to_thread(pipeline.flush_digests, context, self.clock()),
        )
        self._schedule(
            scheduler,
            "source-health",
            self.settings.source_health.check_interval_s,
            lambda: asyncio.to_thread(pipeline.check_source_health, context, self.clock()),
        )
        retention = self.settings.retention
        self._schedule(
            scheduler,
            "retention",
            retention.prune_interval_s,
            lambda: asyncio.to_thread(pipeline.prune_history, context.db, retention, self.clock()),
        )
        scheduler.start()
        log.info(
            "daemon started",
            extra={
                "action": "daemon.started",
                "feeds": len(self.settings.feeds),
                "rules": len(context.ruleset.rules),
                "subscribers": len(self.settings.subscribers),
                "database": self.settings.database.display_url,
            },
        )
        try:
            await self.stopping.wait()
        finally:
            context.stop.set()  # the steps in hand return after their current batch
            await stop_scheduler(scheduler)
            await asyncio.to_thread(wakeups.stop)
            for event in (process_now, deliver_now):
                event.set()  # the loops see ``stopping`` and end
            await asyncio.wait(loops)
            for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                loop.remove_signal_handler(signum)
            await self._finish_in_flight()

    def _on_stop_signal(self, signum: int) -> None:
        log.info(
            "stopping: finishing the work in hand",
            extra={"action": "daemon.stopping", "signal": signal.Signals(signum).name},
        )
        self.stopping.set()

    def _on_reload_signal(self, context: pipeline.PipelineContext) -> None:
        """Reload in a thread (loading a model takes a second); the swap itself is a few assignments."""
        task = asyncio.ensure_future(self._reload(context))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)

    async def _reload(self, context: pipeline.PipelineContext) -> None:
        self.last_reload = await asyncio.to_thread(
            pipeline.reload_config, context, self.config_path, self.clock()
        )
        if self.last_reload.ok:
            self.settings = context.settings

    async def _on_wake(
        self, name: str, every_s: float, wake: asyncio.Event, step: Callable[[], Awaitable[object]]
    ) -> None:
        """Run ``step`` now, then again each time ``wake`` is set or ``every_s`` passed, until stopping."""
        while not self.stopping.is_set():
            wake.clear()
            task = asyncio.ensure_future(step())
            self._in_flight.add(task)
            try:
                await asyncio.shield(task)
            except asyncio.CancelledError:
                raise
            except Exception:  # a failed run is logged; the next wake-up or tick tries again
                log.exception("step failed", extra={"action": f"{name}.failed"})
            finally:
                self._in_flight.discard(task)
            if self.stopping.is_set():
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=every_s)

    def _schedule(
        self, scheduler: AsyncIOScheduler, name: str, every_s: float, step: Callable[[], Awaitable[object]]
    ) -> None:
        async def job() -> None:
            if self.stopping.is_set():
                return
            task = asyncio.ensure_future(step())
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)  # a stop waits for it in _finish_in_flight
            try:
                await asyncio.shield(task)
            except asyncio.CancelledError:
                if self.stopping.is_set():  # the scheduler's shutdown cancels the job, not the step
                    return
                raise
            except Exception:  # a failed tick is logged; the next tick tries again
                log.exception("step failed", extra={"action": f"{name}.failed"})

        from apscheduler.triggers.interval import IntervalTrigger

        scheduler.add_job(
            job,
            IntervalTrigger(seconds=every_s, timezone=UTC),
            id=name,
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(UTC),
            misfire_grace_time=None,
        )

    async def _finish_in_flight(self) -> None:
        if self._in_flight:
            await asyncio.wait(set(self._in_flight))


async def stop_scheduler(scheduler: AsyncIOScheduler) -> None:
    """Stop the scheduler without letting it cancel a job it has just started.

    APScheduler's asyncio executor cancels every pending job task on shutdown. A job task created in the
    same loop turn as the stop has not run its first line yet, so the cancellation lands outside our job's
    handler and APScheduler logs it as a failed job with a CancelledError traceback. Pausing first stops
    new submissions; one turn of the loop lets a just-submitted job start, see ``stopping`` and return.
    """
    scheduler.pause()
    await asyncio.sleep(0)
    scheduler.shutdown(wait=False)
