"""The durable outbox end to end: a mail server that is down, then up, gets every alert exactly once, and
the delivery log shows the failed attempts; an alert that cannot be sent before the age limit is dead."""

from __future__ import annotations

import logging
import socket
from datetime import timedelta
from pathlib import Path

import pytest

from monitor.pipeline import alert_admin
from tests.alerting.newsroom import NOW, evaluation, newsroom, state_match, write_config
from tests.support.smtp import SmtpReceiver

KEYS = ("Trump, Putin", "Modi, Xi", "Rubio, Lavrov")


async def test_a_mail_server_down_then_up_gets_every_alert_once(tmp_path: Path, database_url: str) -> None:
    smtp = SmtpReceiver()  # not started yet: connection refused
    settings = write_config(tmp_path, database_url, f"  - {{name: analysts, urls: ['{smtp.url()}']}}")
    try:
        async with newsroom(settings) as room:
            for n, key in enumerate(KEYS):
                [article] = room.publish(f"Summit news {n}", story=n + 1)
                room.process([(article, evaluation(state_match(article, "cancelled", key=key)))])
            down = await room.deliver(NOW)
            retrying = alert_admin.list_alerts(room.db, failed=True)
            early = await room.deliver(NOW + timedelta(seconds=4))  # backoff: nothing is due yet
            smtp.start()
            # the retry falls within [5, 10] s of the failure, and the failure is stamped NOW + the real
            # time the first drain took: at NOW + 10 s a slow machine still had one retry not yet due
            up = await room.deliver(NOW + timedelta(seconds=20))
            again = await room.deliver(NOW + timedelta(hours=1))
            detail = alert_admin.alert_detail(room.db, retrying[0].id)
    finally:
        smtp.stop()

    assert (down.failed, early.sent + early.failed, up.sent, again.sent) == (3, 0, 3, 0)
    assert [a.delivery for a in retrying] == ["retrying"] * 3
    assert sorted(str(m["Subject"]).split(" · ")[1] for m in smtp.wait_for(3)) == sorted(KEYS)
    assert len(smtp.messages) == 3
    first, second = detail.attempts
    assert (first.ok, second.ok) == (False, True)
    assert first.error is not None and "Connection error" in first.error
    assert first.channel_masked == "analysts #0 (mailto)"  # the delivery log never holds secrets
    assert detail.alert.delivery == "sent"


async def test_an_alert_undeliverable_past_the_age_limit_is_dead_listed_and_logged(
    tmp_path: Path, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    smtp = SmtpReceiver()  # never started
    settings = write_config(
        tmp_path,
        database_url,
        f"  - {{name: analysts, urls: ['{smtp.url()}']}}",
        delivery="{backoff_base_s: 10, backoff_max_s: 20, max_age_s: 60, timeout_s: 5}",
    )
    async with newsroom(settings) as room:
        [article] = room.publish("Summit cancelled", story=1)
        room.process([(article, evaluation(state_match(article, "cancelled")))])
        with caplog.at_level(logging.WARNING, logger="monitor.pipeline.delivering"):
            for seconds in (0, 30, 61):
                await room.deliver(NOW + timedelta(seconds=seconds))
        [dead] = alert_admin.list_alerts(room.db, failed=True)
        detail = alert_admin.alert_detail(room.db, dead.id)

    assert dead.delivery == "dead"
    assert [a.ok for a in detail.attempts] == [False, False, False]
    actions = [getattr(r, "action", None) for r in caplog.records if r.name == "monitor.pipeline.delivering"]
    assert actions == ["deliver.retry", "deliver.retry", "deliver.dead"]


async def test_a_failing_webhook_token_appears_in_no_log_table_or_report(
    tmp_path: Path, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as probe:  # a port nobody listens on: every attempt fails and is logged
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"json://127.0.0.1:{port}/hook/3f2a9c1e0b7d4e55a1c2?+Authorization=Bearer%20s3cr3tTOKEN"
    settings = write_config(tmp_path, database_url, f"  - {{name: analysts, urls: ['{url}']}}")
    async with newsroom(settings) as room:
        [article] = room.publish("Summit cancelled", story=1)
        room.process([(article, evaluation(state_match(article, "cancelled")))])
        with caplog.at_level(logging.DEBUG):
            await room.deliver(NOW)
        [alert] = alert_admin.list_alerts(room.db, failed=True)
        detail = alert_admin.alert_detail(room.db, alert.id)

    shown = [a.channel_masked for a in detail.attempts] + [n.channel for n in detail.notifications]
    logged = [f"{r.getMessage()} {vars(r)}" for r in caplog.records]
    assert shown and all(s == "analysts #0 (json)" for s in shown)  # the outbox stores no URL at all
    assert [line for line in logged + shown if "s3cr3tTOKEN" in line or "3f2a9c1e0b7d4e55a1c2" in line] == []
