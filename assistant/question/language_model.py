"""The reader's language from character n-grams, trained at start-up on the corpus itself: the Slovenian paragraphs,
their English and Croatian translations, the easy-read lines and the questions written for every paragraph in each
language (standard and colloquial Slovenian, without diacritics, English, BCS). Marker words
(:func:`assistant.question.language.detect_language`) decide when the model is unsure or absent.

Short Slovenian and BCS messages share most words and letters ("koliko", "dan", "ž"); a model of letter sequences
tells "ne zdržim več" from "ne mogu više" where a word list cannot.
"""

from __future__ import annotations

import threading

from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression

from assistant.question.language import marker_scores
from assistant.text.normalize import fold
from assistant.types import Language

THRESHOLD = 0.7  # below this probability the marker words decide
# when the marker words see nothing of either language, the model decides from this probability on (below it the
# kiosk's first language, Slovenian, wins the tie: "Kako je ime direktorici?" is good Slovenian and good-looking BCS)
UNDECIDED = 0.65


class LanguageModel:
    """P(sl | en | bcs) of a text; ``fit`` once (about a second), ``predict`` well under 1 ms."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._vectorizer = HashingVectorizer(
            analyzer="char_wb", ngram_range=(1, 4), n_features=2**18, alternate_sign=False, norm="l2"
        )
        self._model: LogisticRegression | None = None
        self._lock = threading.Lock()

    @property
    def fitted(self) -> bool:
        """Whether :meth:`fit` has run."""
        return self._model is not None

    @staticmethod
    def _view(text: str) -> str:
        # folded, so a message typed without č/š/ž/ć/đ reads like one with them
        return fold(text.lower())

    def fit(self, samples: dict[Language, list[str]]) -> None:
        """Train on texts by language (at least two languages with texts)."""
        texts = [self._view(t) for lang in sorted(samples) for t in samples[lang] if t.strip()]
        labels = [lang for lang in sorted(samples) for t in samples[lang] if t.strip()]
        if len(set(labels)) < 2:
            return
        model = LogisticRegression(C=4.0, max_iter=2000)
        model.fit(self._vectorizer.transform(texts), labels)
        with self._lock:
            self._model = model

    def predict(self, text: str) -> tuple[Language, float] | None:
        """The most probable language and its probability, or None when not fitted."""
        model = self._model
        if model is None or not text.strip():
            return None
        row = model.predict_proba(self._vectorizer.transform([self._view(text)]))[0]
        best = int(row.argmax())
        label = str(model.classes_[best])
        language: Language = "en" if label == "en" else "bcs" if label == "bcs" else "sl"
        return language, float(row[best])

    def confident(self, text: str) -> Language | None:
        """The predicted language when its probability reaches the threshold, else None."""
        predicted = self.predict(text)
        return predicted[0] if predicted is not None and predicted[1] >= self.threshold else None


def detect(text: str, model: LanguageModel | None = None) -> Language:
    """The language of ``text``: English by its marker words (Serbian by Cyrillic letters); else the model when it
    is confident; else the marker words when they favour one language; else the model's guess between Slovenian and
    BCS when it is fairly sure; Slovenian when nothing is known."""
    markers = marker_scores(text)
    marked = markers.language
    if marked == "en" or markers.bcs < 0 or model is None:
        return marked
    predicted = model.predict(text)
    if predicted is None:
        return marked
    language, probability = predicted
    undecided = not markers.decided and language != "en" and probability >= UNDECIDED
    return language if probability >= model.threshold or undecided else marked
