"""Sentences, words and inflections: the plain text tools proximity, negation and ``lemma: true`` use."""

from __future__ import annotations

import pytest

from monitor.rules.lemmas import forms, stem
from monitor.rules.text import layout

SENTENCES = [
    ("Oil rose. Gas fell.", ["Oil rose. ", "Gas fell."]),
    ("Oil rose! Gas fell? Coal held.", ["Oil rose! ", "Gas fell? ", "Coal held."]),
    ("The U.S. President spoke.", ["The U.S. President spoke."]),
    (
        "Mr. Smith and J. Doe met at Acme Corp. on Friday.",
        ["Mr. Smith and J. Doe met at Acme Corp. on Friday."],
    ),
    (
        "It placed Lt-Gen. Soe Min Htike and Maj. Tun under sanctions.",
        ["It placed Lt-Gen. Soe Min Htike and Maj. Tun under sanctions."],
    ),
    ("Prices rose 2.5 percent. Then fell.", ["Prices rose 2.5 percent. ", "Then fell."]),
    ('He said "yes." Then left.', ['He said "yes." ', "Then left."]),
    ("A headline\nThe body starts here.", ["A headline\n", "The body starts here."]),
    ("lower case after a period. does not split", ["lower case after a period. does not split"]),
    # a feed that stripped "<br>" between sentences: a capitalised word glued to a word's period starts one
    ("He left in April.Previously, he met Xi.", ["He left in April.", "Previously, he met Xi."]),
    ("Read it on www.Reuters.com today.", ["Read it on www.Reuters.com today."]),
    ("The U.S.Navy uses Node.js, e.g.This one.", ["The U.S.Navy uses Node.js, e.g.This one."]),
]


@pytest.mark.parametrize(("text", "expected"), SENTENCES)
def test_sentences(text: str, expected: list[str]) -> None:
    starts = layout(text).sentence_starts
    assert [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)] == expected


def test_words_apart_and_before() -> None:
    text = "Oil rose. Trump’s summit with Putin was not called off."
    found = layout(text)
    assert found.words_apart(text.index("summit") + 6, text.index("Putin")) == 2
    assert found.words_apart(text.index("’s") + 2, text.index("summit")) == 1  # Trump’s is one word
    before = found.words_before(text.index("called"), 3)
    assert [text[a:b] for a, b in before] == ["Putin", "was", "not"]
    assert [text[a:b] for a, b in found.words_before(text.index("summit"), 3)] == [
        "Trump’s"
    ]  # its sentence only


FORMS = [
    ("sanction", {"sanction", "sanctions", "sanctioned", "sanctioning"}),
    ("designate", {"designate", "designates", "designated", "designating"}),
    ("ban", {"ban", "bans", "banned", "banning"}),
    ("cancel", {"cancel", "cancels", "canceled", "cancelled", "canceling", "cancelling"}),
    ("freeze", {"freeze", "freezes", "freezing", "froze", "frozen"}),
    ("unfreeze", {"unfreeze", "unfroze", "unfrozen"}),
    ("delay", {"delay", "delays", "delayed", "delaying"}),
    ("deny", {"deny", "denies", "denied", "denying"}),
    ("tax", {"tax", "taxes", "taxed", "taxing"}),
    ("meet", {"meet", "meets", "meeting", "met"}),
    ("hold", {"hold", "holds", "holding", "held"}),
]


@pytest.mark.parametrize(("word", "expected"), FORMS)
def test_lemma_forms_include_the_inflections(word: str, expected: set[str]) -> None:
    assert expected <= set(forms(word))


@pytest.mark.parametrize("word", ["of", "the", "to", "U.S.", "2.33", "on"])
def test_function_words_and_non_words_are_left_as_written(word: str) -> None:
    assert forms(word) == (word.lower(),)


@pytest.mark.parametrize(
    ("words", "same"),
    [
        (["export", "exports", "exported", "exporting"], True),
        (["shipment", "shipments"], True),
        (["ship", "shipped", "shipping"], True),
        (["price", "prices", "priced"], True),
        (["import", "export"], False),
        (["output", "production"], False),
    ],
)
def test_stem_brings_a_word_and_its_inflections_together(words: list[str], same: bool) -> None:
    assert (len({stem(word) for word in words}) == 1) is same
