"""Routing, as the daemon's planner does it: who gets a match, one request per channel URL, and keys that
make replays harmless."""

from __future__ import annotations

from typing import Any

import pytest

from monitor.alerting import digest_key

from .builders import article, match, planned, subscriber

# (case, subscriber settings, rule's notify list, match fields, receives?)
CASES: list[tuple[str, dict[str, Any], tuple[str, ...], dict[str, Any], bool]] = [
    ("no filters: every rule", {}, (), {}, True),
    ("rules filter names the rule", {"rules": ("sanctions-new",)}, (), {}, True),
    ("rules filter names another rule", {"rules": ("summit-status",)}, (), {}, False),
    ("tags filter shares a tag", {"tags": ("energy",)}, (), {}, True),
    ("tags filter shares no tag", {"tags": ("diplomacy",)}, (), {}, False),
    ("rule or tag: either is enough", {"rules": ("other",), "tags": ("sanctions",)}, (), {}, True),
    ("min_severity below the match", {"min_severity": "medium"}, (), {"severity": "high"}, True),
    ("min_severity equal to the match", {"min_severity": "high"}, (), {"severity": "high"}, True),
    ("min_severity above the match", {"min_severity": "critical"}, (), {"severity": "high"}, False),
    ("info subscriber takes info", {"min_severity": "info"}, (), {"severity": "info"}, True),
    ("notify list names the subscriber", {}, ("analysts", "desk"), {}, True),
    ("notify list names others only", {}, ("desk",), {}, False),
    ("notify list names a group of the subscriber", {"groups": ("desk",)}, ("desk",), {}, True),
    ("notify list names another group", {"groups": ("desk",)}, ("ops",), {}, False),
    ("notify list cannot override the filters", {"rules": ("other",)}, ("analysts",), {}, False),
]


@pytest.mark.parametrize(
    ("settings", "notify", "fields", "receives"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_who_receives_a_match(
    settings: dict[str, Any], notify: tuple[str, ...], fields: dict[str, Any], receives: bool
) -> None:
    requests = planned(match(**fields), article(), [subscriber("analysts", **settings)], notify=notify)
    assert bool(requests) is receives


def test_one_request_per_subscriber_and_channel_url_in_order() -> None:
    subscribers = [
        subscriber("analysts", urls=("console://", "jsonl:///tmp/a.jsonl")),
        subscriber("desk", urls=("json://127.0.0.1:9/desk",), format="markdown"),
        subscriber("nobody", urls=("console://",), rules=("other",)),
    ]
    requests = planned(match(), article(), subscribers)

    assert [(r.subscriber, r.channel, r.body_format) for r in requests] == [
        ("analysts", "console://", "text"),
        ("analysts", "jsonl:///tmp/a.jsonl", "text"),
        ("desk", "json://127.0.0.1:9/desk", "markdown"),
    ]
    assert {(r.rule_id, r.article_id) for r in requests} == {("sanctions-new", 42)}
    assert requests[0].body == requests[1].body  # one rendering per format
    assert "**New sanctions announced**" in requests[2].body
    assert len({r.dedupe_key for r in requests}) == 3


def test_a_replayed_match_gets_the_same_dedupe_keys() -> None:
    subscribers = [subscriber("analysts", urls=("console://", "jsonl:///tmp/a.jsonl"))]
    first = planned(match(), article(), subscribers)
    replay = planned(match(), article(), subscribers)
    assert [r.dedupe_key for r in replay] == [r.dedupe_key for r in first]


def test_the_dedupe_key_is_stable_across_processes_and_releases() -> None:
    # pinned: a change here would send every alert in a replayed outbox a second time
    [request] = planned(match(), article(), [subscriber("analysts")])
    # SHA-256 of story, rule, key, story id, subscriber, outcome and channel URL, joined by a separator
    assert request.dedupe_key == digest_key(
        "story", "sanctions-new", "Acme Oil", "42", "analysts", "alert", "console://"
    )
    assert request.dedupe_key == "dcd96b3250be7d44828c8da20013a42a3ffeac2780a9e65bd9a9444fe75ccc4a"


def _key(found: dict[str, Any], name: str, channel: str) -> str:
    [request] = planned(
        match(**found), article(id=found.get("article_id", 42)), [subscriber(name, urls=(channel,))]
    )
    return request.dedupe_key


@pytest.mark.parametrize(
    ("part", "other_match", "other_subscriber", "other_channel"),
    [
        ("rule", {"rule_id": "sanctions-lifted"}, "analysts", "console://"),
        ("story (its first article)", {"article_id": 43}, "analysts", "console://"),
        ("match key", {"key": "Acme Gas"}, "analysts", "console://"),
        ("subscriber", {}, "desk", "console://"),
        ("channel", {}, "analysts", "jsonl:///tmp/a.jsonl"),
    ],
)
def test_the_dedupe_key_changes_with_each_part(
    part: str, other_match: dict[str, Any], other_subscriber: str, other_channel: str
) -> None:
    base = _key({}, "analysts", "console://")
    assert _key(other_match, other_subscriber, other_channel) != base, part


def test_parts_cannot_run_together() -> None:
    # ("ab", "c") and ("a", "bc") must not hash alike
    assert _key({"key": "ab"}, "c", "console://") != _key({"key": "a"}, "bc", "console://")


def test_the_channel_url_is_not_readable_from_the_key() -> None:
    key = _key({}, "analysts", "mailto://user:s3cret@127.0.0.1")
    assert len(key) == 64 and "s3cret" not in key
