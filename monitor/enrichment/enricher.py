"""The enrichment stage: articles in, ``domain.Enrichment`` out — entities, figures and a story signature.

Build one ``Enricher`` per process with ``Enricher.from_settings`` (it loads the spaCy model and the watch
lists: about a second and ~130 MB with the small model) and call ``enrich`` with batches of articles; they
go through ``nlp.pipe`` together, which is several times faster than one by one. Without a model the
rules-only pipeline runs instead (see model.py).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import logging
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.domain import Article, Enrichment, EnrichmentNeeds, EntitySpan, ParsedSentence, Window
from monitor.enrichment.anchors import name_anchors
from monitor.enrichment.entities import (
    WATCHLIST_COMPONENT,
    EntityResolver,
    WatchlistComponent,
    figure_entities,
    name_entities,
)
from monitor.enrichment.model import BLANK, LoadedPipeline, installed_model, load_pipeline
from monitor.enrichment.names import PLACE, NameMatcher
from monitor.enrichment.quantities import find_quantities
from monitor.enrichment.sentences import sentence_starts
from monitor.enrichment.signature import build_signature
from monitor.enrichment.syntax import parse_windows
from monitor.enrichment.watchlists import Watchlist, load_watchlists, watchlist_files, watchlist_sources
from monitor.settings.models import EnrichmentSettings

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)


class Enricher:
    """A loaded pipeline plus watch lists; call ``enrich`` from one thread at a time."""

    def __init__(
        self,
        pipeline: LoadedPipeline | Callable[[], LoadedPipeline] | None,
        watchlists: Sequence[Watchlist],
        settings: EnrichmentSettings,
    ) -> None:
        """``pipeline``: the loaded model, a function that loads it when the first article needs it, or
        None for the rules-only pipeline."""
        self._pipeline: LoadedPipeline | None = None
        self._load = pipeline if callable(pipeline) else None
        # One batch at a time through the model: the daemon's two processing runners share this enricher,
        # and a memory zone that closes frees the strings of every doc alive, the other thread's included
        # (spaCy E018 "Can't retrieve string for hash"). The model is CPU-bound under the GIL anyway.
        self._model_lock = threading.RLock()
        self.watchlists = tuple(watchlists)
        self.settings = settings
        self._names = NameMatcher(self.watchlists)
        self._resolver = EntityResolver(self._names)
        if isinstance(pipeline, LoadedPipeline):
            self._attach(pipeline)

    def _attach(self, pipeline: LoadedPipeline) -> None:
        component = pipeline.nlp.get_pipe(WATCHLIST_COMPONENT)
        assert isinstance(component, WatchlistComponent)
        component.matcher = self._names
        self._pipeline = pipeline

    @property
    def pipeline(self) -> LoadedPipeline | None:
        """The spaCy pipeline, loaded now if it was deferred; None for the rules-only pipeline."""
        with self._model_lock:
            if self._pipeline is None and self._load is not None:
                load, self._load = self._load, None
                self._attach(load())
        return self._pipeline

    @property
    def model_name(self) -> str:
        """The spaCy model package, or "blank" for the rules-only pipeline."""
        if self._pipeline is None and self._load is not None:
            return getattr(self._load, "model_name", "deferred")
        return self._pipeline.name if self._pipeline else BLANK

    @property
    def statistical(self) -> bool:
        return self._pipeline is not None or self._load is not None

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
        model = installed_model(settings.model)
        if model is not None:  # the model loads (seconds, ~130 MB) when the first article needs it
            loader = functools.partial(load_pipeline, model, model_location)
            enricher = cls(_Deferred(loader, model), watchlists, settings)
        else:  # blank, or missing: the same decisions, warnings and errors as before, at once
            enricher = cls(load_pipeline(settings.model, model_location), watchlists, settings)
        log.info(
            "enrichment ready: model %s, %d watch list(s), %d watched name(s)",
            enricher.model_name,
            len(watchlists),
            sum(len(e.names) for w in watchlists for e in w.entries),
            extra={"action": "enrichment.ready", "model": enricher.model_name},
        )
        return enricher

    def enrich(
        self,
        articles: Sequence[Article],
        needs: Sequence[EnrichmentNeeds] | None = None,
        base: Sequence[Enrichment] | None = None,
    ) -> list[Enrichment]:
        """One Enrichment per article, in order. Offsets are into ``article.field_text("text")``.

        ``needs`` (one per article, from ``RuleSet.needs``) says where the model must read: nowhere, the
        given sentence windows, or everything. None, or ``enrichment.mode: everything``, reads everything.
        Watch-listed names, figures and story signatures are found in the whole text either way (cheap).
        ``base``: what an earlier call with nothing needed returned for the same articles (the names and
        figures ``RuleSet.needs`` was decided with): kept, and only the model's entities added.
        """
        if needs is None or self.settings.mode == "everything":
            needs = [EVERYTHING] * len(articles)
        if len(needs) != len(articles) or (base is not None and len(base) != len(articles)):
            raise ValueError(f"{len(needs)} needs for {len(articles)} articles")
        texts = [article.field_text("text")[: self.settings.max_chars] for article in articles]
        if base is not None and not self.statistical:  # no model: only the syntax rules' parses to add
            return [
                dataclasses.replace(known, parses=self._parses(text, sentence_starts(text), need))
                if need.syntax_windows
                else known
                for known, text, need in zip(base, texts, needs, strict=True)
            ]
        if not self.statistical:
            return [
                self._rules_only(article, text, need)
                for article, text, need in zip(articles, texts, needs, strict=True)
            ]
        starts = [sentence_starts(text) for text in texts]
        cores = [_core_windows(text, need) for text, need in zip(texts, needs, strict=True)]
        pipeline = self.pipeline
        assert pipeline is not None
        # the strings a batch adds to the model's vocabulary are freed with it: without the zone, every new
        # number and name of every article stays in the process (a 10,000-article poll grew past 500 MB)
        with self._model_lock, pipeline.nlp.memory_zone():
            found = self._recognised(texts, starts, cores)
            enrichments = []
            for index, (article, text, need) in enumerate(zip(articles, texts, needs, strict=True)):
                known = base[index] if base is not None else None
                if known is not None and not cores[index] and not need.syntax_windows:
                    enrichments.append(known)
                    continue
                entities = self._entities(text, starts[index], cores[index], found[index], known)
                enrichments.append(self._enrichment(article, text, starts[index], entities, need, known))
        return enrichments

    def _recognised(
        self, texts: Sequence[str], starts: Sequence[list[int]], cores: Sequence[tuple[Window, ...]]
    ) -> list[list[EntitySpan]]:
        """The model's entities of each text that start inside its core windows.

        Each window goes through the model with CONTEXT_WORDS words of text on either side,
        and in pieces of at most batch_chars characters (see ``_docs``).
        """
        jobs = [
            (index, window, offset, piece)
            for index, (text, core) in enumerate(zip(texts, cores, strict=True))
            for window in core
            for offset, piece in _offset_pieces(
                text, *_with_context(text, *window), self.settings.batch_chars
            )
        ]
        found: list[list[EntitySpan]] = [[] for _ in texts]
        pieces = [piece for _, _, _, piece in jobs]
        for (index, (start, end), offset, _), doc in zip(jobs, self._docs(pieces), strict=True):
            found[index].extend(
                entity
                for entity in self._resolver.entities(doc, starts[index], offset)
                if start <= entity.start < end  # its own window: contexts overlap other windows
            )
        return found

    def _entities(
        self,
        text: str,
        starts: list[int],
        core: tuple[Window, ...],
        recognised: list[EntitySpan],
        known: Enrichment | None,
    ) -> list[EntitySpan]:
        """The model's entities in the core windows plus the watch-listed names everywhere else."""
        if known is not None:
            names = [e for e in known.entities if e.watchlist is not None and not _inside(core, e.start)]
        else:
            names = name_entities(
                text, [m for m in self._names.find(text) if not _inside(core, m.start)], starts
            )
        if not names:
            return recognised
        return sorted([*recognised, *names], key=lambda e: (e.start, e.end))

    def _docs(self, texts: Sequence[str]) -> Iterator[Doc]:
        """One Doc per text, made in batches of at most batch_size texts and batch_chars characters.

        The model's working memory grows with the characters of a batch, and the process keeps it (peak
        RSS with the small model: ~170 MB for 10,000-character batches, ~210 MB for 20,000, ~300 MB for one
        50,000-character text); the callers cut longer texts into pieces (``_pieces``).
        """
        assert self.pipeline is not None
        for batch in self._batches(texts):
            yield from self.pipeline.nlp.pipe(batch, batch_size=len(batch))

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

    def _parses(
        self, text: str, starts: list[int], needs: EnrichmentNeeds | None
    ) -> tuple[ParsedSentence, ...]:
        """Dependency parses of the sentences the syntax rules asked for (``needs.syntax_windows``), or of
        every sentence when everything is enriched; the model's parser, or the rule-based one without it."""
        if needs is None:
            return ()
        sentences: list[Window] = list(zip(starts, [*starts[1:], len(text)], strict=True)) if text else []
        if needs.everything:
            windows: Sequence[Window] = sentences
        else:  # sentence by sentence as when everything is parsed: a parse never depends on the windows
            windows = [
                s
                for s in sentences
                if any(s[0] < end and start < s[1] for start, end in needs.syntax_windows)
            ]
        if not windows:
            return ()
        pipeline = self.pipeline if self.statistical else None
        return parse_windows(pipeline.nlp if pipeline is not None else None, text, windows)

    def _rules_only(self, article: Article, text: str, needs: EnrichmentNeeds) -> Enrichment:
        starts = sentence_starts(text)
        entities = name_entities(text, self._names.find(text), starts)
        return self._enrichment(article, text, starts, entities, needs)

    def _enrichment(
        self,
        article: Article,
        text: str,
        starts: list[int],
        entities: list[EntitySpan],
        needs: EnrichmentNeeds | None,
        known: Enrichment | None = None,
    ) -> Enrichment:
        parses = self._parses(text, starts, needs)
        if known is not None:  # figures and the signature do not depend on the model: computed once
            return Enrichment(article.id, tuple(entities), known.quantities, known.story_fingerprint, parses)
        quantities = find_quantities(text, starts)
        if not self.statistical:
            entities = sorted([*entities, *figure_entities(quantities)], key=lambda e: (e.start, e.end))
        # a listed place (the countries list) is read like any capitalised word, not as a listed name that
        # counts everywhere: "Iraq" opening a sentence or in a Title Case headline says little about which story
        names = [e for e in entities if e.watchlist is not None and e.label != PLACE]
        signature = build_signature(
            text,
            _appeared(article),
            starts,
            [*names, *name_anchors(text, starts, names)],
            quantities,
            source=article.feed_id,
        )
        return Enrichment(
            article_id=article.id,
            entities=tuple(entities),
            quantities=tuple(quantities),
            story_fingerprint=signature.to_json(),
            parses=parses,
        )


