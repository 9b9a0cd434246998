"""The ``argument`` predicate: who or what a trigger word acts on, read off the dependency parse.

    target:
      argument: {of: action, role: object, entity: [ORG, PERSON], proper_nouns: true}

holds for the names in the *object* of a hit of selection ``action`` — "blacklisted **Acme Oil**",
"**Acme Oil** was sanctioned", "sanctions on **Acme Oil**", "the sanctions target **Acme Oil**", "added
**Acme Oil** to its sanctions list", "**Acme Oil** faces sanctions" — with lists expanded ("A, B and C",
appositions) and the names found in each member by entity label (and, with ``proper_nouns``, runs of proper
nouns the entity recogniser missed). The grammar walk lives in ``syntax_roles.py``; this module turns its
members into evidence: names, counts ("**14 people** and **six firms**" → ``counts: {people: 14,
companies: 6}``), offices resolved to countries ("the **chancellors of Austria and Germany**"), or plain
phrases. Parses come from enrichment (``Enrichment.parses``), only for the sentences where the trigger
selection of a rule that uses this predicate has a hit (needs.py, ``RuleNeeds.syntax_anchors``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from monitor.domain import EntitySpan, ParsedSentence, Span, SyntaxToken
from monitor.rules import syntax_names, syntax_offices, syntax_roles, syntax_words
from monitor.rules.context import DESCRIBES, EvalContext, Hit, PredicateResult, tally_counts
from monitor.rules.entities import LabelList
from monitor.rules.name_resolution import resolve_names
from monitor.rules.predicates import PredicateKind, PredicateScope, register_predicate
from monitor.rules.schema import PhraseList, SelectionName, SelectionOptions, not_empty, one_or_many
from monitor.rules.syntax_lists import Member
from monitor.rules.syntax_tree import kids

Role = Literal["object", "subject", "participant", "modified"]


class ArgumentSpec(BaseModel):
    """The value of ``argument``: which trigger, which role, and what the argument must be."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    of: SelectionName
    role: Annotated[tuple[Role, ...], BeforeValidator(one_or_many), AfterValidator(not_empty)]
    entity: LabelList | None = None
    proper_nouns: bool = False
    words: PhraseList | None = None
    counts: dict[SelectionName, PhraseList] | None = None
    offices: PhraseList | None = None
    undergo: PhraseList = syntax_words.UNDERGO_VERBS
    not_governed_by: tuple[str, ...] = ()
    max_members: int = Field(default=30, ge=1, le=200)
    names: Literal["written", "canonical"] = "written"  # canonical: a watch-listed name as the list spells it
    first_trigger: bool = False  # only the first trigger (in text order) that names two or more


