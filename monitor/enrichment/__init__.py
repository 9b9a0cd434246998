"""Enrichment: what an article is about — entities, watch-listed names, figures with units — and its story.

spaCy's only home, and spaCy is optional: without it, or without a model, a rules-only pipeline finds the
watch-listed names and the figures. The pipeline uses two things:

* ``Enricher.from_settings(settings.enrichment, settings.rules.paths)`` once per process, then
  ``enricher.enrich(articles) -> list[Enrichment]`` per batch. ``Enrichment.story_fingerprint`` holds the
  article's ``StorySignature`` as JSON.
* ``StoryPool(settings.enrichment)``: the recent articles' signatures and story ids, kept up to date one
  article at a time; ``pool.assign(new) -> list[StoryDecision]`` puts each new article into an existing
  story or starts one. ``assign_stories(new, candidates, settings.enrichment)`` is the same as a pure function.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monitor.lazy import lazy_names

if TYPE_CHECKING:
    from monitor.enrichment.enricher import Enricher
    from monitor.enrichment.quantities import find_quantities, parse_quantity
    from monitor.enrichment.signature import StorySignature
    from monitor.enrichment.stories import (
        StoryCandidate,
        StoryDecision,
        StoryPool,
        assign_stories,
        assign_story,
    )
    from monitor.enrichment.watchlists import WatchEntry, Watchlist, load_watchlists

_HOMES = {
    "Enricher": "monitor.enrichment.enricher",
    "StoryCandidate": "monitor.enrichment.stories",
    "StoryDecision": "monitor.enrichment.stories",
    "StoryPool": "monitor.enrichment.stories",
    "StorySignature": "monitor.enrichment.signature",
    "WatchEntry": "monitor.enrichment.watchlists",
    "Watchlist": "monitor.enrichment.watchlists",
    "assign_stories": "monitor.enrichment.stories",
    "assign_story": "monitor.enrichment.stories",
    "find_quantities": "monitor.enrichment.quantities",
    "load_watchlists": "monitor.enrichment.watchlists",
    "parse_quantity": "monitor.enrichment.quantities",
}
"""Where each name lives: imported on first use (PEP 562), so a command loads only what it touches
(watch lists without spaCy or numpy, for `newsmon rules check`)."""


__getattr__ = lazy_names(__name__, _HOMES)


__all__ = [
    "Enricher",
    "StoryCandidate",
    "StoryDecision",
    "StoryPool",
    "StorySignature",
    "WatchEntry",
    "Watchlist",
    "assign_stories",
    "assign_story",
    "find_quantities",
    "load_watchlists",
    "parse_quantity",
]
