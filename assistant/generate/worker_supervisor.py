"""Keeping the model's worker process alive (:mod:`assistant.generate.worker`): spawn it, wait for its model to
load, watch it, restart it with back-off when it dies, kill it when it hangs. :class:`WorkerGenerator` uses this
mixin; the state it reads and writes is declared here and set in ``WorkerGenerator.__init__``."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

from assistant.generate.base import (
    Generator,
)

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess


from assistant.generate.worker_child import describe_exit, worker_main

log = logging.getLogger("assistant.generate.worker")

STABLE_AFTER_S = 60.0  # a worker that ran this long without dying resets the back-off
POLL_S = 0.25


class Supervision:
    """Spawning, watching and restarting one worker process."""

    backend: Callable[..., Generator]
    backend_args: tuple[Any, ...]
    restart_delay_s: float
    max_restart_delay_s: float
    start_timeout_s: float
    max_start_failures: int
    info: dict[str, Any]
    _context: Any
    _cond: threading.Condition
    _state: str
    _restarts: int
    _last_exit: str | None
    _error: str | None
    _process: BaseProcess | None
    _conn: Connection | None
    _stop: threading.Event
    _kill_reason: str | None
    _draining: bool

    def _set(self, state: str, **fields: Any) -> None:
        with self._cond:
            self._state = state
            for key, value in fields.items():
                setattr(self, f"_{key}", value)
            self._cond.notify_all()

    def _supervise(self) -> None:
        delay = self.restart_delay_s
        start_failures = 0
        while not self._stop.is_set():
            outcome, process = self._spawn()
            if outcome == "stopped":
                break
            if outcome == "load_error":
                with self._cond:
                    error = self._error
                log.error("generator worker cannot load its model (%s); answers quote the sources only", error)
                self._set("failed", process=None, conn=None)
                return
            if outcome == "ready":
                start_failures = 0
                ready_at = time.monotonic()
                self._watch(process)
                if self._stop.is_set():
                    break
                if time.monotonic() - ready_at >= STABLE_AFTER_S:
                    delay = self.restart_delay_s
            else:
                start_failures += 1
            how = self._exit_description(process)
            if self._draining:
                log.info("generator worker (pid %s) ended during shutdown: %s", process.pid, how)
                break
            if outcome != "ready" and start_failures >= self.max_start_failures:
                error = f"Delovni proces modela se je {start_failures}-krat končal med nalaganjem ({how})."
                log.error(
                    "generator worker died %d times while loading (%s); giving up, answers quote the sources only",
                    start_failures,
                    how,
                )
                self._set("failed", process=None, conn=None, last_exit=how, error=error)
                return
            with self._cond:
                self._restarts += 1
                restarts = self._restarts
            self._set("restarting", last_exit=how)
            log.warning(
                "generator worker (pid %s) %s: %s; restarting in %.1f s (restart %d)",
                process.pid,
                "died while loading" if outcome != "ready" else "died",
                how,
                delay,
                restarts,
            )
            if self._stop.wait(delay):
                break
            delay = min(delay * 2, self.max_restart_delay_s)
        with self._cond:
            if self._state != "failed":
                self._state = "stopped"
            self._cond.notify_all()

    def _spawn(self) -> tuple[str, BaseProcess]:
        """Start one worker and wait for its ``ready`` (or its load error, or its death)."""
        parent_conn, child_conn = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=worker_main,
            args=(child_conn, self.backend, self.backend_args),
            name="generator-worker",
            daemon=True,
        )
        try:
            process.start()
        except Exception as exc:  # noqa: BLE001 - e.g. out of processes or memory; counts as a failed start
            log.error("generator worker could not be started: %s", type(exc).__name__)
            with contextlib.suppress(Exception):
                parent_conn.close()
                child_conn.close()
            return "died", process
        child_conn.close()  # so the parent sees EOF when the worker dies
        with self._cond:
            self._process, self._conn = process, parent_conn
        deadline = time.monotonic() + self.start_timeout_s
        while True:
            if self._stop.is_set():
                self._end(process, parent_conn)
                return "stopped", process
            ready = wait([parent_conn, process.sentinel], timeout=POLL_S)
            if parent_conn in ready:
                try:
                    message = parent_conn.recv()
                except (EOFError, OSError):
                    process.join(5)
                    return "died", process
                if message[0] == "ready":
                    self.info = dict(message[1])
                    log.info(
                        "generator worker pid %s ready (%s)",
                        process.pid,
                        ", ".join(f"{k} {v}" for k, v in self.info.items() if k != "pid"),
                    )
                    self._set("ok", error=None)
                    return "ready", process
                if message[0] == "load_error":
                    with self._cond:
                        self._error = str(message[1])
                    process.join(5)
                    self._end(process, parent_conn)
                    return "load_error", process
            elif process.sentinel in ready:
                process.join(5)
                return "died", process
            if time.monotonic() > deadline:
                self._kill(process, f"did not load within {self.start_timeout_s:.0f} s")
                process.join(5)
                return "died", process

    def _watch(self, process: BaseProcess) -> None:
        while not self._stop.is_set():
            if wait([process.sentinel], timeout=POLL_S):
                process.join(5)
                return

    def _exit_description(self, process: BaseProcess) -> str:
        how = describe_exit(process.exitcode)
        with self._cond:
            reason, self._kill_reason = self._kill_reason, None
        return f"killed ({reason})" if reason else how

    def _kill(self, process: BaseProcess, reason: str) -> None:
        with self._cond:
            self._kill_reason = reason
        with contextlib.suppress(Exception):
            process.kill()

    @staticmethod
    def _end(process: BaseProcess, conn: Connection, timeout_s: float = 3.0) -> None:
        with contextlib.suppress(Exception):
            conn.send(("exit",))
        process.join(timeout_s)
        if process.is_alive():
            process.kill()
            process.join(timeout_s)
        with contextlib.suppress(Exception):
            conn.close()
