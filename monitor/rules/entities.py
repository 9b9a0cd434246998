"""Entity predicates over ``Enrichment.entities``: ``entity`` (labels), ``watchlist``, ``canonical``.

The three keys of one selection describe *one* entity: ``{entity: ORG, watchlist: companies}`` holds for an
ORG that is on the companies list, not for some ORG and some other listed name. They compile separately
(so each value gets its own located errors) and are then merged into one ``EntityFilter``.

An entity selection captures the distinct names it found — the watch list's canonical name when there is
one, the text otherwise — sorted, so a key built from them is the same whatever order an article uses.
Entity offsets are into ``Article.field_text("text")``; ``fields`` limits them to the part a field covers.
Without enrichment an entity predicate never holds (``newsmon rules test`` skips such examples).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator

from monitor.domain import EntitySpan, Span
from monitor.domain.abbreviations import is_abbreviation
from monitor.domain.name_words import COMPANY_END
from monitor.rules.company_names import COMPANY_SUFFIX, COMPANY_TAIL
from monitor.rules.context import EvalContext, Hit, PredicateResult, enrichment_hits
from monitor.rules.name_resolution import resolve_names, written_full_name
from monitor.rules.name_text import DANGLING, clean_name, not_a_name, without_titles
from monitor.rules.predicates import PredicateKind, PredicateScope, register_predicate
from monitor.rules.schema import NonBlank, SelectionOptions, not_empty, one_or_many
from monitor.rules.syntax_names import label_of
from monitor.rules.syntax_words import (
    CAPITALS,
    COUNTRIES,
    DEMONYMS,
    DESCRIPTIVE_ENDINGS,
    ORGANISATION_WORDS,
    TITLES,
    building,
    no_party,
    person_shaped,
    place_or_title,
)

ENTITY_LABELS = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE",
    "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
)  # fmt: skip
Label = Literal[
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE",
    "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
]  # fmt: skip
LabelList = Annotated[tuple[Label, ...], BeforeValidator(one_or_many), AfterValidator(not_empty)]
NameList = Annotated[tuple[NonBlank, ...], BeforeValidator(one_or_many), AfterValidator(not_empty)]


@dataclass(frozen=True)
class EntityFilter:
    """Holds when an entity passes every given test (label, watch list, canonical name) in the fields."""

    labels: frozenset[str] | None
    watchlists: frozenset[str] | None
    names: frozenset[str] | None  # casefolded canonical names (or texts, for unlisted entities)
    fields: tuple[str, ...]
    capture_names: frozenset[str] = frozenset()
    needs_enrichment: bool = True
    merge_key: str = "entity"
    person_like: bool = False  # ORG/GPE/NORP entities shaped like a person's name count as PERSON
    full_name: bool = (
        False  # a one-word name counts only when a watch list knows it or the article gives it in full
    )

    def merge(self, other: EntityFilter) -> EntityFilter:
        return replace(
            self,
            labels=other.labels if self.labels is None else self.labels,
            watchlists=other.watchlists if self.watchlists is None else self.watchlists,
            names=other.names if self.names is None else self.names,
            person_like=self.person_like or other.person_like,
            full_name=self.full_name or other.full_name,
        )

    @functools.cached_property
    def pattern(self) -> str:
        parts = ["|".join(sorted(self.labels)) if self.labels else "any"]
        if self.watchlists:
            parts.append(f"on {'/'.join(sorted(self.watchlists))}")
        if self.names:
            parts.append(f"named {'/'.join(sorted(self.names))}")
        return " ".join(parts)

    def evaluate(self, ctx: EvalContext) -> PredicateResult:
        text = ctx.text("text")

        def accepts(entity: EntitySpan) -> bool:
            return (
                self._accepts(entity)
                and not _dateline(entity, text)
                and not self._titles_a_name(entity, text)
                and not text.startswith(DESCRIPTIVE_ENDINGS, entity.end)  # "Novorossiysk-based"
                and not (self.full_name and _lone_word(entity, text))
            )

        result = enrichment_hits(ctx, self.fields, lambda e: e.entities, accepts, self._hit)
        if not result.hits or ctx.view.enrichment is None:
            return result
        result = replace(result, hits=_people_before_countries(result.hits))
        return replace(result, hits=resolve_names(result.hits, ctx.view.enrichment.entities, text))

    def _accepts(self, entity: EntitySpan) -> bool:
        if entity.watchlist is None and not_a_name(entity.text):
            return False
        if (
            self.labels is not None
            and label_of(entity) not in self.labels
            and not self._passes_as_person(entity)
        ):
            return False
        if self.watchlists is not None and entity.watchlist not in self.watchlists:
            return False
        if self._parties_only() and no_party(_POSSESSIVE.sub("", entity.text)):
            return False  # "in occupied Kherson", "the Zug company X", "the Specially Designated Nationals"
        if self._people_only() and (
            place_or_title(name := _POSSESSIVE.sub("", entity.text)) or building(name)
        ):
            return False  # "Rabat", "West African", "Emir Sheikh": the small model's people that are not
        return self.names is None or (entity.canonical or entity.text).casefold() in self.names

    def _titles_a_name(self, entity: EntitySpan, text: str) -> bool:
        """A nationality the model read as a person, where it does not stand for its country's leader:
        "Sri Lankan President X", "his Slovak counterpart, Y", "Armenian and Azerbaijani leaders" (only
        "his Bangladeshi counterpart", with no name after it, names Bangladesh's leader)."""
        if not self._people_only() or _nationality(entity.text) is None:
            return False
        return _LEADER_UNNAMED.match(text, entity.end) is None

    def _places_only(self) -> bool:
        return self.labels is not None and set(self.labels) <= {"GPE", "NORP"}

    def _parties_only(self) -> bool:
        """Only companies and people are wanted (a target): a place is never one."""
        return self.labels is not None and not {"GPE", "NORP", "LOC", "FAC"} & set(self.labels)

    def _people_only(self) -> bool:
        return self.labels is not None and "PERSON" in self.labels and not {"GPE", "NORP"} & set(self.labels)

    def _passes_as_person(self, entity: EntitySpan) -> bool:
        return (
            self.person_like
            and self.labels is not None
            and "PERSON" in self.labels
            and entity.label in {"ORG", "NORP"}  # not places: "Buenos Aires" is shaped like a name too
            and entity.watchlist is None  # a listed organisation is known: "Svenska Dagbladet" is a paper
            and person_shaped(entity.text)
        )

    def _hit(self, entity: EntitySpan, text: str) -> Hit:
        written = text[entity.start : entity.end] if entity.end <= len(text) else entity.text
        name = entity.canonical or _POSSESSIVE.sub("", entity.text).rstrip("-–")  # "Ramaphosa's", "Nausėda-"
        dangling = " " in name and name.rsplit(" ", 1)[-1].lower() in DANGLING  # "X Trading and", "X of"
        suffix = COMPANY_SUFFIX.match(text, entity.end) if entity.canonical is None and not dangling else None
        start = entity.start
        if lead := _first_word_left_out(entity, name, text):  # "Pelican" of "Pelican Bunkering Pte. Ltd."
            name, written, start = f"{text[lead[0] : lead[1]]} {name}", text[lead[0] : entity.end], lead[0]
        if dangling:
            name = clean_name(name)
        elif suffix is None and entity.canonical is None and label_of(entity) in {"ORG", "PERSON"}:
            suffix = COMPANY_TAIL.match(text, entity.end)  # "Qasr Al Bahr" + " General Trading LLC"
        if suffix is not None and label_of(entity) in {"ORG", "PERSON"}:  # "Almaz Gulf Commodities" + " DMCC"
            name, written = _before_suffix(name) + suffix.group(), written + suffix.group()
        elif entity.canonical is None and (label_of(entity) == "PERSON" or self._passes_as_person(entity)):
            name = without_titles(name)  # "Taoiseach Ciarán Mulcahy": Ciarán Mulcahy
            if glued := _GLUED_SUFFIX.match(text, entity.end):  # "Han Ji" of "Han Ji-seok"
                name, written = name + glued.group(), written + glued.group()
            elif rest := _rest_of_name(text, entity.end):  # "Ramon Dizon" of "Ramon Dizon Villareal welcomed"
                name, written = name + rest, written + rest
        elif entity.canonical is None and label_of(entity) == "ORG" and COMPANY_END.search(name):
            name = clean_name(name)  # "the Tatarstan Precision Optics Plant JSC" (a company: bodies keep
            # their "the", so a name resolves the same whichever sentences the model read)
        elif entity.canonical is None and _titled_person(name):
            name = without_titles(name)  # "the Colonel Braima Sambú" the model calls an organisation
        listed = f", {entity.watchlist}: {entity.canonical}" if entity.watchlist else ""
        if self._places_only() and (country := CAPITALS.get(name.lower()) or DEMONYMS.get(name.lower())):
            name = country  # "Nairobi and Dar es Salaam agreed", "the Kenyan and Ugandan presidents" (the
            # model calls "Ugandan" a place): the governments, by their countries
        if self._people_only() and (country := _nationality(name)):
            name, listed = country, _FOR_ITS_LEADER  # "his Bangladeshi counterpart": Bangladesh's leader
        return Hit(
            "entity",
            self.pattern,
            Span("text", start, entity.end, written),
            term=name,
            detail=f"({entity.label}{listed})",
        )


_POSSESSIVE = re.compile(r"['’]s?$")
_LAST_WORD = re.compile(r"(\S+)\s+$")
_WORD_BEFORE = re.compile(r"(?:^|(?<=[\s,;:(]))((?-i:[A-Z])[\w&-]*)\s$")


def _first_word_left_out(entity: EntitySpan, name: str, text: str) -> tuple[int, int] | None:
    """Where the capitalised word just before a company's name is, when the model left it out: it read
    "Pelican" of "Singapore's Pelican Bunkering Pte. Ltd." as a nationality. Not a place, a nationality or a
    title ("Kenyan X Ltd"), nor the end of a longer name ("Hong Kong X Ltd"), nor a possessive ("Singapore's").
    """
    if (
        entity.canonical is not None
        or label_of(entity) not in {"ORG", "PERSON"}
        or not (COMPANY_END.search(name) or COMPANY_SUFFIX.match(text, entity.end))
    ):
        return None
    found = _WORD_BEFORE.search(text, max(0, entity.start - 40), entity.start)
    if found is None:
        return None
    word = found.group(1).lower()
    if place_or_title(word) or word in DEMONYMS or word in COUNTRIES or word in {"the", "a", "an"}:
        return None
    before = _LAST_WORD.search(text, max(0, entity.start - 80), found.start(1))
    if before and before.group(1)[:1].isupper() and not _POSSESSIVE.search(before.group(1)):
        return None  # "Hong Kong Quanda Trading Ltd": the word is the end of a longer name, a place's here
    return found.span(1)


def _titled_person(name: str) -> bool:
    """ "the Colonel X Y", "the General X Y": a rank with "the" before a person's name (translated copy)."""
    words = name.split()
    if len(words) < 4 or words[0].lower() != "the":
        return False
    bare = without_titles(name)
    return bare != " ".join(words[1:]) and person_shaped(bare)


_FOR_ITS_LEADER = ", for its leader"
_GLUED_SUFFIX = re.compile(r"(?:-[^\W_]+)+")
_NEXT_WORDS = re.compile(r"(?:[ ](?-i:[A-Z][a-zà-ÿ'’-]+)){1,2}(?=[ ,.;:)]|$)(?!\s+(?-i:[A-Z]))")


def _before_suffix(name: str) -> str:
    """The name cleaned, keeping the full stop of an abbreviation the suffix follows ("Lotus Reef Pte." +
    " Ltd."): only a stop that ends the name is the sentence's."""
    cleaned = clean_name(name)
    if (
        name.rstrip().endswith(".")
        and not cleaned.endswith(".")
        and is_abbreviation(cleaned.rsplit(" ", 1)[-1])
    ):
        return cleaned + "."
    return cleaned


def _rest_of_name(text: str, end: int) -> str:
    """The capitalised words right after a person's name that the model cut off ("Chaminda Wickramasinghe"
    of "Chaminda Wickramasinghe Perera, President of …"), unless a date, a title or an organisation word."""
    found = _NEXT_WORDS.match(text, end)
    if found is None or not_a_name(found.group()):
        return ""
    words = [w.lower().strip("'’") for w in found.group().split()]
    if any(w in ORGANISATION_WORDS or w in TITLES or not_a_name(w) for w in words):
        return ""
    return found.group()


def _people_before_countries(hits: tuple[Hit, ...]) -> tuple[Hit, ...]:
    """A country standing for its leader ("the South Korean president's visit") counts only while fewer
    than two people are named: "King Charles III welcomed ... President Lee Jae-myung" names both."""
    people = {hit.term for hit in hits if not (hit.detail or "").endswith(f"{_FOR_ITS_LEADER})")}
    if len(people) < 2:
        return hits
    return tuple(hit for hit in hits if not (hit.detail or "").endswith(f"{_FOR_ITS_LEADER})"))


_LEADER_UNNAMED = re.compile(
    r"\s+(?:counterpart|leader|president|prime\s+minister|premier|chancellor|head\s+of\s+(?:state|government))"
    r"(?![\w-])(?!,?\s+(?-i:[A-Z]))",
    re.IGNORECASE,
)


def _nationality(name: str) -> str | None:
    """The country a nationality or country name alone stands for ("Bangladeshi" → "Bangladesh")."""
    lowered = _POSSESSIVE.sub("", name).lower()
    if lowered in DEMONYMS:
        return DEMONYMS[lowered]
    return _POSSESSIVE.sub("", name) if lowered in COUNTRIES else None


_RAN_INTO_DATELINE = re.compile(r"[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)* [—–-]+ ")


def _dateline(entity: EntitySpan, text: str) -> bool:
    """The place a wire story opens with ("SYDNEY, Feb 3 -", "HANOI —", "LONDON (Reuters) -"): capitals at
    the start of a line, then a comma, a dash or a parenthesis."""
    if entity.watchlist is not None or entity.end > len(text):
        return False
    line_start = text.rfind("\n", 0, entity.start) + 1
    if _RAN_INTO_DATELINE.match(entity.text):  # "BUENOS AIRES - Argentine", read as one person's name
        return not text[line_start : entity.start].strip()
    if not entity.text.isupper():
        return False
    after = text[entity.end : entity.end + 2].strip()[:1]
    return not text[line_start : entity.start].strip() and after != "" and after in ",—–-(:"


def _lone_word(entity: EntitySpan, text: str) -> bool:
    """A one-word name no watch list knows and the article never gives in full: the small model's people
    that are a town ("Rubavu"), a palace ("Akorda"), a region ("Sahel") or a word in capitals ("Scrapped").
    A nationality that stands for its leader ("his Bangladeshi counterpart") is no lone word."""
    if entity.canonical is not None or _nationality(entity.text) is not None:
        return False
    words = without_titles(_POSSESSIVE.sub("", entity.text)).split()
    return len(words) == 1 and written_full_name(words[0], text) is None


def _compile_entity(value: tuple[str, ...], options: SelectionOptions, scope: PredicateScope) -> EntityFilter:
    return EntityFilter(frozenset(value), None, None, options.fields)


def _compile_watchlist(
    value: tuple[str, ...], options: SelectionOptions, scope: PredicateScope
) -> EntityFilter:
    return EntityFilter(None, frozenset(value), None, options.fields)


def _compile_canonical(
    value: tuple[str, ...], options: SelectionOptions, scope: PredicateScope
) -> EntityFilter:
    return EntityFilter(None, None, frozenset(name.casefold() for name in value), options.fields)


register_predicate(
    PredicateKind(
        "entity",
        LabelList,
        _compile_entity,
        "an entity with one of these labels (ORG, PERSON, ...)",
        order=30,
    )
)


def _compile_person_like(value: bool, options: SelectionOptions, scope: PredicateScope) -> EntityFilter:
    return EntityFilter(None, None, None, options.fields, person_like=value)


def _compile_full_name(value: bool, options: SelectionOptions, scope: PredicateScope) -> EntityFilter:
    return EntityFilter(None, None, None, options.fields, full_name=value)


register_predicate(
    PredicateKind(
        "person_like",
        bool,
        _compile_person_like,
        "with entity: PERSON, also names the model labelled ORG/GPE/NORP that are shaped like a person's",
        order=33,
    )
)
register_predicate(
    PredicateKind(
        "full_name",
        bool,
        _compile_full_name,
        "with entity: PERSON, a one-word name counts only when a watch list knows it or the article gives it in full",
        order=34,
    )
)
register_predicate(
    PredicateKind(
        "watchlist", NameList, _compile_watchlist, "an entity on one of these watch lists", order=31
    )
)
register_predicate(
    PredicateKind(
        "canonical", NameList, _compile_canonical, "an entity with one of these canonical names", order=32
    )
)
