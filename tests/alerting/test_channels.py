"""Channel URLs: start-up checks located in the config, masking, and apprise's logs free of secrets."""

from __future__ import annotations

import logging

import pytest

from monitor.alerting import mask, parse_location, validate_channels
from monitor.alerting.registry import apprise  # as newsmon sets it up: our channels, the log filter
from monitor.errors import SourceLocation
from monitor.settings.models import Settings

from .builders import subscriber

GOOD_URLS = (
    "console://",
    "jsonl:///var/newsmon/alerts.jsonl",
    "mailto://127.0.0.1:2525?from=newsmon@example.com&to=analyst@example.com",
    "json://127.0.0.1:8080/alerts",
)


def _settings(*subscribers_urls: tuple[str, ...]) -> Settings:
    """Settings as the YAML loader builds them: every URL's position recorded."""
    subscribers = tuple(subscriber(f"s{i}", urls=urls) for i, urls in enumerate(subscribers_urls))
    locations = {
        f"subscribers.{i}.urls.{j}": f"config/newsmon.yaml:{10 * (i + 1) + j}:9"
        for i, urls in enumerate(subscribers_urls)
        for j in range(len(urls))
    }
    return Settings(subscribers=subscribers, source="config/newsmon.yaml", locations=locations)


def test_urls_apprise_can_use_are_fine() -> None:
    assert validate_channels(_settings(GOOD_URLS)) == []


def test_every_bad_url_is_reported_at_its_place_in_the_config() -> None:
    settings = _settings(
        ("console://", "bogus://x"),
        ("discord://s3cret-token", "jsonl://relative/alerts.jsonl", "no-scheme-at-all"),
    )

    problems = validate_channels(settings)

    assert [(str(p.location), p.message.split(":")[0]) for p in problems] == [
        ("config/newsmon.yaml:11:9", "subscriber 's0'"),
        ("config/newsmon.yaml:20:9", "subscriber 's1'"),
        ("config/newsmon.yaml:21:9", "subscriber 's1'"),
        ("config/newsmon.yaml:22:9", "subscriber 's1'"),
    ]
    bogus, discord, relative, no_scheme = problems
    assert "unknown channel scheme 'bogus://'" in bogus.message
    assert "discord://" in discord.message and "Webhook Token" in discord.message
    assert discord.hint is not None and "discord://" in discord.hint
    assert "absolute file path" in relative.message and relative.hint and "jsonl:///" in relative.hint
    assert no_scheme.message.endswith("not a channel URL")
    assert all("s3cret" not in str(p) for p in problems)


def test_a_url_written_nowhere_is_reported_at_the_config_file() -> None:
    settings = Settings(subscribers=(subscriber("s0", urls=("bogus://",)),), source="config/newsmon.yaml")
    [problem] = validate_channels(settings)
    assert problem.location == SourceLocation("config/newsmon.yaml")


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("config/a.yaml:21:9", SourceLocation("config/a.yaml", 21, 9)),
        ("config/a.yaml:21", SourceLocation("config/a.yaml", 21)),
        ("config/a.yaml", SourceLocation("config/a.yaml")),
        ("<defaults>", SourceLocation("<defaults>")),
        ("C:/newsmon/a.yaml:3:1", SourceLocation("C:/newsmon/a.yaml", 3, 1)),
    ],
)
def test_parse_location(text: str, location: SourceLocation) -> None:
    assert parse_location(text) == location


@pytest.mark.parametrize(
    ("url", "hidden", "shown"),
    [
        ("mailto://alerts:s3cret@127.0.0.1:2525?from=a@example.com&to=b@example.com", "s3cret", "127.0.0.1"),
        ("json://user:s3cret@127.0.0.1/hook", "s3cret", "json://user:"),
        ("discord://s3cret-token", "s3cret", "discord://"),
        ("not a url with s3cret", "s3cret", "<not a channel URL>"),
    ],
)
def test_mask_hides_secrets(url: str, hidden: str, shown: str) -> None:
    masked = mask(url)
    assert hidden not in masked and shown in masked


def test_our_own_channels_are_shown_whole() -> None:
    assert mask("jsonl:///var/newsmon/alerts.jsonl") == "jsonl:///var/newsmon/alerts.jsonl"
    assert mask("console://") == "console://"


def test_apprise_log_records_never_carry_a_url(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="apprise"):
        assert apprise.Apprise.instantiate("discord://s3cret-token") is None
    assert caplog.records, "apprise logs why it refused the URL"
    assert all("s3cret" not in record.getMessage() for record in caplog.records)
    assert any("discord://***" in record.getMessage() for record in caplog.records)


def test_apprise_debug_lines_reach_its_capture_but_not_the_log() -> None:
    seen: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    root = logging.getLogger()
    root.addHandler(handler)
    level, root.level = root.level, logging.DEBUG
    try:
        with apprise.LogCapture(level=logging.DEBUG, fmt="%(message)s") as captured:
            logging.getLogger("apprise").debug("Socket Exception: (535, b'denied')")
            logging.getLogger("apprise").warning("Connection error")
    finally:
        root.removeHandler(handler)
        root.level = level
    assert seen == ["Connection error"]
    assert "Socket Exception: (535" in captured.getvalue()
