"""Story grouping mistakes that hide alerts (issue 9, item 6).

- Central banks publish in one template: "X cuts rates to 5%" and "Y raises rates to 5.5%" share most of
  their word pairs and no distinctive figure (percentages are not), so they looked like near-duplicates.
  Two reports whose leads name different actors are never one story.
- A follow-up with a new figure ("exports revised to 2.29 million bpd", hours after "2.33 million") is
  an update of its story, not new news; a daily template with a new price a day later still is.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from monitor.domain import Article
from monitor.enrichment import Enricher, StoryCandidate, StorySignature, assign_stories
from monitor.settings.models import EnrichmentSettings

from .conftest import T0, make_article
from .corpus import OTHER_NEWS

SETTINGS = EnrichmentSettings()

FED_HIKE = (
    "Federal Reserve raises rates to 5.5%, highest in 22 years\n"
    "The Federal Reserve raised its benchmark interest rate by a quarter point to 5.5% on Wednesday, its "
    "highest level in 22 years, and said further increases were possible if inflation stayed high. "
    "Chair Jerome Powell told reporters that policymakers would decide meeting by meeting."
)
FED_HIKE_OTHER_OUTLET = (
    "Federal Reserve lifts interest rates to 22-year high\n"
    "The Federal Reserve lifted interest rates by a quarter point to a range of 5.25% to 5.5% on "
    "Wednesday, the highest in 22 years. Jerome Powell said the central bank was prepared to raise rates "
    "further if inflation did not keep falling."
)
BOE_CUT = (
    "Bank of England cuts rates to 5%, first cut in four years\n"
    "The Bank of England cut its benchmark interest rate by a quarter point to 5% on Thursday, its first "
    "cut in four years, and said further cuts were possible if inflation stayed low. Governor Andrew "
    "Bailey told reporters that policymakers would decide meeting by meeting."
)
EXPORTS = (
    "Russia's seaborne oil exports fall to {figure}\n"
    "Russia's seaborne crude exports fell to {figure} in the week to Sunday, tanker-tracking data "
    "compiled by Kpler showed, as sanctions on Rosneft and Lukoil began to bite. Shipments from the "
    "Baltic port of Primorsk dropped the most, while loadings at Novorossiysk on the Black Sea held steady."
)


def _titled(text: str, *, feed: int, hours: float = 0) -> Article:
    title, body = text.split("\n", 1)
    return make_article(body, title, feed_id=feed, published_at=T0 + timedelta(hours=hours))


def _candidates(enricher: Enricher, articles: Sequence[Article]) -> list[StoryCandidate]:
    return [
        StoryCandidate(a.id, StorySignature.from_json(e.story_fingerprint or ""))
        for a, e in zip(articles, enricher.enrich(articles), strict=True)
    ]


def _background(enricher: Enricher) -> list[StoryCandidate]:
    """The day's other news; the Fed's last decision (OTHER_NEWS "fed-rates") was weeks ago."""
    texts = [text for name, text in OTHER_NEWS.items() if name != "fed-rates"]
    articles = [_titled(text, feed=100 + n, hours=-8 + n * 0.3) for n, text in enumerate(texts)]
    candidates = _candidates(enricher, articles)
    decisions = assign_stories(candidates, [], SETTINGS)
    return [
        StoryCandidate(c.article_id, c.signature, d.story_id)
        for c, d in zip(candidates, decisions, strict=True)
    ]


def test_a_rate_cut_in_london_does_not_join_a_rate_hike_in_washington(blank_enricher: Enricher) -> None:
    fed, fed_other, boe = _candidates(
        blank_enricher,
        [
            _titled(FED_HIKE, feed=1),
            _titled(FED_HIKE_OTHER_OUTLET, feed=2, hours=1),
            _titled(BOE_CUT, feed=3, hours=20),
        ],
    )
    first, second, third = assign_stories([fed, fed_other, boe], _background(blank_enricher), SETTINGS)
    assert second.story_id == first.story_id, "two outlets on the Fed's hike are one story"
    assert third.is_new, f"the Bank of England's cut joined the Fed's story ({third.reason})"


def test_the_same_template_about_another_actor_is_not_a_duplicate(blank_enricher: Enricher) -> None:
    cut = BOE_CUT
    template = cut.replace("Bank of England", "Reserve Bank of Australia").replace(
        "Andrew Bailey", "Michele Bullock"
    )
    london, sydney = _candidates(blank_enricher, [_titled(cut, feed=1), _titled(template, feed=2, hours=2)])
    _, second = assign_stories([london, sydney], [], SETTINGS)
    assert second.is_new, f"merged as {second.reason} across different central banks"


def test_a_follow_up_with_a_new_figure_joins_its_story(blank_enricher: Enricher) -> None:
    first_report = _titled(EXPORTS.format(figure="2.33 million barrels per day"), feed=1)
    revised = _titled(EXPORTS.format(figure="2.29 million barrels per day"), feed=1, hours=4)
    original, update = _candidates(blank_enricher, [first_report, revised])
    first, second = assign_stories([original, update], _background(blank_enricher), SETTINGS)
    assert (second.story_id, second.reason) == (first.story_id, "duplicate")


def test_a_daily_report_with_a_new_figure_the_next_day_is_still_new_news(blank_enricher: Enricher) -> None:
    monday = _titled(EXPORTS.format(figure="2.33 million barrels per day"), feed=1)
    next_week = _titled(EXPORTS.format(figure="2.29 million barrels per day"), feed=1, hours=24)
    _, second = assign_stories(_candidates(blank_enricher, [monday, next_week]), [], SETTINGS)
    assert second.is_new


def test_the_key_entities_are_the_names_in_the_lead(blank_enricher: Enricher) -> None:
    later = BOE_CUT + " Chancellor Rachel Reeves welcomed the decision."
    (boe,) = _candidates(blank_enricher, [_titled(later, feed=1)])
    assert boe.signature.keys == {"bank of england", "andrew bailey"}  # title and two sentences
    assert "rachel reeves" in boe.signature.entities  # named later: counted, but not a key
