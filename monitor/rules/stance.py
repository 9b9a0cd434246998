"""Stance: whether a word is asserted, or negated, speculated about or denied, by the words before it.

``type: state`` rules use it for their state words ("was **not** called off", "**might** meet", "**dismissed
reports** that the visit was off"). The lists are the rule's (``stance:``): ``negation`` and
``speculation`` count within ``words`` words before the state word (and a question opening with a modal is
speculation throughout: "**Could** they be about to meet**?**"), ``denial`` within ``denial_words``
words before it, ``background`` right before it ("**last** met"), opening its sentence up to a comma
("**Previously,** Modi hosted Xi") or as its subject ("**The last** meeting … took place"), in its
sentence, ``conditional`` anywhere in its sentence ("I will meet him **only once** the last soldier has
left"), ``corrected`` anywhere in its sentence too ("An **earlier version** of this article said the
meeting had been cancelled"). A phrase ending in ``n't`` also matches as a suffix ("didn't", "won’t");
``*`` ends a prefix.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from monitor.rules.phrase_search import phrase_pattern
from monitor.rules.schema import StanceSpec
from monitor.rules.text import Layout

_OPENING = re.compile(r"\W*((?:[\w'’-]+\s+){0,2}[\w'’-]+),")
_ASKING = re.compile(
    r"\W*(?:[\w'’ ]{1,30}:\s+)?(?:could|would|will|might|may|can|should|shall|is|are|was|were|do|does|did|has|have)\s",
    re.IGNORECASE,
)


def _asked(layout: Layout, sentence: int, start: int) -> bool:
    """A question that asks whether it will happen or happened ("**Could** the two leaders be about to meet?",
    "A reader asks: **has** the summit been scrapped?"), not a question about what happened ("Why was the
    summit called off?")."""
    if not _ASKING.match(layout.text, sentence):
        return False
    return layout.text[start : layout.sentence_end(start)].rstrip().endswith("?")


_EARLIER_ONE = re.compile(r"\W*(?:the|a|an|their|its|his|her)\s+([\w'’-]+)\s")
"""A sentence whose subject is an earlier instance: "**The last** meeting … took place in 2023", "**A previous**
meeting planned for 2026 was cancelled" (not "the first", as often the one to come: "The first summit will
be held in July")."""


def _pattern(phrases: Sequence[str]) -> re.Pattern[str] | None:
    parts = []
    for phrase in phrases:
        lowered = phrase.lower().replace("’", "'")
        if lowered == "n't":
            parts.append(r"n['’]t\b")
        else:
            parts.append(r"\b" + phrase_pattern(lowered).replace("'", "['’]") + r"\b")
    return re.compile("|".join(parts)) if parts else None


@dataclass(frozen=True)
class Stance:
    """Compiled ``stance``: which lists are on, as regexes over the lowercase text before a word."""

    negation: re.Pattern[str] | None
    speculation: re.Pattern[str] | None
    denial: re.Pattern[str] | None
    background: re.Pattern[str] | None
    conditional: re.Pattern[str] | None
    corrected: re.Pattern[str] | None
    words: int
    denial_words: int
    denied_means: Mapping[str, str] = field(default_factory=dict)
    denied_everywhere: frozenset[str] = frozenset()  # with denied_means' states: one denial answers them all

    @classmethod
    def compile(cls, spec: StanceSpec) -> Stance:
        return cls(
            _pattern(spec.negation),
            _pattern(spec.speculation),
            _pattern(spec.denial),
            _pattern(spec.background),
            _pattern(spec.conditional),
            _pattern(spec.corrected),
            spec.words,
            spec.denial_words,
            dict(spec.denied_means),
            frozenset(spec.denied_everywhere) | set(spec.denied_means),
        )

    def judge(
        self, layout: Layout, start: int, end: int | None = None, state: str | None = None
    ) -> str | None:
        """Why the word at ``start`` (ending at ``end``) of ``state`` does not count ("negated",
        "speculative", "denied", "conditional", "corrected"), or None. A state that ``denied_means`` maps,
        negated right after an auxiliary, is denied: "the meeting is not cancelled", "has not been called
        off" deny it as "dismissed reports that it was scrapped" does (not "no new date", "there will be no
        summit")."""
        sentence = layout.sentence_start(layout.sentence_at(start))
        before = layout.words_before(start, self.words)
        near_start = max(before[0][0] if before else start, sentence)
        near = layout.text[near_start:start].lower()
        if self.negation is not None and self.negation.search(near):
            if state in self.denied_means and _AUXILIARY_NOT.search(layout.text, max(0, start - 40), start):
                return "denied"
            return "negated"
        if end is not None and self.negation is not None and _NONE_AFTER.match(layout.text, end):
            return "negated"  # "had received no invitation", "held no talks"
        if self.speculation is not None and (
            self.speculation.search(near) or _asked(layout, sentence, start)
        ):
            return "speculative"
        if self.background is not None and before:
            just_before = layout.text[before[-1][0] : start].lower()
            if before[-1][0] >= sentence and self.background.search(just_before):
                return "background"
            if self._opens_with_background(layout.text[sentence:start].lower()):
                return "background"
        if self.denial is not None:
            found = [m.end() for m in self.denial.finditer(layout.text[sentence:start].lower())]
            if found and layout.words_apart(sentence + found[-1], start) <= self.denial_words:
                return "denied"
        if self.denial is not None and end is not None and _DENIED_AFTER.match(layout.text, end):
            return "denied"  # "Reports that the visit had been called off were denied on Thursday"
        whole = layout.text[sentence : layout.sentence_end(start)].lower()
        if self.conditional is not None and self.conditional.search(whole):
            return "conditional"
        if self.corrected is not None and self.corrected.search(whole):
            return "corrected"  # what a correction says an earlier report wrongly said
        return None

    def _opens_with_background(self, head: str) -> bool:
        """A sentence set in the past by its opening words: "**Previously,** Modi hosted Xi", "**Earlier
        this year,** they met" (the comma ends the opening, within three words of the sentence start), or
        about an earlier instance: "**The last** meeting of the two leaders took place in 2023"."""
        assert self.background is not None
        opening = _OPENING.match(head)
        if opening is not None and self.background.match(opening.group(1)) is not None:
            return True
        subject = _EARLIER_ONE.match(head)
        return (
            subject is not None
            and subject.group(1) != "first"
            and self.background.fullmatch(subject.group(1)) is not None
        )


_NONE_AFTER = re.compile(r"\s+(?:no|nothing|none)\b", re.IGNORECASE)
"""A state word its object denies: "received **no** invitation", "produced **nothing**"."""

_DENIED_AFTER = re.compile(
    r"(?:\s+[\w'’-]+){0,4}?\s+(?:were|was|have\s+been|has\s+been|had\s+been)\s+(?:\w+ly\s+)?(?:denied|dismissed)\b",
    re.IGNORECASE,
)
"""A report of a state that the words after it deny: "had been called off **were denied**", within five
words (a rule with a ``denial`` list only)."""

_AUXILIARY_NOT = re.compile(
    r"\b(?:is|are|was|were|has|have|had)\s+(?:not|never)\s+(?:been\s+)?$", re.IGNORECASE
)
"""An auxiliary and its negation right before a state word: "is **not** cancelled", "has **not been**"."""
