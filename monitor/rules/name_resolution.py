"""Which full name a short one stands for: "Kurti" is the "Albin Kurti" the article writes, "Trump-Putin" is
both, a headline's "Arcadia" is the "Arcadia Partners" of the text.

Entity selections and arguments resolve their captures through ``resolve_names``, so one person is one
capture whichever way a paragraph names them, and a key built from the names is the same.
"""

from __future__ import annotations

import re
from dataclasses import replace

from monitor.domain import EntitySpan
from monitor.domain.name_words import introduces_name
from monitor.rules.company_names import qualified
from monitor.rules.context import Hit
from monitor.rules.name_text import stands_before_a_name, without_titles
from monitor.rules.syntax_words import ORGANISATION_WORDS, person_shaped

_PLACES = ("(GPE", "(LOC", "(NORP", "(FAC")


def resolve_names(hits: tuple[Hit, ...], entities: tuple[EntitySpan, ...], text: str = "") -> tuple[Hit, ...]:
    """Hits named by the full name the article gives: "Kurti" → "Albin Kurti", "Trump-Putin" → both.

    The full names come from the entities, and — for a surname no entity completes — from the ``text``
    itself: a capitalised first name right before it ("Prime Minister Rob Jetten"), when only one is
    written (people only). The text is read the same whatever the model read, so a headline's "Jetten-Meloni" resolves
    even when the model never saw the paragraph naming them in full.
    """
    full = full_names(entities)
    if text:
        for hit in hits:
            if not (hit.detail or "").startswith("(PERSON"):
                continue  # "Targeting Rosneft" in a headline is no company's full name
            for part in dict.fromkeys([hit.term or "", *(hit.term or "").split("-")]):  # "Asante-Mensah"
                if part and part not in full and part.count(" ") <= 1:  # "Kato Ssempijja" too
                    found = written_full_name(part, text)
                    if found is not None:
                        full[part] = found
    hits = qualified(hits, text)
    resolved_hits = []
    for hit in hits:
        if not hit.term:
            resolved_hits.append(hit)
            continue
        if (hit.detail or "").startswith(_PLACES):  # "Canada" is no surname of "Global Affairs Canada"
            resolved_hits.append(hit)
            continue
        term = " ".join(hit.term.split())
        parts = term.split("-") if "-" in term and " " not in term and term not in full else [term]
        resolved = [full.get(part, part) for part in parts]
        if len(resolved) > 1 and not all(part in full for part in parts):
            resolved = [term]
        resolved_hits += [replace(hit, term=name) for name in resolved]
    terms = {hit.term for hit in resolved_hits if hit.term}
    longer = {t: [o for o in terms if o.startswith(t + " ")] for t in terms}
    ending = {t: [o for o in terms if o.endswith(" " + t)] for t in terms}
    middle = {t: [o for o in terms if _without_middle_name(t, o)] for t in terms}
    return tuple(  # a headline's "Arcadia" is the "Arcadia Partners" of the text; a person's "Nkusi Gatera"
        # the "Emmanuel Nkusi Gatera" of the text (when only one name ends so; not "Uruguay" for the
        # "Oriental Republic of Uruguay"), "Bola Tinubu" the "Bola Ahmed Tinubu" of the text
        replace(hit, term=longer[hit.term][0])
        if hit.term and len(longer[hit.term]) == 1
        else replace(hit, term=ending[hit.term][0])
        if hit.term and len(ending[hit.term]) == 1 and (hit.detail or "").startswith("(PERSON")
        else replace(hit, term=middle[hit.term][0])
        if hit.term and len(middle[hit.term]) == 1 and (hit.detail or "").startswith("(PERSON")
        else hit
        for hit in resolved_hits
    )


def _without_middle_name(short: str, full: str) -> bool:
    """Whether ``short`` is ``full`` without its middle names: "Bola Tinubu" of "Bola Ahmed Tinubu"."""
    few, many = short.split(), full.split()
    return len(many) > len(few) >= 2 and few[0] == many[0] and few[-1] == many[-1]


_TITLE_WORDS = frozenset(
    """president prime minister chancellor premier king queen emir sultan leader mr mrs ms dr sir general gen
    secretary senator governor mayor counterpart spokesman spokeswoman chief chairman director the a an and
    of in on at for with by from to as president-elect vice deputy foreign defence defense finance""".split()  # noqa: SIM905
)


def written_full_name(surname: str, text: str) -> str | None:
    """ "Rob Jetten" for "Jetten" when the text writes exactly one capitalised first name before it."""
    if not surname[:1].isupper() or len(surname) < 3:
        return None
    pattern = re.compile(r"\b([A-Z][a-z][\w’'.-]*) " + re.escape(surname) + r"\b")
    firsts = {m.group(1) for m in pattern.finditer(text)}
    firsts = {f for f in firsts if f.lower() not in _TITLE_WORDS and f.lower() not in ORGANISATION_WORDS}
    firsts = {f for f in firsts if not (f.endswith(".") and len(f) > 3)}  # "… in Central Asia. Selin was"
    if len(firsts) != 1:
        return None
    name = f"{next(iter(firsts))} {surname}"
    first = name.split(" ")[0].lower()
    if _DEMONYM_LIKE.match(first) or introduces_name(first) or stands_before_a_name(first):
        return None  # "Italian Meloni", "Says Javier Milei", "Taoiseach Micheál Martin", "Argentina Javier Milei"
    return name if person_shaped(name) else None


_DEMONYM_LIKE = re.compile(r"\w+(?:ian|ish|ese|ean)$")  # "Italian Meloni", "Estonian Kallas": no first names


def full_names(entities: tuple[EntitySpan, ...]) -> dict[str, str]:
    """A person's surname → the full name the article gives for them ("Kurti" → "Albin Kurti"), when only
    one full name ends in it; a watch-listed person's canonical name counts as given."""
    found: dict[str, set[str]] = {}
    for entity in entities:
        person = entity.label == "PERSON" or person_shaped(entity.text)
        written = entity.canonical or (without_titles(entity.text) if person else entity.text)
        words = " ".join(written.split()).split(" ")  # "Kazakh President X Y" gives "X Y"
        if person and len(words) >= 2:
            found.setdefault(words[-1], set()).add(" ".join(words))
            if len(words) >= 3:
                found.setdefault(" ".join(words[-2:]), set()).add(" ".join(words))
    resolved = {short: next(iter(names)) for short, names in found.items() if len(names) == 1}
    every = {name for names in found.values() for name in names}
    for name in every:  # "Praveen Shetty" is the "Praveen Kumar Shetty" named in full
        words = name.split(" ")
        longer = [
            other
            for other in every
            if other != name and other.split(" ")[0] == words[0] and other.split(" ")[-1] == words[-1]
        ]
        if len(longer) == 1 and len(longer[0]) > len(name):
            resolved[name] = longer[0]
    return resolved
