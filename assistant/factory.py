"""Wiring: settings → configured components. The only place that knows which class a setting selects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.retrieval.dense import Embedder, make_embedder
from assistant.retrieval.index import IndexStore, build_index, load_index
from assistant.retrieval.retriever import RetrievalSettings, Retriever
from assistant.text.analyze import Analyzer
from assistant.text.lemmatize import make_lemmatizer

if TYPE_CHECKING:
    from assistant.answer.assistant import Assistant


def make_analyzer(settings: Settings) -> Analyzer:
    """The configured lemmatizer inside an analyzer."""
    lemmatizer = make_lemmatizer(settings.lemmatizer, settings.classla_dir)
    return Analyzer(lemmatizer, typo_max_distance=settings.typo_max_distance, typo_min_length=settings.typo_min_length)


def make_configured_embedder(settings: Settings) -> Embedder:
    """The configured embedder (not yet loaded)."""
    return make_embedder(
        settings.embedder,
        settings.embedder_path,
        settings.embedder_batch_size,
        settings.torch_threads,
        settings.embedder_query_prefix,
        settings.embedder_passage_prefix,
    )


def build(settings: Settings) -> dict[str, Any]:
    """Build the indexes for the configured corpus and models."""
    analyzer, embedder = make_analyzer(settings), make_configured_embedder(settings)
    return build_index(settings.corpus_dir, settings.index_dir, analyzer, embedder)


def load_store(settings: Settings, analyzer: Analyzer, embedder: Embedder) -> IndexStore:
    """Load and verify the index for the configured corpus and models."""
    return load_index(
        settings.index_dir, settings.corpus_dir, analyzer.lemmatizer.name, embedder.id, analyzer.fingerprint
    )


def make_retriever(settings: Settings) -> Retriever:
    """A retriever over the verified index."""
    analyzer = make_analyzer(settings)
    embedder = make_configured_embedder(settings)
    store = load_store(settings, analyzer, embedder)
    return Retriever(store, analyzer, embedder, RetrievalSettings.from_settings(settings))


def make_assistant(settings: Settings, retriever: Retriever | None = None) -> Assistant:
    """The configured assistant: calculator, generator, crisis detector and a retriever that loads on first use
    (or ``retriever``, already loaded)."""
    from assistant.answer.assistant import Assistant
    from assistant.calculator import Calculator
    from assistant.generate import make_generator
    from assistant.question.crisis import CrisisDetector
    from assistant.question.crisis_model import CrisisClassifier

    detector = CrisisDetector(
        make_lemmatizer(settings.lemmatizer, settings.classla_dir),
        CrisisClassifier(settings.crisis_classifier_threshold),
    )
    return Assistant(
        settings,
        retriever=retriever,
        generator=make_generator(settings),
        calculator=Calculator(),
        retriever_factory=lambda: make_retriever(settings),
        detector=detector,
    )
