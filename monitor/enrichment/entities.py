"""Named entities → ``domain.EntitySpan``, in both pipelines, each resolved to its watch-list entry if listed.

Statistical pipeline: the ``newsmon_watchlists`` spaCy component puts the watch-list names into the Doc
before the entity recogniser runs (the recogniser keeps entities that are already set and labels the rest),
carrying the entry's key as the span id; ``EntityResolver`` turns the Doc's entities into EntitySpans.
Rules-only pipeline: ``name_entities`` turns NameMatcher matches into EntitySpans directly, and
``figure_entities`` adds MONEY / PERCENT / QUANTITY / CARDINAL spans from the parsed figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING

from monitor.domain import EntitySpan, Quantity
from monitor.domain.abbreviations import is_abbreviation
from monitor.domain.name_words import COMPANY_END, introduces_name, is_not_name
from monitor.enrichment.company_runs import company_runs
from monitor.enrichment.names import NameMatch, NameMatcher
from monitor.enrichment.signature import sentence_index
from monitor.enrichment.watchlists import WatchEntry

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

REPORTED_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "NORP", "EVENT", "DATE", "MONEY", "QUANTITY", "CARDINAL", "PERCENT"}
)
WATCHLIST_COMPONENT = "newsmon_watchlists"
EXACT_NAMES = "newsmon_exact_names"
"""``Doc.user_data`` key: where a listed name really is, when its entity had to widen to whole tokens
("Trump" in "Trump‘s", one token): the entity keeps the name as the watch list matched it, as it is
found in the text without the model, so both pipelines and both enrichment modes agree."""
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_POSSESSIVE = re.compile(r"\s*(?:['’]s|['’])$")
_FIGURE_LABELS: Mapping[str, str] = {"currency": "MONEY", "percent": "PERCENT", "count": "CARDINAL"}


class WatchlistComponent:
    """The spaCy component that sets watch-list names as entities; ``matcher`` is set after adding it."""

    def __init__(self) -> None:
        self.matcher = NameMatcher(())

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for match in self.matcher.find(doc.text):
            span = doc.char_span(
                match.start,
                match.end,
                label=match.entry.label,
                span_id=match.entry.key,
                alignment_mode="expand",
            )
            if span is not None and (not spans or span.start >= spans[-1].end):
                spans.append(span)
                if (span.start_char, span.end_char) != (match.start, match.end):
                    doc.user_data.setdefault(EXACT_NAMES, {})[span.start_char] = (match.start, match.end)
        for start, end in _than_names(doc.text):
            span = doc.char_span(start, end, label="PERSON", alignment_mode="contract")
            if span is not None and not _overlaps(span, spans):
                spans.append(span)
        spans.sort(key=lambda span: span.start)
        blocked = [doc[t.i : t.i + 1] for t in doc if _spaced_dash(doc, t.i)]
        if spans or blocked:  # the recogniser still labels every other token
            doc.set_ents(spans, blocked=[b for b in blocked if not _overlaps(b, spans)], default="unmodified")
        return doc


_DASHES = frozenset({"-", "--", "—", "–"})
_THAN_NAME = re.compile(r"(?P<before>[\w,;:(]+)[ \t]+(?P<name>Than(?:[ \t]+[A-Z][a-z]+){1,3})\b")
_THAN_AFTER = frozenset({"and", "or", "General", "Colonel", "Major", "Admiral", "Captain", "U", "Daw"})


def _than_names(text: str) -> Iterable[tuple[int, int]]:
    """A Burmese name that opens with "Than" ("directors Than Naing Oo and Khin Sandar Win", "General Than
    Zaw Oo"): the tagger reads the word as the comparative "than" and the recogniser then skips the name. A
    capital "Than" after a comma, a lower-case word, "and" or a rank is the name's; after a capitalised word
    it is a headline's comparative ("Better Than Expected")."""
    if "Than " not in text:  # nearly every text: skip the scan on the hot path
        return
    for match in _THAN_NAME.finditer(text):
        before = match.group("before")
        if before[-1] in ",;:(" or before.islower() or before in _THAN_AFTER:
            yield match.start("name"), match.end("name")


def _spaced_dash(doc: Doc, index: int) -> bool:
    """A dash with space on both sides ends a name: the recogniser is told so, or it reads a wire dateline's
    date into the name after it ("BERLIN, April 24 - Olaf Scholz" as one DATE). A hyphen inside a word
    ("Jean-Wesner") has no space around it and stays free."""
    token = doc[index]
    spaced_before = index == 0 or bool(doc[index - 1].whitespace_) or doc[index - 1].is_space
    return token.text in _DASHES and spaced_before and (bool(token.whitespace_) or index + 1 == len(doc))


def _overlaps(span: Span, spans: Sequence[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in spans)


def register_components(spacy: ModuleType) -> None:
    """Make ``newsmon_watchlists`` known to spaCy (once per process)."""
    language = spacy.language.Language
    if not language.has_factory(WATCHLIST_COMPONENT):
        language.factory(WATCHLIST_COMPONENT, func=lambda nlp, name: WatchlistComponent())


class EntityResolver:
    """Turns a processed Doc into EntitySpans, resolving each to its watch-list entry when it is listed."""

    def __init__(self, matcher: NameMatcher) -> None:
        self._by_key = {entry.key: entry for entry in matcher.entries}
        self._matcher = matcher

    def entities(self, doc: Doc, sentence_starts: Sequence[int], offset: int = 0) -> list[EntitySpan]:
        """The reported entities of ``doc``, with character offsets into the text ``doc`` was made of, or,
        when ``doc`` was made of a piece of it starting at ``offset``, into the whole text."""
        found: list[EntitySpan] = []
        exact = doc.user_data.get(EXACT_NAMES, {})
        whole = doc.text  # built from the tokens on every access: once per doc, not once per name
        for span in doc.ents:
            label = _label(span)
            if label not in REPORTED_LABELS:
                continue
            entry = self._by_key.get(span.ent_id_) if span.ent_id_ else self._listed(span.text)
            if entry is None and label in _NAME_LABELS and not any(c.isupper() for c in span.text):
                continue  # no capital, no name: "cancels meeting" (a person, the model said), "lorry queues"
            start, end = span.start_char, span.end_char
            if span.ent_id_:
                start, end = exact.get(start, (start, end))
            if entry is None and found and (head := _given_name_left_out(found[-1], span, whole, offset)):
                start, entry = head.start - offset, None  # "Jean-Claude" + "Mukendi Tshala": one person
                found.pop()
            elif entry is None and span.label_ == "PERSON":
                start = _bare_given_name(whole, start)
            end = start + len(whole[start:end].rstrip())  # the model's span may take the line break after it
            if label == "PERSON" and _took_the_full_stop(whole[start:end]):
                end -= 1
            text = whole[start:end]
            found.append(_entity(text, label, start + offset, end + offset, sentence_starts, entry))
        return _with_company_names(found, whole, offset, sentence_starts)

    def _listed(self, text: str) -> WatchEntry | None:
        """A span the model found whose whole text is a listed name ("Rosneft's", "the Kremlin")."""
        bare = _POSSESSIVE.sub("", " ".join(text.split()))
        for candidate in (bare, bare.removeprefix("the ").removeprefix("The ")):
            matches = self._matcher.find(candidate)
            if len(matches) == 1 and (matches[0].start, matches[0].end) == (0, len(candidate)):
                return matches[0].entry
        return None


def _with_company_names(
    found: list[EntitySpan], whole: str, offset: int, sentence_starts: Sequence[int]
) -> list[EntitySpan]:
    """``found`` with each company name that ends in a legal suffix whole (company_runs.py): the model's
    entities inside it or across its edges give way to it, unless one of them is watch-listed."""
    for start, end in company_runs(whole):
        start, end = start + offset, end + offset
        inside = [e for e in found if e.start < end and start < e.end]
        if any(e.watchlist is not None for e in inside) or any(
            (e.start, e.end) == (start, end) for e in inside
        ):
            continue
        found = [e for e in found if e not in inside]
        found.append(_entity(whole[start - offset : end - offset], "ORG", start, end, sentence_starts, None))
    return sorted(found, key=lambda e: (e.start, e.end))


def _label(span: Span) -> str:
    """The model's label, but a company's for a name that ends as a company's does, whatever the model
    made of it: "Kerch Grain Port LLC" (a facility), "Baltic Star Shipping Ltd" (a product)."""
    if span.label_ in {"FAC", "PRODUCT", "WORK_OF_ART", "LOC"} and COMPANY_END.search(span.text):
        return "ORG"
    return str(span.label_)


_GIVEN_NAME = re.compile(r"[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)*")


def _given_name_left_out(before: EntitySpan, span: Span, whole: str, offset: int) -> EntitySpan | None:
    """The entity just before a person's name when it is that person's first name, cut off by the model:
    "Jean-Claude" (ORG) + "Mukendi Tshala" (PERSON), "Marshal Hissein" + "Abakar Moussa", "on Salem" (GPE) +
    "Ali Guerdabi". Only one or two capitalised words (one for a place), unlisted, one space before the
    name, and after a comma, a bracket, a lower-case word or a title ("the Congolese Head of State,
    Jean-Claude Mukendi Tshala", "General Salifou Mahamadou Garba"), never at a line's start, where a Title
    Case headline runs names together ("Trump Meets Xi")."""
    start = before.start - offset
    words = before.text.split()
    if (
        span.label_ != "PERSON"
        or before.label not in {"ORG", "PERSON", "GPE"}
        or before.canonical is not None
        or whole[before.end - offset : span.start_char] != " "
        or not 1 <= len(words) <= (1 if before.label == "GPE" else 2)
        or not _GIVEN_NAME.fullmatch(words[-1])
        or is_not_name(words[-1])
    ):
        return None
    preceding = whole[max(0, start - 30) : start].rstrip(" ")
    last = preceding.split()[-1] if preceding.split() else ""
    lead = preceding.endswith((",", "(")) or (last.isalpha() and (last.islower() or introduces_name(last)))
    return before if lead else None


def _took_the_full_stop(name: str) -> bool:
    """A person's name that ends a paragraph took its full stop with it ("… and Babiker Hamid Nur." before a
    line break); an initial or an abbreviation keeps its own ("John Q.", "Jr.")."""
    last = name.rsplit(" ", 1)[-1]
    return (
        last.endswith(".")
        and len(last) > 3
        and last[:-1].isalpha()
        and not is_abbreviation(last[:-1].lower())
    )


_BARE_GIVEN_NAME = re.compile(r"\b[a-z]{3,}, (" + _GIVEN_NAME.pattern + ") $")


def _bare_given_name(whole: str, start: int) -> int:
    """Where a person's name starts when the model left its first name out of every entity: "its
    president, Héctor" + "Lugo Rivas". Only one capitalised word, after a lower-case word and a comma (the
    description a name follows), so a clause's first word ("In Caracas, Lugo Rivas") never joins it."""
    found = _BARE_GIVEN_NAME.search(whole, max(0, start - 40), start)
    if found is None or introduces_name(found.group(1)):
        return start
    return found.start(1)


def name_entities(
    text: str, matches: Iterable[NameMatch], sentence_starts: Sequence[int]
) -> list[EntitySpan]:
    """EntitySpans for watch-list matches found directly in ``text`` (the rules-only pipeline)."""
    return [
        _entity(text[m.start : m.end], m.entry.label, m.start, m.end, sentence_starts, m.entry)
        for m in matches
    ]


def figure_entities(quantities: Iterable[Quantity]) -> list[EntitySpan]:
    """MONEY / PERCENT / QUANTITY / CARDINAL spans from parsed figures, for the pipeline without a model."""
    return [
        EntitySpan(
            text=q.text,
            label=_FIGURE_LABELS.get(q.unit.split(":")[0], "QUANTITY"),
            start=q.start,
            end=q.end,
            sentence=q.sentence,
        )
        for q in quantities
    ]


def _entity(
    text: str, label: str, start: int, end: int, sentence_starts: Sequence[int], entry: WatchEntry | None
) -> EntitySpan:
    return EntitySpan(
        text=text,
        label=label,
        start=start,
        end=end,
        sentence=sentence_index(sentence_starts, start),
        canonical=entry.canonical if entry else None,
        watchlist=entry.watchlist if entry else None,
    )