@dataclass(frozen=True)
class ArgumentPredicate:
    """Compiled ``argument``: finds the trigger's role members in the parse and keeps what the spec asks."""

    spec: ArgumentSpec
    fields: tuple[str, ...]
    needs_enrichment: bool = True
    needs_syntax: bool = True

    @property
    def capture_names(self) -> frozenset[str]:
        return frozenset({"counts"}) if self.spec.counts else frozenset()

    @property
    def references(self) -> tuple[str, ...]:
        return (self.spec.of,)

    def evaluate(self, ctx: EvalContext) -> PredicateResult:
        enrichment = ctx.view.enrichment
        if enrichment is None:
            return PredicateResult(held=False, note="no enrichment for this article")
        trigger = ctx.selection(self.spec.of)
        if not trigger.held:
            return PredicateResult(held=False, note=f"'{self.spec.of}' did not hold")
        if not enrichment.parses:
            return PredicateResult(held=False, note="no parsed sentence (enrichment gave no syntax)")
        text = ctx.view.text("text")
        ranges = [r for r in (ctx.view.field_range(name) for name in self.fields) if r is not None]
        hits: list[Hit] = []
        seen: set[tuple[int, int]] = set()
        for hit in sorted(trigger.hits, key=lambda h: ctx.view.text_offset(h.span) or 0):
            if self.spec.first_trigger and len({h.term for h in hits if h.term}) >= 2:
                break
            start = ctx.view.text_offset(hit.span)
            if start is None or not any(low <= start < high for low, high in ranges):
                continue
            sentence = _sentence_at(enrichment.parses, start)
            if sentence is None:
                continue
            head = syntax_roles.trigger_token(sentence, start, start + len(hit.span.text))
            if head is None or syntax_roles.governed_by(sentence, head, self.spec.not_governed_by):
                continue
            split = _split_phrase(sentence, start, start + len(hit.span.text), head)
            for role in self.spec.role:
                members = syntax_roles.members(sentence, head, role, self.spec.undergo)
                if not members and split is not None:
                    members = syntax_roles.members(sentence, split, role, self.spec.undergo)
                for member in members[: self.spec.max_members]:
                    for found in self._evidence(sentence, member, enrichment.entities, text):
                        if (found.span.start, found.span.end) not in seen:
                            seen.add((found.span.start, found.span.end))
                            hits.append(found)
        if not hits:
            return PredicateResult(held=False, note=f"no {'/'.join(self.spec.role)} of '{self.spec.of}'")
        hits = _parties_first(hits)
        return PredicateResult(
            held=True, hits=resolve_names(tuple(tally_counts(hits)), enrichment.entities, text)
        )

    def _evidence(
        self, sentence: ParsedSentence, member: Member, entities: Sequence[EntitySpan], text: str
    ) -> list[Hit]:
        if self.spec.words is not None and not syntax_names.has_words(sentence, member, self.spec.words):
            return []
        if self.spec.counts is not None:
            return _counted(sentence, member, self.spec.counts, text)
        if self.spec.offices is not None and syntax_offices.is_office(sentence, member, self.spec.offices):
            return _countries(sentence, member, entities, text)
        if self.spec.offices is not None and self.spec.entity is None and not self.spec.proper_nouns:
            return []
        if self.spec.entity is None and not self.spec.proper_nouns:
            start, end = syntax_names.member_span(sentence, member)
            return [Hit("argument", self.pattern, Span("text", start, end, text[start:end]))]
        places_only = self.spec.entity is not None and set(self.spec.entity) <= {"GPE", "NORP"}
        return [
            Hit(
                "entity",
                self.pattern,
                Span("text", s, e, text[s:e]),
                term=_country(name) if places_only or label == "NORP" else name,  # "Japanese" is Japan
                detail=_detail(sentence, s, e, label, self.spec.entity),
            )
            for s, e, name, label in syntax_names.names_in(
                sentence,
                member,
                entities,
                self.spec.entity,
                self.spec.proper_nouns,
                self.spec.names == "canonical",
            )
        ]

    @property
    def pattern(self) -> str:
        return f"{'/'.join(self.spec.role)} of {self.spec.of}"


def _detail(sentence: ParsedSentence, start: int, end: int, label: str, labels: Sequence[str] | None) -> str:
    described = syntax_names.only_describes(sentence, start, end, labels)
    return f"({label}{DESCRIBES}" if described else f"({label})"


def _parties_first(hits: list[Hit]) -> list[Hit]:
    """Names that only describe a noun ("a Culiacán businessman X") give way to the parties' names; alone
    ("froze the assets of a Vladivostok freight company") they stand in for the unnamed party rather than
    losing it."""
    kept = [h for h in hits if not (h.detail or "").endswith(DESCRIBES)]
    return kept if kept else hits


def _country(name: str) -> str:
    """The country a place-only argument stands for: "Finnish" → Finland, "Jakarta" → Indonesia (a capital
    in a headline stands for its government: "Jakarta calls off Kuching leaders' meeting")."""
    lowered = name.lower()
    return syntax_words.DEMONYMS.get(lowered) or syntax_words.CAPITALS.get(lowered) or name


def _split_phrase(sentence: ParsedSentence, start: int, end: int, head: int) -> int | None:
    """The first word of a trigger phrase the parser split in two, read as the phrase's head when the last
    word has no argument: "were hit with asset freezes by the EU" ("asset" the object of "with", "freezes"
    a clause of its own)."""
    inside = [i for i, t in enumerate(sentence.tokens) if t.start < end and start < t.end]
    if len(inside) < 2 or inside[0] == head or sentence.tokens[inside[0]].head in inside:
        return None
    return inside[0]


def _sentence_at(parses: Sequence[ParsedSentence], offset: int) -> ParsedSentence | None:
    for sentence in parses:
        if sentence.start <= offset < sentence.end:
            return sentence
    return None


