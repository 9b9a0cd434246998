"""``type: state`` — the status of a subject per key, remembered, alerting when it changes.

    type: state
    match: {event: {phrases: [summit]}, leaders: {entity: PERSON, same_sentence_as: event}}
    condition: event and leaders
    states:                       # ordered: when an article reports several, the last listed wins
      planned: [planned, scheduled]
      cancelled: [cancelled, called off]
    states_near: event            # state words count only in sentences where 'event' has evidence
                                  # (or a list, any of them; {of: event, words: 7} for a distance)
    key: "{leaders}"
    alert_on: change              # change | transition | [states worth an alert]

The matcher is stateless: it holds when the selections' condition holds and some state's words occur
(outside negation), and captures ``state``. Remembering the last state per key and alerting on a change is
the ``StateGate``'s job. Stance (``stance.py``): a state word preceded, within three words of its sentence,
by ``not``, ``never``, ``no``, ``without``, ``nor``, ``cannot`` or a word ending in ``n't`` does not count
("the summit was not called off" is not ``cancelled``); ``stance:`` replaces that list and adds
speculation and denial lists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from monitor.rules import literals
from monitor.rules.compiled import Matcher, Outcome, SelectionMatcher
from monitor.rules.context import EvalContext, Hit
from monitor.rules.gates import StateGate
from monitor.rules.match_type import build_selections
from monitor.rules.phrase_search import PhraseSearch, compile_search
from monitor.rules.phrases import check_phrases
from monitor.rules.predicates import PredicateScope
from monitor.rules.reporter import Reporter
from monitor.rules.rule_types import RuleType, register_rule_type
from monitor.rules.schema import SelectionOptions, StanceSpec, StateBody, WithinSpec
from monitor.rules.selection import Distance, Keep, Near, Selection
from monitor.rules.stance import Stance
from monitor.rules.view import ArticleView

WHOLE_SENTENCE = 10_000  # a word distance no sentence reaches: ``states_near: name`` means its sentence


@dataclass(frozen=True)
class StateWords:
    name: str
    search: PhraseSearch
    literals: frozenset[str] | None
    soft: frozenset[str] = frozenset()  # its words that give way to ``yields_to`` states' words (``yields``)
    yields_to: tuple[str, ...] = ()

    def is_soft(self, hit: Hit) -> bool:
        return _folded(hit.span.text) in self.soft


@dataclass(frozen=True)
class StateMatcher:
    base: SelectionMatcher
    states: tuple[StateWords, ...]  # last written first: the first with evidence wins
    near: Near | None  # where state words count; None: anywhere
    gate: StateGate
    stance: Stance

    @property
    def selections(self) -> Mapping[str, Selection]:
        return self.base.selections

    @property
    def capture_names(self) -> frozenset[str]:
        return self.base.capture_names | {"state", "state_text"}

    @property
    def requirements(self) -> tuple[frozenset[str], ...]:
        states = literals.any_of([state.literals for state in self.states])
        return (*self.base.requirements, states) if states else self.base.requirements

    @property
    def checked_literals(self) -> frozenset[str]:
        words = frozenset().union(*(state.search.literals for state in self.states))
        return self.base.checked_literals | words

    @property
    def needs_enrichment(self) -> bool:
        return self.base.needs_enrichment

    def evaluate(self, view: ArticleView) -> Outcome | None:
        ctx = self.base.run(view)
        if ctx is None:
            return None
        chosen, ignored = self.pick_state(ctx)
        if chosen is None:
            return None
        state, hit = chosen
        outcome = self.base.outcome(ctx)
        explanation = [*outcome.explanation, f"state '{state.name}': {hit.describe()}"]
        if ignored:
            explanation.append(f"ignored: {', '.join(ignored)}")
        captures = {**outcome.captures, "state": state.name, "state_text": hit.span.text}
        spans = tuple(sorted({*outcome.spans, hit.span}, key=lambda s: (s.field != "text", s.start, s.end)))
        return Outcome(captures, spans, tuple(explanation))

    def pick_state(self, ctx: EvalContext) -> tuple[tuple[StateWords, Hit] | None, list[str]]:
        """The state whose words count (the last listed with evidence), and the negated hits passed over."""
        sentences = self._sentences(ctx)
        chosen: tuple[StateWords, Hit] | None = None
        denied: tuple[StateWords, Hit] | None = None
        ignored: list[str] = []
        found = {state.name: self._hits(ctx, state, sentences) for state in self.states}
        for state in self.states:
            soft: tuple[StateWords, Hit] | None = None
            hits = [hit for hit in found[state.name] if not _inside_longer(hit, state.name, found, ignored)]
            judged = [(hit, self.stance.judge(ctx.view.layout, *_bounds(hit), state.name)) for hit in hits]
            if state.name in self.stance.denied_everywhere and any(why == "denied" for _, why in judged):
                # "denied reports that the summit had been called off … a newspaper had reported that the
                # visit was scrapped": the denial answers every report of that state in the article
                judged = [(hit, why or "denied elsewhere") for hit, why in judged]
            for hit, why in judged:
                if why is not None:
                    ignored.append(f"'{hit.span.text}' at {hit.span.start} ({why})")
                    if why == "denied" and denied is None:
                        denied = self._denied_as(state, hit)  # "denies it is off", not "denies plans to meet"
                elif state.is_soft(hit):
                    soft = soft or (state, hit)
                elif chosen is None:
                    chosen = (state, hit)
            if chosen is None and soft is not None:
                chosen = self._yielded(ctx, sentences, soft, ignored)
            if chosen is not None:
                break
        return chosen or denied, ignored

    def _yielded(
        self, ctx: EvalContext, sentences: Keep | None, soft: tuple[StateWords, Hit], ignored: list[str]
    ) -> tuple[StateWords, Hit]:
        """The state a soft word gives way to when the article reports it too, else the soft word's."""
        for state in self.states:
            if state.name not in soft[0].yields_to:
                continue
            for hit in self._hits(ctx, state, sentences):  # a soft word never takes over from another
                if not state.is_soft(hit) and self.stance.judge(ctx.view.layout, *_bounds(hit)) is None:
                    ignored.append(
                        f"'{soft[1].span.text}' at {soft[1].span.start} (gives way to '{state.name}')"
                    )
                    return state, hit
        return soft

    def _denied_as(self, denied: StateWords, hit: Hit) -> tuple[StateWords, Hit] | None:
        """The state a denied word reports (``stance: denied_means``): "denies the summit is off" is
        planned; "denies plans to meet" reports nothing."""
        wanted = self.stance.denied_means.get(denied.name)
        state = next((s for s in self.states if s.name == wanted), None)
        return (state, hit) if state is not None else None

    def state_spots(self, ctx: EvalContext) -> list[int]:
        """Text offsets of every state word, whatever its stance or place: where a unit of the rule could
        report a state at all (``optimistic.possible_units``)."""
        spots = (
            ctx.view.text_offset(hit.span) for state in self.states for hit in self._hits(ctx, state, None)
        )
        return [spot for spot in spots if spot is not None]

    def _sentences(self, ctx: EvalContext) -> Keep | None:
        """Whether a state word at text offsets counts: near ``states_near``'s evidence, or anywhere."""
        if self.near is None:
            return None
        anchors = {name: ctx.selection(name) for name in self.near.names}
        return self.near.keeps_near({n: r.hits for n, r in anchors.items() if r.held}, ctx.view)

    def _hits(self, ctx: EvalContext, state: StateWords, keep: Keep | None) -> list[Hit]:
        if not ctx.view.may_contain(state.literals):
            return []
        text = ctx.view.text("text")
        hits = [
            hit
            for hit in state.search.hits(ctx, ("text",))
            if not _compound(text, *_offsets(ctx.view.text_offset(hit.span), len(hit.span.text)))
            and not _delays_of_things(text, ctx.view.text_offset(hit.span), hit.span.text)
        ]
        if keep is not None:
            hits = [hit for hit in hits if keep(hit.span.start, hit.span.end)]
        return hits


