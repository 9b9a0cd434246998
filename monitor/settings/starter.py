"""The starter kit ``newsmon init`` writes: a commented config, an example rule and a watch list.

The files ship inside the package (``starter/``), so an installed wheel can set itself up with nothing but
a database: ``newsmon init /etc/newsmon && newsmon -c /etc/newsmon/newsmon.yaml check``.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from monitor.errors import MonitorError

STARTER_FILES = (
    PurePosixPath("newsmon.yaml"),
    PurePosixPath("rules/example-keyword.yaml"),
    PurePosixPath("rules/watchlists/companies.yaml"),
)


class StarterExistsError(MonitorError):
    """``newsmon init`` would overwrite files a person may have edited."""


def write_starter(target: Path, *, force: bool = False) -> list[Path]:
    """Copy the starter files under ``target`` (created if missing); return the paths written.

    Refuses, before writing anything, when any of them exists, unless ``force``.
    """
    destinations = [target.joinpath(*relative.parts) for relative in STARTER_FILES]
    existing = [path for path in destinations if path.exists()]
    if existing and not force:
        names = ", ".join(str(path) for path in existing)
        raise StarterExistsError(f"{names} already exist(s); keep them, or pass --force to overwrite")
    for relative, destination in zip(STARTER_FILES, destinations, strict=True):
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(_source(relative).read_text(encoding="utf-8"), encoding="utf-8")
    return destinations


def _source(relative: PurePosixPath) -> Traversable:
    return resources.files("monitor.settings").joinpath("starter", *relative.parts)
