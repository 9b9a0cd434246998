"""What rule authors' commands need beyond the rules themselves: the enricher their examples run through,
and the names rules may refer to outside their files (watch lists, units), so a typo there is an error."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from monitor import rules
from monitor.domain import Article, Enrichment, EnrichmentNeeds
from monitor.errors import ConfigError, RuleError
from monitor.settings import EnrichmentSettings

if TYPE_CHECKING:
    from monitor.enrichment import Enricher
    from monitor.rules import RuleSet

ExampleEnricher = Callable[[Article], Enrichment]


def example_enricher(settings: EnrichmentSettings, rule_paths: Sequence[Path]) -> ExampleEnricher | None:
    """Enrich one example article at a time (entity and quantity rules need it); None when switched off.

    Nothing loads until an example needs it, and the spaCy model only for an example some rule wants named
    entities in (``RuleSet.needs``): figures and watch-listed names come from the rules-only pipeline,
    which gives the rules the same answers, so `newsmon rules check` on keyword and figure rules never
    waits for the model.
    """
    if not settings.enabled:
        return None
    blank = settings.model_copy(update={"model": "blank"})
    rules_only = functools.cache(lambda: _enricher(blank, rule_paths))
    statistical = functools.cache(lambda: _enricher(settings, rule_paths))
    ruleset = functools.cache(lambda: _ruleset(rule_paths))

    def enrich(article: Article) -> Enrichment:
        loaded = ruleset()
        needs = loaded.needs(article, settings.max_chars) if loaded else EnrichmentNeeds(everything=True)
        if settings.model == "blank" or not (
            needs.everything or needs.entity_windows or needs.syntax_windows
        ):
            return rules_only().enrich([article])[0]
        return statistical().enrich([article], [needs])[0]

    return enrich


def _enricher(settings: EnrichmentSettings, rule_paths: Sequence[Path]) -> Enricher:
    from monitor.enrichment import Enricher  # spaCy loads here, only when an example needs it

    return Enricher.from_settings(settings, rule_paths)


def _ruleset(rule_paths: Sequence[Path]) -> RuleSet | None:
    from monitor.rules import load_rules

    try:
        return load_rules(list(rule_paths))
    except RuleError:  # reported by the caller's own check; enrich as if every rule needed everything
        return None


def rule_vocabulary(settings: EnrichmentSettings, rule_paths: Sequence[Path]) -> rules.Vocabulary:
    """The watch lists the enricher would load for ``rule_paths`` and every unit it can report.

    Watch lists that do not load are not checked against here: loading them reports their own errors.
    """
    from monitor.enrichment.watchlists import load_watchlists, watchlist_files, watchlist_sources

    try:
        lists = load_watchlists(watchlist_files(watchlist_sources(settings.watchlists, rule_paths)))
        names: frozenset[str] | None = frozenset(w.name for w in lists)
    except ConfigError:
        names = None
    from monitor.enrichment import units

    return rules.Vocabulary(names, canonical_units(), _read_unit, units.GOVERNORS)


def canonical_units() -> frozenset[str]:
    """Every unit name a quantity can carry: the unit tables' names, ``count``, and money (per unit)."""
    from monitor.enrichment import units  # enrichment (numpy) loads only for the commands that check rules

    plain = {form.unit for form in units.UNIT_FORMS} | {"count"}
    currencies = set(units.CURRENCY_PREFIXES.values()) | set(units.CURRENCY_WORDS.values())
    per = set(units.PER_UNIT_WORDS.values())
    money = {f"currency:{c}" for c in currencies} | {f"currency:{c}/{p}" for c in currencies for p in per}
    return frozenset(plain | money)


def _read_unit(written: str) -> str | None:
    from monitor.enrichment import parse_quantity

    found = parse_quantity(f"5 {written}")
    return found[1] if found else None
