"""Issue 12 and issue 11 item 3, one regression test per finding, with real receivers and databases:
each send recorded as it ends (3), the time of each claim (1), idempotency keys, URLs resolved from the
current config and never stored (a planted secret is found nowhere: not in the database, not in a log)."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from monitor.pipeline import alert_admin
from monitor.settings import Settings
from monitor.storage import tables
from tests.alerting.newsroom import NOW, Newsroom, evaluation, newsroom, state_match, write_config
from tests.support.smtp import SmtpReceiver
from tests.support.webhook import WebhookReceiver

SECRET = "PLANTED-s3cret-4711"


@pytest.fixture
def fast() -> WebhookReceiver:
    with WebhookReceiver() as hook:
        yield hook


@pytest.fixture
def slow() -> WebhookReceiver:
    with WebhookReceiver() as hook:
        hook.delay_s = 2.0
        yield hook


def alert_for(room: Newsroom, n: int) -> None:
    [article] = room.publish(f"Summit news {n}", story=n + 1)
    room.process([(article, evaluation(state_match(article, "cancelled", key=f"key {n}")))])


def outbox(room: Newsroom) -> dict[str, str]:
    """subscriber → status, read on a connection of its own (not the pool the drain is using)."""
    engine = sa.create_engine(room.db.engine.url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT subscriber, status FROM outbox ORDER BY id")).all()
    finally:
        engine.dispose()
    return {row.subscriber: row.status for row in rows}


async def test_each_send_is_recorded_the_moment_it_ends_not_after_its_batch(
    tmp_path: Path, database_url: str, fast: WebhookReceiver, slow: WebhookReceiver
) -> None:
    # finding 3: a SIGKILL after the fast send but before the slow one ends must not re-send the fast one
    subscribers = f"  - {{name: analysts, urls: ['{fast.url()}']}}\n  - {{name: desk, groups: [analysts], urls: ['{slow.url()}']}}"
    settings = write_config(tmp_path, database_url, subscribers)
    async with newsroom(settings) as room:
        alert_for(room, 0)
        draining = asyncio.ensure_future(room.deliver(NOW))
        await asyncio.to_thread(fast.wait_for, 1)
        await asyncio.sleep(0.7)  # the fast send is over; the slow one is still in hand
        mid_batch = outbox(room)
        await draining

    assert mid_batch == {"analysts": "sent", "desk": "sending"}
    assert outbox(room) == {"analysts": "sent", "desk": "sent"}


async def test_each_batch_of_a_long_drain_is_stamped_with_its_own_time(
    tmp_path: Path, database_url: str, slow: WebhookReceiver
) -> None:
    # finding 1: every claim (and sent_at) of a drain used the time it started
    settings = write_config(
        tmp_path,
        database_url,
        f"  - {{name: analysts, urls: ['{slow.url()}']}}",
        delivery="{batch_size: 1, timeout_s: 5}",
    )
    async with newsroom(settings) as room:
        alert_for(room, 0)
        alert_for(room, 1)
        report = await room.deliver(NOW)
        with room.db.read() as conn:
            stamps = conn.execute(sa.select(tables.outbox.c.sent_at)).scalars().all()
        sent_at = sorted(stamp for stamp in stamps if stamp)

    assert report.sent == 2
    assert sent_at[1] - sent_at[0] >= timedelta(seconds=1.8)  # the second send started after the first


async def test_a_webhook_receives_the_outbox_key_as_idempotency_key_and_the_alert_fields(
    tmp_path: Path, database_url: str, fast: WebhookReceiver
) -> None:
    settings = write_config(tmp_path, database_url, f"  - {{name: analysts, urls: ['{fast.url()}']}}")
    async with newsroom(settings) as room:
        alert_for(room, 0)
        await room.deliver(NOW)
        [key] = [row.dedupe_key for row in room.rows("SELECT dedupe_key FROM outbox")]

    [post] = fast.wait_for(1)
    assert post.headers["idempotency-key"] == key == post.headers["x-newsmon-id"]
    # and the payload says what the alert is about (issue 11), beside apprise's own fields
    assert (post.json["id"], post.json["rule"], post.json["key"]) == (key, "summit-status", "key 0")
    assert (post.json["state"], post.json["severity"]) == ("cancelled", "medium")
    assert post.json["link"].startswith("https://wire.example/") and "message" in post.json


async def test_a_jsonl_line_says_what_the_alert_is_about(tmp_path: Path, database_url: str) -> None:
    # issue 11: the jsonl payload lacked the key, severity, story and link a script needs
    lines = tmp_path / "alerts.jsonl"
    settings = write_config(tmp_path, database_url, f"  - {{name: analysts, urls: ['jsonl://{lines}']}}")
    async with newsroom(settings) as room:
        alert_for(room, 0)
        await room.deliver(NOW)
        [row] = room.rows(
            "SELECT o.dedupe_key, o.alert_id, a.story_id, a.severity, r.link FROM outbox o "
            "JOIN alerts a ON a.id = o.alert_id JOIN articles r ON r.id = o.article_id"
        )

    [line] = [json.loads(text) for text in lines.read_text(encoding="utf-8").splitlines()]
    assert line["id"] == row.dedupe_key and line["rule"] == "summit-status"
    assert (line["alert"], line["story"]) == (str(row.alert_id), str(row.story_id))
    assert (line["key"], line["severity"], line["link"]) == ("key 0", row.severity, row.link)
    assert line["state"] == "cancelled" and row.link.startswith("https://wire.example/")


async def test_a_fixed_password_applies_to_pending_retries_and_no_secret_is_stored_or_logged(
    tmp_path: Path, database_url: str, fast: WebhookReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    # issue 11 item 3: the outbox held the URL with its password; retries used the old one for ever
    caplog.set_level(logging.DEBUG)
    wrong = fast.url().replace("json://", f"json://bot:{SECRET}@")
    fixed = fast.url().replace("json://", "json://bot:right-one@")
    settings = write_config(tmp_path, database_url, f"  - {{name: analysts, urls: ['{wrong}']}}")
    async with newsroom(settings) as room:
        alert_for(room, 0)
        fast.status = 401  # the receiver refuses the wrong password
        failed = await room.deliver(NOW)
        fast.status = 200
        room.context.settings = _with_urls(settings, fixed)  # the operator fixes the config
        retried = await room.deliver(NOW + timedelta(hours=1))
        dump = "\n".join(
            repr(tuple(row)) for table in _tables(room) for row in room.rows(f"SELECT * FROM {table}")
        )

    assert (failed.failed, retried.sent) == (1, 1)
    first, second = fast.posts
    assert _basic_password(first.headers) == SECRET and _basic_password(second.headers) == "right-one"
    assert SECRET not in dump
    for path in tmp_path.rglob("*.db*"):
        assert SECRET.encode() not in path.read_bytes()
    for record in caplog.records:
        assert SECRET not in record.getMessage() and SECRET not in repr(record.__dict__)


async def test_a_fixed_smtp_password_sends_the_pending_mail_and_leaves_no_trace_of_the_old_one(
    tmp_path: Path, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # issue 11's Done-when, by mail: a relay refuses the wrong login until the operator fixes the password
    caplog.set_level(logging.DEBUG)
    with SmtpReceiver(password="right-one") as relay:
        settings = write_config(
            tmp_path, database_url, f"  - {{name: analysts, urls: ['{relay.url(password=SECRET)}']}}"
        )
        async with newsroom(settings) as room:
            alert_for(room, 0)
            failed = await room.deliver(NOW)
            room.context.settings = _with_urls(settings, relay.url(password="right-one"))
            retried = await room.deliver(NOW + timedelta(hours=1))
            dump = "\n".join(
                repr(tuple(row)) for table in _tables(room) for row in room.rows(f"SELECT * FROM {table}")
            )
        [mail] = relay.wait_for(1)

    assert (failed.failed, retried.sent) == (1, 1) and "Summit" in str(mail["Subject"])
    assert SECRET not in dump
    for path in tmp_path.rglob("*.db*"):
        assert SECRET.encode() not in path.read_bytes()
    for record in caplog.records:
        assert SECRET not in record.getMessage() and SECRET not in repr(record.__dict__)


async def test_an_alert_for_a_removed_channel_is_reported_not_sent_to_the_old_address(
    tmp_path: Path, database_url: str, fast: WebhookReceiver
) -> None:
    other = WebhookReceiver().start()
    settings = write_config(tmp_path, database_url, f"  - {{name: analysts, urls: ['{fast.url()}']}}")
    try:
        async with newsroom(settings) as room:
            alert_for(room, 0)
            room.context.settings = _with_urls(settings, other.url("/elsewhere"))
            report = await room.deliver(NOW)
            [row] = room.rows("SELECT status, last_error FROM outbox")
    finally:
        other.stop()

    assert report.dead == 1 and fast.posts == () and other.posts == ()
    assert row.status == "dead" and "no longer in the configuration" in row.last_error


def _with_urls(settings: Settings, url: str) -> Settings:
    [subscriber] = settings.subscribers
    return settings.model_copy(update={"subscribers": (subscriber.model_copy(update={"urls": (url,)}),)})


def _tables(room: Newsroom) -> list[str]:
    return sa.inspect(room.db.engine).get_table_names()


def _basic_password(headers: dict[str, str]) -> str:
    scheme, _, value = headers["authorization"].partition(" ")
    assert scheme.lower() == "basic"
    return base64.b64decode(value).decode().partition(":")[2]


async def test_alerts_cancel_and_purge_take_stuck_notifications_out_of_the_outbox(
    tmp_path: Path, database_url: str
) -> None:
    hook = WebhookReceiver()
    hook.stop()  # its port closed: every send fails at once (connection refused)
    settings = write_config(tmp_path, database_url, f"  - {{name: analysts, urls: ['{hook.url()}']}}")
    async with newsroom(settings) as room:
        alert_for(room, 0)
        alert_for(room, 1)
        await room.deliver(NOW)
        first, _ = alert_admin.list_alerts(room.db)
        cancelled = alert_admin.cancel_alert(room.db, first.id)
        later = await room.deliver(NOW + timedelta(hours=1))  # only the other one is retried
        purged = alert_admin.purge_notifications(room.db, failed=True, subscriber=None)
        left = outbox(room)
        by_subscriber = alert_admin.purge_notifications(room.db, failed=False, subscriber="analysts")

    assert len(cancelled) == 1 and later.failed == 1
    assert purged == 1 and left == {"analysts": "pending"}
    assert by_subscriber == 1 and outbox(room) == {}
