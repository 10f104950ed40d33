"""Graceful shutdown: SIGTERM while answers are in progress, with ``llm_when_busy = "wait"`` and ``"extractive"``.

The service runs in a child process (``assistant.api.server.serve``, real uvicorn, real signal) with the real
answering pipeline over the real corpus (indexed here with the fake lemmatizer and the hash embedder) and the model
in a worker process running the scripted backend (one second per sentence; no model is loaded). Six questions
are asked at once (four streamed, two whole), SIGTERM is sent while the first is generating: every answer must
complete (a stream may otherwise only end with an ``error`` event before ``[DONE]``), well before the request
deadline, and the service must exit.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.api.server import FinalEvent, shutdown_timeout_s
from assistant.config import PROJECT_ROOT, Settings

QUESTIONS = [
    "Kako dolgo lahko traja obisk?",
    "Kolikokrat na teden me lahko obiščejo?",
    "Koliko paketov lahko dobim?",
    "Ali lahko telefoniram domov?",
    "Kdo plača telefonske pogovore?",
    "Kako dolgo trajajo nadzorovani obiski?",
]
TOKEN = "shutdown-test-token-0123456789"
SENTENCE_DELAY_S = 1.0
REQUEST_TIMEOUT_S = 30.0


def _settings(root: Path, when_busy: str) -> Settings:
    return Settings(
        index_dir=root / "index",
        corpus_dir=root / "corpus",
        embedder="hash",
        generator="llama_cpp",
        llm_when_busy=when_busy,  # type: ignore[arg-type]
        llm_timeout_s=10.0,
        request_timeout_s=REQUEST_TIMEOUT_S,
        queue_size=8,
        cache_dir=root / "cache",
        feedback_db=root / "feedback.sqlite3",
        staff_tokens=[TOKEN],
    )


def serve_for_test(root: str, when_busy: str, port: str) -> None:
    """The child process: the real pipeline and a scripted model worker behind ``serve``."""
    from assistant.answer.assistant import Assistant
    from assistant.api.server import serve
    from assistant.generate.worker import WorkerGenerator
    from assistant.retrieval.dense import HashEmbedder
    from assistant.retrieval.index import load_index
    from assistant.retrieval.retriever import Retriever
    from assistant.text.analyze import Analyzer
    from assistant.text.lexicons import load_lexicons
    from tests.api.fakes import FakeCalculator
    from tests.fakes import FakeLemmatizer
    from tests.generate.fakes import scripted_backend

    settings = _settings(Path(root), when_busy)
    analyzer, embedder = Analyzer(FakeLemmatizer(), load_lexicons()), HashEmbedder()
    store = load_index(settings.index_dir, settings.corpus_dir, analyzer.lemmatizer.name, embedder.id)
    worker = WorkerGenerator(settings, scripted_backend, (SENTENCE_DELAY_S,))
    assistant = Assistant(settings, retriever=Retriever(store, analyzer, embedder), generator=worker)
    serve(settings, host="127.0.0.1", port=int(port), assistant=assistant, calculator=FakeCalculator())


@pytest.fixture(scope="module")
def index_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from assistant.retrieval.dense import HashEmbedder
    from assistant.retrieval.index import build_index
    from assistant.text.analyze import Analyzer
    from assistant.text.lexicons import load_lexicons
    from tests.fakes import FakeLemmatizer

    root = tmp_path_factory.mktemp("shutdown")
    shutil.copytree(PROJECT_ROOT / "corpus", root / "corpus", copy_function=shutil.copyfile)
    build_index(root / "corpus", root / "index", Analyzer(FakeLemmatizer(), load_lexicons()), HashEmbedder())
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(index_root: Path, request: pytest.FixtureRequest) -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = free_port()
    code = "import sys; from tests.api.test_api_shutdown import serve_for_test; serve_for_test(*sys.argv[1:])"
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(index_root), request.param, str(port)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.communicate()[1]
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the service did not become ready"
            time.sleep(0.1)
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def parse_sse(text: str) -> list[tuple[str | None, str]]:
    """(event, data) pairs of a Server-Sent-Events body."""
    events = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        name = None
        data = []
        for line in block.split("\n"):
            if line.startswith("event: "):
                name = line[len("event: ") :]
            elif line.startswith("data: "):
                data.append(line[len("data: ") :])
        events.append((name, "\n".join(data)))
    return events


@pytest.mark.parametrize("server", ["wait", "extractive"], indirect=True)
def test_sigterm_lets_every_answer_in_progress_complete(server: tuple[subprocess.Popen[str], str]) -> None:
    process, base = server
    results: dict[int, Any] = {}
    first_sentence = threading.Event()

    def stream(i: int) -> None:
        try:
            with httpx.stream(
                "POST", f"{base}/api/ask/stream", json={"question": QUESTIONS[i]}, timeout=REQUEST_TIMEOUT_S + 10
            ) as r:
                body = ""
                for chunk in r.iter_text():
                    body += chunk
                    if "event: sentence" in body:
                        first_sentence.set()
                results[i] = (r.status_code, parse_sse(body))
        except httpx.HTTPError as exc:
            results[i] = exc

    def ask(i: int) -> None:
        try:
            r = httpx.post(f"{base}/api/ask", json={"question": QUESTIONS[i]}, timeout=REQUEST_TIMEOUT_S + 10)
            results[i] = (r.status_code, r.json())
        except httpx.HTTPError as exc:
            results[i] = exc

    threads = [threading.Thread(target=stream, args=(0,))]
    threads[0].start()
    assert first_sentence.wait(10)  # the first answer's quotes are out: its generation (2 s) is starting
    threads += [threading.Thread(target=stream if i < 4 else ask, args=(i,)) for i in range(1, 6)]
    for thread in threads[1:]:
        thread.start()
    time.sleep(0.5)  # every question has arrived
    sigterm = time.monotonic()
    process.send_signal(signal.SIGTERM)
    for thread in threads:
        thread.join(REQUEST_TIMEOUT_S + 15)
    answered_in = time.monotonic() - sigterm
    _, stderr = process.communicate(timeout=shutdown_timeout_s(_settings(Path("."), "wait")) + 10)

    assert sorted(results) == list(range(6))
    for i, result in results.items():
        assert not isinstance(result, Exception), f"question {i}: {result!r}\n{stderr}"
        status, body = result
        assert status == 200, (i, body)
        if i < 4:  # streamed: sentences, the whole answer, then [DONE]; no error event
            names = [name for name, _ in body]
            assert body[-1] == (None, "[DONE]"), body
            assert "error" not in names, (i, body)
            assert names[-2] == "answer" and names.count("sentence") >= 1, names
            assert json.loads(body[-2][1])["sentences"]
        else:
            assert body["sentences"]
    # the model was drained: the waiting questions did not each wait for a generation
    assert answered_in < 9.0, answered_in  # undrained, "wait" would take 6 × 2 s
    assert process.returncode in (0, -signal.SIGTERM), process.returncode
    assert "shutting down" in stderr and "Exception in ASGI application" not in stderr
    assert all(q not in stderr for q in QUESTIONS)  # nothing the user typed is logged


# --- FinalEvent: what a request cut at the end of the shutdown wait receives --------------------------------
def _run_cut(app: Any, headers: list[tuple[bytes, bytes]] | None = None) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def main() -> None:
        scope = {"type": "http", "method": "POST", "path": "/api/ask/stream", "headers": headers or []}
        task = asyncio.create_task(FinalEvent(app)(scope, receive, send))
        await asyncio.sleep(0.05)
        task.cancel()  # what uvicorn does when the graceful-shutdown wait runs out
        await task

    asyncio.run(main())
    return sent


def test_a_stream_cut_at_the_end_of_the_wait_gets_an_error_event_and_done() -> None:
    async def streaming(scope: Any, receive: Any, send: Any) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/event-stream; charset=utf-8")],
            }
        )
        await send(
            {"type": "http.response.body", "body": b'event: sentence\ndata: {"text":"x"}\n\n', "more_body": True}
        )
        await asyncio.sleep(3600)

    sent = _run_cut(streaming, [(b"accept-language", b"en-GB,en;q=0.9")])
    last = sent[-1]
    assert last["type"] == "http.response.body" and last["more_body"] is False
    assert parse_sse(last["body"].decode()) == [
        ("error", '{"detail":"The assistant is busy right now. Please try again in a few seconds."}'),
        (None, "[DONE]"),
    ]


def test_a_request_cut_before_its_response_started_gets_503_with_retry_after() -> None:
    async def waiting(scope: Any, receive: Any, send: Any) -> None:
        await asyncio.sleep(3600)

    start, body = _run_cut(waiting)
    assert start["status"] == 503 and (b"retry-after", b"5") in start["headers"]
    assert json.loads(body["body"]) == {
        "detail": "Pomočnik je trenutno zaseden. Poskusite znova čez nekaj sekund.",
        "field": None,
    }


def test_an_ordinary_response_already_started_is_not_touched() -> None:
    async def plain(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await asyncio.sleep(3600)

    with pytest.raises(asyncio.CancelledError):
        _run_cut(plain)


def test_the_shutdown_wait_covers_the_request_deadline() -> None:
    settings = Settings(request_timeout_s=60.0)
    assert shutdown_timeout_s(settings) > settings.request_timeout_s
