"""Book-keeping shared by the backends for one generation: incremental parsing, timings, deadline, result."""

from __future__ import annotations

import time

from assistant.generate.base import GeneratedSentence, GenerationResult
from assistant.generate.parsing import SentenceStreamParser, parse_sentences


class GenerationRun:
    """Feeds streamed text to a :class:`SentenceStreamParser` and records when things happened."""

    def __init__(self, n_passages: int, timeout_s: float) -> None:
        self.n_passages = n_passages
        self.started = time.perf_counter()
        self.deadline = self.started + timeout_s
        self.parser = SentenceStreamParser()
        self.first_sentence_ms: float | None = None
        self.timed_out = False
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self._fallback_used = False

    def elapsed_ms(self) -> float:
        """Milliseconds since the run started."""
        return (time.perf_counter() - self.started) * 1000.0

    def expired(self) -> bool:
        """Whether the wall-clock limit has passed (and remember that it did)."""
        if time.perf_counter() >= self.deadline:
            self.timed_out = True
        return self.timed_out

    def should_stop(self) -> bool:
        """Whether to stop generating: the time is up, or the model started repeating a sentence."""
        return self.expired() or self.parser.repeated

    def feed(self, chunk: str) -> list[GeneratedSentence]:
        """Add streamed text; return the sentences it completed."""
        done = self.parser.feed(chunk)
        if done and self.first_sentence_ms is None:
            self.first_sentence_ms = self.elapsed_ms()
        return done

    def fallback(self) -> list[GeneratedSentence]:
        """Sentences recovered by :func:`parse_sentences` when streaming found none (non-JSON output)."""
        if self.parser.sentences or self._fallback_used:
            return []
        self._fallback_used = True
        sentences = parse_sentences(self.parser.raw, self.n_passages)
        if sentences and self.first_sentence_ms is None:
            self.first_sentence_ms = self.elapsed_ms()
        self.parser.sentences.extend(sentences)
        return sentences

    def result(self) -> GenerationResult:
        """The result so far (call :meth:`fallback` first)."""
        return GenerationResult(
            sentences=list(self.parser.sentences),
            raw=self.parser.raw,
            elapsed_ms=self.elapsed_ms(),
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            first_sentence_ms=self.first_sentence_ms,
            timed_out=self.timed_out,
        )
