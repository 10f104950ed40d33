"""Slovenian tokenisation and sentence splitting with obeliks (rule-based, no model, character offsets)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_WORDLIKE = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class Token:
    """A token with its character offsets in the analysed text."""

    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        """True for tokens with at least one letter or digit (not punctuation)."""
        return bool(_WORDLIKE.search(self.text))


@dataclass(frozen=True)
class Sentence:
    """A sentence span and its tokens."""

    text: str
    start: int
    end: int
    tokens: tuple[Token, ...]


def _run(text: str) -> list[Any]:
    import obeliks

    return obeliks.run(text, object_output=True) if text.strip() else []


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` with offsets, as obeliks splits them."""
    sentences: list[Sentence] = []
    for paragraph in _run(text):
        for item in paragraph:
            tokens = tuple(Token(t["text"], t["start_char"], t["end_char"]) for t in item["sentence"])
            if tokens:
                start, end = tokens[0].start, tokens[-1].end
                sentences.append(Sentence(text[start:end], start, end, tokens))
    return sentences


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text`` (words, numbers and punctuation) with offsets."""
    return [token for sentence in split_sentences(text) for token in sentence.tokens]
