"""The ``newsmon`` command: importing the command modules registers them on the group."""

from monitor.cli import (
    alerts_cmd,
    backtest_cmd,
    feeds_cmd,
    init_cmd,
    rules_cmd,
    silence_cmd,
    subscribers_cmd,
)
from monitor.cli.app import cli

__all__ = [
    "alerts_cmd",
    "backtest_cmd",
    "cli",
    "feeds_cmd",
    "init_cmd",
    "main",
    "rules_cmd",
    "silence_cmd",
    "subscribers_cmd",
]


def main() -> None:
    cli(prog_name="newsmon")
