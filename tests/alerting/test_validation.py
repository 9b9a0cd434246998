"""Start-up checks of subscribers: every problem at its file:line, found before the first alert."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.alerting import channels_of, validate_subscribers
from monitor.errors import ConfigError, Problem
from monitor.settings import Settings, load_settings


def config(tmp_path: Path, body: str) -> Settings:
    (tmp_path / "rules").mkdir(exist_ok=True)
    path = tmp_path / "newsmon.yaml"
    path.write_text("rules: {paths: [rules]}\n" + body)
    return load_settings(path, {})


def located(problems: list[Problem]) -> list[tuple[int | None, str]]:
    return [(p.location.line, p.message) for p in problems]


def test_a_good_configuration_has_no_problems(tmp_path: Path) -> None:
    (tmp_path / "templates" / "sanctions-new").mkdir(parents=True)
    (tmp_path / "templates" / "sanctions-new" / "title.txt.j2").write_text("{{ rule.title }}: {{ key }}\n")
    settings = config(
        tmp_path,
        "alerting: {templates: templates}\n"
        "subscribers:\n"
        "  - name: desk\n"
        "    urls: ['console://']\n"
        "    mode: digest\n"
        "    digest_schedule: '30 7 * * mon-fri'\n"
        "    timezone: Europe/Berlin\n"
        "    quiet_hours: {start: 22:00, end: '07:00'}\n",
    )
    assert validate_subscribers(settings, rule_ids={"sanctions-new"}) == []


def test_a_broken_digest_schedule_is_located(tmp_path: Path) -> None:
    settings = config(
        tmp_path,
        "subscribers:\n  - name: desk\n    urls: ['console://']\n    mode: digest\n    digest_schedule: '0 25 * * *'\n",
    )
    [(line, message)] = located(validate_subscribers(settings))
    assert line == 6
    assert message == "subscriber 'desk': digest_schedule: hour: 25 is outside 0-23"


def test_a_missing_template_folder_is_located(tmp_path: Path) -> None:
    settings = config(tmp_path, "subscribers:\n  - {name: desk, urls: ['console://'], templates: nowhere}\n")
    [(line, message)] = located(validate_subscribers(settings))
    assert line == 3
    assert message == f"no such template folder: {tmp_path / 'nowhere'}"


def test_an_error_in_a_per_rule_override_is_located_in_that_file(tmp_path: Path) -> None:
    folder = tmp_path / "mine" / "summit-status"
    folder.mkdir(parents=True)
    (folder / "alert.md.j2").write_text("**{{ rule.title }}**\n{{ rule.nope }}\n")
    settings = config(tmp_path, "subscribers:\n  - {name: desk, urls: ['console://'], templates: mine}\n")
    [problem] = validate_subscribers(settings)
    assert str(problem.location) == f"{folder / 'alert.md.j2'}:2"
    assert "nope" in problem.message


def test_an_inhibition_naming_an_unknown_rule_is_a_located_warning(tmp_path: Path) -> None:
    settings = config(
        tmp_path,
        "alerting:\n  inhibit:\n    - {source_rule: summit-status, target_rule: sumit-status}\n",
    )
    [problem] = validate_subscribers(settings, rule_ids={"summit-status"})
    assert (problem.location.line, problem.severity) == (4, "warning")
    assert problem.message == "inhibit: no rule with id 'sumit-status'"


def test_an_unknown_time_zone_is_a_config_error_at_its_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        config(
            tmp_path, "subscribers:\n  - name: desk\n    urls: ['console://']\n    timezone: Europe/Berlinn\n"
        )
    [problem] = raised.value.problems
    assert problem.location.line == 5
    assert "unknown time zone 'Europe/Berlinn'" in problem.message


APPRISE_CONFIG = """\
version: 1
urls:
  - json://127.0.0.1:9/desk:
      tag: desk
  - json://hook:s3cret@127.0.0.1:9/ops:
      tag: ops
"""


def test_channels_can_come_from_an_apprise_config_file_by_tag(tmp_path: Path) -> None:
    (tmp_path / "apprise.yaml").write_text(APPRISE_CONFIG)
    settings = config(
        tmp_path,
        "subscribers:\n  - {name: desk, urls: ['console://'], apprise_config: apprise.yaml, apprise_tags: [desk]}\n",
    )
    assert validate_subscribers(settings) == []
    [subscriber] = settings.subscribers
    assert [url.split("?")[0] for url in channels_of(settings, subscriber)] == [
        "console://",
        "json://127.0.0.1:9/desk",
    ]


@pytest.mark.parametrize(
    ("file_text", "tags", "message"),
    [
        (None, "[]", "no such apprise config file"),
        (APPRISE_CONFIG, "[finance]", "has no usable channel URL tagged finance"),
        (
            "version: 1\nurls:\n  - bogus://s3cret\n",
            "[]",
            "has no usable channel URL (Unparseable URL bogus://***",
        ),
    ],
)
def test_a_bad_apprise_config_file_is_located_at_the_setting(
    tmp_path: Path, file_text: str | None, tags: str, message: str
) -> None:
    if file_text is not None:
        (tmp_path / "apprise.yaml").write_text(file_text)
    settings = config(
        tmp_path, f"subscribers:\n  - {{name: desk, apprise_config: apprise.yaml, apprise_tags: {tags}}}\n"
    )
    [(line, text)] = located(validate_subscribers(settings))
    assert line == 3
    assert message in text and "s3cret" not in text


def test_a_subscriber_without_any_channel_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="a subscriber needs channel urls or an apprise_config file"):
        config(tmp_path, "subscribers:\n  - {name: desk}\n")