def _bounds(hit: Hit) -> tuple[int, int]:
    return hit.span.start, hit.span.end


def _inside_longer(hit: Hit, name: str, found: Mapping[str, list[Hit]], ignored: list[str]) -> bool:
    """Whether another state's longer phrase holds ``hit``: "will be received by" is planned, though
    "received" alone says held (the longer phrase is the reading; the states' order only settles words
    that stand apart)."""
    for other, hits in found.items():
        for longer in hits:
            span = longer.span
            if (
                other != name
                and span.field == hit.span.field
                and span.start <= hit.span.start
                and hit.span.end <= span.end
                and span.end - span.start > hit.span.end - hit.span.start
            ):
                ignored.append(f"'{hit.span.text}' at {hit.span.start} (inside '{span.text}', {other})")
                return True
    return False


def _compound(text: str, start: int | None, end: int | None = None) -> bool:
    """A state word glued by a hyphen to the word before or after it describes a thing, not the meeting: "a
    long-delayed gas pipeline", "the much-postponed vote", "a deferred-payment facility", and "long- delayed"
    (a line broken after the hyphen reads as a space)."""
    if start is None:
        return False
    before = start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum()
    before = before or (start >= 3 and text[start - 2 : start] == "- " and text[start - 3].isalnum())
    after = end is not None and end + 1 < len(text) and text[end] == "-" and text[end + 1].isalnum()
    return before or after


_THINGS_DELAYED = re.compile(
    r"\b(?:trucking|truck|freight|border|shipping|payment|customs|flight|traffic|construction|project|supply|"
    r"delivery|port|transit|visa|processing|cargo|train|rail|road|loading|clearance)\s+$",
    re.IGNORECASE,
)


