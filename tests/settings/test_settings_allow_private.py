"""``http.allow_private``: networks or host names, and a located error for anything else."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.errors import ConfigError
from monitor.pipeline.dryrun import limits_from
from monitor.settings import load_settings


def config(tmp_path: Path, entries: str) -> Path:
    (tmp_path / "rules").mkdir(exist_ok=True)
    path = tmp_path / "newsmon.yaml"
    path.write_text(f"http:\n  allow_private: {entries}\n", encoding="utf-8")
    return path


def test_networks_and_host_names_reach_the_fetcher(tmp_path: Path) -> None:
    settings = load_settings(config(tmp_path, "['10.0.0.0/8', '::1', 'wiki.intranet.example']"), {})

    assert limits_from(settings.http).allow_private == ("10.0.0.0/8", "::1", "wiki.intranet.example")


def test_a_url_or_a_port_is_a_located_error(tmp_path: Path) -> None:
    path = config(tmp_path, "['10.0.0.0/8', 'http://wiki.intranet/', 'wiki:8080']")

    with pytest.raises(ConfigError) as caught:
        load_settings(path, {})

    problems = [str(problem) for problem in caught.value.problems]
    assert len(problems) == 1 and problems[0].startswith(f"{path}:2:")
    assert "http.allow_private" in problems[0]
    assert "'http://wiki.intranet/' is neither a network (CIDR such as 10.0.0.0/8" in problems[0]
