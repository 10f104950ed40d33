"""What every answering strategy shares: the retriever (loaded lazily, once), the sentence scorer and verifier
built over it, and the generator with the lock that gives one question at a time the model."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from assistant.answer.extractive import SentenceScorer
from assistant.answer.verify import Verifier
from assistant.config import Settings
from assistant.corpus.enrichment import Enrichment, EnrichmentLanguage, load_enrichment
from assistant.generate.base import Generator
from assistant.retrieval.retriever import Retriever
from assistant.types import Chunk, Language

log = logging.getLogger(__name__)
# enrichment language → reader language of the language model's samples
SAMPLE_LANGUAGES: tuple[tuple[EnrichmentLanguage, Language], ...] = (("sl", "sl"), ("en", "en"), ("hr", "bcs"))


class Resources:
    """Lazily loaded components; ``warm_up`` loads them all now."""

    def __init__(
        self,
        settings: Settings,
        retriever: Retriever | None = None,
        retriever_factory: Callable[[], Retriever] | None = None,
        generator: Generator | None = None,
    ) -> None:
        self.settings = settings
        self._retriever = retriever
        self._retriever_factory = retriever_factory
        self.generator = generator
        self.generator_error: str | None = None
        self.generator_lock = threading.Lock()
        self._lock = threading.Lock()
        self._verifier: Verifier | None = None
        self._scorer: SentenceScorer | None = None
        self._enrichment: Enrichment | None = None

    @property
    def retriever(self) -> Retriever:
        """The retriever (loads and verifies the index on first use)."""
        if self._retriever is None:
            with self._lock:
                if self._retriever is None:
                    if self._retriever_factory is None:
                        raise RuntimeError("no retriever and no retriever factory")
                    self._retriever = self._retriever_factory()
        return self._retriever

    @property
    def verifier(self) -> Verifier:
        """The sentence verifier over the retriever's analyzer and vocabulary."""
        if self._verifier is None:
            r = self.retriever
            self._verifier = Verifier(r.analyzer, r.store.lexical.vocabulary, self.settings.verifier_min_overlap)
        return self._verifier

    @property
    def scorer(self) -> SentenceScorer:
        """The extractive sentence scorer."""
        if self._scorer is None:
            r = self.retriever
            self._scorer = SentenceScorer(r.analyzer, r.store.lexical, r.embedder)
        return self._scorer

    @property
    def model_usable(self) -> bool:
        """A generator is configured and did not fail to load."""
        return self.generator is not None and self.generator_error is None

    def warm_up(self) -> None:
        """Load the index and models now (the service calls this at start-up)."""
        self.retriever.search("obisk")
        self.scorer.warm_up([chunk.text for chunk in self.retriever.store.chunks])
        if self.generator is not None:
            try:
                self.generator.load()
            except Exception as exc:  # degraded: extractive answers only
                self.generator_error = str(exc)
                log.warning("generator unavailable, answers are quoted from the sources only: %s", exc)

    @property
    def enrichment(self) -> Enrichment:
        """The corpus enrichment (translations, easy-read lines, question expansions) for the indexed chunks."""
        if self._enrichment is None:
            self._enrichment = load_enrichment(self.settings.corpus_dir, self.retriever.store.chunks)
        return self._enrichment

    def ordinary_questions(self) -> list[str]:
        """Every question expansion of the corpus: ordinary questions, in all three languages."""
        try:
            enrichment = self.enrichment
        except Exception as exc:  # no index: the crisis classifier trains on its exemplars alone
            log.warning("corpus enrichment unavailable: %s", type(exc).__name__)
            return []
        return [q for chunk in self.retriever.store.chunks for q in enrichment.questions(chunk.id)]

    def language_samples(self) -> dict[Language, list[str]]:
        """Texts by language for the language model: the Slovenian paragraphs, and for each language the easy-read
        lines, translations and questions of the corpus enrichment (empty when the index cannot be read)."""
        try:
            enrichment = self.enrichment
            chunks = self.retriever.store.chunks
        except Exception as exc:  # no index: marker words decide the language
            log.warning("language samples unavailable: %s", type(exc).__name__)
            return {}
        samples: dict[Language, list[str]] = {"sl": [c.text for c in chunks], "en": [], "bcs": []}
        for chunk in chunks:
            for wanted, language in SAMPLE_LANGUAGES:
                entry = enrichment.get(chunk.id, wanted)
                if entry is not None:
                    samples[language] += [entry.easy, entry.text, *entry.questions]
        return samples

    def chunk(self, chunk_id: str) -> Chunk:
        """A chunk by id (KeyError if unknown)."""
        store = self.retriever.store
        return store.chunks[store.by_id[chunk_id]]

    def chunk_with(self, quote: str) -> Chunk | None:
        """The first chunk whose text contains ``quote`` (case-insensitive), if any."""
        from assistant.text.normalize import collapse_whitespace

        wanted = collapse_whitespace(quote).casefold()
        return next((c for c in self.retriever.store.chunks if wanted in c.text.casefold()), None)
