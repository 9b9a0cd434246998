"""Why a rule did or did not match one article: every selection, the condition, state words, then gates.

A match explains itself (``Match.explanation``); a miss does not, because evaluation stops at the first
thing that fails and remembers nothing. ``explain`` evaluates the rule again without short-circuiting, in
the words matches already use (``SelectionResult.describe``), and names what stood in the way: the
words the prefilter found missing, the selections whose flip would make the condition hold, the state
words that were absent or negated, or the gate (state unchanged, term already seen, throttled) that held
a match back. It reads the article as evaluation does: the model's names and parses only in the units the
rule could hold in (``evaluate.rule_view``), so it never says a condition holds that evaluation cannot see.
For ``newsmon match --why`` and the false negatives of ``newsmon rules eval``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from monitor.domain import Article, Enrichment
from monitor.rules import condition
from monitor.rules.compiled import Rule, SelectionMatcher
from monitor.rules.context import EvalContext
from monitor.rules.evaluate import rule_view
from monitor.rules.memory import MemoryStore, RuleMemory
from monitor.rules.ruleset import RuleSet
from monitor.rules.selection import Selection
from monitor.rules.state_type import WHOLE_SENTENCE, StateMatcher
from monitor.rules.view import ArticleView

ALERTS = "alerts"
HELD_BACK = "held back"
NO_MATCH = "does not hold"
MAX_LISTED_WORDS = 8


@dataclass(frozen=True)
class Why:
    """The verdict on one (rule, article) pair — ``alerts``, ``held back`` or ``does not hold`` — and why.

    ``reason`` is the one line that decided it; ``lines`` the full account, selection by selection.
    """

    rule_id: str
    verdict: str
    reason: str
    lines: tuple[str, ...]

    @property
    def alerts(self) -> bool:
        return self.verdict == ALERTS


def explain(
    ruleset: RuleSet,
    rule_id: str,
    article: Article,
    enrichment: Enrichment | None = None,
    memory: RuleMemory | None = None,
    now: datetime | None = None,
) -> Why:
    """Why ``rule_id`` alerts, is held back, or does not hold for ``article`` (memory: empty by default)."""
    rule = ruleset.get(rule_id)
    if rule is None:
        raise KeyError(rule_id)
    view = ruleset.view(article, enrichment)
    lines = _prefilter(ruleset, rule, view)
    view = rule_view(rule, view)  # the model's names count where evaluation lets them, and only there
    if rule.needs_enrichment and enrichment is None:
        lines.append("the rule reads entities or quantities, and this article was not enriched")
    base = _selections_of(rule)
    ctx = EvalContext(view, base.selections)
    lines.extend(_selection_line(selection, ctx) for selection in base.selections.values())
    if not base.holds(ctx.holds):
        blockers = _blockers(base, ctx)
        lines.append(f"condition: {base.condition_text} → does not hold")
        lines.extend(blockers)
        return Why(rule.id, NO_MATCH, blockers[0], tuple(lines))
    if base.scope != "article" and not base.holds_in_one_unit(ctx):
        reason = (
            f"the condition holds across the article but not within one {base.scope}: this rule's "
            f"selections must all hold in the same {base.scope} (scope)"
        )
        lines.append(f"condition: {base.condition_text} → does not hold within one {base.scope}")
        return Why(rule.id, NO_MATCH, reason, (*lines, reason))
    lines.append(f"condition: {base.condition_text} → holds")
    if isinstance(rule.matcher, StateMatcher):
        missing = _state_missing(rule.matcher, ctx)
        if missing:
            lines.extend(missing)
            return Why(rule.id, NO_MATCH, missing[0], tuple(lines))
    return _gated(ruleset, rule, article, enrichment, memory or MemoryStore(), now, lines)


def _selections_of(rule: Rule) -> SelectionMatcher:
    matcher = rule.matcher
    if isinstance(matcher, SelectionMatcher):
        return matcher
    base = getattr(matcher, "base", None)
    if isinstance(base, SelectionMatcher):
        return base
    raise TypeError(f"rule '{rule.id}' ({rule.type}) has no selections to explain")


def _selection_line(selection: Selection, ctx: EvalContext) -> str:
    """A selection's own description, plus what it looked for when it found nothing to cite."""
    result = ctx.selection(selection.name)
    if result.held:
        return result.describe()
    found = result.hits
    if result.note and found:
        shown = ", ".join(f"'{hit.span.text}'" for hit in found[:3]) + (" …" if len(found) > 3 else "")
        return f"selection '{selection.name}' did not hold: found {shown}, but {result.note}"
    if result.note:
        return result.describe()
    failed = result.predicates[-1] if result.predicates else None
    if failed is not None and failed.note:
        return f"selection '{selection.name}' did not hold: {failed.note}"
    predicate = selection.predicates[len(result.predicates) - 1] if result.predicates else None
    return f"selection '{selection.name}' did not hold: {_looked_for(predicate)} not found"


def _looked_for(predicate: object) -> str:
    """What a predicate searches for, in a few words (the kinds name it differently)."""
    pattern, label = getattr(predicate, "pattern", None), getattr(predicate, "label", None)
    if isinstance(pattern, str):
        return f"entity {pattern}"
    if isinstance(label, str):
        return f"quantity {label}"
    search = getattr(predicate, "search", None)
    regexes = getattr(predicate, "patterns", None)
    words: list[str] = []
    if search is not None:
        words = [phrase.phrase for phrase in search.phrases]
    elif isinstance(regexes, tuple):
        words = [source for source, _ in regexes]
    if not words:
        return "its evidence"
    shown = ", ".join(f"'{word}'" for word in words[:MAX_LISTED_WORDS])
    return f"any of {shown}" + (
        f" and {len(words) - MAX_LISTED_WORDS} more" if len(words) > MAX_LISTED_WORDS else ""
    )


def _prefilter(ruleset: RuleSet, rule: Rule, view: ArticleView) -> list[str]:
    """The literal sets the rule needs of which the article has none (the prefilter then skips the rule)."""
    found = view.found
    if found is None:
        return []
    lines = []
    for needed in rule.matcher.requirements:
        if found.isdisjoint(needed):
            words = sorted(needed)
            shown = ", ".join(f"'{w}'" for w in words[:MAX_LISTED_WORDS])
            more = f" and {len(words) - MAX_LISTED_WORDS} more" if len(words) > MAX_LISTED_WORDS else ""
            lines.append(f"none of the words the rule needs occurs: {shown}{more}")
    return lines


def _blockers(base: SelectionMatcher, ctx: EvalContext) -> list[str]:
    """Selections whose outcome alone stands in the way: flipping any one of them makes the condition hold."""
    names = list(dict.fromkeys(name.name for name in condition.names(base.condition)))
    held = {name: ctx.selection(name).held for name in names}
    found = []
    for name in names:
        flipped = {**held, name: not held[name]}
        if condition.evaluate(base.condition, flipped.__getitem__):
            found.append(f"it would hold if '{name}' {'did not hold' if held[name] else 'held'}")
    if found:
        return found
    positive = condition.positive_names(base.condition)
    missing = [f"'{name}'" for name in names if name in positive and not held[name]]
    against = [f"'{name}'" for name in names if name not in positive and held[name]]
    reason = "no single selection decides it: did not hold: " + (", ".join(missing) or "none")
    return [reason + (f"; held against it: {', '.join(against)}" if against else "")]


def _state_missing(matcher: StateMatcher, ctx: EvalContext) -> list[str]:
    chosen, ignored = matcher.pick_state(ctx)
    if chosen is not None:
        return []
    where = ""
    if matcher.near is not None:
        places = [
            f"in a sentence with '{d.of}'"
            if d.words >= WHOLE_SENTENCE
            else f"within {d.words} words of '{d.of}'"
            for d in matcher.near.distances
        ]
        where = " " + " or ".join(places)
    states = ", ".join(f"'{state.name}'" for state in reversed(matcher.states))
    lines = [f"no state word{where}: none of the words of {states} counts"]
    if ignored:
        lines.append(f"passed over: {', '.join(ignored)}")
    return lines


def _gated(
    ruleset: RuleSet,
    rule: Rule,
    article: Article,
    enrichment: Enrichment | None,
    memory: RuleMemory,
    now: datetime | None,
    lines: list[str],
) -> Why:
    evaluation = ruleset.evaluate(article, enrichment, memory, now)
    for verdict, matches in ((ALERTS, evaluation.matches), (HELD_BACK, evaluation.suppressed)):
        for match in matches:
            if match.rule_id == rule.id:
                reason = match.explanation[-1] if verdict == HELD_BACK else f"{rule.id} matched"
                return Why(rule.id, verdict, reason, tuple(match.explanation))
    return Why(rule.id, NO_MATCH, "the rule did not hold", tuple(lines))
