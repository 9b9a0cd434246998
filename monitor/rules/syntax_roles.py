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

from collections.abc import Sequence

from monitor.domain import ParsedSentence, SyntaxToken
from monitor.rules.syntax_chains import list_continues, naming, stray_conjuncts
from monitor.rules.syntax_holdings import freezes, owners
from monitor.rules.syntax_lists import (
    Member,
    expand,
    first_conjunct,
    later_conjuncts,
    own_tokens,
    pobjs,
)
from monitor.rules.syntax_misreads import (
    along_with,
    counted_among,
    headline_verb,
    its_role_after,
    list_after_the_object,
    misread_as_adjective,
    name_after_called,
    name_after_comma,
    name_after_title,
    noun_read_as_clause,
    object_after_aside,
    object_read_as_later_subject,
    participle_after_to,
    repeated_preposition,
    stray_apposition,
    subject_read_as_root,
    verb_read_as_subject,
)
from monitor.rules.syntax_name_lists import names_of_the_counted, semicolon_list
from monitor.rules.syntax_reports import object_read_as_report_subject
from monitor.rules.syntax_tree import is_nominal, is_verb, kids, lemma_of
from monitor.rules.syntax_words import (
    ACTION_NOUNS,
    AIM_PREPS,
    DAY_WORDS,
    INCLUDING,
    LIST_PREPS,
    OBJECT_PREPS,
    PARTICIPANT_PREPS,
    SPANS,
    SUBJECT_PREPS,
    TARGETING_VERBS,
)


def trigger_token(sentence: ParsedSentence, start: int, end: int) -> int | None:
    """The syntactic head of the tokens covering [start, end): the one whose head lies outside them."""
    inside = [i for i, t in enumerate(sentence.tokens) if t.start < end and start < t.end]
    for index in reversed(inside):  # the last: English phrases end in their head ("asset freeze")
        head = sentence.tokens[index].head
        if head == index or head not in inside:
            said = [i for i in kids(sentence, index, "acomp") if i in inside]  # "… are frozen": "frozen"
            return said[-1] if said and lemma_of(sentence.tokens[index]) == "be" else index
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
            return governor.head, f"pobj:{lemma_of(prep)}"
        return prep.head, f"pobj:{lemma_of(prep)}"
    governor = sentence.tokens[token.head]
    if (
        token.dep == "dobj"
        and governor.dep in {"csubjpass", "csubj"}
        and governor.text.lower().endswith("ing")
    ):
        # "Blocking sanctions and visa bans were imposed on X": a modifier read as a gerund clause
        return governor.head, "nsubjpass" if governor.dep == "csubjpass" else "nsubj"
    return token.head, token.dep


def governed_by(sentence: ParsedSentence, index: int, verbs: Sequence[str]) -> bool:
    """Whether the trigger (or the list it ends) hangs off one of ``verbs``: "denied violating sanctions"."""
    if not verbs:
        return False
    climbs = [_climb(sentence, i) for i in dict.fromkeys((index, first_conjunct(sentence, index)))]
    return any(climbed is not None and lemma_of(sentence.tokens[climbed[0]]) in verbs for climbed in climbs)


def _passive(sentence: ParsedSentence, index: int) -> bool:
    return bool(kids(sentence, index, "auxpass", "nsubjpass", "agent"))


def _past_dates(sentence: ParsedSentence, heads: list[int]) -> list[int]:
    """``heads`` with a date in the way stepped over: in "penalties on Thursday on X" the parser hangs
    "on X" off "Thursday"."""
    found = []
    for head in heads:
        if lemma_of(sentence.tokens[head]) in DAY_WORDS:
            found += pobjs(sentence, head, OBJECT_PREPS)
        else:
            found.append(head)
    return found


def _antecedent(sentence: ParsedSentence, trigger: int, head: int) -> int:
    """ "X, whom Washington has sanctioned": the relative pronoun stands for the noun the clause hangs off.
    Only "whom", an authority acting: "X, which was sanctioned by the US last year" is background."""
    token = sentence.tokens[trigger]
    relative = sentence.tokens[head].text.lower() == "whom"
    return token.head if relative and token.dep == "relcl" and token.head != trigger else head


