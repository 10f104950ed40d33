"""A scripted generator for tests: returns given sentences without any model.

Colleagues' tests (pipeline, API, verifier) can use it wherever a :class:`Generator` is expected::

    gen = ScriptedGenerator.from_pairs([("Obiski trajajo najmanj eno uro.", [1])])
    gen = ScriptedGenerator(lambda req: [GeneratedSentence(req.passages[0].text, [1])])
    gen = ScriptedGenerator({"obisk": [...], "paket": [...]})  # first key contained in the question wins
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence

from assistant.generate.base import (
    GeneratedSentence,
    GenerationRequest,
    GenerationResult,
    GeneratorUnavailable,
)

Script = (
    Sequence[GeneratedSentence]
    | Mapping[str, Sequence[GeneratedSentence]]
    | Callable[[GenerationRequest], Sequence[GeneratedSentence]]
)


class ScriptedGenerator:
    """A :class:`Generator` that answers from a script and records every request it gets."""

    name = "scripted"

    def __init__(
        self,
        script: Script = (),
        *,
        unavailable: str | None = None,
        delay_s: float = 0.0,
        fail_on_generate: Exception | None = None,
    ) -> None:
        """``script``: fixed sentences, a mapping from a question substring (case-insensitive) to sentences,
        or a function of the request. ``unavailable``: :meth:`load` raises :class:`GeneratorUnavailable` with
        this message. ``delay_s``: sleep before each sentence (to test timeouts and streaming).
        ``fail_on_generate``: raise this from :meth:`generate` / :meth:`stream`."""
        self.script = script
        self.unavailable = unavailable
        self.delay_s = delay_s
        self.fail_on_generate = fail_on_generate
        self.requests: list[GenerationRequest] = []
        self.load_calls = 0
        self._loaded = False
        self._lock = threading.Lock()
        self.last_result: GenerationResult | None = None

    @classmethod
    def from_pairs(cls, pairs: Sequence[tuple[str, Sequence[int]]], **kwargs: object) -> ScriptedGenerator:
        """Build from ``(text, citations)`` pairs."""
        return cls([GeneratedSentence(text, list(cites)) for text, cites in pairs], **kwargs)  # type: ignore[arg-type]

    @property
    def loaded(self) -> bool:
        """Whether :meth:`load` succeeded."""
        return self._loaded

    def load(self) -> None:
        """Count the call; raise if configured as unavailable."""
        with self._lock:
            self.load_calls += 1
            if self.unavailable is not None:
                raise GeneratorUnavailable(self.unavailable)
            self._loaded = True

    def sentences_for(self, request: GenerationRequest) -> list[GeneratedSentence]:
        """The scripted sentences for ``request``."""
        if callable(self.script):
            return list(self.script(request))
        if isinstance(self.script, Mapping):
            question = request.question.lower()
            for key, sentences in self.script.items():
                if key.lower() in question:
                    return list(sentences)
            return []
        return list(self.script)

    def stream(self, request: GenerationRequest) -> Iterator[GeneratedSentence]:
        """Yield the scripted sentences one by one (after ``delay_s`` each)."""
        if not self._loaded:
            self.load()
        with self._lock:
            self.requests.append(request)
        if self.fail_on_generate is not None:
            raise self.fail_on_generate
        started = time.perf_counter()
        first_ms: float | None = None
        sentences = self.sentences_for(request)
        for sentence in sentences:
            if self.delay_s:
                time.sleep(self.delay_s)
            if first_ms is None:
                first_ms = (time.perf_counter() - started) * 1000
            yield sentence
        raw = json.dumps(
            {"sentences": [{"text": s.text, "citations": s.citations} for s in sentences]}, ensure_ascii=False
        )
        self.last_result = GenerationResult(
            sentences=sentences,
            raw=raw,
            elapsed_ms=(time.perf_counter() - started) * 1000,
            completion_tokens=len(raw.split()),
            first_sentence_ms=first_ms,
        )

    def generate(self, request: GenerationRequest) -> GenerationResult:
        """All scripted sentences at once, with a JSON ``raw`` like a real model's."""
        for _ in self.stream(request):
            pass
        assert self.last_result is not None
        return self.last_result
