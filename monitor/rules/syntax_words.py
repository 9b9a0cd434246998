"""The words the grammar walks look for: which verbs aim at their object, which prepositions introduce a
target, a participant or an agent, which nouns stand for their owners. Kept apart from the walks
(``syntax_roles``) so the vocabulary can grow without touching how a parse is read."""

from __future__ import annotations

UNDERGO_VERBS = ("face", "incur", "suffer", "receive", "come", "fall", "risk", "escape", "avoid")
"""Verbs whose *subject* is what the noun trigger lands on: "Acme faces sanctions"."""
TARGETING_VERBS = frozenset(
    """target hit cover include affect apply name list aim concern freeze bar ban prohibit add designate
    penalize penalise punish single extend reach encompass catch impose slap level place lay""".split()  # noqa: SIM905
)
"""Verbs whose object a noun trigger as their subject lands on: "the sanctions **target** X" (not "the
sanctions are **working against** the EU", which is commentary)."""
OBJECT_PREPS = frozenset({"on", "against", "targeting", "over", "upon"})
AIM_PREPS = frozenset({"at", "on", "against", "to"})  # "… asset freezes now apply to X", "extend to X"
ACTION_NOUNS = frozenset({"designation", "listing", "blacklisting", "sanctioning", "freezing", "targeting"})
"""Nouns of an action whose ``of`` object is what it acts on: "the designation **of X** by the Treasury"."""
LIST_PREPS = frozenset({"to", "on", "onto", "in", "under", "with"})
PARTICIPANT_PREPS = frozenset({"with", "between", "among", "of", "and"})
SPANS = frozenset({"day", "hour", "minute", "week", "round", "session", "morning", "afternoon", "evening"})
"""Nouns that measure a meeting ("four hours of talks"): its participants are those of what governs them."""
SUBJECT_PREPS = frozenset({"by", "from"})
HOLDINGS = frozenset(
    {
        "asset",
        "assets",
        "property",
        "properties",
        "fund",
        "funds",
        "holding",
        "holdings",
        "account",
        "accounts",
        "stake",
        "stakes",
        "interest",
        "interests",
    }
)
"""Nouns standing for their owners: "froze the assets **of X**" is a measure against X."""


DAY_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday today yesterday january february march april
    may june july august september october november december""".split()  # noqa: SIM905
)

TITLES = frozenset(
    """president prime minister premier chancellor king queen emir sultan crown prince princess taoiseach
    tanaiste captain capt gen general lt lieutenant judges col colonel maj major adm admiral brig brigadier marshal
    commander cmdr sgt sergeant dr mr mrs ms sir dame senator sen rep governor gov mayor judge justice
    former ex late acting interim deputy vice foreign defence defense finance chief secretary state
    president-elect field brigadier-general major-general lieutenant-general lt-gen maj-gen rear-admiral
    vice-admiral air-marshal honourable honorable hon haji hajji alhaji madam madame samdech datuk dato dato'
    datin sheikh sheikha excellency u daw imam ayatollah archbishop bishop cardinal rev reverend pastor
    engr""".split()  # noqa: SIM905
)
"""Titles and honorifics written before a person's name ("Gen.", "Haji", "Samdech"): not part of it."""
