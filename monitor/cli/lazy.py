"""Modules the command line loads on first use, so ``newsmon --help`` or ``status`` starts at once.

``newsmon --help`` must not pay for spaCy, apprise, Alembic or numpy (seconds of imports): a command module
names the modules it calls through ``lazy("monitor.pipeline.alert_admin")``, which imports the real module
the first time one of its attributes is read. Type checkers see the real import (``TYPE_CHECKING``).
"""

from __future__ import annotations

import importlib
import types
from typing import Any


class _LazyModule(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module(self.__name__), name)


def lazy(name: str) -> Any:
    """A stand-in for module ``name`` that imports it when first used."""
    return _LazyModule(name)


def lazy_callable(module: str, name: str) -> Any:
    """A stand-in for the function or class ``module.name`` that imports it when first called."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call
