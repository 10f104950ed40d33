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


class CalculatorRouter(Protocol):
    """What answering needs from the calculator: recognise a personal-figure question and compute it."""

    def route(self, question: str) -> CalcRoute | None:
        """The calculation a question asks for (with its result, a follow-up or an error), or None."""
        ...


__all__ = ["CalculatorRouter", "Embedder", "Generator", "Lemmatizer"]
