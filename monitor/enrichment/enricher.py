"""The enrichment stage: articles in, ``domain.Enrichment`` out — entities, figures and a story signature.

Build one ``Enricher`` per process with ``Enricher.from_settings`` (it loads the spaCy model and the watch
lists: about a second and ~130 MB with the small model) and call ``enrich`` with batches of articles; they
go through ``nlp.pipe`` together, which is several times faster than one by one. Without a model the
rules-only pipeline runs instead (see model.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.domain import Article, Enrichment, EntitySpan, ParsedSentence
from monitor.enrichment.entities import (
    WATCHLIST_COMPONENT,
    EntityResolver,
    WatchlistComponent,
    figure_entities,
    name_entities,
)
from monitor.enrichment.model import BLANK, LoadedPipeline, joined, load_pipeline
from monitor.enrichment.names import NameMatcher
from monitor.enrichment.quantities import find_quantities
from monitor.enrichment.sentences import sentence_starts
from monitor.enrichment.signature import build_signature
from monitor.enrichment.syntax import parse_windows, sentence_windows
from monitor.enrichment.watchlists import Watchlist, load_watchlists, watchlist_files, watchlist_sources
from monitor.settings.models import EnrichmentSettings

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)


class Enricher:
    """A loaded pipeline plus watch lists; call ``enrich`` from one thread at a time."""

    def __init__(
        self, pipeline: LoadedPipeline | None, watchlists: Sequence[Watchlist], settings: EnrichmentSettings
    ) -> None:
        self.pipeline = pipeline
        self.watchlists = tuple(watchlists)
        self.settings = settings
        self._names = NameMatcher(self.watchlists)
        self._resolver = EntityResolver(self._names)
        # HOOK (branch rulelang; the lead reconciles it with enrichment on demand, RuleSet.needs): the
        # literals whose sentences get a dependency parse, from ``RuleSet.syntax_literals``; None parses
        # every sentence, an empty set none.
        self.syntax_literals: frozenset[str] | None = None
        if pipeline is not None:
            component = pipeline.nlp.get_pipe(WATCHLIST_COMPONENT)
            assert isinstance(component, WatchlistComponent)
            component.matcher = self._names

    @property
    def model_name(self) -> str:
        """The spaCy model package, or "blank" for the rules-only pipeline."""
        return self.pipeline.name if self.pipeline else BLANK

    @property
    def statistical(self) -> bool:
        return self.pipeline is not None

    @classmethod
    def from_settings(
        cls,
        settings: EnrichmentSettings,
        rules_paths: Sequence[Path] = (),
        *,
        model_location: str = "enrichment.model",
    ) -> Enricher:
        """Load the watch lists and the pipeline; raise ConfigError (every problem at once) if either fails.

        Watch lists come from ``settings.watchlists`` (files or folders) or, when that is empty, from the
        ``watchlists/`` folder of each rules path. ``model_location`` is where the model was configured
        (``Settings.location_of("enrichment.model")``), for the error message.
        """
        sources = watchlist_sources(settings.watchlists, rules_paths)
        watchlists = load_watchlists(watchlist_files(sources))
        enricher = cls(load_pipeline(settings.model, model_location), watchlists, settings)
        log.info(
            "enrichment ready: model %s, %d watch list(s), %d watched name(s)",
            enricher.model_name,
            len(watchlists),
            sum(len(e.names) for w in watchlists for e in w.entries),
            extra={"action": "enrichment.ready", "model": enricher.model_name},
        )
        return enricher

    def enrich(self, articles: Sequence[Article]) -> list[Enrichment]:
        """One Enrichment per article, in order. Offsets are into ``article.field_text("text")``."""
        texts = [article.field_text("text")[: self.settings.max_chars] for article in articles]
        if self.pipeline is None:
            return [self._rules_only(article, text) for article, text in zip(articles, texts, strict=True)]
        enrichments = []
        for article, text, doc in zip(articles, texts, self._docs(texts), strict=True):
            starts = [sentence.start_char for sentence in doc.sents] or [0]
            enrichments.append(self._enrichment(article, text, starts, self._resolver.entities(doc, starts)))
        return enrichments

    def _docs(self, texts: Sequence[str]) -> Iterator[Doc]:
        """One Doc per text, made in batches of at most batch_chars characters, long texts included.

        The model's working memory grows with the characters of a batch, and the process keeps it (peak
        RSS with the small model: ~170 MB for 10,000-character batches, ~210 MB for 20,000, ~300 MB for one
        50,000-character text). So a text longer than batch_chars goes through the model in pieces cut
        after line breaks (where a sentence ends anyway), joined back into one Doc.
        """
        assert self.pipeline is not None
        pieces = [_pieces(text, self.settings.batch_chars) for text in texts]
        docs = (
            doc
            for batch in self._batches([piece for text_pieces in pieces for piece in text_pieces])
            for doc in self.pipeline.nlp.pipe(batch, batch_size=len(batch))
        )
        for count in map(len, pieces):
            yield joined([next(docs) for _ in range(count)])

    def _batches(self, texts: Sequence[str]) -> Iterator[list[str]]:
        """Consecutive batches of at most batch_size texts and batch_chars characters (or one longer text)."""
        batch: list[str] = []
        size = 0
        for text in texts:
            if batch and (
                len(batch) == self.settings.batch_size or size + len(text) > self.settings.batch_chars
            ):
                yield batch
                batch, size = [], 0
            batch.append(text)
            size += len(text)
        if batch:
            yield batch

    def _rules_only(self, article: Article, text: str) -> Enrichment:
        starts = sentence_starts(text)
        return self._enrichment(article, text, starts, name_entities(text, self._names.find(text), starts))

    def _enrichment(
        self, article: Article, text: str, starts: list[int], entities: list[EntitySpan]
    ) -> Enrichment:
        quantities = find_quantities(text, starts)
        if self.pipeline is None:
            entities = sorted([*entities, *figure_entities(quantities)], key=lambda e: (e.start, e.end))
        signature = build_signature(
            text, _appeared(article), starts, entities, quantities, source=article.feed_id
        )
        return Enrichment(
            article_id=article.id,
            entities=tuple(entities),
            quantities=tuple(quantities),
            story_fingerprint=signature.to_json(),
            parses=self._parses(text, starts),
        )

    def _parses(self, text: str, starts: list[int]) -> tuple[ParsedSentence, ...]:
        """HOOK (see ``syntax_literals``): parses of the sentences holding a syntax trigger literal."""
        if self.syntax_literals is not None and not self.syntax_literals:
            return ()
        if self.syntax_literals is None:
            windows = list(zip(starts, [*starts[1:], len(text)], strict=True))
        else:
            windows = sentence_windows(text, starts, self.syntax_literals)
        return parse_windows(self.pipeline.nlp if self.pipeline else None, text, windows)


def _pieces(text: str, limit: int) -> list[str]:
    """``text`` cut into pieces of at most ``limit`` characters: after the last line break that fits, else
    after the last space, else at the limit. The pieces put together are the text."""
    pieces = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        cut = text.rfind("\n", start, end) + 1 or text.rfind(" ", start, end) + 1 or end
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _appeared(article: Article) -> datetime:
    """When the article appeared: its published time, unless that is later than when we fetched it."""
    return min(article.published_at, article.fetched_at)
