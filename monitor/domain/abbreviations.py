"""Words a full stop follows without ending a sentence ("Mr.", "Corp.", "Lt-Gen.", "U.S.", "J. Smith").

Both sentence splitters read them: enrichment's, which cuts what the model parses, and the rules', which
says what "the same sentence" means; one list keeps the two from disagreeing about where a sentence ends.
"""

from __future__ import annotations

ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof st jr sr gen col lt sgt capt maj brig adm cmdr gov sen rep rev hon inc ltd co corp plc bros
    no nos vs etc approx dept est fig jan feb mar apr jun jul aug sep sept oct nov dec mt ft e.g i.e u.s u.k u.n
    e.u a.m p.m pte pvt s.a s.a.l l.l.c n.v b.v s.p.a
    """.split()  # noqa: SIM905 - a word table reads better than a column of quoted strings
)


def is_abbreviation(word: str) -> bool:
    """Whether ``word`` (without its full stop, any case) is an initial or an abbreviation: a rank glued to
    another by a hyphen counts ("Lt-Gen", "Brig-Gen"), but not "no" ("a yes-or-no.")."""
    bare = word.lower()
    if len(bare) == 1 and bare.isalpha():
        return True
    return bare in ABBREVIATIONS or (bare.rpartition("-")[2] in ABBREVIATIONS - {"no"})
