"""BM25 over folded lemmas, with weighted query terms."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.text.analyze import QueryTerm, Vocabulary
from assistant.types import Matrix


def word_coverage(terms: list[QueryTerm], idf: Callable[[str], float], contains: Callable[[str], bool]) -> float:
    """The idf-weighted share of the question's words that a text ``contains`` (0..1): each question word counts
    once, through the best of the terms derived from it (its lemma, a synonym, a derived form)."""
    best_per_word: dict[str, tuple[float, float]] = {}
    for query_term in terms:
        weight = query_term.weight * idf(query_term.term)
        hit = weight if contains(query_term.term) else 0.0
        seen_total, seen_hit = best_per_word.get(query_term.word, (0.0, 0.0))
        best_per_word[query_term.word] = (max(seen_total, weight), max(seen_hit, hit))
    total = sum(word_total for word_total, _ in best_per_word.values())
    return sum(word_hit for _, word_hit in best_per_word.values()) / total if total else 0.0


@dataclass
class LexicalIndex:
    """Postings of folded lemmas per chunk, plus the corpus' surface-form → lemma map."""

    postings: dict[str, dict[int, int]]
    doc_lengths: list[int]
    surface: dict[str, list[str]]
    k1: float = 1.2
    b: float = 0.75

    @classmethod
    def build(
        cls, documents: list[list[str]], surface: dict[str, list[str]], k1: float = 1.2, b: float = 0.75
    ) -> LexicalIndex:
        """Index ``documents`` (each a list of terms)."""
        postings: dict[str, dict[int, int]] = {}
        for doc_index, terms in enumerate(documents):
            for term, count in Counter(terms).items():
                postings.setdefault(term, {})[doc_index] = count
        return cls(postings, [len(terms) for terms in documents], surface, k1, b)

    def __post_init__(self) -> None:
        self.n_docs = len(self.doc_lengths)
        self.avg_length = (sum(self.doc_lengths) / self.n_docs) if self.n_docs else 0.0
        self._lengths = np.asarray(self.doc_lengths, dtype=np.float32)
        self.vocabulary = Vocabulary(set(self.postings), self.surface)

    def idf(self, term: str) -> float:
        """BM25+ style idf (never negative); unknown terms get the idf of a term seen once."""
        df = len(self.postings.get(term, {})) or 1
        return math.log(1.0 + (self.n_docs - df + 0.5) / (df + 0.5))

    def scores(self, terms: list[QueryTerm]) -> Matrix:
        """BM25 score of every chunk for the weighted query terms. A derived term (``base`` set) scores only in
        chunks without its base term, so "brezplačna" matches "brezplačno" without counting twice."""
        scores = np.zeros(self.n_docs, dtype=np.float32)
        norm = self.k1 * (1 - self.b + self.b * self._lengths / (self.avg_length or 1.0))
        present = {t.term for t in terms}
        for query_term in terms:
            posting = self.postings.get(query_term.term)
            if not posting:
                continue
            if query_term.base and query_term.base in present:
                base_docs = self.postings.get(query_term.base, {})
                posting = {doc: tf for doc, tf in posting.items() if doc not in base_docs}
                if not posting:
                    continue
            idf = self.idf(query_term.term)
            docs = np.fromiter(posting.keys(), dtype=np.int64)
            tf = np.fromiter(posting.values(), dtype=np.float32)
            scores[docs] += query_term.weight * idf * tf * (self.k1 + 1) / (tf + norm[docs])
        return scores

    def coverage(self, terms: list[QueryTerm], doc_index: int) -> float:
        """Share of the query's idf-weighted words that occur in one chunk (0..1, see :func:`word_coverage`);
        words unknown to the corpus count against it, which is what makes it a useful "is this covered at all"
        signal."""
        return word_coverage(terms, self.idf, lambda term: doc_index in self.postings.get(term, {}))

    def to_json(self) -> dict[str, Any]:
        """Serialisable form."""
        return {
            "k1": self.k1,
            "b": self.b,
            "doc_lengths": self.doc_lengths,
            "surface": self.surface,
            "postings": {
                term: [[doc, count] for doc, count in posting.items()]
                for term, posting in sorted(self.postings.items())
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LexicalIndex:
        """Inverse of :meth:`to_json`."""
        postings = {term: {int(doc): int(count) for doc, count in pairs} for term, pairs in data["postings"].items()}
        return cls(postings, list(data["doc_lengths"]), data["surface"], data["k1"], data["b"])