def _delays_of_things(text: str, start: int | None, word: str) -> bool:
    """ "Delays" of freight, flights or payments are a topic of the talks, not a state of the meeting: "talks
    on cross-border trucking delays", "freight delays at the border"."""
    if start is None or not word.lower().startswith("delay"):
        return False
    return _THINGS_DELAYED.search(text, max(0, start - 20), start) is not None


def _folded(words: str) -> str:
    """Case and spacing left out, so a soft word matches however the article writes it."""
    return " ".join(words.casefold().split())


def _offsets(start: int | None, length: int) -> tuple[int | None, int | None]:
    return (start, None) if start is None else (start, start + length)


def build(body: StateBody, reporter: Reporter) -> Matcher | None:
    near = _near(body.states_near)
    compiled = build_selections(body, reporter, frozenset(near.names if near else ()))
    states = _states(body, reporter)
    for index, distance in enumerate(near.distances if near else ()):
        if distance.of not in body.match:
            where = reporter.value_at(("states_near", index))
            reporter.error(
                where, f"unknown selection '{distance.of}'", f"selections: {', '.join(body.match)}"
            )
    if isinstance(body.alert_on, tuple):
        for index, name in enumerate(body.alert_on):
            if name not in body.states:
                where = reporter.value_at(("alert_on", index))
                reporter.error(
                    where, f"alert_on: unknown state '{name}'", f"states: {', '.join(body.states)}"
                )
    if compiled is None or states is None or reporter.failed:
        return None
    for denied, reported in (body.stance.denied_means if body.stance else {}).items():
        for name in dict.fromkeys((denied, reported)):
            if name not in body.states:
                where = reporter.value_at(("stance", "denied_means", denied))
                message = f"denied_means: unknown state '{name}'"
                reporter.error(where, message, f"states: {', '.join(body.states)}")
    for index, name in enumerate(body.stance.denied_everywhere if body.stance else ()):
        if name not in body.states:
            where = reporter.value_at(("stance", "denied_everywhere", index))
            reporter.error(
                where, f"denied_everywhere: unknown state '{name}'", f"states: {', '.join(body.states)}"
            )
    if reporter.failed:
        return None
    alert_on = frozenset(body.alert_on) if isinstance(body.alert_on, tuple) else body.alert_on
    stance = _stance(body.stance, reporter)
    if stance is None:
        return None
    return StateMatcher(
        SelectionMatcher(*compiled, body.scope, body.captures), states, near, StateGate(alert_on), stance
    )


def _near(written: tuple[str | WithinSpec, ...]) -> Near | None:
    """``states_near: [event, {of: leaders, words: 7}]``: a name means anywhere in the same sentence."""
    if not written:
        return None
    distances = [
        Distance(item, WHOLE_SENTENCE) if isinstance(item, str) else Distance(item.of, item.words, item.side)
        for item in written
    ]
    return Near(tuple(distances))


def _states(body: StateBody, reporter: Reporter) -> tuple[StateWords, ...] | None:
    options = SelectionOptions(lemma=body.lemma)
    found = []
    ok = True
    for name, phrases in body.states.items():

        def report(
            rel: tuple[str | int, ...], message: str, hint: str | None, severity: str, name: str = name
        ) -> None:
            reporter.error(reporter.value_at(("states", name, *rel)), message, hint)

        if not check_phrases(phrases, PredicateScope(report, frozenset())):
            ok = False
            continue
        needed = literals.any_of([literals.phrase_literals(p, body.lemma) for p in phrases])
        spec = body.yields.get(name)
        soft = frozenset(_folded(word) for word in spec.words) if spec else frozenset()
        found.append(
            StateWords(name, compile_search(phrases, options), needed, soft, spec.to if spec else ())
        )
    for name, spec in body.yields.items():
        written = {_folded(p) for p in body.states.get(name, ())}
        for key, value in [
            (("yields", name), name),
            *((("yields", name, "to", i), n) for i, n in enumerate(spec.to)),
        ]:
            if value not in body.states:
                reporter.error(
                    reporter.value_at(key),
                    f"yields: unknown state '{value}'",
                    f"states: {', '.join(body.states)}",
                )
                ok = False
        for index, word in enumerate(spec.words):
            if name in body.states and _folded(word) not in written:
                message = f"yields: '{word}' is not one of the words of state '{name}'"
                reporter.error(reporter.value_at(("yields", name, "words", index)), message)
                ok = False
    return tuple(reversed(found)) if ok else None


def _stance(spec: StanceSpec, reporter: Reporter) -> Stance | None:
    for kind in ("negation", "speculation", "denial", "conditional"):
        for index, phrase in enumerate(getattr(spec, kind)):
            if "*" in phrase.rstrip("*"):
                where = reporter.value_at(("stance", kind, index))
                reporter.error(where, f"phrase '{phrase}': '*' may only end a word, as in 'rumour*'")
    return None if reporter.failed else Stance.compile(spec)


register_rule_type(
    RuleType("state", StateBody, build, "a status per key, remembered; alerts when it changes")
)
