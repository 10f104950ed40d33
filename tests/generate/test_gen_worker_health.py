"""Honest readiness with the model in a worker process: a missing GGUF and a restarting worker make ``/readyz``
say "degraded" with 503 (the README: "503 naming what is loading, missing or degraded"), it is logged at start,
``/metrics`` shows the worker's state, and questions are still answered (from the sources)."""

from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.config import Settings
from assistant.generate import make_generator
from assistant.generate.worker import WorkerGenerator
from tests.api.fakes import FakeCalculator
from tests.generate.fakes import scripted_backend

MISSING = "/nikjer/model.gguf"


def service_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "embedder": "hash",
        "generator": "llama_cpp",
        "cache_dir": tmp_path / "cache",
        "feedback_db": tmp_path / "feedback.sqlite3",
        "request_timeout_s": 10.0,
    }
    return Settings(**{**values, **overrides})


def assistant_with(settings: Settings, retriever: Any, generator: Any) -> Any:
    from assistant.answer.assistant import Assistant

    return Assistant(settings, retriever=retriever, generator=generator)


def test_missing_gguf_is_degraded_503_logged_at_start_and_still_answers(
    corpus_retriever: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    settings = service_settings(tmp_path, gguf_path=Path(MISSING))
    generator = make_generator(settings)  # the real llama_cpp backend in a worker: it finds no GGUF
    assert isinstance(generator, WorkerGenerator)
    app = create_app(
        settings, assistant=assistant_with(settings, corpus_retriever, generator), calculator=FakeCalculator()
    )
    try:
        with TestClient(app) as client:  # start-up warms the assistant, which loads the generator
            assert any(MISSING in r.getMessage() and r.levelno >= logging.WARNING for r in caplog.records)
            r = client.get("/readyz")
            assert r.status_code == 503
            body = r.json()
            assert body["ready"] is False
            assert body["index"] == "ok" and body["calculator"] == "ok"
            assert body["generator"] == f"extractive (degraded: Datoteka modela GGUF {MISSING} ne obstaja.)"
            assert body["problems"] == [f"generator: {body['generator']}"]
            assert body["generator_worker"]["state"] == "failed" and body["generator_worker"]["restarts"] == 0
            metrics = app.state.services.metrics.render()
            assert 'assistant_generator_worker_state{state="failed"} 1' in metrics
            assert 'assistant_generator_worker_state{state="ok"} 0' in metrics
            answer = client.post("/api/ask", json={"question": "Kako dolgo lahko traja obisk?"})
            assert answer.status_code == 200 and answer.json()["sentences"]  # quoted from the sources
    finally:
        generator.close()


def test_a_restarting_worker_is_degraded_until_it_is_back(corpus_retriever: Any, tmp_path: Path) -> None:
    settings = service_settings(tmp_path)
    worker = WorkerGenerator(settings, scripted_backend, (), restart_delay_s=1.0)
    app = create_app(
        settings, assistant=assistant_with(settings, corpus_retriever, worker), calculator=FakeCalculator()
    )
    metrics = app.state.services.metrics
    try:
        with TestClient(app) as client:
            r = client.get("/readyz")
            assert r.status_code == 200, r.json()
            assert r.json()["generator"] == "llama_cpp loaded"
            assert r.json()["generator_worker"]["state"] == "ok"
            assert 'assistant_generator_worker_state{state="ok"} 1' in metrics.render()
            assert "assistant_generator_worker_restarts_total 0" in metrics.render()

            os.kill(worker.pid or 0, signal.SIGSEGV)
            deadline = time.monotonic() + 5
            while (r := client.get("/readyz")).status_code == 200 and time.monotonic() < deadline:
                time.sleep(0.02)
            assert r.status_code == 503
            body = r.json()
            assert body["ready"] is False and body["generator_worker"]["state"] == "restarting"
            assert body["generator"] == (
                "llama_cpp (degraded: worker restarting after signal SIGSEGV, restart 1; answers quote the "
                "sources meanwhile)"
            )
            assert body["problems"] == [f"generator: {body['generator']}"]
            text = metrics.render()
            assert 'assistant_generator_worker_state{state="restarting"} 1' in text
            assert "assistant_generator_worker_restarts_total 1" in text
            answer = client.post("/api/ask", json={"question": "Kako dolgo lahko traja obisk?"})
            assert answer.status_code == 200 and answer.json()["sentences"]  # from the sources meanwhile

            deadline = time.monotonic() + 10
            while (r := client.get("/readyz")).status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert r.status_code == 200 and r.json()["generator_worker"]["restarts"] == 1
    finally:
        worker.close()


def test_no_worker_no_worker_metrics(tmp_path: Path) -> None:
    from assistant.api.metrics import Metrics

    text = Metrics(generator_workers=list).render()
    assert "# TYPE assistant_generator_worker_state gauge" in text
    assert "assistant_generator_worker_state{" not in text