def members(sentence: ParsedSentence, trigger: int, role: str, undergo: Sequence[str]) -> list[Member]:
    """The trigger's arguments in ``role``, each list expanded into its members, in sentence order."""
    finder = {"object": _objects, "subject": _subjects, "participant": _participants, "modified": _modified}
    heads = finder[role](sentence, trigger, undergo)
    if role == "object":
        heads = owners(sentence, _past_dates(sentence, [_antecedent(sentence, trigger, h) for h in heads]))
        heads += repeated_preposition(sentence, heads)
        heads += along_with(sentence, heads)
        heads += its_role_after(sentence, heads)
        heads += [n for n in list_continues(sentence, heads) if n not in heads]
        named = [n for n in names_of_the_counted(sentence, trigger) if n not in heads]
        named += [n for n in semicolon_list(sentence, trigger, heads + named) if n not in heads + named]
        heads += named  # the list may go on after the names these found too
        heads += [n for n in list_continues(sentence, named) if n not in heads] if named else []
    if not heads and role != "modified":  # "travel bans and asset freezes on X": the first conjunct's
        first = first_conjunct(sentence, trigger)
        if first != trigger:
            heads = finder[role](sentence, first, undergo)
    if not heads and role == "object":  # "an asset freeze, a travel ban and an arms embargo on X": the last's
        for later in later_conjuncts(sentence, trigger):
            heads = heads or pobjs(sentence, later, OBJECT_PREPS)
    if not heads and role == "object":  # "asset freezes now apply to X": the noun read as a verb, "apply"
        for clause in kids(sentence, trigger, "dep", "xcomp", "ccomp"):  # as a clause of it
            if lemma_of(sentence.tokens[clause]) in TARGETING_VERBS:
                heads += kids(sentence, clause, "dobj") + pobjs(sentence, clause, AIM_PREPS)
        heads += repeated_preposition(sentence, heads)  # "… as well as to the refinery itself, X"
    token = sentence.tokens[trigger]
    if not heads and role in {"object", "subject"} and token.dep == "compound" and token.head != trigger:
        # "added to the Specially Designated Nationals list"
        heads = finder[role](sentence, token.head, undergo)
        if role == "object":
            heads = owners(sentence, heads)
    if role == "object":  # "three individuals including X": X is one of them
        heads += [named for head in heads for named in pobjs(sentence, head, INCLUDING)]
    if role == "subject":  # "Its Haiti sanctions committee added X": a body named before acts, not Haiti
        heads = [head for head in heads if not _pronoun_owned(sentence, head)]
    expanded: dict[int, None] = {}
    if role == "object":
        heads += [
            n
            for head in heads
            for m in expand(sentence, head)
            if (
                n := name_after_comma(sentence, m)
                or name_after_title(sentence, m)
                or name_after_called(sentence, m)
            )
        ]
    for head in heads:
        for member in expand(sentence, head):
            if member != trigger and not stray_apposition(sentence, trigger, role, head, member):
                expanded.setdefault(member)
    inside = [index for index in sorted(expanded) if trigger in own_tokens(sentence, index)]
    return [Member(index, trigger if index in inside else -1) for index in sorted(expanded)]


