"""Story signatures: stable across processes and versions, round-trip through JSON, keyed the same way."""

from __future__ import annotations

import hashlib

import pytest

from monitor.domain import EntitySpan, Quantity
from monitor.enrichment import StorySignature
from monitor.enrichment.signature import build_signature, entity_key, figure_key, stem

from .conftest import T0

TEXT = (
    "Port strike halts grain exports\n"
    "Dock workers at three ports walked out on Monday. Loadings stopped at dawn. "
    "Ukraine exported 3.2 million tonnes of grain in September. Wheat prices rose."
)


def _signature() -> StorySignature:
    starts = [0, TEXT.index("Dock"), TEXT.index("Loadings"), TEXT.index("Ukraine"), TEXT.index("Wheat")]
    ukraine = EntitySpan("Ukraine", "GPE", TEXT.index("Ukraine"), TEXT.index("Ukraine") + 7, 3)
    tonnes = Quantity(
        "3.2 million tonnes", 3_200_000, "tonnes", TEXT.index("3.2"), TEXT.index(" of grain"), 3
    )
    return build_signature(TEXT, T0, starts, [ukraine], [tonnes], source=7)


def test_the_minhash_never_changes_between_processes_or_releases() -> None:
    # Signatures are stored; a new release must still compare with those written by an old one.
    minhash = _signature().minhash
    assert len(minhash) == 64
    digest = hashlib.sha256(",".join(map(str, minhash)).encode()).hexdigest()[:16]
    assert digest == "1b229276ba80278d"


def test_a_signature_round_trips_through_json() -> None:
    signature = _signature()
    assert StorySignature.from_json(signature.to_json()) == signature


def test_features_weigh_the_lead_double_and_names_only_as_entities() -> None:
    signature = _signature()
    assert signature.entities == {"ukraine": 1.0}  # fourth sentence: after the lead
    assert signature.figures == {"tonnes:3.2e+06": 1.0}
    assert signature.terms["strike"] == 2.0  # in the title
    assert signature.terms["grain"] == 3.0  # title (2) + body (1)
    assert "ukraine" not in signature.terms
    assert signature.source == 7 and signature.at == T0


@pytest.mark.parametrize(
    "text",
    ['{"v": 99, "at": "2025-10-23T06:00:00+00:00"}', "not json", '{"v": 1}', "[]"],
)
def test_text_that_is_not_a_signature_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        StorySignature.from_json(text)


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("cancelled", "cancel"),
        ("canceled", "cancel"),
        ("cancelling", "cancel"),
        ("cancellation", "cancel"),
        ("sanctions", "sanction"),
        ("companies", "company"),
        ("exports", "export"),
        ("shipped", "ship"),
        ("gas", "gas"),
        ("press", "press"),
    ],
)
def test_inflections_share_one_term_key(word: str, key: str) -> None:
    assert stem(word) == key


@pytest.mark.parametrize(
    ("text", "label", "canonical", "key"),
    [
        ("Sergey Lavrov", "PERSON", None, "lavrov"),
        ("Lavrov", "PERSON", None, "lavrov"),
        ("the U.S.'s", "GPE", None, "us"),
        ("The Kremlin", "ORG", None, "kremlin"),
        ("NK Rosneft", "ORG", "Rosneft", "rosneft"),
        ("Zelenskiy", "PERSON", "Volodymyr Zelensky", "volodymyr zelensky"),
    ],
)
def test_entities_are_keyed_by_canonical_name_or_normalised_text(
    text: str, label: str, canonical: str | None, key: str
) -> None:
    assert entity_key(EntitySpan(text, label, 0, len(text), 0, canonical=canonical)) == key


def test_figures_agree_however_they_were_written() -> None:
    written = [Quantity("2.33 million bpd", 2_330_000, "barrels_per_day", 0, 1, 0)]
    spelled = [Quantity("2,330,000 b/d", 2_330_000.0, "barrels_per_day", 0, 1, 0)]
    assert figure_key(written[0]) == figure_key(spelled[0]) == "barrels_per_day:2.33e+06"
