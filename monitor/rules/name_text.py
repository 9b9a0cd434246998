"""A name as written, made a name: titles and nationality before a person, a dateline's end, a leading
"the" or weekday, a description before it ("Pune-based", "Kazakh company"), words the model's span ran on
into, a company's seat after its legal ending.

Pure text: the model's spans and the parse's runs both end up here, so one name reads the same whichever
sentences the model read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from monitor.rules.syntax_words import COUNTRIES, DEMONYMS, TITLES


def without_titles(name: str) -> str:
    """A person's name without the titles and nationality written before it: "Kazakh President Kassym-Jomart
    Tokayev" → "Kassym-Jomart Tokayev", "Gen. Moses Aguer Deng" → "Moses Aguer Deng" (two words stay, but
    for "PM": "PM Lee" is Lee, whom the article names in full)."""
    words = name.split()
    if len(words) == 2 and words[0] == "PM":
        return words[1]
    while len(words) > 2:
        if len(words) > 3 and (_place(f"{words[0]} {words[1]}") or words[1].lower() in _STATE_FORMS):
            words = words[2:]  # "South Korean", "Sri Lankan", "Kyrgyz Republic Sadyr Japarov"
        elif _title(words[0]) or _place(words[0]):  # "Turkmenistan Serdar ...", "Lieutenant-Colonel X"
            words = words[1:]
        elif words[0].lower() == "the" and (_title(words[1]) or _place(words[1])):  # "the Colonel Braima
            # Sambú", "the President of the Republic Ousmane Ndiaye Faye" (the model's "the Republic …")
            words = words[1:]
        else:
            break
    if len(words) == 2 and _plural_title(words[0]):  # "Presidents Niyonkuru" (and Rugamba)
        words = words[1:]
    return " ".join(words)


def stands_before_a_name(word: str) -> bool:
    """A title, plural title, nationality, country or state form: written before a name, never its first
    word ("Taoiseach Micheál Martin", "Presidents Niyonkuru", "Argentina Javier Milei", "Republic X")."""
    return _title(word) or _plural_title(word) or _place(word)


def _plural_title(word: str) -> bool:
    lowered = word.lower()
    return lowered.endswith("s") and lowered[:-1] in TITLES


def _title(word: str) -> bool:
    return all(part.lower().rstrip(".") in TITLES for part in word.split("-"))


def _place(word: str) -> bool:
    lowered = word.lower()
    return lowered in DEMONYMS or lowered in COUNTRIES or lowered in _STATE_FORMS


_STATE_FORMS = frozenset({"republic", "kingdom", "federation", "sultanate", "principality", "pdr"})
"""The last word of a state's formal name ("President of the Lao People's Democratic Republic Thongloun
Sisoulith"): never the first word of a person's."""


_DATE_WORDS = frozenset(
    """jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june july august
    september october november december monday tuesday wednesday thursday friday saturday sunday
    gmt utc bst cet cest est edt pst pdt jst ist aest et""".split()  # noqa: SIM905
)
_DATELINE_PREFIX = re.compile(r"^(?:[A-Z][A-Z .'’-]+?|\d+\w*\s+[A-Z][a-z]+)\s+[—–-]+\s+(?=\S)")


def not_a_name(text: str) -> bool:
    """A month, weekday or time zone the model tags as a name ("Feb", "GMT", "Oct 8"), a sum ("NZ$500,000"), or an
    office that state media capitalise ("the Head of State instructed the Government"), or titles alone
    ("Prime Ministers", "Moha Borvor"), or a legal ending alone ("LLC": the model cut it from its company)."""
    stripped = text.strip(" .,")
    dated = _DATED.fullmatch(stripped)
    return (
        stripped.casefold() in _DATE_WORDS
        or (dated is not None and dated.group(1).casefold() in _DATE_WORDS)
        or any(sign in text for sign in "$€£¥₹")
        or _OFFICE_AS_NAME.fullmatch(stripped) is not None
        or all(_title(word) or (word.endswith("s") and _title(word[:-1])) for word in text.split())
        or all(word.lower().rstrip(".,") in _COMPANY_ENDS for word in text.split())
    )


_DATED = re.compile(r"([A-Za-z]+)\.?\s+\d{1,2}(?:st|nd|rd|th)?")  # "Oct 8", "December 4th" (when a month)
_OFFICE_AS_NAME = re.compile(r"(?i:the\s+)?(?i:head)\s+of\s+(?i:state|government)")


DANGLING = frozenset({"and", "or", "&", "of", "in", "from", "at", "for", "with"})
"""Words a name cannot end with: the model's span ran on into the next words ("X Trading and", "X of")."""


_COMPANY_ENDS = frozenset(
    """ltd ltd. limited inc inc. llc llp jsc pjsc ojsc cjsc co co. corp corp. corporation plc sa ag gmbh fze
    fzco fzc pte bv nv spa srl sarl sas pvt sdn bhd dmcc agency""".split()  # noqa: SIM905
)


def _after_suffix_of(words: Sequence[str]) -> int | None:
    """Where " of <Place>" starts after a company's legal ending ("… Ltd of Limassol"), if it does."""
    for index in range(1, len(words) - 1):
        if words[index] == "of" and words[index - 1].lower().rstrip(",") in _COMPANY_ENDS:
            rest = words[index + 1 :]
            if rest and all(word[:1].isupper() for word in rest):
                return index
    return None


_DESCRIBED_BY_PLACE = re.compile(
    r"^[A-Z][\w'’.]*(?:-[A-Z][\w'’.]*)*-(?:based|registered|listed|headquartered|owned|flagged|incorporated)$"
)


def _without_description(words: list[str]) -> list[str]:
    """Words that describe the name before it: "Pune-based Aerovista" → "Aerovista", "Kazakh company Steppe
    Machinery" and "Moldovan lawmaker Ilie Romanciuc" → the name alone."""
    while len(words) > 1 and _DESCRIBED_BY_PLACE.match(words[0]):
        words = words[1:]
    if len(words) > 2 and words[0][:1].isupper() and _DESCRIBED_BY_PLACE.match(words[1]):
        words = words[2:]  # "Abu Dhabi-based X"
    if len(words) > 2 and _place(words[0]) and words[1].islower():
        named = next((i for i, word in enumerate(words[1:], 1) if word[:1].isupper()), None)
        if named is not None:
            words = words[named:]
    return words


def clean_name(name: str) -> str:
    name = _DATELINE_PREFIX.sub("", name)  # "WELLINGTON - New Zealand", "4th February - X": a dateline's end
    words = name.split()
    while words and (words[0].lower() == "the" or (len(words) > 1 and words[0].lower() in _DATE_WORDS)):
        words = words[1:]  # "the X", "Wednesday Switzerland" ("On Wednesday Switzerland froze …")
    words = _without_description(words)
    if len(words) == 1 and words[0].lower().rstrip(",") in _COMPANY_ENDS:
        return ""  # a legal ending the model took for a name of its own ("…, LLC")
    # "Meridian Ore Trading and", "X Services of [Vladivostok]": the model's span ran on
    while words and words[-1].lower() in DANGLING:
        words = words[:-1]
    if (of := _after_suffix_of(words)) is not None:
        words = words[:of]  # "Bluefin Crewing Agency of Mumbai", "X Carriers Ltd of Limassol": the seat
    cleaned = " ".join(words)
    for suffix in ("'s", "’s", "'", "’"):
        if cleaned.endswith(suffix):
            cleaned = cleaned[: -len(suffix)]
    return cleaned.strip(" ,.;:")