def _counted(
    sentence: ParsedSentence, member: Member, counts: Mapping[str, Sequence[str]], text: str
) -> list[Hit]:
    head = sentence.tokens[member.head]
    number = syntax_names.number_of(sentence, member.head) or _leading_number(sentence, member.head)
    if number is None:
        head, number = _partitive(sentence, member.head)
    if number is None:
        return []
    value = _number_value(number)
    if value is None:
        return []
    category = _count_category(sentence, head, counts)
    if category is None:
        return []
    start, end = syntax_names.member_span(sentence, member)
    found = Span("text", start, end, text[start:end])
    return [Hit("count", category, found, detail=f"({category})", count=(sentence.start, {category: value}))]


def _count_category(
    sentence: ParsedSentence, head: SyntaxToken, counts: Mapping[str, Sequence[str]]
) -> str | None:
    """The category of the counted noun; a compound listed whole wins over its last word, so "two ship
    managers" can count as companies while "two managers" count as people."""
    index = sentence.tokens.index(head)
    words = [head.lemma.lower(), head.text.lower()]
    wholes = []
    if index - 1 in kids(sentence, index, "compound"):
        modifier = sentence.tokens[index - 1].text.lower()
        wholes = [f"{modifier} {word}" for word in words]
    for candidates in (wholes, words):
        for category, nouns in counts.items():
            if any(word in nouns for word in candidates):
                return category
    if "people" in counts and head.text.endswith("s") and head.text[:-1].lower() in syntax_words.DEMONYMS:
        return "people"  # "nine Belarusians and two firms"
    return None


def _leading_number(sentence: ParsedSentence, index: int) -> str | None:
    """A number the parser made a compound of the words before the noun: "Seventeen Belarusian officials"."""
    before = index - 1
    while before >= 0 and sentence.tokens[before].dep in {"compound", "amod", "nummod"}:
        if not before < sentence.tokens[before].head <= index:
            return None
        if sentence.tokens[before].pos == "NUM":
            return sentence.tokens[before].text
        before -= 1
    return None


def _partitive(sentence: ParsedSentence, index: int) -> tuple[SyntaxToken, str | None]:
    """A partitive count ("two of its directors", "three of the company's tankers"): the number heads the
    phrase and the counted noun hangs off its "of"."""
    token = sentence.tokens[index]
    if token.pos == "NUM":
        for prep in kids(sentence, index, "prep"):
            if sentence.tokens[prep].text.lower() == "of":
                for noun in kids(sentence, prep, "pobj"):
                    return sentence.tokens[noun], token.text
    return token, None


def _number_value(words: str) -> float | None:
    cleaned = words.lower().replace(",", "").strip()
    if cleaned in syntax_words.NUMBER_WORDS:
        return float(syntax_words.NUMBER_WORDS[cleaned])
    words_only = "-".join(cleaned.replace("-", " ").split())  # "fifty - six", "twenty three": "fifty-six"
    tens, _, units = words_only.partition("-")
    if syntax_words.NUMBER_WORDS.get(tens, 0) >= 20 and 1 <= syntax_words.NUMBER_WORDS.get(units, 0) <= 9:
        return float(syntax_words.NUMBER_WORDS[tens] + syntax_words.NUMBER_WORDS[units])
    try:
        return float(cleaned)
    except ValueError:
        return None


def _countries(
    sentence: ParsedSentence, member: Member, entities: Sequence[EntitySpan], text: str
) -> list[Hit]:
    """An office ("the presidents of Chile and Peru", "Uganda's president") resolved to its countries."""
    return [
        Hit("entity", "office of country", Span("text", s, e, text[s:e]), term=name, detail=f"({label})")
        for s, e, name, label in syntax_offices.office_countries(sentence, member.head, entities)
    ]


def _compile(
    value: ArgumentSpec, options: SelectionOptions, scope: PredicateScope
) -> ArgumentPredicate | None:
    if scope.selection_names and value.of not in scope.selection_names:
        scope.error(
            ("of",),
            f"unknown selection '{value.of}'",
            f"selections: {', '.join(sorted(scope.selection_names))}",
        )
        return None
    if value.counts is not None and (value.offices is not None or value.entity or value.proper_nouns):
        scope.error(("counts",), "argument: counts takes no entity, proper_nouns or offices")
        return None
    return ArgumentPredicate(value, options.fields)


register_predicate(
    PredicateKind(
        "argument",
        ArgumentSpec,
        _compile,
        "the object, subject or participants of another selection's hit, read off the dependency parse",
        order=45,
    )
)
