"""A graceful stop with a step in flight ends quietly: no CancelledError traceback from the scheduler."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from monitor.daemon.service import Daemon
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
        scheduler.shutdown(wait=False)
        await daemon._finish_in_flight()

    with caplog.at_level(logging.DEBUG):
        asyncio.run(main())

    assert finished == [True]  # the work in hand was finished
    assert [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []
