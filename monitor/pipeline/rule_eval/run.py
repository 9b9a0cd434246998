"""Running rules over labeled articles and judging every (rule, article) pair: TP, FP or FN.

Articles go through what the daemon runs — the configured enrichment (spaCy model and watch lists) and
``RuleSet.evaluate`` with memory — so a figure measured here is what production would alert on. By
default each article is evaluated on its own, empty memory (the label says what *this* article reports);
``stream`` evaluates them in publication order with one memory, as the daemon would see them arrive.
A false negative carries ``rules.explain``'s account of why the rule did not alert; a false positive the
match's own explanation; a true positive the labeled captures it got wrong, if any.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from monitor import rules
from monitor.domain import Article, Enrichment, Match
from monitor.errors import LabelError, Problem
from monitor.pipeline.rule_eval.captures import capture_differences, watch_list_aliases
from monitor.pipeline.rule_eval.labels import LabeledArticle
from monitor.pipeline.rule_eval.parallel import PooledEnricher

Enrich = Callable[[Sequence[Article]], Sequence[Enrichment]]
Progress = Callable[[str, int, int], None]
"""Called as (phase, done, total) while a long run goes on: for a progress line on stderr."""

ENRICH_CHUNK = 32


@dataclass(frozen=True)
class Judgement:
    """One rule on one labeled article: ``tp``, ``fp`` or ``fn``, with what explains it."""

    rule_id: str
    kind: str  # "tp", "fp", "fn"
    article: LabeledArticle
    captures: Mapping[str, Any] = field(default_factory=dict)  # what the match captured (tp, fp)
    wrong_captures: tuple[str, ...] = ()  # tp: labeled captures it got wrong
    reason: str = ""  # fn: the one line that decided it
    explanation: tuple[str, ...] = ()  # fp: the match's; fn: why it did not alert


@dataclass(frozen=True)
class RuleScore:
    """Counts for one rule; the ratios are None where they are undefined (nothing to divide by)."""

    rule_id: str
    labeled: int  # articles labeled as matches of this rule
    tp: int
    fp: int
    fn: int
    captures_right: int  # true positives with every labeled capture right

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        if not self.labeled and not self.fp:
            return None
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else None

    @property
    def capture_accuracy(self) -> float | None:
        return self.captures_right / self.tp if self.tp else None


@dataclass(frozen=True)
class Evaluated:
    """The rules' verdicts on a labeled corpus; ``articles`` with their enrichment, for story scoring."""

    judgements: tuple[Judgement, ...]
    scores: tuple[RuleScore, ...]
    articles: tuple[tuple[LabeledArticle, Article, Enrichment | None], ...]
    stream: bool


def check_rule_ids(labels: Sequence[LabeledArticle], ruleset: rules.RuleSet) -> None:
    """Every rule a label expects must be loaded; raises ``LabelError`` at each expectation that names none."""
    problems = []
    for label in labels:
        for expectation in label.expect.values():
            if ruleset.get(expectation.rule_id) is None:
                close = difflib.get_close_matches(expectation.rule_id, ruleset.ids, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"loaded rules: {', '.join(ruleset.ids)}"
                problems.append(Problem(expectation.location, f"unknown rule '{expectation.rule_id}'", hint))
    if problems:
        raise LabelError(problems, summary=f"labels: {len(problems)} expectation(s) name no loaded rule")


_ITEM = re.compile(r"^\s*(?:[-•*▪–]\s|\d+[.)]\s)|\|")  # a list item or a table row: a line of its own in HTML


def as_published(text: str) -> str:
    """A label's body as the daemon would read it from a feed's HTML: one line per paragraph. Labels are
    typed with their lines wrapped and a blank line between paragraphs; in a feed a wrapped line is no
    paragraph of its own (``<p>`` blocks are), so a line joins the one before it unless it follows a blank
    line or is a list item or a table row (``<li>``, ``<tr>``: lines of their own in HTML too)."""
    paragraphs: list[str] = []
    joinable = False
    for line in text.strip().splitlines():
        line = line.strip()
        if not line:
            joinable = False
            continue
        if joinable and not _ITEM.search(line) and not _ITEM.search(paragraphs[-1]):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
        joinable = True
    return "\n".join(paragraphs)


def to_article(label: LabeledArticle, number: int, feed_id: int) -> Article:
    """The article the daemon would have stored for ``label``: its source is the feed, its text the content."""
    identity = hashlib.sha256(f"{label.id}\n{label.title}\n{label.text}".encode()).hexdigest()[:32]
    return Article(
        id=number,
        feed_id=feed_id,
        feed_name=label.source,
        feed_url=f"labels:{label.source}",
        identity=identity,
        title=label.title,
        link=None,
        guid=label.id,
        summary="",
        content=as_published(label.text),
        author=None,
        published_at=label.published,
        fetched_at=label.published,
    )


def evaluate_labels(
    labels: Sequence[LabeledArticle],
    ruleset: rules.RuleSet,
    enrich: Enrich | None,
    *,
    stream: bool = False,
    only: Sequence[str] = (),
    progress: Progress | None = None,
) -> Evaluated:
    """Judge every rule (or the ``only`` ones) on every labeled article; see the module doc."""
    check_rule_ids(labels, ruleset)
    scored = tuple(only) or ruleset.ids
    ordered = sorted(labels, key=lambda label: label.published)  # stable: file order breaks ties
    feed_ids: dict[str, int] = {}
    articles = [
        to_article(label, number, feed_ids.setdefault(label.source, len(feed_ids) + 1))
        for number, label in enumerate(ordered, start=1)
    ]
    enrichments = _enrich_all(articles, enrich, progress)
    judgements: list[Judgement] = []
    shared = rules.MemoryStore()
    for done, (label, article, enrichment) in enumerate(zip(ordered, articles, enrichments, strict=True), 1):
        memory = shared if stream else rules.MemoryStore()
        evaluation = ruleset.evaluate(article, enrichment, memory, article.published_at)
        found = {match.rule_id: match for match in evaluation.matches}
        for rule_id in scored:
            judgement = _judge(rule_id, label, found.get(rule_id), ruleset, article, enrichment, memory)
            if judgement is not None:
                judgements.append(judgement)
        memory.apply(evaluation)
        if progress is not None:
            progress("evaluated", done, len(articles))
    scores = tuple(_score(rule_id, ordered, judgements) for rule_id in scored)
    return Evaluated(
        tuple(judgements), scores, tuple(zip(ordered, articles, enrichments, strict=True)), stream
    )


def _enrich_all(
    articles: list[Article], enrich: Enrich | None, progress: Progress | None
) -> list[Enrichment | None]:
    if enrich is None:
        return [None] * len(articles)
    chunks = [articles[start : start + ENRICH_CHUNK] for start in range(0, len(articles), ENRICH_CHUNK)]
    read = enrich.chunks(chunks) if isinstance(enrich, PooledEnricher) else map(enrich, chunks)
    found: list[Enrichment | None] = []
    for enrichments in read:
        found.extend(enrichments)
        if progress is not None:
            progress("enriched", len(found), len(articles))
    return found


def _judge(
    rule_id: str,
    label: LabeledArticle,
    match: Match | None,
    ruleset: rules.RuleSet,
    article: Article,
    enrichment: Enrichment | None,
    memory: rules.RuleMemory,
) -> Judgement | None:
    expected = label.expect.get(rule_id)
    if match is not None and expected is not None:
        aliases = watch_list_aliases(enrichment.entities) if enrichment is not None else {}
        wrong = capture_differences(expected.captures, match.captures, aliases)
        return Judgement(rule_id, "tp", label, dict(match.captures), tuple(wrong))
    if match is not None:
        return Judgement(rule_id, "fp", label, dict(match.captures), explanation=match.explanation)
    if expected is not None:
        why = rules.explain(ruleset, rule_id, article, enrichment, memory, article.published_at)
        return Judgement(rule_id, "fn", label, reason=why.reason, explanation=why.lines)
    return None


def _score(rule_id: str, labels: Sequence[LabeledArticle], judgements: Sequence[Judgement]) -> RuleScore:
    own = [j for j in judgements if j.rule_id == rule_id]
    tps = [j for j in own if j.kind == "tp"]
    return RuleScore(
        rule_id=rule_id,
        labeled=sum(1 for label in labels if rule_id in label.expect),
        tp=len(tps),
        fp=sum(1 for j in own if j.kind == "fp"),
        fn=sum(1 for j in own if j.kind == "fn"),
        captures_right=sum(1 for j in tps if not j.wrong_captures),
    )
