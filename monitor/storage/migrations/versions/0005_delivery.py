"""Delivery: owned leases (claimed_by, workers), a "sending" state, and no channel secret in the outbox.

Revision ID: 0005_delivery
Revises: 0005_feed_options
Create Date: 2026-12-02

Existing outbox rows lose their channel URL: each gets a label without secrets and the URL's fingerprint
(the same function as ``storage.outbox.channel_fingerprint``, copied so the migration stays
self-contained). Their ``channel_index`` stays NULL: delivery finds the channel among the subscriber's
current ones by fingerprint. The downgrade cannot bring URLs back: it leaves the labels.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

revision = "0005_delivery"
down_revision = "0005_feed_options"
branch_labels = None
depends_on = None

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_OLD_STATUSES = "status IN ('pending', 'sent', 'dead')"
_NEW_STATUSES = "status IN ('pending', 'sending', 'sent', 'dead', 'cancelled')"


def _fingerprint(url: str) -> str:
    found = _SCHEME.match(url)
    if found is None:
        return hashlib.sha256(b"?").hexdigest()[:16]
    parts = urlsplit(url)
    try:
        port = str(parts.port or "")
    except ValueError:
        port = ""
    identity = "\x1f".join(
        [found.group(1).lower(), parts.username or "", (parts.hostname or "").lower(), port, parts.path]
    )
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]


def _label(subscriber: str, index: int | None, url: str) -> str:
    found = _SCHEME.match(url)
    scheme = found.group(1).lower() if found else "?"
    return f"{subscriber} #{'?' if index is None else index} ({scheme})"


def upgrade() -> None:
    for table in ("feeds", "articles"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("claimed_by", sa.Text(), nullable=True))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("channel_index", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("channel_fingerprint", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.Text(), nullable=True))
        batch.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("recoveries", sa.Integer(), server_default="0", nullable=False))
        batch.drop_constraint("ck_outbox_status", type_="check")
        batch.create_check_constraint("ck_outbox_status", sa.text(_NEW_STATUSES))
    op.create_table(
        "workers",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_workers"),
    )
    _forget_channel_urls()


def _forget_channel_urls() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, subscriber, channel FROM outbox")).all()
    update = sa.text("UPDATE outbox SET channel = :label, channel_fingerprint = :fp WHERE id = :id")
    for row in rows:
        conn.execute(
            update,
            {
                "id": row.id,
                "label": _label(row.subscriber, None, row.channel),
                "fp": _fingerprint(row.channel),
            },
        )
    conn.execute(sa.text("UPDATE deliveries SET channel_masked = '(removed by 0005)'"))


def downgrade() -> None:
    op.drop_table("workers")
    op.execute("UPDATE outbox SET status = 'pending' WHERE status = 'sending'")
    op.execute("UPDATE outbox SET status = 'dead' WHERE status = 'cancelled'")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("ck_outbox_status", type_="check")
        batch.create_check_constraint("ck_outbox_status", sa.text(_OLD_STATUSES))
        for column in ("recoveries", "claimed_until", "claimed_by", "channel_fingerprint", "channel_index"):
            batch.drop_column(column)
    for table in ("articles", "feeds"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("claimed_by")
