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
from monitor.rules.budget import EvaluationOverBudget, RuleFailed

HERE = errors.SourceLocation("rules/x.yaml", 3, 5)
PROBLEMS = (errors.Problem(HERE, "unknown key 'phrase'", hint="did you mean 'phrases'?"),)


def error_tree() -> list[type[errors.MonitorError]]:
    """``MonitorError`` and every subclass of it defined anywhere in the package."""
    for module in pkgutil.walk_packages(monitor.__path__, "monitor."):
        if ".migrations" not in module.name and module.name != "monitor.__main__":
            importlib.import_module(module.name)
    found, todo = set(), [errors.MonitorError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return sorted(found, key=lambda cls: cls.__qualname__)


def sample(cls: type[errors.MonitorError]) -> errors.MonitorError:
    """An instance built the way the code raises it; a class with a new ``__init__`` needs a branch here."""
    if issubclass(cls, errors.LocatedError):
        return cls(PROBLEMS, summary="newsmon cannot start")
    if issubclass(cls, errors.FetchError):
        return cls("https://a.example/f", "HTTP 503", status=503, retry_after_s=60.0)
    if issubclass(cls, errors.ParseError):
        return cls("https://a.example/f", "an HTML page, not a feed")
    if issubclass(cls, EvaluationOverBudget):
        return cls("slow-rule", 3.2, 2.0)
    if issubclass(cls, RuleFailed):
        return cls("broken-rule", "IndexError: list index out of range")
    return cls("something went wrong")


@pytest.mark.parametrize("cls", error_tree(), ids=lambda cls: cls.__qualname__)
def test_round_trip_keeps_type_message_and_attributes(cls: type[errors.MonitorError]) -> None:
    error = sample(cls)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.args == error.args
    assert vars(copy) == vars(error)


def test_located_errors_keep_their_problems() -> None:
    copy = pickle.loads(pickle.dumps(errors.RuleError(PROBLEMS)))
    assert copy.problems == PROBLEMS
    assert str(copy) == "rules/x.yaml:3:5: unknown key 'phrase' (did you mean 'phrases'?)"
