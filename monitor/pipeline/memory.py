"""What rules remember, read from the database, with the writes of the batch in hand laid over it.

Articles of one batch are evaluated in order before the batch is saved (one transaction), so article 2
must already see what article 1 made a rule remember (a summit's new status, a term now seen): the
pending writes answer first. They reach the database with the matches, in ``storage.save_processed``,
which first checks that every value the batch read is still the stored one (``storage.StateConflict``
otherwise: the batch is evaluated again). A key is read once per batch, so evaluation and check agree.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from monitor import storage
from monitor.rules import StateWrite


class BatchMemory:
    """``rules.RuleMemory`` over storage for one processing batch."""

    def __init__(self, db: storage.Database) -> None:
        self._db = db
        self._pending: dict[tuple[str, str], Any] = {}
        self._read: dict[tuple[str, str], Any] = {}

    def get_state(self, rule_id: str, key: str) -> Any | None:
        if (rule_id, key) in self._pending:
            return self._pending[(rule_id, key)]
        if (rule_id, key) not in self._read:
            self._read[(rule_id, key)] = storage.get_rule_state(self._db, rule_id, key)
        return copy.deepcopy(self._read[(rule_id, key)])  # what was read stays as read, for the check

    def reads(self) -> dict[tuple[str, str], Any]:
        """What the batch read from the database, per key: the save checks it is still so (atomic)."""
        return dict(self._read)

    def remember(self, writes: Iterable[StateWrite]) -> None:
        """Lay ``writes`` over the database for the rest of the batch."""
        for write in writes:
            self._pending[(write.rule_id, write.key)] = write.state

    def rows(self) -> list[tuple[str, str, Any]]:
        """Everything remembered during the batch, to save with its matches: (rule_id, key, state)."""
        return [(rule_id, key, state) for (rule_id, key), state in self._pending.items()]
