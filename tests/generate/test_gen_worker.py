"""The model in a supervised worker process (``WorkerGenerator``), with scripted backends: no model is loaded.

The worker is a real spawned process; SIGSEGV is sent to it with ``os.kill`` as a native crash in llama.cpp
would end it.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.generate import GeneratedSentence, Generator, GeneratorUnavailable, make_generator
from assistant.generate.worker import DIED_MESSAGE, WorkerGenerator, worker_states
from assistant.generate.worker_child import describe_exit
from tests.generate.fakes import WORKER_SENTENCES, crashing_backend, make_request, scripted_backend

QUESTION = "Kolikokrat na teden me lahko obiščejo moji otroci?"
EXPECTED = [GeneratedSentence(text, cites) for text, cites in WORKER_SENTENCES]


def wait_until(condition: Callable[[], bool], timeout_s: float = 10.0) -> float:
    """Seconds until ``condition()`` held; fails the test after ``timeout_s``."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout_s:
            raise AssertionError(f"not within {timeout_s} s")
        time.sleep(0.02)
    return time.monotonic() - started


@pytest.fixture
def make_worker(settings: Settings) -> Iterator[Callable[..., WorkerGenerator]]:
    """``make_worker(backend, *args, **options)``: a WorkerGenerator, closed after the test."""
    made: list[WorkerGenerator] = []

    def make(backend: Callable[..., Any] = scripted_backend, *args: Any, **options: Any) -> WorkerGenerator:
        worker = WorkerGenerator(settings, backend, args, **options)
        made.append(worker)
        return worker

    yield make
    for worker in made:
        worker.close()


def test_worker_streams_the_backends_sentences(make_worker: Callable[..., WorkerGenerator]) -> None:
    worker = make_worker()
    assert isinstance(worker, Generator)
    assert not worker.loaded and worker.worker_state().state == "stopped"  # nothing started on construction
    worker.load()
    state = worker.worker_state()
    assert worker.loaded and state.state == "ok" and state.restarts == 0
    assert state.pid is not None and state.pid != os.getpid()
    assert list(worker.stream(make_request(question=QUESTION))) == EXPECTED
    result = worker.generate(make_request(question=QUESTION))
    assert result.sentences == EXPECTED and '"citations": [2]' in result.raw  # the backend's own statistics
    assert worker.info["backend"] == "scripted"
    assert state in worker_states()


def test_the_first_stream_loads_the_worker_lazily(make_worker: Callable[..., WorkerGenerator]) -> None:
    worker = make_worker()
    assert list(worker.stream(make_request())) == EXPECTED


def test_sigsegv_during_a_generation_ends_the_stream_and_the_worker_restarts(
    make_worker: Callable[..., WorkerGenerator], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="assistant.generate.worker")
    worker = make_worker(scripted_backend, 1.0, restart_delay_s=0.5)  # 1 s before each sentence
    worker.load()
    crashed = worker.worker_state().pid
    assert crashed is not None
    stream = worker.stream(make_request(question=QUESTION))
    assert next(stream) == EXPECTED[0]  # mid-generation: the second sentence is a second away
    os.kill(crashed, signal.SIGSEGV)
    started = time.monotonic()
    with pytest.raises(GeneratorUnavailable) as info:
        next(stream)
    assert time.monotonic() - started < 2.0  # the stream ends at once, not after a timeout
    assert str(info.value) == DIED_MESSAGE
    assert not worker.loaded  # not ok until the restarted worker has loaded

    waited = wait_until(lambda: worker.loaded, timeout_s=10.0)
    state = worker.worker_state()
    assert state.restarts == 1 and state.last_exit == "signal SIGSEGV"
    assert state.pid is not None and state.pid != crashed
    # the next generation runs in the restarted worker
    assert list(worker.stream(make_request(question="PID"))) == [GeneratedSentence(f"pid {state.pid}", [1])]
    assert waited < 10.0
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(f"pid {crashed}" in m and "signal SIGSEGV" in m and "restart 1" in m for m in warnings), warnings
    assert QUESTION not in caplog.text and "obiski" not in caplog.text.lower()  # no user or model text


def test_a_stream_started_while_restarting_is_unavailable_at_once(
    make_worker: Callable[..., WorkerGenerator],
) -> None:
    worker = make_worker(restart_delay_s=2.0)
    worker.load()
    with pytest.raises(GeneratorUnavailable):
        list(worker.stream(make_request(question="SEGV")))  # the backend crashes the worker itself
    started = time.monotonic()
    with pytest.raises(GeneratorUnavailable, match="znova zaganja"):
        list(worker.stream(make_request()))
    assert time.monotonic() - started < 0.5  # no waiting for the restart: the answer is quoted instead
    assert worker.worker_state().state == "restarting"
    wait_until(lambda: worker.loaded)
    assert list(worker.stream(make_request())) == EXPECTED