def _objects(sentence: ParsedSentence, trigger: int, undergo: Sequence[str]) -> list[int]:
    token = sentence.tokens[trigger]
    found: list[int] = []
    if headline_verb(sentence, trigger):  # "Britain sanctions Volkhov Maritime Ltd": the name it modifies
        return [token.head]
    if noun_read_as_clause(sentence, trigger):  # "X and Y now face asset freezes": "asset freezes [...]"
        head = token.head
        found += pobjs(sentence, trigger, OBJECT_PREPS) + pobjs(sentence, head, OBJECT_PREPS)
        if lemma_of(sentence.tokens[head]) in undergo:
            found += kids(sentence, head, "nsubj")
        found += naming(sentence, trigger) + naming(sentence, head)  # "…, naming X, Y and Z"
        return [index for index in found if index != trigger]
    if (applied := verb_read_as_subject(sentence, trigger)) is not None:  # "asset freezes now apply to X"
        return kids(sentence, applied, "dobj") + pobjs(sentence, applied, AIM_PREPS)
    if participle_after_to(sentence, trigger):  # "exposure to sanctioned shipping companies"
        return []
    if is_verb(token):
        found += kids(sentence, trigger, "dobj", "nsubjpass", "dative") + subject_read_as_root(
            sentence, trigger
        )
        found += pobjs(sentence, trigger, OBJECT_PREPS)
        if misread_as_adjective(sentence, trigger):  # "OFAC on Tuesday designated Tengri Logistics LLC"
            found.append(token.head)  # parsed as "designated LLC"
        found += stray_conjuncts(sentence, trigger) if found else []
        dated = [i for i in found if lemma_of(sentence.tokens[i]) in DAY_WORDS]  # "… on Monday"
        if token.dep == "acl" and len(dated) == len(found):
            found.append(token.head)  # "companies sanctioned by Japan"
            found += counted_among(sentence, first_conjunct(sentence, token.head))
        if not found and token.dep == "conj":  # "X was fined and sanctioned"
            found += kids(sentence, token.head, "nsubjpass")
        if not found and (passive := kids(sentence, trigger, "auxpass")):  # "Designated … are X; Y"
            found += kids(sentence, trigger, "nsubj") + [
                n for aux in passive for n in kids(sentence, aux, "nsubj")
            ]
        if not found:  # "froze all assets held by X, SECO said": the object read as the report's subject
            found += object_read_as_report_subject(sentence, trigger)
        if not found:  # "listing, in the order given in its statement, the deputy minister, X"
            found += object_after_aside(sentence, trigger)
        if not found:  # "has designated a web of intermediaries based in …" ("web" read as a later subject)
            found += object_read_as_later_subject(sentence, trigger)
        if not found and lemma_of(token) == "have":  # "will have [any assets in Canada frozen]"
            frozen = [c for c in kids(sentence, trigger, "ccomp") if freezes(sentence.tokens[c])]
            found += [n for clause in frozen for n in kids(sentence, clause, "nsubj", "nsubjpass")]
        return found + naming(sentence, trigger)
    reported = object_read_as_report_subject(sentence, trigger)  # "froze all assets held by X, SECO said"
    found += pobjs(sentence, trigger, OBJECT_PREPS) + owners(sentence, reported)
    if lemma_of(token) in ACTION_NOUNS or token.text.lower() in ACTION_NOUNS:
        found += pobjs(sentence, trigger, frozenset({"of"}))
    if found:  # "sanctions on a gold refiner, X JSC": the parser hangs the name off the trigger
        found += [c for c in kids(sentence, trigger, "appos") if sentence.tokens[c].pos == "PROPN"]
    for clause in kids(sentence, trigger, "acl", "relcl"):  # "sanctions targeting X", "which hit X"
        found += kids(sentence, clause, "dobj") + pobjs(sentence, clause, AIM_PREPS)
    climbed = _climb(sentence, trigger)
    if climbed is None:
        return found
    verb, how = climbed
    lemma = lemma_of(sentence.tokens[verb])
    if how == "dobj" or how == "pobj:with":
        found += pobjs(sentence, verb, OBJECT_PREPS)
        found += stray_conjuncts(sentence, verb) if found else []
        if how == "pobj:with":
            found += kids(sentence, verb, "dobj", "nsubjpass")
        if lemma in undergo:
            found += kids(sentence, verb, "nsubj", "nsubjpass")
        found += naming(sentence, verb)
    elif how == "acomp" and lemma == "be":  # "the assets of X are frozen": an adjective, as good as passive
        found += kids(sentence, verb, "nsubj")
    elif how in {"nsubj", "nsubjpass"} and lemma in TARGETING_VERBS:
        found += kids(sentence, verb, "dobj") + pobjs(sentence, verb, AIM_PREPS)
    elif how.startswith("pobj:") and how[5:] in LIST_PREPS:
        first = first_conjunct(sentence, verb)  # "added 31 people and 14 entities to its list": off the last
        if is_nominal(sentence.tokens[first]) and sentence.tokens[first].dep in {"dobj", "nsubjpass"}:
            found.append(first)  # "placed three companies on the Entity List": the list hangs off its object
        found += kids(sentence, verb, "dobj", "nsubjpass")
        if not found:  # "Added to the sanctions list were two companies, X and Y": the inverted passive
            found += [
                n for aux in kids(sentence, verb, "auxpass") for n in kids(sentence, aux, "attr", "nsubj")
            ]
        if (
            is_nominal(sentence.tokens[verb])
            and (lister := list_after_the_object(sentence, verb)) is not None
        ):
            found += kids(sentence, lister, "dobj")  # "placed X and two of its affiliates on the Entity List"
        if lemma in undergo or lemma == "be":  # "X and Y are now subject to sanctions", "X is on the list"
            found += kids(sentence, verb, "nsubj")
    return [index for index in found if index != trigger]


