"""Opening the configured database: what every command that reads or writes it starts with.

Kept apart from ``runtime.py`` (which loads rules, enrichment, fetching and alerting for the daemon) so that
``newsmon status``, ``feeds list`` or ``alerts list`` load only storage.
"""

from __future__ import annotations

from monitor.settings import Settings
from monitor.storage.database import Database


def open_database(settings: Settings, *, upgrade: bool = False) -> Database:
    """The configured database, migrated (``upgrade``) or checked to be current."""
    db = Database.open(settings.database.url)
    try:
        if upgrade:
            db.upgrade()
        else:
            db.ensure_current()
    except BaseException:
        db.close()
        raise
    return db
