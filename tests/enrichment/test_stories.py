"""Story decisions: near-duplicates, independent coverage, and the false merges that must not happen.

Signatures come from the rule-based pipeline here (no model), so these run in the unit tier; the seed stories
with the statistical model are in test_model_pipeline.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import pytest

from monitor.domain import Article
from monitor.enrichment import Enricher, StoryCandidate, StorySignature, assign_stories, assign_story
from monitor.settings.models import EnrichmentSettings

from .conftest import T0, make_article
from .corpus import OTHER_NEWS, SPIN_ORIGINAL, spin

SETTINGS = EnrichmentSettings()


def _candidates(enricher: Enricher, articles: Sequence[Article]) -> list[StoryCandidate]:
    return [
        StoryCandidate(article.id, StorySignature.from_json(enrichment.story_fingerprint or ""))
        for article, enrichment in zip(articles, enricher.enrich(articles), strict=True)
    ]


def _titled(text: str, **kwargs: object) -> Article:
    title, body = text.split("\n", 1)
    return make_article(body, title, **kwargs)  # type: ignore[arg-type]


def _day_of_other_news() -> list[Article]:
    return [
        _titled(text, published_at=T0 + timedelta(minutes=20 * n))
        for n, text in enumerate(OTHER_NEWS.values())
    ]


def _settled(candidates: Sequence[StoryCandidate]) -> list[StoryCandidate]:
    """Candidates as storage returns them: with the story ids they were given."""
    decisions = assign_stories(candidates, [], SETTINGS)
    return [
        StoryCandidate(c.article_id, c.signature, d.story_id)
        for c, d in zip(candidates, decisions, strict=True)
    ]


def test_a_day_of_unrelated_news_is_one_story_per_article(blank_enricher: Enricher) -> None:
    decisions = assign_stories(_candidates(blank_enricher, _day_of_other_news()), [], SETTINGS)
    assert [d.reason for d in decisions] == ["new"] * len(OTHER_NEWS)
    assert all(d.is_new and d.story_id == d.article_id for d in decisions)


@pytest.mark.parametrize(
    ("copy", "reason"),
    [
        (SPIN_ORIGINAL, "duplicate"),  # re-published word for word by another outlet
        (spin(SPIN_ORIGINAL), "duplicate"),  # re-spun with synonyms
        ("\n".join(SPIN_ORIGINAL.split("\n")[:3]), "duplicate"),  # trimmed to the first paragraphs
    ],
    ids=["verbatim", "synonym-spun", "trimmed"],
)
def test_a_copy_lands_in_its_originals_story(blank_enricher: Enricher, copy: str, reason: str) -> None:
    background = _settled(_candidates(blank_enricher, _day_of_other_news()))
    original, duplicate = _candidates(
        blank_enricher,
        [_titled(SPIN_ORIGINAL, published_at=T0), _titled(copy, published_at=T0 + timedelta(hours=5))],
    )
    first, second = assign_stories([original, duplicate], background, SETTINGS)
    assert first.is_new
    assert (second.story_id, second.reason, second.matched_article_id) == (
        first.story_id,
        reason,
        original.article_id,
    )


def test_a_copy_published_after_the_story_window_starts_a_new_story(blank_enricher: Enricher) -> None:
    late = T0 + timedelta(seconds=SETTINGS.story_window_s + 60)
    original, copy = _candidates(
        blank_enricher, [_titled(SPIN_ORIGINAL, published_at=T0), _titled(SPIN_ORIGINAL, published_at=late)]
    )
    first = assign_story(original, [], SETTINGS)
    decision = assign_story(
        copy, [StoryCandidate(original.article_id, original.signature, first.story_id)], SETTINGS
    )
    assert decision.is_new and decision.reason == "new"


def test_a_templated_report_with_new_figures_is_new_news(blank_enricher: Enricher) -> None:
    template = (
        "Daily crude report\nBrent crude settled at {price} a barrel on Thursday, traders said, after a "
        "quiet session in which volumes were thin and most desks waited for inventory data due later in "
        "the week."
    )
    monday, tuesday = _candidates(
        blank_enricher,
        [
            _titled(template.format(price="$65.30"), feed_id=1, published_at=T0),
            _titled(template.format(price="$66.10"), feed_id=1, published_at=T0 + timedelta(days=1)),
        ],
    )
    _, second = assign_stories([monday, tuesday], [], SETTINGS)
    assert second.is_new, "a new price is not a duplicate of yesterday's report"


SANCTIONS_REPORTS = [
    "Rosneft and Lukoil face new sanctions\nThe US Treasury imposed sanctions on Rosneft and Lukoil, "
    "Russia's two largest oil companies, and gave buyers until November 21 to wind down dealings.",
    "Lukoil to sell foreign assets after sanctions\nLukoil said it would sell its international assets after "
    "the US Treasury imposed sanctions on it and on Rosneft earlier this week.",
]


def _reports(feed_ids: Sequence[int | None]) -> list[Article]:
    return [
        _titled(text, feed_id=feed, published_at=T0 + timedelta(hours=n))
        for n, (text, feed) in enumerate(zip(SANCTIONS_REPORTS, feed_ids, strict=True))
    ]


def test_two_outlets_reporting_one_event_share_a_story(blank_enricher: Enricher) -> None:
    background = _settled(_candidates(blank_enricher, _day_of_other_news()))
    first, second = assign_stories(_candidates(blank_enricher, _reports([None, None])), background, SETTINGS)
    assert (second.story_id, second.reason) == (first.story_id, "coverage")


def test_one_outlets_follow_ups_are_not_independent_coverage(blank_enricher: Enricher) -> None:
    background = _settled(_candidates(blank_enricher, _day_of_other_news()))
    _, second = assign_stories(_candidates(blank_enricher, _reports([99, 99])), background, SETTINGS)
    assert second.is_new


def test_without_a_pool_to_learn_from_only_near_duplicates_merge(blank_enricher: Enricher) -> None:
    # The same two reports with nothing else to compare against: every shared word looks common.
    decisions = assign_stories(_candidates(blank_enricher, _reports([None, None])), [], SETTINGS)
    assert [d.reason for d in decisions] == ["new", "new"]


def test_articles_of_one_batch_join_stories_started_in_the_same_batch(blank_enricher: Enricher) -> None:
    articles = [_titled(SPIN_ORIGINAL, published_at=T0 + timedelta(minutes=m)) for m in (0, 10, 20)]
    decisions = assign_stories(_candidates(blank_enricher, articles), [], SETTINGS)
    assert [d.story_id for d in decisions] == [articles[0].id] * 3
    assert [d.is_new for d in decisions] == [True, False, False]


def test_candidates_must_carry_their_story_ids(blank_enricher: Enricher) -> None:
    (candidate,) = _candidates(blank_enricher, [_titled(SPIN_ORIGINAL)])
    with pytest.raises(ValueError, match="has no story id"):
        assign_stories([candidate], [candidate], SETTINGS)


def test_coverage_is_scored_against_the_members_sharing_the_most_anchors_only() -> None:
    """Every stored article that shares two anchors with a new one used to get a TF-IDF vector and a cosine,
    so each article cost more the more were stored. Now only the MAX_COVERAGE_CANDIDATES members sharing the
    most anchors are scored; the true coverage, which shares the most, is still found."""
    from monitor.enrichment import stories

    def signature(source: int, entities: dict[str, float], minute: int) -> StorySignature:
        return StorySignature(at=T0 + timedelta(minutes=minute), source=source, entities=entities)

    event = {"Volgatrans": 1.0, "Kestrel Bay": 1.0, "Murmansk": 1.0, "OFAC": 1.0, "Treasury": 1.0}
    crowd = [  # 400 other-source reports that share two rare names with the new one, and little else
        StoryCandidate(i, signature(1000 + i, {"OFAC": 1.0, "Treasury": 1.0, f"name{i}": 2.0}, i % 60), i)
        for i in range(1, 401)
    ]
    filler = [  # so that the crowd's two names are rare enough to be anchors (at most a fifth of the pool)
        StoryCandidate(1000 + i, signature(3000 + i, {f"other{i}": 1.0}, i % 60), 1000 + i)
        for i in range(2000)
    ]
    original = StoryCandidate(5000, signature(7, event, 0), 5000)
    new = StoryCandidate(6000, signature(8, event, 30))
    pool = stories.StoryPool(SETTINGS)
    for candidate in [original, *crowd, *filler]:
        pool.add(candidate.article_id, candidate.signature, candidate.story_id)
    scored: list[int] = []
    cosines = pool._cosines
    pool._cosines = lambda row, members: scored.append(len(members)) or cosines(row, members)  # type: ignore[method-assign]
    (decision,) = pool.assign([new])
    assert (decision.story_id, decision.reason) == (5000, "coverage")
    assert scored == [stories.MAX_COVERAGE_CANDIDATES]


def test_a_pool_kept_up_to_date_decides_as_one_built_afresh_for_each_article(
    blank_enricher: Enricher,
) -> None:
    """The daemon keeps one StoryPool for days, adding and dropping articles as they come and age; it must
    file every article as a pool built from scratch over the same recent articles does (the pure
    ``assign_story``). On 1,650 labeled articles of the dev split and re-spun copies of a quarter of them, in publication order with a short window
    so that members also leave the pool."""
    import dataclasses
    from pathlib import Path

    from monitor.enrichment import StoryPool
    from monitor.pipeline.rule_eval.labels import load_labels
    from monitor.pipeline.rule_eval.run import to_article

    dev = Path(__file__).resolve().parents[2] / "rules" / "eval" / "dev"
    labels = sorted(load_labels(sorted(dev.glob("extra[56]*.yaml"))), key=lambda label: label.published)
    feeds: dict[str, int] = {}
    articles = [
        to_article(label, n, feeds.setdefault(label.source, len(feeds) + 1))
        for n, label in enumerate(labels, 1)
    ]
    copies = [  # every fourth one re-spun by another outlet half an hour later: near-duplicates too
        dataclasses.replace(
            a,
            id=10_000 + a.id,
            feed_id=0,
            content=spin(a.content),
            published_at=a.published_at + timedelta(minutes=30),
        )
        for a in articles[::4]
    ]
    articles = sorted([*articles, *copies], key=lambda a: (a.published_at, a.id))
    signatures = [
        StorySignature.from_json(found.story_fingerprint or "") for found in blank_enricher.enrich(articles)
    ]
    settings = EnrichmentSettings(story_window_s=12 * 3600)
    window = timedelta(seconds=settings.story_window_s)
    pool = StoryPool(settings)
    settled: list[tuple[Article, StoryCandidate]] = []
    joined = 0
    for article, signature in zip(articles, signatures, strict=True):
        recent = [(a, c) for a, c in settled if article.published_at - a.fetched_at <= window]
        expected = assign_story(StoryCandidate(article.id, signature), [c for _, c in recent], settings)
        for gone in {a.id for a, _ in settled} - {a.id for a, _ in recent}:  # aged out of the window
            pool.remove(gone)
        (decision,) = pool.assign([StoryCandidate(article.id, signature)])
        assert decision == expected, article.guid
        pool.add(article.id, signature, decision.story_id)
        joined += not decision.is_new
        settled = [*recent, (article, StoryCandidate(article.id, signature, decision.story_id))]
    assert len(articles) > 2000 and joined > 300  # the comparison saw stories form, not only new ones
