"""Channel URL masking, scheme by scheme: no credential survives, everything else stays readable."""

from __future__ import annotations

import importlib
import logging

import pytest

from monitor.alerting import mask
from monitor.alerting.masking import redact_urls

# (url, what must be shown, secrets that must not appear)
CASES = [
    (
        "json://hooks.example.com/alerts?+Authorization=Bearer%20s3cr3tTOKEN&-apikey=k3yK3y",
        "json://hooks.example.com/alerts?+Authorization=***&-apikey=***",
        ["s3cr3tTOKEN", "k3yK3y"],
    ),
    (
        "json://hooks.example.com/hook/3f2a9c1e0b7d4e55a1c2?:title=headline",
        "json://hooks.example.com/hook/***?:title=headline",
        ["3f2a9c1e0b7d4e55a1c2"],
    ),
    (
        "xml://bob:hunter2@example.com/p?+X-Token=abc123",
        "xml://bob:***@example.com/p?+X-Token=***",
        ["hunter2", "abc123"],
    ),
    (
        "form://example.com/x?%2BAuthorization=Bearer%20zzz9",
        "form://example.com/x?%2BAuthorization=***",
        ["zzz9"],
    ),
    (
        "ntfy://tk_abcdef123456@ntfy.example.com/topic",
        "ntfy://***@ntfy.example.com/topic",
        ["tk_abcdef123456"],
    ),
    (
        "ntfys://ntfy.example.com/topic?token=tk_secret9",
        "ntfys://ntfy.example.com/topic?token=***",
        ["tk_secret9"],
    ),
    ("ntfy://alice:pa55@ntfy.example.com/alerts", "ntfy://***:***@ntfy.example.com/alerts", ["pa55"]),
    ("discord://1234567/webhooktok3n", "discord://***/***", ["1234567", "webhooktok3n"]),
    ("discord://bot@1234567/webhooktok3n/", "discord://bot@***/***/", ["1234567", "webhooktok3n"]),
    ("tgram://123456789:ABCdefGHIjklMNOpqr/1234", "tgram://***/1234", ["ABCdefGHIjklMNOpqr", "123456789"]),
    ("gotify://gotify.example.com/Atok3nabc", "gotify://gotify.example.com/***", ["Atok3nabc"]),
    ("pover://userkey123@apptok3n", "pover://***@***", ["userkey123", "apptok3n"]),
    (
        "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#chan",
        "slack://***/***/***/#***",
        ["T1JJ3T3L2", "A1BRTD4JD", "TIiajkdnlazkcOXrIdevi7FQ"],
    ),
    (
        "https://discord.com/api/webhooks/1234567/webhooktok3n",
        "https://discord.com/***/***/***/***",
        ["1234567", "webhooktok3n"],
    ),
    (
        "mailto://user:pw0rd@smtp.example.com?to=a@example.com&pass=other",
        "mailto://user:***@smtp.example.com?to=a@example.com&pass=***",
        ["pw0rd", "other"],
    ),
    ("mqtt://user:mqttpw@broker:1883/news", "mqtt://user:***@broker:1883/news", ["mqttpw"]),
    ("bogus://u:pw9@h/p?api_key=zz", "bogus://***", ["pw9", "zz"]),
    ("console://", "console://", []),
    ("jsonl:///var/newsmon/alerts-2026-12-02.jsonl", "jsonl:///var/newsmon/alerts-2026-12-02.jsonl", []),
]


@pytest.mark.parametrize(
    ("url", "shown", "secrets"), CASES, ids=[c[0].split(":")[0] + str(i) for i, c in enumerate(CASES)]
)
def test_mask_hides_every_credential_and_keeps_the_rest(url: str, shown: str, secrets: list[str]) -> None:
    masked = mask(url)
    assert masked == shown
    assert not [s for s in secrets if s in masked]


def test_not_a_url() -> None:
    assert mask("no-scheme-at-all") == "<not a channel URL>"


def test_urls_in_free_text_are_masked() -> None:
    text = "Failed to send to https://api.telegram.org/bot123:ABCsecretTOKENxyz/sendMessage: 401"
    assert redact_urls(text) == "Failed to send to https://api.telegram.org/***/***: 401"


def test_apprise_log_lines_carry_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    importlib.import_module("monitor.alerting.registry")  # apprise set up as newsmon uses it: the log filter
    caplog.set_level(logging.DEBUG, logger="apprise")
    logging.getLogger("apprise").warning("retrying json://h/x?+Authorization=Bearer%20t0psecret")
    assert "t0psecret" not in caplog.text
    assert "json://h/x?+Authorization=***" in caplog.text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Max retries exceeded with url: /hook/3f2a9c1e0b7d4e55a1c2 (Caused", "url: /hook/*** (Caused"),
        (
            'http://h:80 "POST /hook/3f2a9c1e0b7d4e55a1c2?key=k1 HTTP/1.1" 200',
            '"POST /hook/***?key=*** HTTP/1.1"',
        ),
    ],
)
def test_request_paths_in_free_text_are_masked(text: str, shown: str) -> None:
    assert shown in redact_urls(text)
