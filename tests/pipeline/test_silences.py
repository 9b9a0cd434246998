"""What a silence does, as `silence add --help` says: matching alerts are recorded, and never sent — not
while the silence lasts, and not after it ends (the decision is in docs/discussions.md)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner

from monitor.cli import cli, silence_cmd
from monitor.pipeline import alert_admin
from tests.alerting.newsroom import NOW, evaluation, newsroom, state_match, write_config
from tests.support.smtp import SmtpReceiver

REGISTERED = silence_cmd  # imported for its commands


async def test_an_alert_silenced_while_it_was_planned_is_not_sent_after_the_silence_ends(
    tmp_path: Path, database_url: str
) -> None:
    smtp = SmtpReceiver()
    smtp.start()
    settings = write_config(tmp_path, database_url, f"  - {{name: analysts, urls: ['{smtp.url()}']}}")
    try:
        async with newsroom(settings) as room:
            alert_admin.add_silence(
                room.db, NOW, 3600, rule_id=None, key="Trump*", subscriber=None, reason=""
            )
            [article] = room.publish("Summit cancelled", story=1)
            room.process([(article, evaluation(state_match(article, "cancelled")))])
            during = await room.deliver(NOW + timedelta(minutes=1))
            after = await room.deliver(NOW + timedelta(hours=2))
            [alert] = alert_admin.list_alerts(room.db)
            detail = alert_admin.alert_detail(room.db, alert.id)
    finally:
        smtp.stop()

    assert (during.sent, after.sent, len(smtp.messages)) == (0, 0, 0)
    assert (alert.status, alert.delivery, detail.notifications) == ("silenced", "", ())


def test_silence_add_help_says_what_happens_to_silenced_alerts() -> None:
    text = " ".join(CliRunner().invoke(cli, ["silence", "add", "--help"]).output.split())
    assert "not sent, not even after the silence ends" in text
    assert "until it ends" not in text
