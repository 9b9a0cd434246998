"""What rule authors' commands need beyond the rules themselves: the enricher their examples run through,
and the names rules may refer to outside their files (watch lists, units), so a typo there is an error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from monitor import rules
from monitor.domain import Article, Enrichment
from monitor.enrichment import parse_quantity, units
from monitor.enrichment.watchlists import load_watchlists, watchlist_files, watchlist_sources
from monitor.errors import ConfigError
from monitor.settings import EnrichmentSettings

ExampleEnricher = Callable[[Article], Enrichment]


def example_enricher(settings: EnrichmentSettings, rule_paths: Sequence[Path]) -> ExampleEnricher | None:
    """Enrich one example article at a time (entity and quantity rules need it); None when switched off."""
    if not settings.enabled:
        return None
    from monitor.enrichment import Enricher  # spaCy loads here, only for the commands that need it

    enricher = Enricher.from_settings(settings, rule_paths)
    return lambda article: enricher.enrich([article])[0]


def rule_vocabulary(settings: EnrichmentSettings, rule_paths: Sequence[Path]) -> rules.Vocabulary:
    """The watch lists the enricher would load for ``rule_paths`` and every unit it can report.

    Watch lists that do not load are not checked against here: loading them reports their own errors.
    """
    try:
        lists = load_watchlists(watchlist_files(watchlist_sources(settings.watchlists, rule_paths)))
        names: frozenset[str] | None = frozenset(w.name for w in lists)
    except ConfigError:
        names = None
    return rules.Vocabulary(names, canonical_units(), _read_unit)


def canonical_units() -> frozenset[str]:
    """Every unit name a quantity can carry: the unit tables' names, ``count``, and money (per unit)."""
    plain = {form.unit for form in units.UNIT_FORMS} | {"count"}
    currencies = set(units.CURRENCY_PREFIXES.values()) | set(units.CURRENCY_WORDS.values())
    per = set(units.PER_UNIT_WORDS.values())
    money = {f"currency:{c}" for c in currencies} | {f"currency:{c}/{p}" for c in currencies for p in per}
    return frozenset(plain | money)


def _read_unit(written: str) -> str | None:
    found = parse_quantity(f"5 {written}")
    return found[1] if found else None
