"""The alert commands as a user types them: list, show, resend, preview, silence, subscribers."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from monitor.cli import cli, silence_cmd, subscribers_cmd
from monitor.settings import load_settings
from tests.alerting.newsroom import SUMMIT_RULE, evaluation, newsroom, state_match
from tests.support.smtp import SmtpReceiver

REGISTERED = (silence_cmd, subscribers_cmd)  # imported for their commands, as monitor.cli will


def newsmon(config: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with SmtpReceiver() as receiver:
        yield receiver


@pytest.fixture
def config(tmp_path: Path, smtp: SmtpReceiver) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "summit.yaml").write_text(SUMMIT_RULE)
    path = tmp_path / "newsmon.yaml"
    path.write_text(
        f"database: {{url: 'sqlite:///{tmp_path}/db.sqlite'}}\n"
        "rules: {paths: [rules]}\n"
        "enrichment: {enabled: false}\n"
        "subscribers:\n"
        f"  - {{name: analysts, urls: ['{smtp.url()}']}}\n"
        f"  - {{name: desk, urls: ['{smtp.url()}', 'json://hook:s3cret@127.0.0.1:{_closed_port()}/x'], groups: [x]}}\n"
    )
    assert newsmon(path, "db", "upgrade").exit_code == 0
    return path


async def _one_alert(config: Path) -> None:
    async with newsroom(load_settings(config, {})) as room:
        first, second = room.publish("Trump cancels <b>the</b> summit", "Summit still off", story=1)
        room.process(
            [
                (first, evaluation(state_match(first, "cancelled", "planned"))),
                (second, evaluation(suppressed=[state_match(second, "cancelled", "cancelled")])),
            ]
        )
        await room.deliver()


async def test_alerts_list_show_and_resend(config: Path, smtp: SmtpReceiver) -> None:
    await _one_alert(config)

    listed = newsmon(config, "alerts", "list")
    assert listed.exit_code == 0
    [line] = listed.output.splitlines()
    assert line.startswith("#1 ") and "sent" in line and "summit-status [Trump, Putin]  2 source(s)" in line
    assert newsmon(config, "alerts", "list", "--failed").output == "no alerts match\n"

    shown = newsmon(config, "alerts", "show", "1").output
    for expected in (
        "alert #1: Summit status (summit-status, medium)",
        "  key:        Trump, Putin",
        "  status:     notified, delivery sent",
        "Trump cancels <b>the</b> summit",
        "      → alert",
        "      → recorded: state unchanged: still 'cancelled'",
        "  #1 alert   sent     analysts #0 (mailto)",  # a label: the outbox stores no URL
        "  ok",
    ):
        assert expected in shown, shown

    resent = newsmon(config, "alerts", "resend", "1")
    assert resent.output == "alert #1: 1 notification(s) queued again (#2)\n"
    await _deliver(config)
    assert len(smtp.wait_for(2)) == 2

    missing = newsmon(config, "alerts", "show", "99")
    assert missing.exit_code == 2 and "no alert #99" in missing.output


async def _deliver(config: Path) -> None:
    async with newsroom(load_settings(config, {})) as room:
        await room.deliver(datetime.now(UTC))


def test_alerts_preview_renders_every_format_without_sending(
    config: Path, tmp_path: Path, smtp: SmtpReceiver
) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Leaders' <script>summit</script> is off\nThe summit in Budapest will not happen.\n")

    shown = newsmon(config, "alerts", "preview", "--rule", "summit-status", "--article", str(article))

    assert shown.exit_code == 0
    assert "===== text =====" in shown.output and "===== markdown =====" in shown.output
    html = shown.output.split("===== html =====")[1].split("\n\n", 1)[1]  # the body; the title is plain text
    assert "&lt;script&gt;summit&lt;/script&gt;" in html and "<script>" not in html
    assert "condition: summit" in shown.output  # why it matched
    assert smtp.messages == ()

    other = tmp_path / "other.txt"
    other.write_text("Markets calm\nNothing happened.\n")
    forced = CliRunner().invoke(
        cli,
        [
            "--config",
            str(config),
            "alerts",
            "preview",
            "--rule",
            "summit-status",
            "--article",
            str(other),
            "--format",
            "text",
        ],
    )
    assert "does not hold" in forced.stderr
    assert "===== html =====" not in forced.stdout

    unknown = newsmon(config, "alerts", "preview", "--rule", "nope", "--article", str(other))
    assert unknown.exit_code == 2 and "no rule 'nope'" in unknown.output


def test_silence_add_list_remove(config: Path) -> None:
    added = newsmon(config, "silence", "add", "--key", "Trump*", "--for", "2d", "--reason", "known story")
    assert added.exit_code == 0
    assert added.output.startswith("silence #1 added: key=Trump* until ")

    assert "#1    key=Trump* until " in newsmon(config, "silence", "list").output
    assert "known story" in newsmon(config, "silence", "list").output

    assert newsmon(config, "silence", "remove", "1").output == "silence #1 ended: key=Trump*\n"
    assert newsmon(config, "silence", "list").output == "no silences\n"
    assert "(ended)" in newsmon(config, "silence", "list", "--all").output

    assert newsmon(config, "silence", "add", "--for", "2d").exit_code == 2  # silences nothing: refused
    assert "not a duration" in newsmon(config, "silence", "add", "--rule", "r", "--for", "soon").output
    assert "no silence #7" in newsmon(config, "silence", "remove", "7").output


def test_subscribers_list_masks_secrets_and_test_reports_each_channel(
    config: Path, smtp: SmtpReceiver
) -> None:
    listed = newsmon(config, "subscribers", "list").output
    assert "s3cret" not in listed
    assert "analysts: every rule (≥ info), immediately (UTC)" in listed
    assert "[html]" in listed and "[text]" in listed

    tested = newsmon(config, "subscribers", "test", "desk")
    assert tested.exit_code == 1
    ok_line, failed_line = tested.stdout.splitlines()
    assert ok_line.startswith("ok     mailto://127.0.0.1:")
    assert failed_line.startswith("FAILED json://hook:***@127.0.0.1:") and "s3cret" not in failed_line
    assert [str(m["Subject"]) for m in smtp.wait_for(1)] == ["newsmon test notification"]

    assert newsmon(config, "subscribers", "test", "nobody").exit_code == 2


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --json on the listing commands: one JSON document each, the same facts as the text, no secret


def as_json(config: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--config", str(config), *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


async def test_alerts_status_feeds_silences_and_subscribers_as_json(config: Path, smtp: SmtpReceiver) -> None:
    await _one_alert(config)
    CliRunner().invoke(cli, ["--config", str(config), "silence", "add", "--key", "Trump*", "--for", "2d"])

    (alert,) = as_json(config, "alerts", "list")
    assert (alert["id"], alert["rule_id"], alert["key"], alert["subscriber"]) == (
        1,
        "summit-status",
        "Trump, Putin",
        "analysts",
    )
    assert alert["delivery"] == "sent" and alert["sources"] == 2

    detail = as_json(config, "alerts", "show", "1")
    assert detail["alert"]["severity"] == "medium"
    assert [s["outcome"] for s in detail["sources"]] == ["alert", "recorded"]
    (note,) = detail["notifications"]
    assert note["status"] == "sent" and note["channel"] == "analysts #0 (mailto)"

    status = as_json(config, "status")
    assert status["articles"] == 2 and status["outbox_sent"] == 1

    (feed,) = as_json(config, "feeds", "list")
    assert (feed["name"], feed["url"], feed["status"]) == ("Wire", "https://wire.example/feed.xml", "active")

    (silence,) = as_json(config, "silence", "list")
    assert silence["key"] == "Trump*" and silence["active"] is True

    subscribers = as_json(config, "subscribers", "list")
    assert [s["name"] for s in subscribers] == ["analysts", "desk"]
    desk = subscribers[1]
    assert desk["groups"] == ["x"] and len(desk["channels"]) == 2
    everything = json.dumps([alert, detail, status, feed, silence, subscribers])
    assert "s3cret" not in everything


def test_check_warns_about_a_rule_that_reaches_no_subscriber(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "port.yaml").write_text(
        "id: port-strike\ntitle: Port strike\nnotify: [logistics]\nmatch:\n  action: {phrases: [strike]}\n"
    )
    config = tmp_path / "newsmon.yaml"
    config.write_text(
        f"database: {{url: 'sqlite:///{tmp_path}/db.sqlite'}}\n"
        "rules: {paths: [rules]}\n"
        "subscribers:\n  - {name: me, urls: ['console://'], groups: [analysts]}\n"
    )
    result = CliRunner().invoke(cli, ["--config", str(config), "check"])
    assert result.exit_code == 0  # a warning, not an error
    assert "port.yaml:1:1: rule 'port-strike' notifies logistics, but no subscriber receives its alerts" in (
        result.stderr
    )
    config.write_text(config.read_text().replace("groups: [analysts]", "groups: [analysts, logistics]"))
    assert "no subscriber receives" not in CliRunner().invoke(cli, ["--config", str(config), "check"]).stderr
