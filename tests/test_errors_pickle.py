"""Every ``MonitorError`` survives a pickle round trip with its message and attributes (issue 8 item 2).

They cross the parse worker pool's process boundary: a ``ParseError`` that could not be rebuilt there
(``args`` was one string, ``__init__`` needs two) broke the pool and failed every feed being parsed."""

from __future__ import annotations

import importlib
import pickle
import pkgutil

import pytest

import monitor
from monitor import errors
from monitor.settings.starter import StarterExistsError

HERE = errors.SourceLocation("rules/x.yaml", 3, 5)
PROBLEMS = (errors.Problem(HERE, "unknown key 'phrase'", hint="did you mean 'phrases'?"),)

SAMPLES: dict[type[errors.MonitorError], errors.MonitorError] = {
    errors.MonitorError: errors.MonitorError("something went wrong"),
    errors.LocatedError: errors.LocatedError(PROBLEMS, summary="2 problems"),
    errors.ConfigError: errors.ConfigError(PROBLEMS, summary="newsmon cannot start"),
    errors.RuleError: errors.RuleError(PROBLEMS),
    errors.TemplateError: errors.TemplateError(PROBLEMS, summary=None),
    errors.FetchError: errors.FetchError("https://a.example/f", "HTTP 503", status=503, retry_after_s=60.0),
    errors.FeedGoneError: errors.FeedGoneError("https://a.example/f", "HTTP 410", status=410),
    errors.ParseError: errors.ParseError("https://a.example/f", "an HTML page, not a feed"),
    errors.StorageError: errors.StorageError("database is locked"),
    errors.DeliveryError: errors.DeliveryError("SMTP login refused"),
    StarterExistsError: StarterExistsError("newsmon.yaml already exist(s)"),
}


def error_tree() -> set[type[errors.MonitorError]]:
    """``MonitorError`` and every subclass of it defined anywhere in the package."""
    for module in pkgutil.walk_packages(monitor.__path__, "monitor."):
        if ".migrations" not in module.name and module.name != "monitor.__main__":
            importlib.import_module(module.name)
    found, todo = set(), [errors.MonitorError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_error_class_has_a_sample() -> None:
    missing = {cls.__qualname__ for cls in error_tree()} - {cls.__qualname__ for cls in SAMPLES}
    assert not missing, f"add a sample of {sorted(missing)} to SAMPLES"


@pytest.mark.parametrize("error", SAMPLES.values(), ids=[cls.__name__ for cls in SAMPLES])
def test_round_trip_keeps_type_message_and_attributes(error: errors.MonitorError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.args == error.args
    assert vars(copy) == vars(error)
