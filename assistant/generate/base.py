"""The generator contract: request/result types, the ``Generator`` protocol and the backend factory.

A generator turns a question and a few numbered passages into at most three short sentences, each with the
passage numbers it rests on. It never decides what is true: the verifier checks every sentence afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from assistant.types import Language

if TYPE_CHECKING:
    from assistant.config import Settings

MAX_SENTENCES = 3
MAX_SENTENCE_CHARS = 200
MAX_CITATIONS_PER_SENTENCE = 3


@dataclass(frozen=True)
class Passage:
    """A passage shown to the model; ``n`` is the citation number it appears under (``[n]``)."""

    n: int
    label: str
    text: str


@dataclass(frozen=True)
class GenerationRequest:
    """One question with its retrieved passages (and, optionally, a calculator result to mention)."""

    question: str
    language: Language
    passages: list[Passage]
    calculator_summary: str | None = None


@dataclass(frozen=True)
class GeneratedSentence:
    """One sentence of the answer and the passage numbers it cites, as the model gave them."""

    text: str
    citations: list[int]


@dataclass
class GenerationResult:
    """Everything one generation produced, with timings (milliseconds) and token counts."""

    sentences: list[GeneratedSentence]
    raw: str
    elapsed_ms: float
    prompt_tokens: int = 0
    completion_tokens: int = 0
    first_sentence_ms: float | None = None
    timed_out: bool = False  # the wall-clock limit stopped generation; ``sentences`` holds what was complete


class GeneratorUnavailable(Exception):
    """The generator cannot run (model missing, library not installed, server unreachable …).

    The message is meant for operators and names the path or URL involved.
    """


@runtime_checkable
class Generator(Protocol):
    """What every generator backend offers."""

    name: str

    def load(self) -> None:
        """Load the model once (idempotent); raise :class:`GeneratorUnavailable` if impossible."""
        ...

    @property
    def loaded(self) -> bool:
        """Whether :meth:`load` has succeeded."""
        ...

    def generate(self, request: GenerationRequest) -> GenerationResult:
        """Generate the whole answer."""
        ...

    def stream(self, request: GenerationRequest) -> Iterator[GeneratedSentence]:
        """Yield each sentence as soon as its JSON item is complete."""
        ...


def make_generator(settings: Settings) -> Generator | None:
    """Build the generator chosen by ``settings.generator``; ``None`` for the extractive mode.

    ``llama_cpp`` runs in a supervised worker process (:class:`~assistant.generate.worker.WorkerGenerator`) when
    ``settings.generator_process == "worker"`` (the default), else in this process. Nothing is loaded here:
    backends load lazily on first use (or when :meth:`Generator.load` is called).
    """
    if settings.generator == "extractive":
        return None
    if settings.generator == "llama_cpp":
        if settings.generator_process == "worker":
            # the model in a supervised child process: a native crash there cannot take the service down
            from assistant.generate.worker import WorkerGenerator

            return WorkerGenerator(settings)
        from assistant.generate.llama_cpp import LlamaCppGenerator

        return LlamaCppGenerator(settings)
    if settings.generator == "openai":
        from assistant.generate.openai_compat import OpenAICompatGenerator

        return OpenAICompatGenerator(settings)
    raise ValueError(f"Neznan generator: {settings.generator!r}")
