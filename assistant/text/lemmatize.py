"""Lemmatizers behind one protocol: lemmagen3 (default, model shipped in the wheel) and classla (optional)."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol


class LemmatizerUnavailable(Exception):
    """The configured lemmatizer cannot be loaded; the message says why and what to do."""


class Lemmatizer(Protocol):
    """Maps word forms to lemmas."""

    name: str

    def lemmatize(self, words: list[str]) -> list[str]:
        """One lemma per word, in order."""
        ...


class Lemmagen3Lemmatizer:
    """lemmagen3's Slovenian model; loads lazily, once."""

    name = "lemmagen3-sl"

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from lemmagen3 import Lemmatizer as _Lemmagen

                self._model = _Lemmagen("sl")
        return self._model

    def lemmatize(self, words: list[str]) -> list[str]:
        """Lemmas of ``words`` (each word on its own; lemmagen3 uses no context)."""
        return [_lemmagen_cached(self, word) for word in words]


@lru_cache(maxsize=65536)
def _lemmagen_cached(lemmatizer: Lemmagen3Lemmatizer, word: str) -> str:
    return str(lemmatizer._load().lemmatize(word))


class ClasslaLemmatizer:
    """classla's Slovenian pipeline (tokenize, pos, lemma) from a local model directory; never downloads."""

    name = "classla-sl"

    def __init__(self, model_dir: Path) -> None:
        self.model_dir = model_dir
        self._pipeline = None
        self._lock = threading.Lock()

    def check(self) -> None:
        """Raise :class:`LemmatizerUnavailable` unless classla and its Slovenian models are on disk."""
        if not (self.model_dir / "sl").is_dir():
            raise LemmatizerUnavailable(
                f"Modeli classla za slovenščino niso v mapi {self.model_dir / 'sl'}. classla jih prenaša s svojega "
                "strežnika, ki tu ni dosegljiv: kopirajte mapo 'sl' iz classla_resources v to mapo ali nastavite "
                "ASSISTANT_CLASSLA_DIR, sicer uporabite privzeti lemmagen3 (ASSISTANT_LEMMATIZER=lemmagen3)."
            )
        try:
            import classla  # noqa: F401
        except ImportError as exc:
            raise LemmatizerUnavailable(f"Paket classla ni nameščen: {exc}") from exc

    def _load(self) -> Any:
        with self._lock:
            if self._pipeline is None:
                self.check()
                import classla

                self._pipeline = classla.Pipeline(
                    "sl",
                    dir=str(self.model_dir),
                    processors="tokenize,pos,lemma",
                    tokenize_pretokenized=True,
                    download_method=None,
                    use_gpu=False,
                )
        return self._pipeline

    def lemmatize(self, words: list[str]) -> list[str]:
        """Lemmas with part-of-speech context (the words are treated as one pre-tokenised sentence)."""
        if not words:
            return []
        doc = self._load()([words])
        return [word.lemma for sentence in doc.sentences for word in sentence.words]


def make_lemmatizer(kind: str, classla_dir: Path) -> Lemmatizer:
    """The lemmatizer named in settings; classla is checked up front so a missing model fails clearly."""
    if kind == "classla":
        lemmatizer = ClasslaLemmatizer(classla_dir)
        lemmatizer.check()
        return lemmatizer
    return Lemmagen3Lemmatizer()
