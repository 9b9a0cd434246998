"""A graceful stop with a step in flight ends quietly: no CancelledError traceback from the scheduler."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from monitor.daemon.service import Daemon, stop_scheduler
from monitor.settings.models import Settings


def test_stopping_with_a_step_in_flight_logs_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    finished: list[bool] = []

    async def main() -> None:
        daemon = Daemon(Settings(), Path("newsmon.yaml"))
        scheduler = AsyncIOScheduler(timezone=UTC)
        started = asyncio.Event()

        async def step() -> None:
            started.set()
            await asyncio.sleep(0.2)
            finished.append(True)

        daemon._schedule(scheduler, "slow", 60, step)
        scheduler.start()
        await started.wait()
        daemon.stop()  # what SIGTERM does; then the same teardown as Daemon._serve
        await stop_scheduler(scheduler)
        await daemon._finish_in_flight()

    with caplog.at_level(logging.DEBUG):
        asyncio.run(main())

    assert finished == [True]  # the work in hand was finished
    assert [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []


def test_stopping_in_the_turn_a_job_was_submitted_logs_no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    """The race CI met: the scheduler's wake-up and the stop were queued in the same turn of the loop, so the
    wake-up created the job's task and the shutdown cancelled it before its first line ran."""
    ran: list[str] = []

    async def main() -> None:
        daemon = Daemon(Settings(), Path("newsmon.yaml"))
        scheduler = AsyncIOScheduler(timezone=UTC)

        async def step() -> None:
            ran.append("step")

        daemon._schedule(scheduler, "digests", 60, step)
        scheduler.start()  # queues the scheduler's wake-up, which will submit the due job
        daemon.stop()
        await stop_scheduler(scheduler)
        await daemon._finish_in_flight()
        await asyncio.sleep(0.05)  # let the scheduler's deferred shutdown run

    with caplog.at_level(logging.DEBUG):
        asyncio.run(main())

    assert ran == []  # the stop came first: the job did not start its step
    assert [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []
