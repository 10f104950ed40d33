"""The contracts collaborators meet (``typing.Protocol``): what a stage needs from the one before it.

Generators, embedders and lemmatizers have their protocols beside their backends; they are re-exported here so a
reader finds every contract in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from assistant.generate.base import Generator
from assistant.retrieval.dense import Embedder
from assistant.text.lemmatize import Lemmatizer

if TYPE_CHECKING:
    from assistant.calculator.schemas import CalcRoute
    from assistant.text.analyze import Analyzer, QueryTerm
    from assistant.types import Chunk, SearchResult


class Retrieval(Protocol):
    """question → ranked chunks (see :class:`assistant.retrieval.retriever.Retriever`)."""

    analyzer: Analyzer

    def query_terms(self, query: str) -> list[QueryTerm]:
        """The weighted lemma terms the lexical side searches for."""
        ...

    def search(self, query: str, k: int | None = None, mode: str = "hybrid") -> SearchResult:
        """Top ``k`` chunks for ``query`` with a confidence."""
        ...

    def neighbours(self, chunk_id: str, window: int = 1) -> list[Chunk]:
        """The chunk and its same-section neighbours."""
        ...


class CalculatorRouter(Protocol):
    """What answering needs from the calculator: recognise a personal-figure question and compute it."""

    def route(self, question: str) -> CalcRoute | None:
        """The calculation a question asks for (with its result, a follow-up or an error), or None."""
        ...


__all__ = ["CalculatorRouter", "Embedder", "Generator", "Lemmatizer", "Retrieval"]
