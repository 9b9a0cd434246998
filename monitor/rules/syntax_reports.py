"""The report's own clause ("…, the ministry said"), which the small model tangles with the news it reports.

Wire copy ends a sentence with its source: "Switzerland froze all assets held by X, the State Secretariat
for Economic Affairs said". The parser joins the source to a list before it, or makes the news's object
the subject of "said"; these tests find both shapes, so the walks neither take the source for a target
nor lose the object.
"""

from __future__ import annotations

from monitor.domain import ParsedSentence
from monitor.rules.syntax_tree import is_verb, kids, lemma_of, subtree

_NAME_GLUE = frozenset({"of", "and", "the", "for", "&"})
REPORTING_VERBS = frozenset({"say", "tell", "announce", "add", "state", "confirm", "write", "note", "report"})


def speaker_phrase(sentence: ParsedSentence) -> tuple[int, int] | None:
    """The character range of a report's source the parser joined to a list before it: "… and Ri Song Chol,
    Chief Cabinet Secretary Kenji Morimoto said" (Morimoto parsed as one more conjunct of the list, not as
    the subject of "said"): from the comma before the source to the reporting verb."""
    tokens = sentence.tokens
    for index, token in enumerate(tokens):
        if index < 2 or token.pos != "VERB" or lemma_of(token) not in REPORTING_VERBS:
            continue
        before = tokens[index - 1]
        if before.pos != "PROPN" or before.dep != "conj":
            continue
        start = index - 1  # back over the source's name: "the Ministry of Foreign Affairs and Trade said"
        while start > 0 and (
            tokens[start - 1].pos == "PROPN" or tokens[start - 1].text.lower() in _NAME_GLUE
        ):
            start -= 1
        if start > 0 and tokens[start - 1].text == ",":
            return tokens[start].start, token.start
    return None


def object_read_as_report_subject(sentence: ParsedSentence, trigger: int) -> list[int]:
    """The object of a verb the parser made the subject of the report that follows: "froze all assets held
    by X, SECO said" read as "froze [that] all assets … said". With the verb as trigger, the noun right after
    it that is the subject of a reporting clause hung off it; with the phrase's noun as trigger ("froze all
    assets" ends in "assets"), that noun itself, when a verb before it governs the report."""
    token = sentence.tokens[trigger]
    if is_verb(token):
        return [
            n
            for clause in kids(sentence, trigger, "ccomp")
            if lemma_of(sentence.tokens[clause]) in REPORTING_VERBS
            for n in kids(sentence, clause, "nsubj")
            if min(subtree(sentence, n)) == trigger + 1
        ]
    report = sentence.tokens[token.head]
    if token.dep != "nsubj" or lemma_of(report) not in REPORTING_VERBS or report.dep != "ccomp":
        return []
    return [trigger] if report.head < trigger and is_verb(sentence.tokens[report.head]) else []
