"""The child side of the model worker (:mod:`assistant.generate.worker`): what runs in the spawned process —
load the configured backend, then answer requests from the pipe one at a time, streaming each sentence back."""

from __future__ import annotations

import logging
import os
import queue
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from assistant.generate.base import GenerationRequest, GenerationResult, Generator, GeneratorUnavailable

if TYPE_CHECKING:
    from assistant.config import Settings

log = logging.getLogger(__name__)


def inline_backend(settings: Settings) -> Generator:
    """The configured backend, in process (what the worker runs)."""
    from assistant.generate.base import make_generator

    generator = make_generator(settings.model_copy(update={"generator_process": "inline"}))
    if generator is None:
        raise GeneratorUnavailable("Generator ni nastavljen (generator = extractive).")
    return generator


def _quiet_child() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on every platform
        pass


def worker_main(conn: Connection, factory: Callable[..., Generator], args: tuple[Any, ...]) -> None:
    """Entry point of the worker process: load the backend, then answer ``generate`` messages one at a time.

    Messages to the parent: ``("ready", info)`` | ``("load_error", message)`` | ``("sentence", id, text,
    citations)`` | ``("done", id, GenerationResult | None)`` | ``("error", id, message)``. From the parent:
    ``("generate", id, request)`` | ``("cancel", id)`` | ``("exit",)``.
    """
    _quiet_child()
    try:
        backend = factory(*args)
        backend.load()
    except GeneratorUnavailable as exc:
        conn.send(("load_error", str(exc)))
        return
    except Exception as exc:  # noqa: BLE001 - anything the backend raises is a load failure
        conn.send(("load_error", f"{type(exc).__name__}: {exc}"))
        return
    info = {"pid": os.getpid(), "backend": getattr(backend, "name", type(backend).__name__)}
    for key in ("model_path", "load_ms", "prompt_style"):
        value = getattr(backend, key, None)
        if value is not None:
            info[key] = str(value) if key == "model_path" else value
    jobs: queue.Queue[tuple[int, GenerationRequest] | None] = queue.Queue()
    cancel = threading.Event()
    lock = threading.Lock()
    current: int | None = None
    finished = 0  # request ids only grow: a cancel for one at or below this came too late
    cancelled: set[int] = set()

    def read() -> None:
        # a separate reader, so a cancel (or the parent's end) stops a generation at its next token
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                cancel.set()
                jobs.put(None)
                return
            if message[0] == "generate":
                jobs.put((message[1], message[2]))
            elif message[0] == "cancel":
                with lock:
                    if message[1] > finished:
                        cancelled.add(message[1])
                    if message[1] == current:
                        cancel.set()
            elif message[0] == "exit":
                cancel.set()
                jobs.put(None)
                return

    threading.Thread(target=read, name="worker-reader", daemon=True).start()
    if hasattr(backend, "interrupt"):
        backend.interrupt = cancel  # checked after every token by the llama.cpp backend
    try:
        conn.send(("ready", info))
        while (job := jobs.get()) is not None:
            request_id, request = job
            with lock:
                current = request_id
                cancel.clear()
                if request_id in cancelled:
                    cancel.set()
            _generate(conn, backend, request_id, request, cancel)
            with lock:
                current, finished = None, request_id
                cancelled.discard(request_id)
    except (BrokenPipeError, EOFError, OSError):  # the parent is gone
        return


def _generate(
    conn: Connection, backend: Generator, request_id: int, request: GenerationRequest, cancel: threading.Event
) -> None:
    if cancel.is_set():  # cancelled before it started
        conn.send(("done", request_id, None))
        return
    iterator = backend.stream(request)
    try:
        for sentence in iterator:
            conn.send(("sentence", request_id, sentence.text, list(sentence.citations)))
            if cancel.is_set():
                break
    except GeneratorUnavailable as exc:
        conn.send(("error", request_id, str(exc)))
        return
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which answers from the sources
        conn.send(("error", request_id, f"{type(exc).__name__}: {exc}"))
        return
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
    result = getattr(backend, "last_result", None)
    conn.send(("done", request_id, result if isinstance(result, GenerationResult) else None))


# --- the parent side -----------------------------------------------------------------------------------
def describe_exit(exitcode: int | None) -> str:
    """``"signal SIGSEGV"``, ``"exit code 1"``, … for a process's exit code."""
    if exitcode is None:
        return "unknown exit"
    if exitcode < 0:
        try:
            return f"signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit code {exitcode}"
