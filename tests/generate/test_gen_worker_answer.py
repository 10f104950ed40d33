"""A worker killed with SIGSEGV during an answer: the answer still arrives, quoted from the sources, and the next
question uses the restarted worker. The real answering pipeline over the real corpus, indexed with the fake
lemmatizer and the hash embedder; the worker runs the scripted backend (no model is loaded)."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.generate import GeneratedSentence, GenerationRequest
from assistant.generate.worker import DIED_MESSAGE, WorkerGenerator
from assistant.types import Answer
from tests.generate.fakes import scripted_backend

QUESTION = "Kako dolgo lahko traja obisk?"


class ProbedWorker(WorkerGenerator):
    """Sets :attr:`generating` when a generation starts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.generating = threading.Event()

    def stream(self, request: GenerationRequest) -> Iterator[GeneratedSentence]:
        self.generating.set()
        yield from super().stream(request)


def test_sigsegv_mid_answer_gives_a_quoted_answer_and_the_next_uses_the_restarted_worker(
    corpus_retriever: Any, tmp_path: Path
) -> None:
    from assistant.answer.assistant import Assistant

    settings = Settings(embedder="hash", generator="llama_cpp", cache_dir=tmp_path, llm_timeout_s=5.0)
    worker = ProbedWorker(settings, scripted_backend, (1.0,), restart_delay_s=0.5)
    try:
        assistant = Assistant(settings, retriever=corpus_retriever, generator=worker)
        assistant.warm_up()
        crashed = worker.pid
        assert crashed is not None and assistant.generator_error is None

        def crash() -> None:
            if worker.generating.wait(10):
                time.sleep(0.3)  # the worker is in its first sentence (1 s)
                os.kill(crashed, signal.SIGSEGV)

        killer = threading.Thread(target=crash)
        killer.start()
        started = time.monotonic()
        answer = assistant.answer(QUESTION)
        killer.join()
        assert time.monotonic() - started < 5.0
        assert isinstance(answer, Answer) and answer.mode == "extractive" and not answer.refused
        assert answer.sentences, "the answer still arrives"
        by_n = {source.n: source.text for source in answer.sources}
        quotes = [s for s in answer.sentences if s.text not in answer.plain]  # plain: the easy-read line
        assert quotes and all(s.text in by_n[s.citations[0]] for s in quotes)  # verbatim from the sources
        assert answer.diagnostics["generator_error"] == DIED_MESSAGE

        waited = 0.0
        while not worker.loaded:
            time.sleep(0.05)
            waited += 0.05
            assert waited < 10.0, "the worker is back within 10 s"
        restarted = worker.worker_state()
        assert restarted.pid != crashed and restarted.restarts == 1 and restarted.last_exit == "signal SIGSEGV"
        worker.generating.clear()
        again = assistant.answer(QUESTION)
        assert worker.generating.is_set()  # the model was asked again, in the restarted worker
        assert "generator_error" not in again.diagnostics and again.diagnostics["llm_sentences"] == 2
        assert assistant.readiness()["generator"] == "llama_cpp loaded"
    finally:
        worker.close()
