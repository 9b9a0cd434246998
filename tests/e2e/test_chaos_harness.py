"""The chaos harness's judge (tests/support/alert_tally.py) on its own: how it reads an alert body and how
it counts duplicates, losses and strangers. Unit tier: no daemons, no servers."""

from __future__ import annotations

import pytest

from tests.support.alert_tally import Tally, parse_alert

BODY = """\
UPDATE: code-state (medium)
About: KX41
What: planned → launched
Project KX41 launched, feed 3 reports
https://chaos.invalid/c3/KX41
127.0.0.1:4242 · 2026-12-02 20:27 UTC

Matched:
  project: "Project KX41"
"""


def test_an_alert_body_gives_rule_key_and_link() -> None:
    alert = parse_alert(BODY, 12.5)
    assert (alert.rule, alert.key, alert.link, alert.received_at) == (
        "code-state",
        "KX41",
        "https://chaos.invalid/c3/KX41",
        12.5,
    )


def test_an_alert_without_key_has_an_empty_key() -> None:
    alert = parse_alert("zeppelin (high)\nZeppelin sighted\nhttps://chaos.invalid/z/1\n", 0.0)
    assert (alert.rule, alert.key, alert.link) == ("zeppelin", "", "https://chaos.invalid/z/1")


def test_a_body_that_is_not_an_alert_is_refused() -> None:
    with pytest.raises(ValueError, match="not a plain-text alert body"):
        parse_alert("<html>zeppelin</html>", 0.0)


def test_the_tally_counts_repeats_losses_and_strangers() -> None:
    tally = Tally.of(expected={"a", "b", "c"}, delivered=["a", "a", "a", "b", "x"])
    assert (tally.expected, tally.delivered, tally.duplicates, tally.lost, tally.unexpected) == (
        3,
        5,
        2,
        1,
        1,
    )
    assert not tally.exactly_once
    assert tally.worst == (("a", 3),)
    assert "duplicates 2, lost 1, unexpected 1" in str(tally)


def test_each_expected_alert_once_is_exactly_once() -> None:
    tally = Tally.of(expected={"a", "b"}, delivered=["b", "a"])
    assert tally.exactly_once and str(tally).startswith("expected 2, delivered 2, duplicates 0, lost 0")


def test_repeats_are_told_apart_by_their_idempotency_key() -> None:
    """A re-send with the alert's key is one a key-honouring receiver drops; one with a new key is not."""
    tally = Tally.of(expected={"a", "b"}, delivered=["a", "a", "b", "b"], keys=["k1", "k1", "k2", "k3"])
    assert (tally.duplicates, tally.new_key_repeats) == (2, 1)