def _subjects(sentence: ParsedSentence, trigger: int, undergo: Sequence[str]) -> list[int]:
    token = sentence.tokens[trigger]
    found: list[int] = []
    if headline_verb(sentence, trigger):  # "UK sanctions 9 people": the name before it acts
        return [trigger - 1]
    if noun_read_as_clause(sentence, trigger):  # who "imposed asset freezes", not who "faces" them
        head = token.head
        if lemma_of(sentence.tokens[head]) in undergo:
            return []
        return kids(sentence, head, "nsubj") + pobjs(sentence, head, frozenset({"by"}))
    if is_verb(token):
        inverted = trigger == 0 and token.text.lower().endswith(
            "ed"
        )  # "Designated under X are Y": Y is listed
        found += ([] if inverted else kids(sentence, trigger, "nsubj")) + pobjs(
            sentence, trigger, frozenset({"by"})
        )
        named = inverted or any(_capital(sentence, i) for i in found)
        if not named and token.dep in {
            "conj",
            "xcomp",
            "ccomp",
            "advcl",
        }:  # "froze X and blacklisted Y", "moved to
            found += kids(sentence, token.head, "nsubj")  # sanction"; "imposed bans and freezes on" misread
        return found
    named_list = lemma_of(token) == "list"  # "the Entity List": its compound names the list, not who keeps it
    if token.dep == "compound" and _regime_noun(
        sentence.tokens[token.head]
    ):  # "its Russia sanctions register":
        trigger, named_list = token.head, True  # the compound names the regime; who keeps the register acts
    if not _pronoun_owned(sentence, trigger):  # "Its Haiti sanctions committee added X": a body named before
        found += kids(sentence, trigger, "poss", "amod", "nmod", *(() if named_list else ("compound",)))
    found = [i for i in found if sentence.tokens[i].pos in {"PROPN", "ADJ", "NOUN"} and _capital(sentence, i)]
    found += pobjs(sentence, trigger, SUBJECT_PREPS)
    climbed = _climb(sentence, trigger)
    if climbed is not None:
        verb, how = climbed
        if (
            how.startswith("pobj:")
            and is_nominal(sentence.tokens[verb])
            and sentence.tokens[verb].dep == "dobj"
        ):
            verb = sentence.tokens[verb].head  # "X placed three companies on the list": X placed them
        if lemma_of(sentence.tokens[verb]) not in undergo and (how == "dobj" or how.startswith("pobj:")):
            found += kids(sentence, verb, "nsubj") + pobjs(sentence, verb, frozenset({"by"}))
            clause = sentence.tokens[verb]  # "the EU went after them, imposing sanctions on X": who went
            inverted = verb == 0 and clause.text.lower().endswith("ed")  # "Designated under … are Y"
            if (
                not found
                and not inverted
                and clause.dep in {"advcl", "xcomp", "conj"}
                and clause.head != verb
            ):
                found += kids(sentence, clause.head, "nsubj")
    return found


def _pronoun_owned(sentence: ParsedSentence, index: int) -> bool:
    """A subject owned by a pronoun names no one: "Its Haiti sanctions committee added X" (the committee of
    a body named before; "Haiti" names the regime, not who acts)."""
    return any(
        sentence.tokens[child].text.lower() in {"its", "their"} for child in kids(sentence, index, "poss")
    )


def _participle_first(sentence: ParsedSentence, verb: int) -> bool:
    """A participle opening an inverted sentence: "Designated under the Belarus programme are X and Y" (X
    and Y are listed, whatever the parser made their head)."""
    return verb == 0 and sentence.tokens[verb].text.lower().endswith("ed")


def _regime_noun(token: SyntaxToken) -> bool:
    """The noun a sanction word qualifies ("sanctions register", "sanctions programme"; "register" is often
    tagged a verb)."""
    return token.pos in {"NOUN", "PROPN"} or token.dep in {"pobj", "dobj"}


def _capital(sentence: ParsedSentence, index: int) -> bool:
    text = sentence.tokens[index].text
    return text[:1].isupper()


def _participants(sentence: ParsedSentence, trigger: int, undergo: Sequence[str]) -> list[int]:
    token = sentence.tokens[trigger]
    found = kids(sentence, trigger, "nsubj", "nsubjpass", "dobj", "poss", "compound")
    found += pobjs(sentence, trigger, PARTICIPANT_PREPS) + pobjs(sentence, trigger, frozenset({"by"}))
    if not is_verb(token):  # "a state visit by Portugal's president to Mozambique": the host
        found += pobjs(sentence, trigger, frozenset({"to"}))
    purpose = token.dep == "advcl" and any(
        lemma_of(sentence.tokens[a]) == "to" for a in kids(sentence, trigger, "aux")
    )
    if (
        is_verb(token)
        and (token.dep in {"xcomp", "conj"} or purpose)
        and not kids(sentence, trigger, "nsubj")
    ):
        found += kids(
            sentence, token.head, "nsubj", "nsubjpass"
        )  # "agreed to meet", "will travel to X to meet"
    climbed = _climb(sentence, trigger)
    while climbed is not None and climbed[1] == "pobj:of" and lemma_of(sentence.tokens[climbed[0]]) in SPANS:
        climbed = _climb(sentence, climbed[0])  # "signed a declaration after two days of talks": who signed
    if climbed is not None and not is_verb(token):
        verb, _how = climbed
        found += kids(sentence, verb, "nsubj", "nsubjpass", "dobj")
        found += pobjs(sentence, verb, frozenset({"with", "between"}))
    return [index for index in found if index != trigger]


def _modified(sentence: ParsedSentence, trigger: int, undergo: Sequence[str]) -> list[int]:
    token = sentence.tokens[trigger]
    if token.dep in {"amod", "compound", "acl", "nmod"} and token.head != trigger:
        return [token.head]
    return []