def test_back_off_doubles_between_crashes(make_worker: Callable[..., WorkerGenerator]) -> None:
    worker = make_worker(restart_delay_s=0.2, max_restart_delay_s=0.5)
    worker.load()
    gaps = []
    for _ in range(3):
        with pytest.raises(GeneratorUnavailable):
            list(worker.stream(make_request(question="EXIT")))  # exit code 3
        gaps.append(wait_until(lambda: worker.loaded))
    state = worker.worker_state()
    assert state.restarts == 3 and state.last_exit == "exit code 3"
    assert gaps[0] >= 0.2 and gaps[1] >= 0.4 and gaps[2] >= 0.5  # 0.2, 0.4, then capped at 0.5


def test_a_model_that_cannot_load_fails_without_restarts(
    make_worker: Callable[..., WorkerGenerator], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="assistant.generate.worker")
    worker = make_worker(scripted_backend, 0.0, "Datoteka modela GGUF /nikjer/model.gguf ne obstaja.")
    with pytest.raises(GeneratorUnavailable, match="/nikjer/model.gguf"):
        worker.load()
    state = worker.worker_state()
    assert state.state == "failed" and state.restarts == 0 and state.pid is None
    assert state.error == "Datoteka modela GGUF /nikjer/model.gguf ne obstaja."
    with pytest.raises(GeneratorUnavailable, match="/nikjer/model.gguf"):
        list(worker.stream(make_request()))
    assert "cannot load its model" in caplog.text and "/nikjer/model.gguf" in caplog.text


def test_a_worker_that_crashes_while_loading_is_given_up(make_worker: Callable[..., WorkerGenerator]) -> None:
    worker = make_worker(crashing_backend, restart_delay_s=0.05, max_start_failures=3)
    with pytest.raises(GeneratorUnavailable, match="3-krat"):
        worker.load()
    state = worker.worker_state()
    assert state.state == "failed" and state.restarts == 2 and state.last_exit == "signal SIGSEGV"


def test_closing_a_stream_early_cancels_the_generation(make_worker: Callable[..., WorkerGenerator]) -> None:
    worker = make_worker(scripted_backend, 0.3)
    worker.load()
    stream = worker.stream(make_request())
    assert next(stream) == EXPECTED[0]
    stream.close()
    assert list(worker.stream(make_request())) == EXPECTED  # no leftovers of the cancelled one


def test_a_hung_worker_is_killed_and_restarted(make_worker: Callable[..., WorkerGenerator]) -> None:
    worker = make_worker(scripted_backend, 3.0, stall_timeout_s=0.5, restart_delay_s=0.1)
    worker.load()
    hung = worker.pid
    started = time.monotonic()
    with pytest.raises(GeneratorUnavailable, match="ne odziva"):
        list(worker.stream(make_request()))
    assert time.monotonic() - started < 2.0
    wait_until(lambda: worker.loaded and worker.pid != hung)
    assert worker.worker_state().last_exit == "killed (no output for 0.5 s)"


def test_drain_lets_the_running_generation_finish_and_refuses_new_ones(
    make_worker: Callable[..., WorkerGenerator],
) -> None:
    worker = make_worker(scripted_backend, 0.3)
    worker.load()
    got: list[GeneratedSentence] = []
    running = threading.Thread(target=lambda: got.extend(worker.stream(make_request())))
    running.start()
    wait_until(lambda: bool(got))
    worker.drain()
    with pytest.raises(GeneratorUnavailable, match="zaustavlja"):
        list(worker.stream(make_request()))
    running.join(5)
    assert got == EXPECTED
    worker.close()
    assert worker.worker_state().state == "stopped" and worker.worker_state().pid is None
    assert worker.worker_state() not in worker_states()


def test_describe_exit() -> None:
    assert describe_exit(-11) == "signal SIGSEGV"
    assert describe_exit(1) == "exit code 1"
    assert describe_exit(None) == "unknown exit"


def test_make_generator_runs_llama_cpp_in_a_worker_by_default(tmp_path: Path) -> None:
    from assistant.generate.llama_cpp import LlamaCppGenerator

    worker = make_generator(Settings(generator="llama_cpp", cache_dir=tmp_path))
    assert isinstance(worker, WorkerGenerator) and worker.name == "llama_cpp" and not worker.loaded
    assert worker.worker_state().pid is None  # nothing started on construction
    inline = make_generator(Settings(generator="llama_cpp", generator_process="inline", cache_dir=tmp_path))
    assert isinstance(inline, LlamaCppGenerator)
    assert not any(tmp_path.iterdir())
    worker.close()
