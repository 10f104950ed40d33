"""The model in a supervised worker process, behind the :class:`~assistant.generate.base.Generator` protocol.

A native crash in llama.cpp (a bad build, a damaged GGUF, a library bug) kills the process it happens in. So the
model runs in a child process (``multiprocessing``, spawn context: a fresh interpreter, no copied locks or
threads) and the service speaks to it over a pipe:

* :class:`WorkerGenerator` is what the answering code sees: ``load``, ``loaded``, ``stream``, ``generate``, like
  the in-process backends. ``stream`` sends the request to the worker and yields each sentence as the worker
  finishes it (the worker runs the configured backend, e.g. :class:`~assistant.generate.llama_cpp.LlamaCppGenerator`
  with its grammar sampler, unchanged).
* If the worker dies during a generation, the stream raises :class:`GeneratorUnavailable` at once, so the
  answer is given from the quoted sources (see :mod:`assistant.answer.model_sentences`).
* A supervisor thread restarts a worker that died, after a back-off (``restart_delay_s`` doubling up to
  ``max_restart_delay_s``; reset once a worker has run for a minute), and logs why (exit code or signal; never
  a question or a sentence). A worker that cannot load its model (missing GGUF …) is not restarted: the state is
  ``failed`` and the message names the path. A worker that dies ``max_start_failures`` times in a row while
  loading is given up as well.
* :meth:`WorkerGenerator.worker_state` — ``starting`` / ``ok`` / ``restarting`` / ``failed`` / ``stopped``,
  the restart count, the last exit — is what ``/readyz`` and ``/metrics`` report (:func:`worker_states`).
* A generation that produces nothing for ``stall_timeout_s`` (default ``llm_timeout_s + 30``) is treated as a
  hang: the worker is killed and restarted.
* :meth:`WorkerGenerator.drain` (graceful shutdown): the running generation finishes, new ones are refused
  (quotes only). :meth:`WorkerGenerator.close` stops the worker; every live worker is closed at interpreter exit.

The worker ignores SIGINT (Ctrl-C in a terminal reaches the whole process group; the service shuts down
gracefully and then stops the worker), exits when its pipe closes (the service is gone) and writes no core
dump (its memory holds users' questions).
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import logging
import multiprocessing
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

from assistant.generate.base import (
    GeneratedSentence,
    GenerationRequest,
    GenerationResult,
    Generator,
    GeneratorUnavailable,
)

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from assistant.config import Settings

from assistant.generate.worker_child import inline_backend
from assistant.generate.worker_supervisor import POLL_S, Supervision

log = logging.getLogger(__name__)

STATES = ("starting", "ok", "restarting", "failed", "stopped")
DIED_MESSAGE = "Delovni proces modela se je med generiranjem končal; odgovor je iz virov."


@dataclass(frozen=True)
class WorkerState:
    """What the supervisor knows about its worker (for ``/readyz`` and ``/metrics``)."""

    state: str  # one of STATES
    restarts: int  # workers started again after one died
    pid: int | None
    last_exit: str | None  # how the last worker ended, e.g. "signal SIGSEGV", "exit code 1"
    error: str | None  # why the model cannot be loaded (state "failed"), naming the path

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON."""
        return asdict(self)


