"""Extractive answers: the 1–3 best source sentences, quoted verbatim with their citation numbers.

Sentence score = idf-weighted share of the question's terms the sentence contains (lemmas, synonyms,
glossary terms) + a smaller weight of dense similarity to the question, + a small bonus for the passage's
retrieval rank, + a bonus for stating a quantity when the question asks for one ("kako dolgo", "how often") or
for defining the question's topic when it asks what something is ("kaj je", "who counts as").
Sentences are kept in reading order of their passage so the quote reads naturally.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.question.focus import QuestionFocus, defined_subject, states_quantity_in_words
from assistant.retrieval.dense import Embedder
from assistant.retrieval.lexical import LexicalIndex, word_coverage
from assistant.text.analyze import Analyzer, QueryTerm
from assistant.text.numbers import quantities
from assistant.text.tokenize import split_sentences
from assistant.types import Matrix

LEXICAL_WEIGHT = 1.0
DENSE_WEIGHT = 0.3
RANK_BONUS = 0.15
QUANTITY_BONUS = 0.2
DEFINITION_BONUS = 0.2


@dataclass(frozen=True)
class ScoredSentence:
    """A source sentence, the passage number it comes from, and its score."""

    text: str
    n: int
    position: int
    score: float
    group: str = ""  # the passage's section: extra sentences prefer the best sentence's section


class SentenceScorer:
    """Scores the sentences of numbered passages against a question."""

    def __init__(self, analyzer: Analyzer, lexical: LexicalIndex, embedder: Embedder | None = None) -> None:
        self.analyzer = analyzer
        self.lexical = lexical
        self.embedder = embedder
        self._sentences: dict[str, list[str]] = {}
        self._vectors: dict[str, Matrix] = {}
        self._has_quantity: dict[str, bool] = {}

    def sentences(self, passage: str) -> list[str]:
        """The passage's sentences (obeliks), cached."""
        cached = self._sentences.get(passage)
        if cached is None:
            cached = [s.text for s in split_sentences(passage) if len(s.text) > 12]
            self._sentences[passage] = cached
        return cached

    def states_quantity(self, sentence: str) -> bool:
        """Does ``sentence`` state a number, number word, fraction, ordinal or a quantity in words such as
        "neomejeno" or "dnevno" (cached)?"""
        cached = self._has_quantity.get(sentence)
        if cached is None:
            cached = self._has_quantity[sentence] = bool(quantities(sentence)) or states_quantity_in_words(sentence)
        return cached

    def _embed(self, texts: list[str]) -> Matrix:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing and self.embedder is not None:
            for text, vector in zip(missing, self.embedder.encode(missing), strict=True):
                self._vectors[text] = vector
        return np.stack([self._vectors[t] for t in texts])

    def warm_up(self, passages: list[str]) -> None:
        """Split and embed every sentence of ``passages`` once (at start-up), so answers only embed the question."""
        texts = [sentence for passage in passages for sentence in self.sentences(passage)]
        if texts and self.embedder is not None:
            self._embed(texts)

    def defines(self, sentence: str, terms: set[str]) -> bool:
        """Is ``sentence`` a definition whose subject contains one of ``terms``?"""
        subject = defined_subject(sentence)
        return subject is not None and bool(self.analyzer.term_set(subject) & terms)

    def term_share(self, question_terms: list[QueryTerm]) -> Callable[[str], float]:
        """A function giving the idf-weighted share of ``question_terms`` a sentence contains (0..1, counting
        question words the corpus never uses against it). A derived form ("brezplačno" for "brezplačen") stands
        in for its base term and never adds to it."""
        weights = {t.term: t.weight * self.lexical.idf(t.term) for t in question_terms if not t.base}
        stand_ins = [(t.term, t.base, t.weight * self.lexical.idf(t.term)) for t in question_terms if t.base]
        total = sum(weights.values()) or 1.0

        def share(sentence: str) -> float:
            terms = self.analyzer.term_set(sentence)
            weight = sum(w for term, w in weights.items() if term in terms)
            return (weight + sum(w for term, base, w in stand_ins if term in terms and base not in terms)) / total

        return share

    def word_share(self, question_terms: list[QueryTerm]) -> Callable[[str], float]:
        """A function giving the idf-weighted share of the question's *words* a sentence contains (each word
        once, through its best term; see :func:`assistant.retrieval.lexical.word_coverage`)."""
        return lambda sentence: word_coverage(
            question_terms, self.lexical.idf, self.analyzer.term_set(sentence).__contains__
        )

    def score(
        self,
        question_terms: list[QueryTerm],
        question: str,
        passages: list[tuple[int, str, str]],
        focus: QuestionFocus | None = None,
    ) -> list[ScoredSentence]:
        """All sentences of ``passages`` ((n, text, section), best-ranked first) with scores, best first.
        When the ``focus`` wants a quantity, sentences that state one get :data:`QUANTITY_BONUS`; when it wants a
        definition, sentences that define one of the question's terms get :data:`DEFINITION_BONUS`."""
        candidates: list[tuple[int, int, str]] = []
        groups: dict[int, str] = {}
        for rank, (n, text, group) in enumerate(passages):
            groups[n] = group
            for position, sentence in enumerate(self.sentences(text)):
                candidates.append((n, rank * 1000 + position, sentence))
        if not candidates:
            return []
        share = self.term_share(question_terms)
        lexical = np.array([share(text) for _, _, text in candidates], dtype=np.float32)
        dense = np.zeros(len(candidates), dtype=np.float32)
        if self.embedder is not None:
            question_vector = self.embedder.encode([question], query=True)[0]
            dense = self._embed([text for _, _, text in candidates]) @ question_vector
        ranks = np.array([position // 1000 for _, position, _ in candidates], dtype=np.float32)
        scores = LEXICAL_WEIGHT * lexical + DENSE_WEIGHT * dense + RANK_BONUS / (1.0 + ranks)
        if focus is not None and focus.wants_quantity:
            scores += QUANTITY_BONUS * np.array(
                [self.states_quantity(text) for _, _, text in candidates], dtype=np.float32
            )
        if focus is not None and focus.wants_definition:
            terms = {t.term for t in question_terms}
            scores += DEFINITION_BONUS * np.array(
                [self.defines(text, terms) for _, _, text in candidates], dtype=np.float32
            )
        order = np.argsort(-scores, kind="stable")
        return [
            ScoredSentence(
                candidates[i][2], candidates[i][0], candidates[i][1], float(scores[i]), groups[candidates[i][0]]
            )
            for i in order
        ]


def select_sentences(
    scored: list[ScoredSentence],
    max_sentences: int = 3,
    relative_cutoff: float = 0.4,
    other_section_cutoff: float = 0.95,
    max_chars: int = 600,
) -> list[ScoredSentence]:
    """The best sentence plus up to two more, in reading order. An extra sentence must score at least
    ``relative_cutoff`` of the best one, or ``other_section_cutoff`` when it comes from another section (a quote
    should stay on one topic unless the question spans two)."""
    if not scored:
        return []
    best = scored[0].score
    chosen: list[ScoredSentence] = []
    length = 0
    for sentence in scored:
        if len(chosen) >= max_sentences or sentence.score < best * relative_cutoff:
            break
        if chosen and sentence.group != scored[0].group and sentence.score < best * other_section_cutoff:
            continue
        if length + len(sentence.text) > max_chars and chosen:
            continue
        chosen.append(sentence)
        length += len(sentence.text)
    return sorted(chosen, key=lambda s: s.position)