CONTEXT_WORDS = 8
"""Words read on either side of a window: the small model's recogniser sees ±4 tokens around each token and
decides a name from its first and last tokens, so a name at a window's edge is read as in the whole text."""

EVERYTHING = EnrichmentNeeds(everything=True, quantities=True)


class _Deferred:
    """A pipeline loader that knows the model's name before loading it."""

    def __init__(self, load: Callable[[], LoadedPipeline | None], model_name: str) -> None:
        self._load = load
        self.model_name = model_name

    def __call__(self) -> LoadedPipeline:
        loaded = self._load()
        assert loaded is not None, "an installed model loads"
        return loaded


def _core_windows(text: str, needs: EnrichmentNeeds) -> tuple[Window, ...]:
    """Where the model must find entities: the whole text, the given windows (clipped), or nowhere."""
    if needs.everything:
        return ((0, len(text)),) if text else ()
    return tuple(
        (start, min(end, len(text))) for start, end in needs.entity_windows if start < min(end, len(text))
    )


def _with_context(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``..``end`` widened by CONTEXT_WORDS words on either side (whole words)."""
    if (start, end) == (0, len(text)):
        return start, end
    before = [m.start() for m in _WORD.finditer(text, max(0, start - CONTEXT_WORDS * _WORD_CHARS), start)]
    left = before[-CONTEXT_WORDS] if len(before) >= CONTEXT_WORDS else (before[0] if before else start)
    if len(before) < CONTEXT_WORDS and start - CONTEXT_WORDS * _WORD_CHARS <= 0:
        left = 0
    after = [m.end() for m in _WORD.finditer(text, end, min(len(text), end + CONTEXT_WORDS * _WORD_CHARS))]
    right = after[CONTEXT_WORDS - 1] if len(after) >= CONTEXT_WORDS else (after[-1] if after else end)
    return left, max(right, end)


_WORD = re.compile(r"\w+")
_WORD_CHARS = 30  # characters looked at per word wanted


def _offset_pieces(text: str, start: int, end: int, limit: int) -> list[tuple[int, str]]:
    """``text[start:end]`` in pieces of at most ``limit`` characters, each with its offset in ``text``."""
    found, offset = [], start
    for piece in _pieces(text[start:end], limit):
        found.append((offset, piece))
        offset += len(piece)
    return found


def _inside(windows: Sequence[Window], offset: int) -> bool:
    """Whether ``offset`` lies in one of the sorted, disjoint ``windows``."""
    index = bisect.bisect_right([start for start, _ in windows], offset) - 1
    return index >= 0 and offset < windows[index][1]


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
