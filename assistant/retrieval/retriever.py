"""Hybrid retrieval: BM25 over lemmas + dense vectors, weighted reciprocal-rank fusion, confidence, neighbours."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from assistant.config import Settings
from assistant.retrieval.dense import Embedder
from assistant.retrieval.index import IndexStore, dense_search
from assistant.retrieval.lexical import LexicalIndex
from assistant.text.analyze import Analyzer, QueryTerm
from assistant.types import Chunk, Hit, Language, Matrix, SearchResult

Mode = Literal["hybrid", "lexical", "dense"]

# Logistic retrieval confidence from the lexical coverage of the best chunks (0..1) and their dense cosine.
# Calibrated on the development set (see README, "Refusal threshold"): the packaged embedder is English-only,
# its cosine did not separate answerable from unanswerable Slovenian questions and penalised English ones,
# so it has weight 0; coverage 0.2 maps to 0.5, and the default refusal threshold 0.35 refuses questions
# with less than ~12 % of their weighted terms in any passage (gibberish, other subjects).
CONFIDENCE_COEFFICIENTS = (8.0, 0.0, -1.6)
QUERY_CACHE = 64  # query embeddings remembered


def _default(name: str) -> Any:
    return Settings.model_fields[name].default


@dataclass(frozen=True)
class RetrievalSettings:
    """The fusion knobs; the defaults are those of :class:`assistant.config.Settings`."""

    top_k: int = _default("top_k")
    candidate_k: int = _default("candidate_k")
    rrf_k: int = _default("rrf_k")
    lexical_weight: float = _default("lexical_weight")
    dense_weight: float = _default("dense_weight")
    dense_weight_en: float = _default("dense_weight_en")
    expansion_weight: float = _default("expansion_weight")

    @classmethod
    def from_settings(cls, settings: Settings) -> RetrievalSettings:
        """The knobs as configured."""
        return cls(
            settings.top_k,
            settings.candidate_k,
            settings.rrf_k,
            settings.lexical_weight,
            settings.dense_weight,
            settings.dense_weight_en,
            settings.expansion_weight,
        )


class Retriever:
    """question → ranked chunks; all models are injected and already configured."""

    def __init__(
        self, store: IndexStore, analyzer: Analyzer, embedder: Embedder, settings: RetrievalSettings | None = None
    ) -> None:
        self.store = store
        self.analyzer = analyzer
        self.embedder = embedder
        self.settings = settings or RetrievalSettings()
        self._vectors: dict[str, Matrix] = {}  # query text → embedding, oldest first
        self._vectors_lock = threading.Lock()

    def query_vector(self, text: str) -> Matrix:
        """The query embedding of ``text``; the last QUERY_CACHE texts are remembered (a long message searches its
        parts more than once)."""
        with self._vectors_lock:
            cached = self._vectors.get(text)
        if cached is None:
            cached = self.embedder.encode([text], query=True)[0]
            with self._vectors_lock:
                self._vectors[text] = cached
                while len(self._vectors) > QUERY_CACHE:
                    self._vectors.pop(next(iter(self._vectors)))
        return cached

    def query_terms(self, query: str) -> list[QueryTerm]:
        """The weighted lemma terms the lexical side searches for."""
        return self.analyzer.query_terms(query, self.store.lexical.vocabulary)

    def search(
        self,
        query: str,
        k: int | None = None,
        mode: Mode = "hybrid",
        language: Language | None = None,
        dense_query: str | None = None,
    ) -> SearchResult:
        """Top ``k`` chunks for ``query`` with a calibrated confidence that the corpus answers it. The fusion is
        language-aware: an English or BCS question also searches the translations and the questions written in its
        language (a second lexical list in the fusion), and an English question gives the dense side (English
        translations) ``dense_weight_en``. ``dense_query``: the text the dense side embeds instead of ``query``
        (a question part searched with the statements before it keeps the part's own embedding)."""
        started = time.perf_counter()
        k = k or self.settings.top_k
        n = len(self.store.chunks)
        candidates = min(self.settings.candidate_k, n)
        terms = self.query_terms(query)

        lexical_scores = self.store.lexical.scores(terms) if mode != "dense" else np.zeros(n, np.float32)
        lexical_order = [
            int(i) for i in np.argsort(-lexical_scores, kind="stable")[:candidates] if lexical_scores[i] > 0
        ]
        dense_scores = np.zeros(n, dtype=np.float32)
        dense_order: list[int] = []
        if mode != "lexical":
            vector = self.query_vector(dense_query or query)
            scores, indices = dense_search(self.store, vector, candidates)
            for score, index in zip(scores, indices, strict=True):
                if index >= 0:
                    dense_scores[index] = score
                    dense_order.append(int(index))

        extra: dict[str, tuple[list[int], float]] = {}  # further ranked lists in the fusion, with their weights
        foreign_terms: list[QueryTerm] = []
        questions, foreign = self.store.questions, self.store.foreign
        if questions is not None and mode != "dense":
            # the questions each paragraph answers, as people ask them
            extra["expansion"] = (
                self._ranked(questions, self.analyzer.query_terms(query, questions.vocabulary), candidates),
                self.settings.lexical_weight * self.settings.expansion_weight,
            )
        if foreign is not None and language in ("en", "bcs") and mode != "dense":
            # English and BCS questions also search the translations and the questions written in their language
            foreign_terms = self.analyzer.query_terms(query, foreign.vocabulary)
            extra["foreign"] = (self._ranked(foreign, foreign_terms, candidates), self.settings.lexical_weight)

        fused: dict[int, float] = {}
        lexical_rank = {doc: rank for rank, doc in enumerate(lexical_order, 1)}
        dense_rank = {doc: rank for rank, doc in enumerate(dense_order, 1)}
        dense_weight = self.settings.dense_weight_en if language == "en" else self.settings.dense_weight
        weights = {"hybrid": (self.settings.lexical_weight, dense_weight), "lexical": (1.0, 0.0), "dense": (0.0, 1.0)}[
            mode
        ]
        for doc, rank in lexical_rank.items():
            fused[doc] = fused.get(doc, 0.0) + weights[0] / (self.settings.rrf_k + rank)
        for doc, rank in dense_rank.items():
            fused[doc] = fused.get(doc, 0.0) + weights[1] / (self.settings.rrf_k + rank)
        extra_rank: dict[str, dict[int, int]] = {}
        for name, (order, weight) in extra.items():
            extra_rank[name] = {doc: rank for rank, doc in enumerate(order, 1)}
            for rank, doc in enumerate(order, 1):
                fused[doc] = fused.get(doc, 0.0) + weight / (self.settings.rrf_k + rank)
        order = sorted(fused, key=lambda doc: (-fused[doc], doc))[:k]

        hits = [
            Hit(
                self.store.chunks[doc],
                fused[doc],
                lexical_rank.get(doc),
                dense_rank.get(doc),
                float(lexical_scores[doc]),
                float(dense_scores[doc]),
                extra_rank.get("expansion", {}).get(doc),
                extra_rank.get("foreign", {}).get(doc),
            )
            for doc in order
        ]
        confidence = self.confidence(terms, hits, foreign_terms) if hits else 0.0
        elapsed = (time.perf_counter() - started) * 1000
        return SearchResult(query, hits, confidence, elapsed, " ".join(t.term for t in terms))

    @staticmethod
    def _ranked(index: LexicalIndex, terms: list[QueryTerm], candidates: int) -> list[int]:
        """Chunk indices with a positive BM25 score for ``terms``, best first."""
        scores = index.scores(terms)
        return [int(i) for i in np.argsort(-scores, kind="stable")[:candidates] if scores[i] > 0]

    def confidence(
        self, terms: list[QueryTerm], hits: list[Hit], foreign_terms: list[QueryTerm] | None = None
    ) -> float:
        """P(the corpus answers the question), from the best lexical coverage (of the Slovenian text, or of the
        translations for a foreign-language question) and dense similarity."""
        coverage = max(self.store.lexical.coverage(terms, self.store.by_id[hit.chunk.id]) for hit in hits[:5])
        if foreign_terms and self.store.foreign is not None:
            foreign = self.store.foreign
            coverage = max(coverage, *(foreign.coverage(foreign_terms, self.store.by_id[h.chunk.id]) for h in hits[:5]))
        cosine = max(hit.dense_score for hit in hits[:5])
        a, b, c = CONFIDENCE_COEFFICIENTS
        return 1.0 / (1.0 + math.exp(-(a * coverage + b * cosine + c)))

    def neighbours(self, chunk_id: str, window: int = 1) -> list[Chunk]:
        """The chunk with up to ``window`` chunks of the same section before and after it, in order."""
        index = self.store.by_id[chunk_id]
        chunk = self.store.chunks[index]
        lo, hi = max(0, index - window), min(len(self.store.chunks), index + window + 1)
        return [c for c in self.store.chunks[lo:hi] if c.section == chunk.section and c.doc_id == chunk.doc_id]
