"""Fakes shared by the test packages (imported as ``tests.fakes``): no model is ever loaded through them."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

# Importing any of these in a non-integration test means a real model could load: the guard fails the test.
HEAVY_MODULES = ("lemmagen3", "sentence_transformers", "torch", "transformers", "llama_cpp")


class FakeLemmatizer:
    """Deterministic stand-in for lemmagen3: lowercases and strips a few Slovenian endings.

    * ``-ila``/``-ilo``/``-ala``/``-alo`` (words of 6+ letters) become infinitives ``-iti``/``-ati``, so the
      analyzer sees "recognised verb forms" (``naredila`` → ``narediti``);
    * otherwise one case ending (``-ami -ih -om -em -ov -ah -a -e -i -o -u``) is stripped when a stem of at
      least 4 letters remains (``obiski`` → ``obisk``, ``paketa`` → ``paket``);
    * anything that is not purely alphabetic (numbers, ``e-pošta``) is only lowercased.
    """

    name = "fake-lemmatizer"
    VERB_ENDINGS = (("ila", "iti"), ("ilo", "iti"), ("ala", "ati"), ("alo", "ati"))
    CASE_ENDINGS = ("ami", "ih", "om", "em", "ov", "ah", "a", "e", "i", "o", "u")

    def __init__(self) -> None:
        self.calls = 0

    def lemmatize(self, words: list[str]) -> list[str]:
        self.calls += 1
        return [self.lemma(word) for word in words]

    @classmethod
    def lemma(cls, word: str) -> str:
        lowered = word.lower()
        if not lowered.isalpha():
            return lowered
        if len(lowered) >= 6:
            for ending, infinitive in cls.VERB_ENDINGS:
                if lowered.endswith(ending):
                    return lowered[: -len(ending)] + infinitive
        for ending in cls.CASE_ENDINGS:
            if lowered.endswith(ending) and len(lowered) - len(ending) >= 4:
                return lowered[: -len(ending)]
        return lowered


def guard_against_models(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fixture body: fail a non-integration test that imports a model library."""
    if request.node.get_closest_marker("integration"):
        yield
        return
    before = {name for name in HEAVY_MODULES if name in sys.modules}
    yield
    loaded = [name for name in HEAVY_MODULES if name in sys.modules and name not in before]
    assert not loaded, f"a non-integration test imported {loaded}; use FakeLemmatizer / HashEmbedder"
