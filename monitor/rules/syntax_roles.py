"""Grammar walks over one ``ParsedSentence``: the object, subject or participants of a trigger word.

Works on the universal labels spaCy's English parser gives (``nsubj``, ``nsubjpass``, ``dobj``, ``pobj``,
``agent``, ``conj``, ``appos``, ...) and on the rules-only fallback parse, which uses the same labels.

A trigger is a verb ("blacklisted X", "X was designated by Y") or a noun ("sanctions on X", "imposed sanctions
on X", "the sanctions target X", "X faces sanctions", "added X to its sanctions list"). For a noun the walk
climbs to the verb that governs it (through a preposition when the noun is its object) and reads that
verb's arguments by how the noun hangs off it. Every argument found is expanded over coordination and
apposition ("A, B and C", "the trading house X and its chairman, Y"): each member is a ``Member``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from monitor.domain import EntitySpan, ParsedSentence, SyntaxToken

UNDERGO_VERBS = ("face", "incur", "suffer", "receive", "come", "fall", "risk", "escape", "avoid")
"""Verbs whose *subject* is what the noun trigger lands on: "Acme faces sanctions"."""
TARGETING_VERBS = frozenset(
    """target hit cover include affect apply name list aim concern freeze bar ban prohibit add designate
    penalize penalise punish single extend reach encompass catch impose slap level place lay""".split()  # noqa: SIM905
)
"""Verbs whose object a noun trigger as their subject lands on: "the sanctions **target** X" (not "the
sanctions are **working against** the EU", which is commentary)."""
OBJECT_PREPS = frozenset({"on", "against", "targeting", "over", "upon"})
AIM_PREPS = frozenset({"at", "on", "against"})
LIST_PREPS = frozenset({"to", "on", "onto", "in", "under", "with"})
PARTICIPANT_PREPS = frozenset({"with", "between", "among", "of", "and"})
SUBJECT_PREPS = frozenset({"by", "from"})
_OWN_DEPS_EXCLUDED = frozenset(
    {"cc", "punct", "relcl", "acl", "advcl", "ccomp", "xcomp", "prep", "parataxis", "dep", "npadvmod"}
)
_OWN_PREPS = frozenset({"of", "from", "to", "including", "among", "like", "with"})
"""Prepositions inside a list of targets ("from a Kyrgyz agent … to the Istanbul firm X, together with Y")."""
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
_NOT_NAMES = frozenset({"GPE", "NORP", "LOC", "DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "PERCENT"})
DEMONYMS = {
    "american": "United States", "russian": "Russia", "chinese": "China", "ukrainian": "Ukraine",
    "german": "Germany", "french": "France", "british": "Britain", "japanese": "Japan", "indian": "India",
    "turkish": "Turkey", "iranian": "Iran", "israeli": "Israel", "italian": "Italy", "spanish": "Spain",
    "canadian": "Canada", "mexican": "Mexico", "brazilian": "Brazil", "chilean": "Chile",
    "peruvian": "Peru", "austrian": "Austria", "polish": "Poland", "hungarian": "Hungary",
    "saudi": "Saudi Arabia", "egyptian": "Egypt", "kenyan": "Kenya", "ugandan": "Uganda",
    "nigerian": "Nigeria", "south korean": "South Korea", "north korean": "North Korea",
    "korean": "South Korea", "australian": "Australia", "argentine": "Argentina", "dutch": "Netherlands",
    "swedish": "Sweden", "norwegian": "Norway", "finnish": "Finland", "belarusian": "Belarus",
    "vietnamese": "Vietnam", "indonesian": "Indonesia", "pakistani": "Pakistan", "qatari": "Qatar",
    "emirati": "United Arab Emirates", "colombian": "Colombia", "venezuelan": "Venezuela",
    "greek": "Greece", "portuguese": "Portugal", "irish": "Ireland", "swiss": "Switzerland",
    "belgian": "Belgium", "danish": "Denmark", "czech": "Czech Republic", "serbian": "Serbia",
    "georgian": "Georgia", "armenian": "Armenia", "azerbaijani": "Azerbaijan", "kazakh": "Kazakhstan",
    "thai": "Thailand", "malaysian": "Malaysia", "filipino": "Philippines", "south african": "South Africa",
    "ethiopian": "Ethiopia", "ghanaian": "Ghana", "moroccan": "Morocco", "algerian": "Algeria",
    "iraqi": "Iraq", "syrian": "Syria", "lebanese": "Lebanon", "jordanian": "Jordan",
}  # fmt: skip


@dataclass(frozen=True)
class Member:
    """One argument of a trigger: its head token, after lists were expanded."""

    head: int


_CHILDREN: dict[int, tuple[ParsedSentence, tuple[tuple[int, ...], ...]]] = {}
_CHILDREN_KEPT = 256


def _children(sentence: ParsedSentence) -> tuple[tuple[int, ...], ...]:
    """Each token's children, memoised by identity (hashing a whole sentence per call costs more)."""
    cached = _CHILDREN.get(id(sentence))
    if cached is not None and cached[0] is sentence:
        return cached[1]
    kids: list[list[int]] = [[] for _ in sentence.tokens]
    for index, token in enumerate(sentence.tokens):
        if token.head != index and 0 <= token.head < len(kids):
            kids[token.head].append(index)
    found = tuple(tuple(k) for k in kids)
    if len(_CHILDREN) >= _CHILDREN_KEPT:
        _CHILDREN.clear()
    _CHILDREN[id(sentence)] = (sentence, found)
    return found


def _kids(sentence: ParsedSentence, index: int, *deps: str) -> list[int]:
    return [c for c in _children(sentence)[index] if not deps or sentence.tokens[c].dep in deps]


def _lemma(token: SyntaxToken) -> str:
    return token.lemma.lower()


def trigger_token(sentence: ParsedSentence, start: int, end: int) -> int | None:
    """The syntactic head of the tokens covering [start, end): the one whose head lies outside them."""
    inside = [i for i, t in enumerate(sentence.tokens) if t.start < end and start < t.end]
    for index in reversed(inside):  # the last: English phrases end in their head ("asset freeze")
        head = sentence.tokens[index].head
        if head == index or head not in inside:
            return index
    return inside[-1] if inside else None


def _climb(sentence: ParsedSentence, index: int) -> tuple[int, str] | None:
    """The token governing ``index`` and how: ``dobj``, ``nsubj``, ``pobj:with`` (through a preposition).

    An adjective in between is climbed over: "were made subject to sanctions" is governed by "made"."""
    token = sentence.tokens[index]
    if token.head == index:
        return None
    if token.dep == "pobj":
        prep = sentence.tokens[token.head]
        if prep.head == token.head:
            return None
        governor = sentence.tokens[prep.head]
        if (
            governor.pos == "ADJ"
            and governor.dep in {"acomp", "oprd", "amod", "xcomp"}
            and governor.head != prep.head
        ):
            return governor.head, f"pobj:{_lemma(prep)}"
        return prep.head, f"pobj:{_lemma(prep)}"
    return token.head, token.dep


def governed_by(sentence: ParsedSentence, index: int, verbs: Sequence[str]) -> bool:
    """Whether the trigger hangs off one of ``verbs`` ("denied violating sanctions": ``violate``)."""
    if not verbs:
        return False
    climbed = _climb(sentence, index)
    return climbed is not None and _lemma(sentence.tokens[climbed[0]]) in verbs


def _is_verb(token: SyntaxToken) -> bool:
    return token.pos in {"VERB", "AUX"}


def _passive(sentence: ParsedSentence, index: int) -> bool:
    return bool(_kids(sentence, index, "auxpass", "nsubjpass", "agent"))


def _pobjs(sentence: ParsedSentence, index: int, preps: frozenset[str]) -> list[int]:
    """Objects of the preposition children in ``preps``, repeated ones included ("on X … and on Y")."""
    found = []
    todo = _kids(sentence, index, "prep", "agent")
    seen = set(todo)
    while todo:
        prep = todo.pop(0)
        if _lemma(sentence.tokens[prep]) in preps:
            found += _kids(sentence, prep, "pobj", "pcomp")
            for again in _kids(sentence, prep, "conj", "prep"):
                if again not in seen and sentence.tokens[again].pos == "ADP":
                    seen.add(again)
                    todo.append(again)
    return found


def _owners(sentence: ParsedSentence, heads: list[int]) -> list[int]:
    """``heads`` with "the assets of X" replaced by X."""
    found = []
    for head in heads:
        token = sentence.tokens[head]
        owners = _pobjs(sentence, head, frozenset({"of"})) if _lemma(token) in HOLDINGS else []
        found += owners or [head]
    return found


def members(sentence: ParsedSentence, trigger: int, role: str, undergo: Sequence[str]) -> list[Member]:
    """The trigger's arguments in ``role``, each list expanded into its members, in sentence order."""
    finder = {"object": _objects, "subject": _subjects, "participant": _participants, "modified": _modified}
    heads = finder[role](sentence, trigger, undergo)
    if role == "object":
        heads = _owners(sentence, heads)
    if not heads and role != "modified":  # "travel bans and asset freezes on X": the first conjunct's
        first = _first_conjunct(sentence, trigger)
        if first != trigger:
            heads = finder[role](sentence, first, undergo)
    token = sentence.tokens[trigger]
    if not heads and role in {"object", "subject"} and token.dep == "compound" and token.head != trigger:
        heads = finder[role](
            sentence, token.head, undergo
        )  # "added to the Specially Designated Nationals list"
        if role == "object":
            heads = _owners(sentence, heads)
    expanded: dict[int, None] = {}
    for head in heads:
        for member in _expand(sentence, head):
            if member != trigger:
                expanded.setdefault(member)
    return [Member(index) for index in sorted(expanded)]


def _first_conjunct(sentence: ParsedSentence, index: int) -> int:
    seen = {index}
    while sentence.tokens[index].dep == "conj" and sentence.tokens[index].head not in seen:
        index = sentence.tokens[index].head
        seen.add(index)
    return index


def _expand(sentence: ParsedSentence, index: int) -> list[int]:
    return _walk(sentence, index, lambda child: sentence.tokens[child].dep in {"conj", "appos"})


def _objects(sentence: ParsedSentence, trigger: int, undergo: Sequence[str]) -> list[int]:
    token = sentence.tokens[trigger]
    found: list[int] = []
    if _is_verb(token):
        found += _kids(sentence, trigger, "dobj", "nsubjpass", "dative")
        found += _pobjs(sentence, trigger, OBJECT_PREPS)
        found += _stray_conjuncts(sentence, trigger) if found else []
        if token.dep == "acl" and not found:
            found.append(token.head)  # "companies sanctioned by Japan"
        if not found and token.dep == "conj":  # "X was fined and sanctioned"
            found += _kids(sentence, token.head, "nsubjpass")
        return found
    found += _pobjs(sentence, trigger, OBJECT_PREPS)
    for clause in _kids(sentence, trigger, "acl", "relcl"):  # "sanctions targeting X", "which hit X"
        found += _kids(sentence, clause, "dobj") + _pobjs(sentence, clause, AIM_PREPS)
    climbed = _climb(sentence, trigger)
    if climbed is None:
        return found
    verb, how = climbed
    lemma = _lemma(sentence.tokens[verb])
    if how == "dobj" or how == "pobj:with":
        found += _pobjs(sentence, verb, OBJECT_PREPS)
        found += _stray_conjuncts(sentence, verb) if found else []
        if how == "pobj:with":
            found += _kids(sentence, verb, "dobj", "nsubjpass")
        if lemma in undergo:
            found += _kids(sentence, verb, "nsubj", "nsubjpass")
    elif how in {"nsubj", "nsubjpass"} and lemma in TARGETING_VERBS:
        found += _kids(sentence, verb, "dobj") + _pobjs(sentence, verb, AIM_PREPS)
    elif how.startswith("pobj:") and how[5:] in LIST_PREPS:
        found += _kids(sentence, verb, "dobj", "nsubjpass")
        if lemma in undergo:
            found += _kids(sentence, verb, "nsubj")
    return [index for index in found if index != trigger]


def _stray_conjuncts(sentence: ParsedSentence, verb: int) -> list[int]:
    """Nouns the parser joined to the verb instead of to its object: "sanctions on X, …, and two of its
    executives, Y and Z" (``two`` hangs off "imposed" as a conjunct)."""
    return [c for c in _kids(sentence, verb, "conj") if sentence.tokens[c].pos in {"NOUN", "PROPN", "NUM"}]


def _subjects(sentence: ParsedSentence, trigger: int, undergo: Sequence[str]) -> list[int]:
    token = sentence.tokens[trigger]
    found: list[int] = []
    if _is_verb(token):
        found += _kids(sentence, trigger, "nsubj") + _pobjs(sentence, trigger, frozenset({"by"}))
        named = any(_capital(sentence, i) for i in found)
        if not named and token.dep in {"conj", "xcomp", "ccomp"}:  # "froze X and blacklisted Y", "moved to
            found += _kids(sentence, token.head, "nsubj")  # sanction"; "imposed bans and freezes on" misread
        return found
    found += _kids(sentence, trigger, "poss", "compound", "amod", "nmod")
    found = [i for i in found if sentence.tokens[i].pos in {"PROPN", "ADJ", "NOUN"} and _capital(sentence, i)]
    found += _pobjs(sentence, trigger, SUBJECT_PREPS)
    climbed = _climb(sentence, trigger)
    if climbed is not None:
        verb, how = climbed
        if _lemma(sentence.tokens[verb]) not in undergo and (how == "dobj" or how.startswith("pobj:")):
            found += _kids(sentence, verb, "nsubj") + _pobjs(sentence, verb, frozenset({"by"}))
    return found


def _capital(sentence: ParsedSentence, index: int) -> bool:
    text = sentence.tokens[index].text
    return text[:1].isupper()


def _participants(sentence: ParsedSentence, trigger: int, undergo: Sequence[str]) -> list[int]:
    token = sentence.tokens[trigger]
    found = _kids(sentence, trigger, "nsubj", "nsubjpass", "dobj", "poss", "compound")
    found += _pobjs(sentence, trigger, PARTICIPANT_PREPS) + _pobjs(sentence, trigger, frozenset({"by"}))
    if _is_verb(token) and token.dep in {"xcomp", "conj"} and not _kids(sentence, trigger, "nsubj"):
        found += _kids(
            sentence, token.head, "nsubj", "nsubjpass"
        )  # "agreed to meet", "are scheduled to meet"
    climbed = _climb(sentence, trigger)
    if climbed is not None and not _is_verb(token):
        verb, _how = climbed
        found += _kids(sentence, verb, "nsubj", "nsubjpass", "dobj")
        found += _pobjs(sentence, verb, frozenset({"with", "between"}))
    return [index for index in found if index != trigger]


def _modified(sentence: ParsedSentence, trigger: int, undergo: Sequence[str]) -> list[int]:
    token = sentence.tokens[trigger]
    if token.dep in {"amod", "compound", "acl", "nmod"} and token.head != trigger:
        return [token.head]
    return []


def own_tokens(sentence: ParsedSentence, index: int) -> list[int]:
    """The member's own phrase: its subtree without other members, clauses and (but ``of``) prepositions."""

    def own(child: int) -> bool:
        token = sentence.tokens[child]
        return token.dep not in _OWN_DEPS_EXCLUDED or (token.dep == "prep" and _lemma(token) in _OWN_PREPS)

    return sorted(_walk(sentence, index, own))


def _subtree(sentence: ParsedSentence, index: int) -> list[int]:
    return _walk(sentence, index, lambda child: True)


def _walk(sentence: ParsedSentence, index: int, follow: Callable[[int], bool]) -> list[int]:
    """``index`` and every descendant reached through children ``follow`` accepts; safe on cycles."""
    found, todo, seen = [], [index], {index}
    while todo:
        current = todo.pop()
        found.append(current)
        for child in _children(sentence)[current]:
            if child not in seen and follow(child):
                seen.add(child)
                todo.append(child)
    return sorted(found)


def member_span(sentence: ParsedSentence, member: Member) -> tuple[int, int]:
    own = own_tokens(sentence, member.head)
    tokens = sentence.tokens
    first = next((i for i in own if tokens[i].pos not in {"DET", "PUNCT"}), own[0])
    return tokens[first].start, tokens[own[-1]].end


def has_words(sentence: ParsedSentence, member: Member, words: Sequence[str]) -> bool:
    own = own_tokens(sentence, member.head)
    wanted = {w.lower() for w in words}
    text = " " + " ".join(sentence.tokens[i].text.lower() for i in own) + " "
    return any(
        _lemma(sentence.tokens[i]) in wanted or sentence.tokens[i].text.lower() in wanted for i in own
    ) or any(f" {w} " in text for w in wanted if " " in w)


def names_in(
    sentence: ParsedSentence,
    member: Member,
    entities: Sequence[EntitySpan],
    labels: Sequence[str] | None,
    proper_nouns: bool,
    canonical: bool = False,
) -> list[tuple[int, int, str, str]]:
    """(start, end, name, label) of the names in the member's own phrase.

    A name is an entity with one of ``labels``, or — with ``proper_nouns`` — a run of capitalised words
    holding a proper noun that the entity recogniser missed or cut short ("Sable Bay Commodities" where it
    saw "Bay Commodities"). Runs that are only a place or a nationality are not names; neither is a name
    used as an adjective ("a Cyprus-registered trader").
    """
    own = own_tokens(sentence, member.head)
    ranges = [(sentence.tokens[i].start, sentence.tokens[i].end) for i in own]
    inside = [e for e in entities if any(s <= e.start < t or e.start <= s < e.end for s, t in ranges)]
    found: dict[tuple[int, int], tuple[int, int, str, str]] = {}
    used: set[int] = set()
    headline = _title_case(sentence)
    if headline:  # in a Title Case headline only watch-listed names are names
        inside = [e for e in inside if e.canonical is not None]
    runs = [] if headline else _proper_runs(sentence, own)
    for start, end, text in runs:
        overlapping = [e for e in inside if e.start < end and start < e.end]
        used.update(id(e) for e in overlapping)
        wanted = [e for e in overlapping if labels is None or e.label in labels]
        if wanted:
            longest = max(wanted, key=lambda e: e.end - e.start)
            if canonical and longest.canonical:
                found[(longest.start, longest.end)] = (
                    longest.start,
                    longest.end,
                    longest.canonical,
                    longest.label,
                )
            elif proper_nouns and end - start > longest.end - longest.start:
                found[(start, end)] = (start, end, clean_name(text), longest.label)
            else:
                found[(longest.start, longest.end)] = (
                    longest.start,
                    longest.end,
                    clean_name(longest.text),
                    longest.label,
                )
        elif proper_nouns and _only_places(overlapping, start, end):
            found[(start, end)] = (start, end, clean_name(text), "PROPN")
    for entity in inside:
        labelled = labels is None or entity.label in labels
        if id(entity) not in used and labelled and not _adjectival(sentence, entity.end):
            found[(entity.start, entity.end)] = (
                entity.start,
                entity.end,
                entity.canonical if canonical and entity.canonical else clean_name(entity.text),
                entity.label,
            )
    return sorted(value for value in found.values() if value[2][:1].isupper())


def _title_case(sentence: ParsedSentence) -> bool:
    """A headline in Title Case ("Russian Oil Companies Disrupt Exports"): capitals say nothing there."""
    words = [
        t
        for t in sentence.tokens[1:]
        if t.text[:1].isalpha() and len(t.text) > 3 and t.pos in {"NOUN", "VERB", "ADJ"}
    ]
    if len(words) >= 2 and sum(t.text[:1].isupper() for t in words) >= 0.7 * len(words):
        return True
    longer = [t for t in sentence.tokens[1:] if t.text[:1].isalpha() and len(t.text) > 3]
    return len(longer) >= 4 and all(t.text[:1].isupper() for t in longer)  # tagged all PROPN


def _only_places(overlapping: Sequence[EntitySpan], start: int, end: int) -> bool:
    """No entity, or only places/nationalities/dates inside a longer run ("Gulf Star Shipping")."""
    if not overlapping:
        return True
    covered = sum(min(e.end, end) - max(e.start, start) for e in overlapping)
    return all(e.label in _NOT_NAMES for e in overlapping) and covered < (end - start) - 1


TITLE_WORDS = frozenset(
    """president prime minister chancellor king queen secretary general director chairman chairwoman chief
    executive senator governor mayor deputy vice sheikh crown prince premier ambassador commissioner
    spokesman spokeswoman mr mrs ms dr emir sultan founder owner ceo pm cm""".split()  # noqa: SIM905
)
"""Capitalised words that title a name, not part of it: "Prime Minister Albin Kurti" names Albin Kurti."""
_CONNECTORS = frozenset(
    {"-", "&", "del", "de", "da", "la", "le", "bin", "al", "van", "von", "der", "du", "dos"}
)


def _proper_runs(sentence: ParsedSentence, own: Sequence[int]) -> list[tuple[int, int, str]]:
    """Runs of capitalised words (joined by connectors such as "-", "&", "del") holding a proper noun."""
    tokens = sentence.tokens
    owned = set(own)
    runs: list[list[int]] = []
    current: list[int] = []
    for index in sorted(own):
        token = tokens[index]
        capital = token.text[:1].isupper() and token.pos in {"PROPN", "NOUN", "ADJ", "X", "VERB"}
        connector = (
            token.text.lower() in _CONNECTORS
            and current
            and current[-1] == index - 1
            and index + 1 in owned
            and tokens[index + 1].text[:1].isupper()
        )
        if (capital or connector) and (not current or current[-1] == index - 1):
            current.append(index)
            continue
        if current:
            runs.append(current)
        current = [index] if capital else []
    if current:
        runs.append(current)
    result = []
    for run in runs:
        while run and tokens[run[-1]].text.lower() in _CONNECTORS:
            run = run[:-1]
        titles = [position for position, i in enumerate(run) if tokens[i].text.lower() in TITLE_WORDS]
        if titles:  # "Kosovo Prime Minister Albin Kurti" → "Albin Kurti"
            run = run[titles[-1] + 1 :]
        if not run or not any(tokens[i].pos == "PROPN" for i in run):
            continue
        start, end = tokens[run[0]].start, tokens[run[-1]].end
        if _adjectival(sentence, end):
            continue
        text = ""
        for position, i in enumerate(run):
            gap = position and tokens[i].start > tokens[run[position - 1]].end
            text += (" " if gap else "") + tokens[i].text
        result.append((start, end, text))
    return result


def _adjectival(sentence: ParsedSentence, end: int) -> bool:
    """Whether the name ending at ``end`` is glued to a lowercase word by a hyphen ("Minsk-based")."""
    tokens = sentence.tokens
    for index, token in enumerate(tokens[:-1]):
        if token.start == end and token.text == "-":
            after = tokens[index + 1]
            return after.start == token.end and after.text[:1].islower()
    return False


def clean_name(name: str) -> str:
    words = name.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    cleaned = " ".join(words)
    for suffix in ("'s", "’s", "'", "’"):
        if cleaned.endswith(suffix):
            cleaned = cleaned[: -len(suffix)]
    return cleaned.strip(" ,.;:")


def number_of(sentence: ParsedSentence, index: int) -> str | None:
    """The number counting a noun ("14 people", "six firms", "two dozen traders"), as written."""
    for child in _kids(sentence, index, "nummod"):
        words = sorted(_subtree(sentence, child))
        return " ".join(sentence.tokens[i].text for i in words)
    return None


def is_office(sentence: ParsedSentence, member: Member, offices: Sequence[str]) -> bool:
    """Whether the member is an office: its head with its compounds ends in one ("the prime ministers")."""
    head = sentence.tokens[member.head]
    words = [sentence.tokens[i] for i in _kids(sentence, member.head, "compound", "amod") if i < member.head]
    written = " ".join([*(t.text.lower() for t in words), _lemma(head)])
    plural = " ".join([*(t.text.lower() for t in words), head.text.lower()])
    return any(
        phrase == office or phrase.endswith(" " + office)
        for office in offices
        for phrase in (written, plural)
    )


def office_countries(
    sentence: ParsedSentence, index: int, entities: Sequence[EntitySpan]
) -> list[tuple[int, int, str, str]]:
    """The countries of an office: "Uganda's president", "the chancellors of Austria and Germany",
    "the Chilean president"; for "their presidents", the countries named as the clause's subject."""
    places: list[int] = []
    for child in _kids(sentence, index, "poss", "compound", "amod", "nmod"):
        places += _subtree(sentence, child)
    for pobj in _pobjs(sentence, index, frozenset({"of"})):
        places += _subtree(sentence, pobj)
    found = _countries_at(sentence, places, entities)
    pronoun = any(_lemma(sentence.tokens[c]) in {"their", "its"} for c in _kids(sentence, index, "poss"))
    if not found and pronoun:
        subjects = [i for i, t in enumerate(sentence.tokens) if t.dep in {"nsubj", "nsubjpass"}]
        found = _countries_at(sentence, [j for s in subjects for j in _subtree(sentence, s)], entities)
    return found


def _countries_at(
    sentence: ParsedSentence, places: Sequence[int], entities: Sequence[EntitySpan]
) -> list[tuple[int, int, str, str]]:
    ranges = [(sentence.tokens[i].start, sentence.tokens[i].end) for i in places]
    found = []
    for entity in entities:
        if entity.label not in {"GPE", "NORP"}:
            continue
        if not any(s <= entity.start < e for s, e in ranges):
            continue
        name = clean_name(entity.canonical or entity.text)
        if entity.label == "NORP":
            name = DEMONYMS.get(name.lower(), "")
        if name:
            found.append((entity.start, entity.end, name, entity.label))
    return found
