"""Digests and quiet hours with a fixed clock: alerts are held in the database, then sent as one message
at the subscriber's local time — by a real SMTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor import storage
from monitor.pipeline import alert_admin
from monitor.pipeline.digests import flush_digests
from tests.alerting.newsroom import NOW, evaluation, newsroom, state_match, write_config
from tests.support.smtp import SmtpReceiver

# NOW is 2025-10-23 08:00 UTC = 10:00 in Berlin
NEXT_MORNING = datetime(2025, 10, 24, 6, 0, tzinfo=UTC)  # 08:00 in Berlin


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with SmtpReceiver() as receiver:
        yield receiver


async def test_a_digest_subscriber_gets_one_message_at_the_scheduled_time_with_everything_held(
    tmp_path: Path, database_url: str, smtp: SmtpReceiver
) -> None:
    subscribers = (
        f"  - {{name: analysts, urls: ['{smtp.url()}'], mode: digest, digest_schedule: '0 8 * * *',"
        " timezone: Europe/Berlin}"
    )
    settings = write_config(tmp_path, database_url, subscribers)
    async with newsroom(settings) as room:
        stories = [
            ("Trump and Putin summit cancelled", "Trump, Putin"),
            ("Modi and Xi summit planned", "Modi, Xi"),
            ("Rubio and Lavrov meeting held", "Rubio, Lavrov"),
        ]
        for n, (title, key) in enumerate(stories):
            [article] = room.publish(title, at=NOW + timedelta(hours=n), story=n + 1)
            room.process(
                [(article, evaluation(state_match(article, "cancelled", key=key)))], NOW + timedelta(hours=n)
            )
        await room.deliver(NOW + timedelta(hours=3))
        assert smtp.messages == ()
        assert {a.delivery for a in alert_admin.list_alerts(room.db)} == {"held"}
        assert storage.storage_stats(room.db, NOW).alerts_held == 3  # for `status` and /metrics

        assert flush_digests(room.context, NEXT_MORNING - timedelta(minutes=1)).messages == 0
        report = flush_digests(room.context, NEXT_MORNING)
        assert (report.messages, report.alerts, report.notifications) == (1, 3, 1)
        assert flush_digests(room.context, NEXT_MORNING + timedelta(minutes=5)).messages == 0  # sent once
        assert (await room.deliver(NEXT_MORNING)).sent == 1
        assert storage.storage_stats(room.db, NEXT_MORNING).alerts_held == 0
        listed = alert_admin.list_alerts(room.db)
        detail = alert_admin.alert_detail(room.db, listed[0].id)

    [mail] = smtp.wait_for(1)
    assert mail["Subject"] == "newsmon digest: 3 alerts · Summit status and more"
    text = mail.get_body(("plain",))
    assert text is not None
    for title, key in stories:
        assert title in text.get_content() and key in text.get_content()
    assert {a.delivery for a in listed} == {"sent"}
    [hold] = detail.holds  # `alerts show` tells it waited for the digest, and which message carried it
    assert (hold.reason, hold.release_at, hold.released_at) == ("digest", NEXT_MORNING, NEXT_MORNING)
    assert [(n.kind, n.status) for n in detail.notifications] == [("digest", "sent")]


async def test_quiet_hours_hold_alerts_until_they_end_except_critical_ones_for_who_chose_so(
    tmp_path: Path, database_url: str, smtp: SmtpReceiver
) -> None:
    quiet = "timezone: Europe/Berlin, quiet_hours: {start: '22:00', end: '07:00'}"
    subscribers = (
        f"  - {{name: analysts, urls: ['{smtp.url(recipient='a@example.com')}'], {quiet}}}\n"
        f"  - {{name: oncall, urls: ['{smtp.url(recipient='o@example.com')}'], {quiet}, critical_bypass: true, groups: [analysts]}}"
    )
    settings = write_config(tmp_path, database_url, subscribers)
    night = datetime(2025, 10, 23, 21, 30, tzinfo=UTC)  # 23:30 in Berlin
    morning = datetime(2025, 10, 24, 5, 0, tzinfo=UTC)  # 07:00 in Berlin
    async with newsroom(settings) as room:
        first, second = room.publish("Summit cancelled", "Exports halted", at=night)
        critical = replace(state_match(second, "halted", key="Exports"), severity="critical")
        room.process(
            [(first, evaluation(state_match(first, "cancelled"))), (second, evaluation(critical))],
            night,
        )
        await room.deliver(night)
        [urgent] = smtp.wait_for(1)  # only the on-call subscriber's critical alert, at once
        assert urgent["To"] == "o@example.com" and "Exports halted" in str(urgent["Subject"])

        assert flush_digests(room.context, morning - timedelta(seconds=1)).messages == 0
        report = flush_digests(room.context, morning)
        await room.deliver(morning)

    assert (report.messages, report.alerts) == (2, 3)
    mails = smtp.wait_for(3)[1:]
    by_recipient = {str(mail["To"]): mail for mail in mails}
    assert (
        str(by_recipient["a@example.com"]["Subject"])
        == "newsmon quiet hours: 2 alerts · Summit status and more"
    )
    # one alert held alone goes out as itself, not as a digest of one
    assert str(by_recipient["o@example.com"]["Subject"]).startswith("[MEDIUM] Summit status · Trump, Putin")
