"""One alert per story and subscriber: later sources update it only with news, otherwise are recorded;
silences, inhibition and realert stop a notification but leave a record. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from monitor import alerting
from monitor.pipeline import alert_admin
from monitor.pipeline.alerts import plan_alerts
from monitor.storage import AlertEvent
from tests.alerting.newsroom import NOW, evaluation, newsroom, state_match, write_config


def received(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture
def subscribers(tmp_path: Path) -> str:
    return (
        f"  - {{name: analysts, urls: ['jsonl://{tmp_path}/analysts.jsonl']}}\n"
        f"  - {{name: desk, urls: ['jsonl://{tmp_path}/desk.jsonl'], groups: [analysts], realert_s: 86400}}"
    )


def outcomes(events: list[AlertEvent], subscriber: str = "analysts") -> list[str]:
    return [e.outcome for e in events if e.ref.subscriber == subscriber]


async def test_one_alert_per_story_and_an_update_only_when_a_source_brings_a_new_state(
    tmp_path: Path, database_url: str, subscribers: str
) -> None:
    settings = write_config(tmp_path, database_url, subscribers)
    async with newsroom(settings) as room:
        first, again, third = room.publish(
            "Trump cancels the Budapest summit",
            "Summit with Putin is off",
            "Summit now only postponed",
            story=1,
        )[0:3]
        # batch 1: the story's first source alerts; a second source with the same state is only recorded
        batch_one = room.process(
            [
                (first, evaluation(state_match(first, "cancelled", "planned"))),
                (again, evaluation(suppressed=[state_match(again, "cancelled", "cancelled")])),
            ]
        )
        assert (await room.deliver()).sent == 2
        # batch 2: a third source reports a new state: an update to the same alert
        batch_two = room.process([(third, evaluation(state_match(third, "postponed", "cancelled")))])
        assert (await room.deliver()).sent == 2

    assert outcomes(batch_one) == ["alert", "recorded"]
    assert outcomes(batch_two) == ["update"]
    lines = received(tmp_path / "analysts.jsonl")
    assert [line["title"] for line in lines] == [
        "[MEDIUM] Summit status · Trump, Putin · planned → cancelled: Trump cancels the Budapest summit",
        "[MEDIUM] Update: Summit status · Trump, Putin · cancelled → postponed: Summit now only postponed",
    ]
    update = lines[1]["body"]
    assert "Sources (3):" in update  # every source of the story so far, this one marked
    for title in ("Trump cancels the Budapest summit", "Summit with Putin is off", "* 2025-10-23 08:02 UTC"):
        assert title in update
    assert len(received(tmp_path / "desk.jsonl")) == 2


async def test_alerts_show_lists_the_story_sources_and_what_became_of_each(
    tmp_path: Path, database_url: str, subscribers: str
) -> None:
    settings = write_config(tmp_path, database_url, subscribers)
    async with newsroom(settings) as room:
        first, again, unrelated = room.publish(
            "Summit cancelled", "Summit still off", "Markets calm", story=5
        )
        room.process(
            [
                (first, evaluation(state_match(first, "cancelled", "planned"))),
                (again, evaluation(state_match(again, "cancelled", "planned"))),  # a rule without memory
                (unrelated, evaluation()),
            ]
        )
        await room.deliver()
        [alert] = alert_admin.list_alerts(room.db, subscriber="analysts")
        detail = alert_admin.alert_detail(room.db, alert.id)

    assert (alert.key, alert.delivery, alert.sources, alert.story_id) == ("Trump, Putin", "sent", 2, 5)
    assert [(s.title, s.outcome, s.note) for s in detail.sources] == [
        ("Summit cancelled", "alert", ""),
        ("Summit still off", "recorded", "nothing new: state still 'cancelled'"),
        ("Markets calm", None, ""),
    ]
    [notification] = detail.notifications
    assert (notification.kind, notification.status, notification.channel) == (
        "alert",
        "sent",
        "analysts #0 (jsonl)",
    )
    assert [a.ok for a in detail.attempts] == [True]


async def test_a_replayed_batch_sends_and_records_nothing_twice(
    tmp_path: Path, database_url: str, subscribers: str
) -> None:
    settings = write_config(tmp_path, database_url, subscribers)
    async with newsroom(settings) as room:
        [first] = room.publish("Summit cancelled", story=1)
        batch = [(first, evaluation(state_match(first, "cancelled", "planned")))]
        room.process(batch)
        room.process(batch)  # a lease expired and another worker replays the article
        await room.deliver()
        counts = [
            room.rows(f"SELECT count(*) FROM {table}")[0][0]
            for table in ("alerts", "alert_sources", "outbox")
        ]

    assert counts == [2, 2, 2]
    assert len(received(tmp_path / "analysts.jsonl")) == 1


async def test_a_silence_records_instead_of_sending_until_it_ends(
    tmp_path: Path, database_url: str, subscribers: str
) -> None:
    settings = write_config(tmp_path, database_url, subscribers)
    async with newsroom(settings) as room:
        alert_admin.add_silence(room.db, NOW, 3600, key="trump*", subscriber="analysts", reason="known story")
        [first] = room.publish("Summit cancelled", story=1)
        silenced = room.process([(first, evaluation(state_match(first, "cancelled", "planned")))])
        later = NOW + timedelta(hours=2)
        [second] = room.publish("Summit rescheduled", at=later, story=1)
        after = room.process([(second, evaluation(state_match(second, "planned", "cancelled")))], later)
        await room.deliver(later)
        [alert] = alert_admin.list_alerts(room.db, subscriber="analysts")

    assert outcomes(silenced) == ["silenced"]
    assert silenced[0].note.startswith("silenced by silence #1 until 2025-10-23 09:00 UTC: known story")
    assert outcomes(after) == ["alert"]  # the silence is over and the subscriber was never told
    assert outcomes(silenced, "desk") == ["alert"]
    assert [line["title"][:45] for line in received(tmp_path / "analysts.jsonl")] == [
        "[MEDIUM] Summit status · Trump, Putin · cance"
    ]
    assert (alert.status, alert.sources) == ("notified", 2)


async def test_cancelled_inhibits_a_later_postponed_for_the_same_key(
    tmp_path: Path, database_url: str, subscribers: str
) -> None:
    inhibit = (
        "alerting:\n  inhibit:\n    - {source_rule: summit-status, source_state: cancelled,"
        " target_rule: summit-status, target_state: postponed, within_s: 86400}\n"
    )
    settings = write_config(tmp_path, database_url, subscribers, inhibit)
    async with newsroom(settings) as room:
        [cancelled] = room.publish("Summit cancelled", story=1)
        room.process([(cancelled, evaluation(state_match(cancelled, "cancelled", "planned")))])
        later = NOW + timedelta(hours=3)
        [postponed] = room.publish("Summit merely postponed, aide says", at=later, story=2)
        events = room.process(
            [(postponed, evaluation(state_match(postponed, "postponed", "cancelled")))], later
        )

    assert outcomes(events) == ["inhibited"]
    assert events[0].note.startswith("inhibited by summit-status 'cancelled' at 2025-10-23 08:00 UTC")


async def test_realert_keeps_a_new_story_about_the_same_key_quiet_for_that_subscriber(
    tmp_path: Path, database_url: str, subscribers: str
) -> None:
    settings = write_config(tmp_path, database_url, subscribers)
    async with newsroom(settings) as room:
        [first] = room.publish("Summit cancelled", story=1)
        room.process([(first, evaluation(state_match(first, "cancelled", "planned")))])
        later = NOW + timedelta(hours=5)
        [other] = room.publish("Leaders plan a new summit", at=later, story=2)
        events = room.process([(other, evaluation(state_match(other, "planned", "cancelled")))], later)

    assert outcomes(events, "analysts") == ["alert"]  # no realert limit: a new story is a new alert
    assert outcomes(events, "desk") == ["throttled"]
    assert "at most one alert per 86400 s" in events[1].note


async def test_a_story_lists_its_newest_sources_and_counts_the_rest(
    tmp_path: Path, database_url: str, subscribers: str
) -> None:
    settings = write_config(tmp_path, database_url, subscribers, "alerting: {max_sources: 2}\n")
    async with newsroom(settings) as room:
        articles = room.publish(*(f"Summit report {n}" for n in range(4)), story=1)
        batch = [(a, evaluation()) for a in articles[:-1]]
        room.process(batch)
        last = articles[-1]
        room.process([(last, evaluation(state_match(last, "cancelled", "planned")))])
        await room.deliver()

    body = received(tmp_path / "analysts.jsonl")[0]["body"]
    assert "Sources (4):" in body and "… and 2 earlier" in body
    assert "Summit report 2" in body and "Summit report 1" not in body


async def test_a_batch_is_planned_from_one_read_however_many_matches_and_subscribers(
    tmp_path: Path, database_url: str, subscribers: str
) -> None:
    settings = write_config(tmp_path, database_url, subscribers)
    async with newsroom(settings) as room:
        statements: list[str] = []

        def counted(*args: object) -> None:
            statements.append(str(args[2]))

        def planned_reads(count: int, story: int) -> int:
            articles = room.publish(*(f"Summit news {n}" for n in range(count)), story=story)
            batch = [
                alerting.BatchItem(a, [state_match(a, "cancelled", key=f"Leader {n}")])
                for n, a in enumerate(articles)
            ]
            statements.clear()
            sa.event.listen(room.db.engine, "before_cursor_execute", counted)
            try:
                events = plan_alerts(room.context, batch, NOW)
            finally:
                sa.event.remove(room.db.engine, "before_cursor_execute", counted)
            assert sum(len(e) for e in events) == 2 * count  # two subscribers, one alert each per key
            return sum(1 for sql in statements if sql.lstrip().upper().startswith("SELECT"))

        # the old planner asked per match and subscriber: 2 articles → a few reads, 20 → ten times as many
        assert planned_reads(20, story=7) == planned_reads(2, story=8) <= 4
