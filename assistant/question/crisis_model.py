"""A small statistical crisis classifier over character n-grams, trained at start-up (about a second) from
exemplars written for it (``assistant/i18n/crisis/training*.toml``) and, as ordinary examples, the question
expansions of the corpus enrichment. Character n-grams of folded text carry over inflections, missing diacritics,
typos and the three languages, which fixed patterns cannot; the patterns stay for the clear cases.

Its output is a *possible* crisis (help and the ordinary answer), never a silent decision to withhold an answer.
"""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

ORDINARY = "ordinary"
HELP_FLOOR = 0.1  # a help kind this likely is shown beside a classifier's threat (help costs nothing)
# exemplar files written for the classifier (never from an evaluation set)
TRAINING_FILES = (
    "training.toml",
    "training_more.toml",
    "training_extra.toml",
    "training_bcs.toml",
    "training_en.toml",
    "training_hard.toml",
)


@lru_cache(maxsize=1)
def training_exemplars() -> dict[str, list[str]]:
    """Exemplar messages by kind (``self_harm``, ``abuse``, ``third_party``, ``threat``, ``means``, ``ordinary``)."""
    folder = resources.files("assistant.i18n").joinpath("crisis")
    exemplars: dict[str, list[str]] = {}
    for name in TRAINING_FILES:
        path = folder.joinpath(name)
        if not path.is_file():
            continue
        for kind, texts in tomllib.loads(path.read_text(encoding="utf-8")).items():
            exemplars.setdefault(kind, []).extend(str(text) for text in texts)
    return exemplars


class CrisisClassifier:
    """P(kind | message) for the crisis kinds and "ordinary"; ``fit`` once, ``predict`` in well under 1 ms."""

    def __init__(self, threshold: float = 0.7) -> None:
        self.threshold = threshold
        self._vectorizer = FeatureUnion(
            [
                (
                    "chars",
                    HashingVectorizer(
                        analyzer="char_wb", ngram_range=(3, 5), n_features=2**18, alternate_sign=False, norm="l2"
                    ),
                ),
                (
                    "words",
                    HashingVectorizer(
                        analyzer="word",
                        ngram_range=(1, 2),
                        n_features=2**16,
                        alternate_sign=False,
                        norm="l2",
                        token_pattern=r"(?u)\b\w+\b",
                    ),
                ),
            ]
        )
        self._model: LogisticRegression | None = None
        self._known: frozenset[str] = frozenset()  # the words of the training texts
        self._normalise: Callable[[str], str] | None = None
        self._lock = threading.Lock()

    @property
    def fitted(self) -> bool:
        """Whether :meth:`fit` has run."""
        return self._model is not None

    def fit(
        self,
        examples: dict[str, list[str]],
        ordinary_extra: list[str] | None = None,
        normalise: Callable[[str], str] | None = None,
    ) -> None:
        """Train on ``examples`` (kind → texts) plus more ordinary texts. ``normalise`` maps a text to the view
        the classifier sees (the crisis detector's folding)."""
        texts: list[str] = []
        labels: list[str] = []
        for kind, items in examples.items():
            texts.extend(items)
            labels.extend([kind] * len(items))
        for text in ordinary_extra or []:
            texts.append(text)
            labels.append(ORDINARY)
        if len(set(labels)) < 2:
            return
        self._normalise = normalise
        views = [self._view(t) for t in texts]
        self._known = frozenset(word for view in views for word in view.split())
        matrix = self._vectorizer.transform(views)
        model = LogisticRegression(C=8.0, max_iter=2000, class_weight="balanced")
        model.fit(matrix, labels)
        with self._lock:
            self._model = model

    def _view(self, text: str) -> str:
        return self._normalise(text) if self._normalise is not None else text.lower()

    def probabilities(self, message: str) -> dict[str, float]:
        """Class probabilities (empty when not fitted, and for a message with no word the training texts use:
        "asdf qwer" gives the model nothing to judge)."""
        model = self._model
        view = self._view(message)
        if model is None or not any(word in self._known for word in view.split()):
            return {}
        row = model.predict_proba(self._vectorizer.transform([view]))[0]
        return {str(label): float(p) for label, p in zip(model.classes_, row, strict=True)}

    def likely_help_kind(self, message: str, floor: float = HELP_FLOOR) -> str | None:
        """The most probable kind that needs help (self-harm, abuse, a third person) if its probability is at least
        ``floor``: shown beside a refusal when a message the classifier takes for a threat may be despair."""
        probs = self.probabilities(message)
        kinds = [k for k in ("self_harm", "abuse", "third_party") if probs.get(k, 0.0) >= floor]
        return max(kinds, key=lambda k: probs[k]) if kinds else None

    def predict(self, message: str) -> tuple[str, float] | None:
        """The most likely crisis kind when P(not ordinary) ≥ threshold, with that probability; else None."""
        probs = self.probabilities(message)
        if not probs:
            return None
        crisis = 1.0 - probs.get(ORDINARY, 0.0)
        if crisis < self.threshold:
            return None
        kind = max((k for k in probs if k != ORDINARY), key=lambda k: probs[k])
        return kind, crisis
