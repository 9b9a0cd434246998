"""Built-in channels: ``console://`` shows the alert at the terminal, ``jsonl:///path`` appends JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.alerting import Deliverer
from monitor.settings.models import DeliverySettings

from .builders import NOW, article, match, outbox_item, planned, subscriber


async def test_console_prints_the_alert_in_a_box(capsys: pytest.CaptureFixture[str]) -> None:
    [request] = planned(match(), article(), [subscriber(urls=("console://",))])

    result = await Deliverer(DeliverySettings()).deliver(outbox_item(request), request.channel, NOW)

    assert result.ok and result.error is None
    printed = capsys.readouterr().out.splitlines()
    rule = "+" + "-" * 71
    assert printed[:3] == [rule, f"| {request.title}", rule]
    assert printed[3:8] == [
        "| New sanctions announced (high)",
        "| About: Acme Oil",
        "| Treasury designates four subsidiaries of Acme Oil",
        "| https://wire.example.com/news/acme-oil",
        "| Energy Wire · 2025-03-01 09:30 UTC",
    ]
    assert printed[-1] == rule


async def test_jsonl_appends_one_json_object_per_alert(tmp_path: Path) -> None:
    target = tmp_path / "out" / "alerts.jsonl"
    subscribers = [subscriber(urls=(f"jsonl://{target}",), format="markdown")]
    deliverer = Deliverer(DeliverySettings())
    first = planned(match(), article(), subscribers)[0]
    second = planned(match(key="Acme Gas"), article(id=43, title="Second"), subscribers)[0]

    for n, request in enumerate((first, second)):
        assert (await deliverer.deliver(outbox_item(request, id=n), request.channel, NOW)).ok

    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [(line["title"], line["body"]) for line in lines] == [
        (first.title, first.body),
        (second.title, second.body),
    ]
    assert {(line["type"], line["format"]) for line in lines} == {("info", "markdown")}


async def test_jsonl_that_cannot_write_fails_with_the_reason(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    [request] = planned(match(), article(), [subscriber(urls=(f"jsonl://{blocker}/alerts.jsonl",))])

    result = await Deliverer(DeliverySettings()).deliver(outbox_item(request), request.channel, NOW)

    assert not result.ok
    assert result.error is not None and "cannot append to" in result.error
