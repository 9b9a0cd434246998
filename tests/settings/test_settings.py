"""config/*.yaml → Settings: errors are reported all at once, each with file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.settings import load_settings

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "rules").mkdir(exist_ok=True)
    path = tmp_path / "newsmon.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path, environ: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ or {})
    return [str(p) for p in caught.value.problems]


def test_the_bundled_demo_config_is_valid() -> None:
    settings = load_settings(REPO / "config" / "demo.yaml", {})
    assert settings.subscribers[0].urls == ("console://",)
    assert all(feed.url.startswith("file:///") for feed in settings.feeds)
    assert settings.database.url == "sqlite:///" + str(REPO / "var" / "newsmon.db")
    assert settings.rules.paths == (REPO / "rules",)


def test_every_problem_is_reported_at_once_with_its_location(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "http:\n"
        "  timeout_s: fast\n"
        "  user_agnt: x\n"
        "feeds:\n"
        "  - url: ftp://example.org/feed\n"
        "subscribers:\n"
        "  - name: ops\n"
        "    urls: ['mailto://${SMTP_USER}@example.org']\n",
    )
    assert problems_of(path) == [
        f"{path}:8:12: environment variable SMTP_USER is not set (export SMTP_USER=... or write ${{SMTP_USER:-default}})",
        f"{path}:2:14: http.timeout_s: Input should be a valid number, unable to parse string as a number",
        f"{path}:3:3: unknown key 'user_agnt' (did you mean 'user_agent'?)",
        f"{path}:5:10: feeds.0.url: Value error, a feed url must start with http://, https:// or file:",
    ]


def test_duplicate_keys_and_duplicate_feeds_are_errors(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "feeds:\n  - url: https://a.example/feed\n  - url: https://a.example/feed\nlogging: {level: INFO}\nlogging: {}\n",
    )
    found = problems_of(path)
    assert found == [
        f"{path}:5:1: duplicate key 'logging' (first written at line 4)",
        f"{path}:3:10: feed https://a.example/feed is listed twice (first at {path}:2:10)",
    ]


def test_a_feed_listed_twice_is_located_at_the_second(tmp_path: Path) -> None:
    path = write(tmp_path, "feeds:\n  - url: https://a.example/feed\n  - url: https://a.example/feed\n")
    assert problems_of(path) == [
        f"{path}:3:10: feed https://a.example/feed is listed twice (first at {path}:2:10)"
    ]


def test_a_missing_rules_folder_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "rules:\n  paths: [rules, nowhere]\n")
    assert problems_of(path) == [f"{path}:2:18: no such path: {tmp_path / 'nowhere'}"]


def test_environment_values_fill_secrets_and_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "subscribers:\n"
        "  - name: ops\n"
        "    urls: ['mailtos://${SMTP_USER}:${SMTP_PASS}@mail.example.org?to=${TO:-ops@example.org}']\n",
    )
    settings = load_settings(path, {"SMTP_USER": "bot", "SMTP_PASS": "s3cret"})
    assert settings.subscribers[0].urls == ("mailtos://bot:s3cret@mail.example.org?to=ops@example.org",)


def test_relative_paths_resolve_against_the_config_file(tmp_path: Path) -> None:
    path = write(tmp_path, "database: {url: 'sqlite:///var/x.db'}\nfeeds:\n  - url: file:feeds/a.xml\n")
    settings = load_settings(path, {})
    assert settings.database.url == f"sqlite:///{tmp_path / 'var' / 'x.db'}"
    assert settings.feeds[0].url == (tmp_path / "feeds" / "a.xml").as_uri()
    assert settings.feeds[0].interval_s == settings.polling.default_interval_s
    assert settings.rules.paths == (tmp_path / "rules",)


def test_the_environment_can_point_any_config_at_another_database(tmp_path: Path) -> None:
    path = write(tmp_path, "database: {url: 'sqlite:///var/x.db'}\n")
    settings = load_settings(path, {"NEWSMON_DATABASE_URL": "postgresql+psycopg://u:pw@db.internal/newsmon"})
    assert settings.database.url == "postgresql+psycopg://u:pw@db.internal/newsmon"
    assert settings.database.display_url == "postgresql+psycopg://***@db.internal/newsmon"


def test_yaml_syntax_errors_are_located(tmp_path: Path) -> None:
    path = write(tmp_path, "feeds:\n  - url: [unclosed\n")
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:3:1: YAML syntax error")


def test_a_missing_config_file_says_how_to_pass_one(tmp_path: Path) -> None:
    assert problems_of(tmp_path / "absent.yaml") == [
        f"{tmp_path / 'absent.yaml'}: config file not found (pass --config PATH or set NEWSMON_CONFIG)"
    ]


@pytest.mark.parametrize(
    ("http", "line"),
    [("{per_host_concurrency: 50}", 2), ("{per_host_concurrency: 8, total_concurrency: 4}", 2)],
)
def test_per_host_concurrency_above_the_total_is_a_located_error(
    tmp_path: Path, http: str, line: int
) -> None:
    (tmp_path / "rules").mkdir()
    path = tmp_path / "c.yaml"
    path.write_text(f"rules: {{paths: [rules]}}\nhttp: {http}\n")
    with pytest.raises(ConfigError) as raised:
        load_settings(path, {})
    [problem] = raised.value.problems
    assert problem.location.line == line
    assert "is below per_host_concurrency" in problem.message
