"""Dependency parses of the few sentences a rule asked syntax for (``EnrichmentNeeds.syntax_windows``).

The parser is the dearest part of the small English model, so it never runs in the main NER pipe: the
model loads its tagger, parser, attribute ruler and lemmatizer *disabled* (model.py), and ``parse_windows``
runs them, with the shared ``tok2vec``, only over the sentences that hold a rule's trigger word. An article
no syntax rule cares about pays nothing.

Without a model, ``heuristic_parse`` gives a degraded but working parse with the same shape: words tagged
from small closed-class lists and suffixes, the first verb of the sentence as its root, noun chunks before
it as subjects, the first chunk after it as its object (a passive root's ``by`` chunk as the agent), chunks
after a preposition as that preposition's objects, and chunks joined by ``,``/``and``/``or`` as
conjuncts. It gets simple wire sentences right ("The EU blacklisted 14 people and six firms") and long
ones wrong; ``rules`` treat both alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from monitor.domain import ParsedSentence, SyntaxToken, Window

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

SYNTAX_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
"""What a parse runs, in order; the ones the main pipe does not run are loaded disabled (model.py)."""


def parse_windows(nlp: Language | None, text: str, windows: Sequence[Window]) -> tuple[ParsedSentence, ...]:
    """One ``ParsedSentence`` per window of ``text`` (usually a sentence), offsets into ``text``.

    With ``nlp`` (a model loaded by ``model.load_pipeline``) the model's own tagger and parser read each
    window; without one, ``heuristic_parse`` does. Windows are sorted and merged first, so a sentence holding
    two trigger words is parsed once.
    """
    merged = [(_after_dateline(text, start, end), end) for start, end in merge_windows(windows, len(text))]
    if not merged:
        return ()
    if nlp is None or not all(name in nlp.component_names for name in SYNTAX_COMPONENTS[1:3]):
        return tuple(heuristic_parse(text, start, end) for start, end in merged)
    docs: Iterable[Doc] = (nlp.make_doc(text[start:end]) for start, end in merged)
    for name in SYNTAX_COMPONENTS:
        if name in nlp.component_names:
            docs = nlp.get_pipe(name).pipe(docs)  # type: ignore[attr-defined]
    return tuple(_from_doc(doc, start) for doc, (start, _) in zip(docs, merged, strict=True))


_DATELINE = re.compile(
    r"\s*(?:[A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+){0,3}|[A-Z][a-z'’.-]+(?:\s+[A-Z][a-z'’.-]+){0,2})"
    r"(?:\s*,\s*[\w .]{1,20}?){0,2}(?:\s*\([^)\n]{1,30}\))?\s*(?:[—–-]{1,2}\s+|(?<=[A-Z]):\s+)"
)


def _after_dateline(text: str, start: int, end: int) -> int:
    """Where a window's sentence begins after a wire dateline ("WASHINGTON —", "ABUJA, Nov 20 -", "LONDON
    (Reuters) -", "NAIROBI, Kenya, Apr 21 –", "Accra, April 15 –", "MUSCAT:"): the parser otherwise reads the place as the subject and the real subject as its
    apposition, and who did what is lost."""
    found = _DATELINE.match(text, start, end)
    return found.end() if found and found.end() < end else start


def merge_windows(windows: Iterable[Window], limit: int) -> list[Window]:
    """Windows clipped to [0, limit), sorted, overlapping ones merged, empty ones dropped."""
    merged: list[Window] = []
    for start, end in sorted((max(0, s), min(limit, e)) for s, e in windows):
        if end <= start:
            continue
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _from_doc(doc: Doc, offset: int) -> ParsedSentence:
    tokens = tuple(
        SyntaxToken(
            start=offset + token.idx,
            end=offset + token.idx + len(token.text),
            text=token.text,
            lemma=token.lemma_ or token.text.lower(),
            pos=token.pos_,
            dep=token.dep_,
            head=token.head.i,
        )
        for token in doc
        if not token.is_space
    )
    return _reindexed(doc, tokens, offset)


def _reindexed(doc: Doc, tokens: tuple[SyntaxToken, ...], offset: int) -> ParsedSentence:
    """Drop whitespace tokens (a newline is never a word) and renumber the heads to match."""
    kept = [token.i for token in doc if not token.is_space]
    if len(kept) == len(doc):
        return ParsedSentence(offset, offset + len(doc.text), tokens)
    index = {old: new for new, old in enumerate(kept)}
    fixed = tuple(
        SyntaxToken(t.start, t.end, t.text, t.lemma, t.pos, t.dep, index.get(t.head, new))
        for new, t in enumerate(tokens)
    )
    return ParsedSentence(offset, offset + len(doc.text), fixed)


# --- the rules-only fallback ------------------------------------------------------------------------------

_TOKEN = re.compile(r"\d[\d,.]*\d|\w+(?:['’]\w+)*|[^\w\s]")
_CLOSED = {
    "DET": [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "some",
        "any",
        "each",
        "every",
        "no",
    ],
    "ADP": [
        "on",
        "against",
        "of",
        "in",
        "at",
        "by",
        "for",
        "with",
        "from",
        "to",
        "into",
        "over",
        "under",
        "about",
        "after",
        "before",
        "since",
    ],
    "CCONJ": ["and", "or", "but", "nor"],
    "AUX": [
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "will",
        "would",
        "could",
        "should",
        "may",
        "might",
        "can",
        "must",
        "do",
        "does",
        "did",
    ],
    "PRON": ["it", "they", "he", "she", "we", "i", "you", "who", "which", "that", "them", "him"],
    "NUM": [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "dozen",
        "dozens",
        "hundreds",
    ],
}
_POS = {word: pos for pos, words in _CLOSED.items() for word in words}
_VERB_SUFFIXES = ("ed", "ted")
_BREAKS = frozenset({";", ":", "(", ")", "—", "–"})


def heuristic_parse(text: str, start: int, end: int) -> ParsedSentence:
    """A rough parse of ``text[start:end]`` without a model (see the module docstring)."""
    words = [(m.start() + start, m.end() + start, m.group()) for m in _TOKEN.finditer(text[start:end])]
    pos = [_guess_pos(word, index) for index, (_, _, word) in enumerate(words)]
    heads, deps = _attach(words, pos)
    tokens = tuple(
        SyntaxToken(s, e, w, _lemma(w, p), p, d, h)
        for (s, e, w), p, d, h in zip(words, pos, deps, heads, strict=True)
    )
    return ParsedSentence(start, end, tokens)


def _guess_pos(word: str, index: int) -> str:
    lower = word.lower()
    if lower in _POS:
        return _POS[lower]
    if word[0].isdigit():
        return "NUM"
    if not word[0].isalnum():
        return "PUNCT"
    if word[0].isupper() and index > 0:
        return "PROPN"
    if lower.endswith(_VERB_SUFFIXES) or lower in {"blacklist", "sanction", "designate", "freeze", "froze"}:
        return "VERB"
    return "NOUN"


def _lemma(word: str, pos: str) -> str:
    lower = word.lower()
    if pos == "NOUN" and lower.endswith("s") and not lower.endswith("ss") and len(lower) > 3:
        return lower[:-1]
    if pos == "VERB" and lower.endswith("ed") and len(lower) > 4:
        return lower[:-1] if lower.endswith(("ated", "ised", "ized")) else lower[:-2]
    return lower


def _chunks(pos: Sequence[str], words: Sequence[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Noun chunks as [first, last] token indices: runs of DET/NUM/ADJ-ish/NOUN/PROPN; the last is the head."""
    found, begin = [], None
    for index, tag in enumerate(pos):
        if tag in {"DET", "NUM", "NOUN", "PROPN"}:
            if begin is None:
                begin = index
            continue
        if begin is not None:
            found.append((begin, index - 1))
            begin = None
    if begin is not None:
        found.append((begin, len(pos) - 1))
    return found


