"""Enrichment: what an article is about — entities, watch-listed names, figures with units — and its story.

spaCy's only home, and spaCy is optional: without it, or without a model, a rules-only pipeline finds the
watch-listed names and the figures. The pipeline uses two things:

* ``Enricher.from_settings(settings.enrichment, settings.rules.paths)`` once per process, then
  ``enricher.enrich(articles) -> list[Enrichment]`` per batch. ``Enrichment.story_fingerprint`` holds the
  article's ``StorySignature`` as JSON.
* ``assign_stories(new, candidates, settings.enrichment) -> list[StoryDecision]``: a pure function that puts
  each new article into an existing story or starts one, given recent articles' signatures and story ids.
"""

from monitor.enrichment.enricher import Enricher
from monitor.enrichment.quantities import find_quantities, parse_quantity
from monitor.enrichment.signature import StorySignature
from monitor.enrichment.stories import StoryCandidate, StoryDecision, assign_stories, assign_story
from monitor.enrichment.watchlists import WatchEntry, Watchlist, load_watchlists

__all__ = [
    "Enricher",
    "StoryCandidate",
    "StoryDecision",
    "StorySignature",
    "WatchEntry",
    "Watchlist",
    "assign_stories",
    "assign_story",
    "find_quantities",
    "load_watchlists",
    "parse_quantity",
]
