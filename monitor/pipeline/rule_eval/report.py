"""``newsmon rules eval`` output: a table per rule, the story figures, then every mistake with its reason.

    rule               labeled   TP   FP   FN  precision  recall     F1  captures
    sanctions-new           45   40    2    5       0.95    0.89   0.92  38/40 (0.95)
    stories: B-cubed precision 0.97, recall 0.85, F1 0.91 (300 articles, 120 labeled stories, 131 made)

    ==== false positives (2) ====
    sanctions-new  dev-sanc-017 [bystander] rules/eval/dev/sanctions.yaml:120:7
        title: Statistics office says exports fell as sanctions bite
        captured: target=Statistics Office
        why: selection 'action' held: phrase 'sanction' ...

A false negative leads with the line that decided it ("because: it would hold if 'target' held"); the
JSON form (``as_json``) holds the same facts for machines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from monitor.pipeline.rule_eval.run import Evaluated, Judgement, RuleScore
from monitor.pipeline.rule_eval.stories import StoryScore

HEADER = ("rule", "labeled", "TP", "FP", "FN", "precision", "recall", "F1", "captures")


@dataclass(frozen=True)
class EvalReport:
    """What ``rules eval`` prints: the evaluation, the story score, and how it was run."""

    evaluated: Evaluated
    stories: StoryScore | None
    model: str  # the enrichment model, or "none"
    files: int

    def below(self, min_f1: float | None, min_captures: float | None = None) -> list[RuleScore]:
        """Rules with labels whose F1 (or capture accuracy) is under the floor: what fails the build."""
        failing = []
        for score in self.evaluated.scores:
            if not score.labeled:
                continue
            low_f1 = min_f1 is not None and (score.f1 or 0.0) < min_f1
            low_captures = min_captures is not None and (score.capture_accuracy or 0.0) < min_captures
            if low_f1 or low_captures:
                failing.append(score)
        return failing


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _precise(value: float | None) -> str:
    """Three decimals: a floor of 0.95 fails 0.947, which two decimals would print as 0.95."""
    return "-" if value is None else f"{value:.3f}"


def _captures(score: RuleScore) -> str:
    if not score.tp:
        return "-"
    return f"{score.captures_right}/{score.tp} ({_ratio(score.capture_accuracy)})"


def format_text(report: EvalReport) -> str:
    evaluated = report.evaluated
    memory = "one memory, in publication order" if evaluated.stream else "each article on its own memory"
    lines = [
        f"rules eval: {len(evaluated.articles)} articles from {report.files} file(s), "
        f"enrichment: {report.model}, {memory}",
        "",
    ]
    rows = [HEADER] + [
        (
            s.rule_id,
            str(s.labeled),
            str(s.tp),
            str(s.fp),
            str(s.fn),
            _ratio(s.precision),
            _ratio(s.recall),
            _ratio(s.f1),
            _captures(s),
        )
        for s in evaluated.scores
    ]
    width = max(len(row[0]) for row in rows)
    for row in rows:
        numbers = "".join(f"{cell:>{w}}" for cell, w in zip(row[1:8], (9, 5, 5, 5, 11, 8, 7), strict=True))
        lines.append(f"{row[0]:<{width}}{numbers}  {row[8]}")
    lines.append(_story_line(report.stories))
    lines.extend(_class_lines(class_counts(evaluated)))
    for kind, title in (("fp", "false positives"), ("fn", "false negatives")):
        found = [j for j in evaluated.judgements if j.kind == kind]
        if found:
            lines.extend(["", f"==== {title} ({len(found)}) ===="])
            for judgement in found:
                lines.extend(_judgement(judgement))
    wrong = [j for j in evaluated.judgements if j.kind == "tp" and j.wrong_captures]
    if wrong:
        lines.extend(["", f"==== wrong captures ({len(wrong)}) ===="])
        for judgement in wrong:
            lines.append(_heading(judgement))
            lines.extend(f"    {line}" for line in judgement.wrong_captures)
    lines.extend(_story_mistakes(report.stories))
    return "\n".join(lines)


@dataclass
class ClassCounts:
    """One phrasing class (the labels' ``class``) for one rule: positives caught, and false positives."""

    labeled: int = 0
    caught: int = 0
    false_positives: int = 0


def class_counts(evaluated: Evaluated) -> dict[str, dict[str, ClassCounts]]:
    """Per rule, per class: how many labeled positives it caught and how many false positives it made."""
    found: dict[str, dict[str, ClassCounts]] = {}
    for judgement in evaluated.judgements:
        counts = found.setdefault(judgement.rule_id, {}).setdefault(
            judgement.article.phrasing or "-", ClassCounts()
        )
        if judgement.kind == "fp":
            counts.false_positives += 1
        else:
            counts.labeled += 1
            counts.caught += judgement.kind == "tp"
    return {rule_id: dict(sorted(by_class.items())) for rule_id, by_class in sorted(found.items())}


def _class_lines(counts: Mapping[str, Mapping[str, ClassCounts]]) -> list[str]:
    lines = []
    for rule_id, by_class in counts.items():
        caught = [f"{name} {c.caught}/{c.labeled}" for name, c in by_class.items() if c.labeled]
        false = [f"{name} {c.false_positives}" for name, c in by_class.items() if c.false_positives]
        parts = [", ".join(caught)] if caught else []
        if false:
            parts.append("false positives: " + ", ".join(false))
        lines.append(f"  {rule_id}: {'; '.join(parts)}")
    return ["by class (caught/labeled):", *lines] if lines else []


def _story_line(score: StoryScore | None) -> str:
    if score is None:
        return "stories: not measured (no story labels, or enrichment is off)"
    return (
        f"stories: B-cubed precision {score.precision:.2f}, recall {score.recall:.2f}, F1 {score.f1:.2f} "
        f"({score.articles} articles, {score.stories} labeled stories, {score.assigned} made)"
    )


def _heading(judgement: Judgement) -> str:
    label = judgement.article
    phrasing = f" [{label.phrasing}]" if label.phrasing else ""
    return f"{judgement.rule_id}  {label.id}{phrasing} {label.location}"


def _judgement(judgement: Judgement) -> list[str]:
    lines = [_heading(judgement), f"    title: {judgement.article.title}"]
    if judgement.kind == "fp":
        captured = ", ".join(f"{k}={_show(v)}" for k, v in judgement.captures.items() if k != "matched")
        lines.append(f"    captured: {captured}")
    else:
        lines.append(f"    because: {judgement.reason}")
    lines.extend(f"    why: {line}" for line in judgement.explanation)
    return lines


def _story_mistakes(score: StoryScore | None) -> list[str]:
    if score is None or not (score.merged or score.split):
        return []
    lines = ["", f"==== story mistakes ({len(score.merged)} merged, {len(score.split)} split) ===="]
    lines.extend(f"merged: {' + '.join(labels)}" for labels in score.merged)
    lines.extend(f"split: {story} into {count} stories" for story, count in score.split)
    return lines


def _show(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(" ".join(str(item).split()) for item in value) + "]"
    return " ".join(str(value).split())


def as_json(report: EvalReport) -> dict[str, Any]:
    """The whole report as plain JSON values."""
    evaluated = report.evaluated
    return {
        "articles": len(evaluated.articles),
        "files": report.files,
        "enrichment": report.model,
        "stream": evaluated.stream,
        "rules": [_score_json(score) for score in evaluated.scores],
        "stories": _stories_json(report.stories),
        "false_positives": [_judgement_json(j) for j in evaluated.judgements if j.kind == "fp"],
        "false_negatives": [_judgement_json(j) for j in evaluated.judgements if j.kind == "fn"],
        "wrong_captures": [
            _judgement_json(j) for j in evaluated.judgements if j.kind == "tp" and j.wrong_captures
        ],
        "classes": {
            rule_id: {name: counts.__dict__ for name, counts in by_class.items()}
            for rule_id, by_class in class_counts(evaluated).items()
        },
    }


def _score_json(score: RuleScore) -> dict[str, Any]:
    return {
        "rule": score.rule_id,
        "labeled": score.labeled,
        "tp": score.tp,
        "fp": score.fp,
        "fn": score.fn,
        "precision": score.precision,
        "recall": score.recall,
        "f1": score.f1,
        "capture_accuracy": score.capture_accuracy,
    }


def _stories_json(score: StoryScore | None) -> Mapping[str, Any] | None:
    if score is None:
        return None
    return {
        "articles": score.articles,
        "stories": score.stories,
        "assigned": score.assigned,
        "precision": score.precision,
        "recall": score.recall,
        "f1": score.f1,
        "merged": [list(labels) for labels in score.merged],
        "split": [{"story": story, "stories": count} for story, count in score.split],
    }


def _judgement_json(judgement: Judgement) -> dict[str, Any]:
    label = judgement.article
    found: dict[str, Any] = {
        "rule": judgement.rule_id,
        "article": label.id,
        "location": str(label.location),
        "class": label.phrasing,
        "title": label.title,
    }
    if judgement.kind != "fn":
        found["captures"] = dict(judgement.captures)
    if judgement.wrong_captures:
        found["wrong_captures"] = list(judgement.wrong_captures)
    if judgement.reason:
        found["because"] = judgement.reason
    found["explanation"] = list(judgement.explanation)
    return found


def failing_text(failing: Sequence[RuleScore], min_f1: float | None, min_captures: float | None) -> str:
    """The one line that says why the command exits 1."""
    parts = [f"{s.rule_id} (F1 {_precise(s.f1)}, captures {_precise(s.capture_accuracy)})" for s in failing]
    floors = []
    if min_f1 is not None:
        floors.append(f"F1 {min_f1}")
    if min_captures is not None:
        floors.append(f"capture accuracy {min_captures}")
    return f"rules eval: below the floor ({', '.join(floors)}): {', '.join(parts)}"
