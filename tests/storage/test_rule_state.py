"""What rules remember between articles: one JSON value per (rule, key), last write wins."""

from __future__ import annotations

import pytest

from monitor.storage import Database, delete_rule_state, get_rule_state, put_rule_state

from .helpers import NOW, at


@pytest.mark.parametrize(
    "state", ["postponed", 1_250_000.5, 0, ["acme oil", "globex"], {"last": 2.1e6, "unit": "bpd"}]
)
def test_any_json_value_round_trips(db: Database, state: object) -> None:
    put_rule_state(db, "summit-status", "Putin|Trump", state, NOW)

    assert get_rule_state(db, "summit-status", "Putin|Trump") == state


def test_state_is_per_rule_and_key_and_the_last_write_wins(db: Database) -> None:
    put_rule_state(db, "summit-status", "A", "planned", NOW)
    put_rule_state(db, "summit-status", "A", "cancelled", at(60))
    put_rule_state(db, "summit-status", "B", "held", NOW)

    assert get_rule_state(db, "summit-status", "A") == "cancelled"
    assert get_rule_state(db, "summit-status", "B") == "held"
    assert get_rule_state(db, "oil-export-figure", "A") is None


def test_forgetting_a_key(db: Database) -> None:
    put_rule_state(db, "sanctions-new", "terms", ["acme"], NOW)

    assert delete_rule_state(db, "sanctions-new", "terms") is True
    assert delete_rule_state(db, "sanctions-new", "terms") is False
    assert get_rule_state(db, "sanctions-new", "terms") is None


def test_none_is_not_a_state(db: Database) -> None:
    with pytest.raises(ValueError, match="cannot be None"):
        put_rule_state(db, "r", "k", None, NOW)
