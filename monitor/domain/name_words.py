"""Capitalised words that are not names: what may stand before a name without being part of it.

Two readers need the same table. Capitalised-name anchors trim these words from the front of a run of
capitals ("However Jerome Powell" is "Jerome Powell"). The watch-list matcher asks whether the capitalised
word before a listed surname is another person's first name ("Hunter Biden" is not Joe Biden) or a word
that only introduces the listed person ("President Biden", "Then Biden", "Presidents Putin and Trump").
"""

from __future__ import annotations

import re

NOT_NAMES = frozenset(
    """
    the a an in on at for to of and but or nor as by from with after before while when if it its this that
    these those there their they he she we his her our however meanwhile separately according analysts
    officials traders investors also then now today tonight yesterday tomorrow later earlier
    so yet still even only just not both either neither instead indeed finally ultimately once
    why how what who whom whose which where whether until though although because since unless
    without within despite amid among against towards toward through during like unlike
    into upon via including following regarding between
    can could will would shall should might must do does did has have had is are was were be
    mr mrs ms dr mister messrs madame monsieur frau herr senor señor sir dame
    chair chairman chairwoman president presidents vice governor minister ministers prime chancellor
    chancellors secretary senator sen rep gov chief executive ceo director king queen premier premiers
    mayor judge spokesman spokeswoman spokesperson
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday
    """.split()  # noqa: SIM905 - a word table reads better than a column of quoted strings
)
# Words that may stand right before a person's surname ("Secretary of State Rubio", "Crown Prince Mohammed",
# "Says Trump", "Under Trump") but also start other names ("State Department", "General Motors", "Under
# Armour"), so anchors keep them.
INTRODUCERS = NOT_NAMES | frozenset(
    """
    state treasury defense defence foreign interior general crown prince princess emir sheikh sultan pope
    ayatollah speaker commander marshal admiral colonel captain dictator strongman tsar czar pm fm envoy
    ambassador adviser advisor aide candidate nominee incumbent rival ally leader leaders lord lady says
    said asks asked tells told last next over under about
    """.split()  # noqa: SIM905 - a word table
)

COMPANY_SUFFIXES = (
    "SA de CV|Ltd Şti|Ltd|LLC|LLP|Pvt|Inc|PLC|JSC|PJSC|SA|AG|AS|GmbH|FZE|FZCO|DMCC|SRL|Limited|Corp|Sdn Bhd"
    "|Pte Ltd"
)
COMPANY_END = re.compile(
    rf"\s(?:{COMPANY_SUFFIXES})\.?$"
)  # a name that ends as a company's does ("… Port LLC")

TITLE_CASE_SHARE = 0.7  # a line with at least this share of capitalised words (and 4+ words) is in Title Case
WORD = re.compile(r"[^\W\d_][\w’'-]*")


def is_not_name(word: str) -> bool:
    """Whether a capitalised ``word`` (any case, a trailing full stop ignored) is never a name by itself."""
    return word.lower().rstrip(".") in NOT_NAMES


def introduces_name(word: str) -> bool:
    """Whether ``word`` may stand right before a person's surname without being their first name: a word
    that is not a name, or a title; a hyphenated title counts by any part ("President-elect", "Ex-PM")."""
    bare = word.lower().rstrip(".")
    return bare in INTRODUCERS or any(part in INTRODUCERS for part in bare.split("-") if part)


def is_title_case(words: list[str]) -> bool:
    """Whether a line's words are in Title Case ("Fed Holds Rates Steady"), which says nothing about
    which of them are names."""
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= TITLE_CASE_SHARE * len(words)
