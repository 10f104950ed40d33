"""LLM generator backends: short cited sentences from numbered passages.

``make_generator(settings)`` picks the backend (``llama_cpp`` in process, ``openai`` over HTTP, or ``None``
for the extractive mode). Backends are imported lazily: importing this package never needs llama-cpp-python.
"""

from assistant.generate.base import (
    GeneratedSentence,
    GenerationRequest,
    GenerationResult,
    Generator,
    GeneratorUnavailable,
    Passage,
    make_generator,
)
from assistant.generate.parsing import SentenceStreamParser, parse_sentences
from assistant.generate.scripted import ScriptedGenerator

__all__ = [
    "GeneratedSentence",
    "GenerationRequest",
    "GenerationResult",
    "Generator",
    "GeneratorUnavailable",
    "Passage",
    "ScriptedGenerator",
    "SentenceStreamParser",
    "make_generator",
    "parse_sentences",
]
