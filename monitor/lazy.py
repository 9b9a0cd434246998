"""Names of a package imported on first use (PEP 562), so a command loads only the modules it touches.

``newsmon --help`` must not pay for spaCy, apprise, SQLAlchemy or numpy: a package's ``__init__`` lists
where each of its public names lives and hands that map to ``lazy_names``, instead of importing them all.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping


def lazy_names(package: str, homes: Mapping[str, str]) -> Callable[[str], object]:
    """The module ``__getattr__`` of ``package``: imports ``homes[name]`` once and keeps the value."""

    def __getattr__(name: str) -> object:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
