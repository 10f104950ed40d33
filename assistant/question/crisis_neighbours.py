"""Nearest crisis exemplars by meaning, for English messages: the packaged sentence embedder (all-MiniLM-L6-v2) is
strong in English and weak in Slovenian, so it votes only on messages detected as English. A message whose nearest
exemplars (from ``assistant/i18n/crisis/training*.toml`` and the corpus's own English questions) are mostly crisis
messages is a *possible* crisis: help and the ordinary answer. It runs only when the patterns and the character
classifier found nothing, so it can add help, never take it away.

Votes chosen on the tune halves of the safety sets: of English ordinary questions none had more than 2 crisis
messages among its 7 nearest exemplars; most crisis messages had 4 or more.
"""

from __future__ import annotations

import threading

import numpy as np

from assistant.question.crisis_model import ORDINARY
from assistant.question.language import detect_language
from assistant.retrieval.dense import Embedder
from assistant.types import Matrix

NEIGHBOURS = 7
VOTES = 4  # crisis exemplars among the nearest NEIGHBOURS for a possible crisis


class CrisisNeighbours:
    """k-nearest-neighbour vote over English exemplars; ``fit`` once (about 2 s on 2 cores), ``predict`` ~10 ms."""

    def __init__(self, embedder: Embedder, neighbours: int = NEIGHBOURS, votes: int = VOTES) -> None:
        self.embedder = embedder
        self.neighbours = neighbours
        self.votes = votes
        self._matrix: Matrix | None = None
        self._labels: list[str] = []
        self._lock = threading.Lock()

    @property
    def fitted(self) -> bool:
        """Whether :meth:`fit` has run with English exemplars."""
        return self._matrix is not None

    def fit(self, exemplars: dict[str, list[str]], ordinary_extra: list[str]) -> None:
        """Embed the English exemplars (kind → texts) and the English ordinary questions."""
        texts: list[str] = []
        labels: list[str] = []
        for kind, items in exemplars.items():
            for text in items:
                if detect_language(text) == "en":
                    texts.append(text)
                    labels.append(kind)
        for text in ordinary_extra:
            if detect_language(text) == "en":
                texts.append(text)
                labels.append(ORDINARY)
        if not texts or ORDINARY not in labels:
            return
        matrix = np.asarray(self.embedder.encode(texts), dtype=np.float32)
        with self._lock:
            self._matrix, self._labels = matrix, labels

    def predict(self, message: str) -> tuple[str, float] | None:
        """The crisis kind most of the nearest exemplars have, with the share of crisis votes, when at least
        ``votes`` of them are crisis messages and the message is English; else None."""
        matrix = self._matrix
        if matrix is None or detect_language(message) != "en":
            return None
        query = np.asarray(self.embedder.encode([message], query=True), dtype=np.float32)[0]
        nearest = np.argsort(-(matrix @ query))[: self.neighbours]
        kinds = [self._labels[i] for i in nearest if self._labels[i] != ORDINARY]
        if len(kinds) < self.votes:
            return None
        kind = max(set(kinds), key=lambda k: (kinds.count(k), -kinds.index(k)))
        return kind, len(kinds) / self.neighbours
