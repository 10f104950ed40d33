"""Fakes for the generator tests: a scripted generator, a fake tokenizer and a local OpenAI-compatible server.

The server is a plain ``http.server`` on 127.0.0.1 with a random port, run in a thread; nothing leaves the
machine.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from assistant.generate.base import GeneratedSentence, GenerationRequest, Passage
from assistant.generate.scripted import ScriptedGenerator

__all__ = [
    "FakeOpenAIServer",
    "ScriptedGenerator",
    "crashing_backend",
    "make_request",
    "scripted_backend",
    "word_tokens",
]


def word_tokens(text: str) -> int:
    """A fake tokenizer: one token per whitespace-separated word."""
    return len(text.split())


def make_request(
    n: int = 4, question: str = "Kolikokrat na teden me lahko obiščejo?", **kwargs: Any
) -> GenerationRequest:
    """A request with ``n`` short numbered passages."""
    passages = [
        Passage(i, f"Priročnik ZPKZ Ig › Oddelek {i}, odst. 1", f"Besedilo odlomka številka {i} z nekaj besedami.")
        for i in range(1, n + 1)
    ]
    return GenerationRequest(question=question, language=kwargs.pop("language", "sl"), passages=passages, **kwargs)


def completion_body(content: str, prompt_tokens: int = 11, completion_tokens: int = 7) -> dict[str, Any]:
    """A non-streaming ``/chat/completions`` response."""
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens},
    }


@dataclass
class FakeOpenAIServer:
    """A tiny OpenAI-compatible server. Configure the attributes before (or between) requests.

    ``content`` is returned as the assistant message; when streaming it is sent in ``chunks`` (or split into
    pieces of ``chunk_size`` characters). ``status``/``error_body`` force an error on ``/chat/completions``,
    ``models_status`` on ``/models``; ``reject_schema`` answers 400 to requests with ``response_format``;
    ``delay_s`` sleeps before answering; ``chunk_delay_s`` between SSE events; ``chunk_gate`` (an event) is
    waited for after the first content chunk; ``extra_events`` are raw SSE lines sent before ``[DONE]``.
    """

    content: str = '{"sentences": [{"text": "Obiski so najmanj dvakrat tedensko.", "citations": [1]}]}'
    chunks: list[str] | None = None
    chunk_size: int = 7
    status: int = 200
    error_body: str = '{"error": {"message": "boom"}}'
    models_status: int = 200
    reject_schema: bool = False
    delay_s: float = 0.0
    chunk_delay_s: float = 0.0
    usage: dict[str, int] = field(default_factory=lambda: {"prompt_tokens": 120, "completion_tokens": 30})
    extra_events: list[str] = field(default_factory=list)
    chunk_gate: threading.Event | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)
    on_request: Callable[[dict[str, Any]], None] | None = None

    def __post_init__(self) -> None:
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/v1``."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> FakeOpenAIServer:
        """Bind a random loopback port and serve in a daemon thread."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _send(self, status: int, body: str, content_type: str = "application/json") -> None:
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                fake.requests.append({"method": "GET", "path": self.path, "headers": dict(self.headers)})
                if self.path.endswith("/models"):
                    self._send(fake.models_status, json.dumps({"object": "list", "data": [{"id": "local"}]}))
                else:
                    self._send(404, '{"error": "not found"}')

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                record = {"method": "POST", "path": self.path, "headers": dict(self.headers), "json": body}
                fake.requests.append(record)
                if fake.on_request is not None:
                    fake.on_request(record)
                if fake.delay_s:
                    time.sleep(fake.delay_s)
                if not self.path.endswith("/chat/completions"):
                    self._send(404, '{"error": "not found"}')
                    return
                if fake.reject_schema and "response_format" in body:
                    self._send(400, '{"error": {"message": "response_format is not supported"}}')
                    return
                if fake.status != 200:
                    self._send(fake.status, fake.error_body)
                    return
                if not body.get("stream"):
                    self._send(200, json.dumps(completion_body(fake.content, **fake.usage)))
                    return
                self._stream()

            def _stream(self) -> None:
                pieces = fake.chunks
                if pieces is None:
                    size = fake.chunk_size
                    pieces = [fake.content[i : i + size] for i in range(0, len(fake.content), size)]
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                first = {"choices": [{"index": 0, "delta": {"role": "assistant"}}]}
                events = [": keep-alive comment", f"data: {json.dumps(first)}"]
                for piece in pieces:
                    delta = {"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
                    events.append(f"data: {json.dumps(delta, ensure_ascii=False)}")
                events.extend(fake.extra_events)
                events.append(f"data: {json.dumps({'choices': [], 'usage': fake.usage})}")
                events.append("data: [DONE]")
                try:
                    for i, event in enumerate(events):
                        self.wfile.write(f"{event}\n\n".encode())
                        self.wfile.flush()
                        if i == 2 and fake.chunk_gate is not None:
                            fake.chunk_gate.wait(5)
                        if fake.chunk_delay_s:
                            time.sleep(fake.chunk_delay_s)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def chat_requests(self) -> list[dict[str, Any]]:
        """The JSON bodies POSTed to ``/chat/completions``."""
        return [r["json"] for r in self.requests if r["method"] == "POST"]


# --- backends for the worker process (module-level, so the spawned worker can import them) -------------------
WORKER_SENTENCES = [("Obiski so najmanj dvakrat tedensko.", [1]), ("Nadzorovani obiski trajajo do dve uri.", [2])]


def _worker_script(request: GenerationRequest) -> list[GeneratedSentence]:
    """The scripted worker's sentences; a question containing ``SEGV`` crashes the worker with SIGSEGV, one
    containing ``EXIT`` ends it with exit code 3 (a native crash, as llama.cpp would); ``PID`` answers with the
    worker's process id (``"pid 1234"``), so a test can tell which worker answered."""
    if "PID" in request.question:
        return [GeneratedSentence(f"pid {os.getpid()}", [1])]
    if "SEGV" in request.question:
        os.kill(os.getpid(), signal.SIGSEGV)
    if "EXIT" in request.question:
        os._exit(3)
    return [GeneratedSentence(text, list(cites)) for text, cites in WORKER_SENTENCES]


def scripted_backend(delay_s: float = 0.0, unavailable: str | None = None) -> ScriptedGenerator:
    """A scripted generator for :class:`assistant.generate.worker.WorkerGenerator` (``backend=``): the two
    :data:`WORKER_SENTENCES`, ``delay_s`` before each; ``unavailable``: loading fails with this message."""
    return ScriptedGenerator(_worker_script, delay_s=delay_s, unavailable=unavailable)


def crashing_backend() -> ScriptedGenerator:
    """A backend whose worker dies with SIGSEGV while loading."""
    os.kill(os.getpid(), signal.SIGSEGV)
    raise AssertionError("unreachable")
