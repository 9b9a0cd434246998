"""Where each daemon's last config reload is remembered (rule state under RELOAD_STATE_RULE).

Apart from ``reload.py`` (which loads rules, enrichment and alerting to reload them) so that `newsmon status`
reads it with storage alone.
"""

from __future__ import annotations

from monitor import storage

RELOAD_STATE_RULE = "newsmon.reload"
"""The rule-memory id under which each daemon's last reload outcome is kept."""


def last_reloads(db: storage.Database) -> dict[str, dict[str, object]]:
    """Each daemon's (host and config file) last reload outcome: {"ok", "at", "message"}."""
    return {key: dict(state) for key, state in storage.rule_states(db, RELOAD_STATE_RULE).items()}
