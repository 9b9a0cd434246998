"""What rule authors' commands need beyond the rules themselves: the enricher their examples run through."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from monitor.domain import Article, Enrichment
from monitor.settings import EnrichmentSettings

ExampleEnricher = Callable[[Article], Enrichment]


def example_enricher(settings: EnrichmentSettings, rule_paths: Sequence[Path]) -> ExampleEnricher | None:
    """Enrich one example article at a time (entity and quantity rules need it); None when switched off."""
    if not settings.enabled:
        return None
    from monitor.enrichment import Enricher  # spaCy loads here, only for the commands that need it

    enricher = Enricher.from_settings(settings, rule_paths)
    return lambda article: enricher.enrich([article])[0]