def _attach(words: Sequence[tuple[int, int, str]], pos: Sequence[str]) -> tuple[list[int], list[str]]:
    heads = list(range(len(words)))
    deps = ["dep"] * len(words)
    verbs = [i for i, tag in enumerate(pos) if tag == "VERB"]
    root = verbs[0] if verbs else 0
    deps[root] = "ROOT"
    passive = root > 0 and pos[root - 1] == "AUX" and words[root][2].lower().endswith(("ed", "en"))
    chunks = _chunks(pos, words)
    previous: int | None = None  # the head of the chunk a conjunct or preposition attaches to
    for first, last in chunks:
        for index in range(first, last):
            heads[index] = last
            deps[index] = {"NUM": "nummod", "DET": "det"}.get(pos[index], "compound")
        before = first - 1
        link = words[before][2].lower() if before >= 0 else ""
        if before >= 0 and pos[before] == "ADP":
            heads[before] = previous if previous is not None and link != "by" else root
            deps[before] = "agent" if link == "by" and passive else "prep"
            heads[last], deps[last] = before, "pobj"
        elif (
            previous is not None
            and (link in {"and", "or", ","})
            and not _break_between(words, previous, first)
        ):
            heads[last], deps[last] = previous, "conj"
            if before >= 0:
                heads[before], deps[before] = previous, ("cc" if link != "," else "punct")
            continue  # a conjunct keeps the chunk it joins as the attachment point
        elif last < root:
            heads[last], deps[last] = root, "nsubjpass" if passive else "nsubj"
        else:
            heads[last], deps[last] = root, "dobj"
        previous = last
    for index, tag in enumerate(pos):
        if tag == "AUX":
            heads[index], deps[index] = root, "auxpass" if passive else "aux"
    return heads, deps


def _break_between(words: Sequence[tuple[int, int, str]], left: int, right: int) -> bool:
    return any(words[i][2] in _BREAKS for i in range(left + 1, right))
