"""``newsmon rules test`` output, in the shape people know from pytest.

    rules/oil-export-figure.yaml   oil-export-figure   ..............................  [30 passed]
    rules/sanctions-new.yaml       sanctions-new       ...........F..................  [1 failed, 29 passed]
    ================================ FAILURES ================================
    ___ sanctions-new: match example 12 (rules/sanctions-new.yaml:40:7) ___
    expected a match, but the rule did not hold
    --------------------------------------------------------------------------
    content: The Treasury imposed sanctions on ...
    ========================= 1 failed, 59 passed in 0.21s =========================

One character per example (``.`` passed, ``F`` failed, ``s`` skipped), a section per failure with the
example's location and text, and a summary line. The command exits non-zero when anything failed.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from monitor.rules.examples import ExampleResult

WIDTH = 78


@dataclass(frozen=True)
class ExampleCounts:
    passed: int
    failed: int
    skipped: int

    @classmethod
    def of(cls, results: Sequence[ExampleResult]) -> ExampleCounts:
        skipped = sum(1 for r in results if r.skipped)
        failed = sum(1 for r in results if not r.ok)
        return cls(len(results) - failed - skipped, failed, skipped)

    def __str__(self) -> str:
        parts = [(self.failed, "failed"), (self.passed, "passed"), (self.skipped, "skipped")]
        return ", ".join(f"{count} {word}" for count, word in parts if count) or "no examples"


def format_example_report(results: Sequence[ExampleResult], elapsed_s: float | None = None) -> str:
    """The whole report for ``results`` (from ``run_examples``), ending with the summary line."""
    lines = _progress(results)
    failures = [r for r in results if not r.ok]
    if failures:
        lines.append(_rule(" FAILURES ", "="))
        for result in failures:
            lines.extend(_failure(result))
    skipped = [r for r in results if r.skipped]
    if skipped:
        rules = ", ".join(sorted({r.rule_id for r in skipped}))
        why = skipped[0].message.removeprefix("skipped: ")
        lines.append(f"skipped {len(skipped)} example(s) of {rules}: {why}")
    summary = str(ExampleCounts.of(results))
    if elapsed_s is not None:
        summary += f" in {elapsed_s:.2f}s"
    lines.append(_rule(f" {summary} ", "="))
    return "\n".join(lines)


def _progress(results: Sequence[ExampleResult]) -> list[str]:
    by_rule: dict[str, list[ExampleResult]] = {}
    for result in results:
        by_rule.setdefault(result.rule_id, []).append(result)
    rows = [(own[0].example.location.file, rule_id, own) for rule_id, own in by_rule.items()]
    file_width = max((len(file) for file, _, _ in rows), default=0)
    id_width = max((len(rule_id) for _, rule_id, _ in rows), default=0)
    lines = []
    for file, rule_id, own in rows:
        marks = "".join("s" if r.skipped else "." if r.ok else "F" for r in own)
        lines.append(f"{file:<{file_width}}  {rule_id:<{id_width}}  {marks}  [{ExampleCounts.of(own)}]")
    return lines


def _failure(result: ExampleResult) -> list[str]:
    example = result.example
    lines = [_rule(f" {result.rule_id}: {example.label()} ({example.location}) ", "_")]
    lines.append(result.message)
    lines.append("-" * WIDTH)
    for name in ("title", "summary", "content"):
        value = getattr(example, name)
        if value:
            lines.extend(textwrap.wrap(f"{name}: {' '.join(value.split())}", WIDTH, subsequent_indent="    "))
    return lines


def _rule(title: str, char: str) -> str:
    side = max((WIDTH - len(title)) // 2, 3)
    return f"{char * side}{title}{char * side}"