# --- the worker process ----------------------------------------------------------------------------------
class WorkerGenerator(Supervision):
    """Runs a generator backend in a supervised worker process (see the module documentation)."""

    def __init__(
        self,
        settings: Settings,
        backend: Callable[..., Generator] = inline_backend,
        backend_args: tuple[Any, ...] | None = None,
        *,
        name: str | None = None,
        restart_delay_s: float = 0.5,
        max_restart_delay_s: float = 10.0,
        start_timeout_s: float = 300.0,
        stall_timeout_s: float | None = None,
        max_start_failures: int = 5,
    ) -> None:
        """``backend(*backend_args)`` builds the in-process generator inside the worker; both must be picklable
        (a module-level function and plain values). The default runs the configured backend from ``settings``."""
        self.settings = settings
        self.name = name or settings.generator
        self.backend = backend
        self.backend_args = backend_args if backend_args is not None else (settings,)
        self.restart_delay_s = restart_delay_s
        self.max_restart_delay_s = max_restart_delay_s
        self.start_timeout_s = start_timeout_s
        self.stall_timeout_s = stall_timeout_s if stall_timeout_s is not None else settings.llm_timeout_s + 30.0
        self.max_start_failures = max_start_failures
        self.last_result: GenerationResult | None = None
        self.info: dict[str, Any] = {}
        self._context = multiprocessing.get_context("spawn")
        self._cond = threading.Condition()
        self._state = "stopped"
        self._restarts = 0
        self._last_exit: str | None = None
        self._error: str | None = None
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._supervisor: threading.Thread | None = None
        self._stop = threading.Event()
        self._closed = False
        self._draining = False
        self._kill_reason: str | None = None
        self._generation = threading.Lock()
        self._ids = itertools.count(1)
        _LIVE.add(self)

    # --- state ---------------------------------------------------------------------------------------
    def worker_state(self) -> WorkerState:
        """The supervisor's view: state, restarts, pid, last exit, load error."""
        with self._cond:
            process = self._process
            pid = process.pid if process is not None and self._state in ("starting", "ok", "restarting") else None
            return WorkerState(self._state, self._restarts, pid, self._last_exit, self._error)

    @property
    def loaded(self) -> bool:
        """Whether a worker with the model loaded is running now."""
        with self._cond:
            return self._state == "ok"

    @property
    def pid(self) -> int | None:
        """The running worker's process id."""
        return self.worker_state().pid

    def start(self) -> None:
        """Start the supervisor (and so the worker) unless it runs already; does not wait."""
        with self._cond:
            if self._closed:
                return
            if self._supervisor is not None and self._supervisor.is_alive():
                return
            if self._state == "failed":
                return
            self._state = "starting"
            self._supervisor = threading.Thread(target=self._supervise, name="generator-supervisor", daemon=True)
            self._supervisor.start()

    def load(self) -> None:
        """Start the worker and wait until its model is loaded; :class:`GeneratorUnavailable` if it cannot be."""
        self.start()
        deadline = time.monotonic() + self.start_timeout_s
        with self._cond:
            while self._state in ("starting", "restarting"):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise GeneratorUnavailable(
                        f"Delovni proces modela se ni zagnal v {self.start_timeout_s:.0f} s"
                        + (f" (zadnji izhod: {self._last_exit})." if self._last_exit else ".")
                    )
                self._cond.wait(min(remaining, 1.0))
            if self._state == "ok":
                return
            raise GeneratorUnavailable(self._error or "Delovni proces modela je ustavljen.")

    # --- generation ----------------------------------------------------------------------------------
    def generate(self, request: GenerationRequest) -> GenerationResult:
        """The whole answer (streamed internally); statistics as the worker's backend measured them."""
        sentences = list(self.stream(request))
        if self.last_result is None:
            self.last_result = GenerationResult(sentences=sentences, raw="", elapsed_ms=0.0)
        return self.last_result

    def stream(self, request: GenerationRequest) -> Iterator[GeneratedSentence]:
        """Yield each sentence as the worker completes it; :class:`GeneratorUnavailable` if the worker is not
        running, dies, hangs or the service is shutting down. Consume it fully or ``close()`` it."""
        if self._draining:
            raise GeneratorUnavailable("Storitev se zaustavlja; odgovor je iz virov.")
        self.start()
        with self._cond:
            first_start = self._state == "starting"
        if first_start:  # loaded lazily on first use, like the in-process backends; a restart is not waited for
            self.load()
        with self._generation:
            with self._cond:
                state, process, conn = self._state, self._process, self._conn
            if state == "ok" and process is not None and wait([process.sentinel], timeout=0):
                self._dead(process)  # died a moment ago; the supervisor restarts it
                state = "restarting"
            if state != "ok" or process is None or conn is None:
                raise GeneratorUnavailable(self._unavailable(state))
            request_id = next(self._ids)
            self.last_result = None
            try:
                conn.send(("generate", request_id, request))
            except (OSError, ValueError) as exc:
                raise GeneratorUnavailable("Delovni proces modela ni dosegljiv.") from exc
            finished = False
            try:
                while True:
                    message = self._receive(process, conn, request_id)
                    if message[0] == "sentence":
                        yield GeneratedSentence(message[2], list(message[3]))
                    elif message[0] == "done":
                        finished = True
                        self.last_result = message[2]
                        return
                    else:  # "error"
                        finished = True
                        raise GeneratorUnavailable(str(message[2]))
            except GeneratorUnavailable:
                finished = True
                raise
            finally:
                if not finished:  # the caller stopped early: stop the worker's generation too
                    self._cancel(process, conn, request_id)

    def _receive(self, process: BaseProcess, conn: Connection, request_id: int) -> tuple[Any, ...]:
        deadline = time.monotonic() + self.stall_timeout_s
        while True:
            ready = wait([conn, process.sentinel], timeout=POLL_S)
            if conn in ready:
                try:
                    message = conn.recv()
                except (EOFError, OSError) as exc:
                    self._dead(process)
                    raise GeneratorUnavailable(DIED_MESSAGE) from exc
                if len(message) > 1 and message[1] == request_id:
                    return tuple(message)
                continue  # what is left of a cancelled generation
            if process.sentinel in ready:
                self._dead(process)
                raise GeneratorUnavailable(DIED_MESSAGE)
            if time.monotonic() > deadline:
                log.warning(
                    "generator worker (pid %s) produced nothing for %.0f s; killing it",
                    process.pid,
                    self.stall_timeout_s,
                )
                self._kill(process, f"no output for {self.stall_timeout_s:g} s")
                raise GeneratorUnavailable("Delovni proces modela se ne odziva; odgovor je iz virov.")

    def _dead(self, process: BaseProcess) -> None:
        """A generation saw its worker die: not ``ok`` any more, even before the supervisor notices."""
        with self._cond:
            if self._process is process and self._state == "ok":
                self._state = "restarting"
                self._cond.notify_all()

    def _cancel(self, process: BaseProcess, conn: Connection, request_id: int) -> None:
        try:
            conn.send(("cancel", request_id))
            while self._receive(process, conn, request_id)[0] not in ("done", "error"):
                pass
        except (GeneratorUnavailable, OSError, ValueError):
            pass

    def _unavailable(self, state: str) -> str:
        with self._cond:
            if state == "failed" and self._error:
                return self._error
            if state == "restarting":
                return f"Delovni proces modela se znova zaganja (po: {self._last_exit}); odgovor je iz virov."
        return f"Delovni proces modela ni pripravljen ({state}); odgovor je iz virov."

    # --- shutdown ------------------------------------------------------------------------------------
    def drain(self) -> None:
        """Graceful shutdown: the running generation finishes, new ones get :class:`GeneratorUnavailable`, a
        worker that dies now is not restarted."""
        self._draining = True

    @property
    def draining(self) -> bool:
        """Whether :meth:`drain` was called."""
        return self._draining

    def close(self) -> None:
        """Stop the supervisor and the worker (idempotent)."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            supervisor, process, conn = self._supervisor, self._process, self._conn
        self._draining = True
        self._stop.set()
        if supervisor is not None:
            supervisor.join(5)
        if process is not None and conn is not None:
            self._end(process, conn)  # a generation still running ends with GeneratorUnavailable
        with self._cond:
            if self._state != "failed":
                self._state = "stopped"
            self._cond.notify_all()
        _LIVE.discard(self)


_LIVE: weakref.WeakSet[WorkerGenerator] = weakref.WeakSet()


def worker_states() -> list[WorkerState]:
    """The state of every open :class:`WorkerGenerator` in this process (for ``/metrics``)."""
    return [worker.worker_state() for worker in list(_LIVE)]


@atexit.register
def _close_all() -> None:  # runs before multiprocessing's own exit handler, which would only SIGTERM them
    for worker in list(_LIVE):
        with contextlib.suppress(Exception):
            worker.close()
