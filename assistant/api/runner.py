"""Runs the blocking assistant off the event loop: a bounded queue, an optional model lock and a deadline.

* At most ``queue_size`` questions are waiting or being answered; one more gets :class:`QueueFull` (HTTP 503).
* When the generator is an in-process LLM, one question is answered at a time (``serialize=True``).
* Every question has a deadline; past it the caller gets :class:`RequestTimeout` (HTTP 504). The worker thread
  cannot be killed, so it finishes in the background and keeps its queue slot until then: the queue therefore
  never holds more running threads than ``queue_size``.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")


class QueueFull(Exception):
    """Every queue slot is taken."""


class RequestTimeout(Exception):
    """The question was not answered before its deadline."""


class _Ticket:
    """One queue slot. ``start`` and ``abandon`` race safely: whichever runs first decides."""

    def __init__(self, runner: AssistantRunner, deadline: float) -> None:
        self.runner = runner
        self.deadline = deadline
        self._lock = threading.Lock()
        self._state = "waiting"  # -> "running" -> "done", or "waiting" -> "abandoned"

    def start(self) -> bool:
        with self._lock:
            if self._state != "waiting":
                return False
            self._state = "running"
            return True

    def abandon(self) -> None:
        """Called by the request when it gives up; frees the slot unless the worker already runs."""
        with self._lock:
            if self._state != "waiting":
                return
            self._state = "abandoned"
        self.runner._leave()

    def finish(self) -> None:
        with self._lock:
            if self._state != "running":
                return
            self._state = "done"
        self.runner._leave()


@dataclass
class _Failure:
    error: BaseException


_END = object()


class AssistantRunner:
    """Bounded, deadline-aware execution of blocking assistant calls in worker threads."""

    def __init__(self, queue_size: int, timeout_s: float, serialize: bool) -> None:
        self.queue_size = queue_size
        self.timeout_s = timeout_s
        self.serialize = serialize
        self._model_lock = threading.Lock()
        self._count_lock = threading.Lock()
        self._depth = 0
        # one worker per queue slot: an admitted question never waits for a thread
        self._executor = ThreadPoolExecutor(max_workers=queue_size, thread_name_prefix="assistant")

    @property
    def depth(self) -> int:
        """Questions waiting or being answered now."""
        with self._count_lock:
            return self._depth

    def _enter(self) -> _Ticket:
        with self._count_lock:
            if self._depth >= self.queue_size:
                raise QueueFull
            self._depth += 1
        return _Ticket(self, time.monotonic() + self.timeout_s)

    def _leave(self) -> None:
        with self._count_lock:
            self._depth -= 1

    @contextlib.contextmanager
    def _model(self, deadline: float) -> Iterator[None]:
        if not self.serialize:
            yield
            return
        if not self._model_lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise RequestTimeout
        try:
            yield
        finally:
            self._model_lock.release()

    async def run(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` in a worker thread within the queue and the deadline."""
        ticket = self._enter()

        def work() -> T:
            if not ticket.start():
                raise RequestTimeout
            try:
                with self._model(ticket.deadline):
                    return fn()
            finally:
                ticket.finish()

        try:
            future = asyncio.wrap_future(self._executor.submit(work))
            return await asyncio.wait_for(future, timeout=max(0.0, ticket.deadline - time.monotonic()))
        except TimeoutError as exc:
            raise RequestTimeout from exc
        finally:
            ticket.abandon()

    def shutdown(self) -> None:
        """Stop accepting work; running questions finish in the background."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def stream(self, make_iter: Callable[[], Iterator[Any]]) -> AnswerStream:
        """Start iterating ``make_iter()`` in a worker thread; items arrive through the returned stream."""
        ticket = self._enter()
        loop = asyncio.get_running_loop()
        stream = AnswerStream(ticket, loop)

        def push(item: Any) -> bool:
            try:
                loop.call_soon_threadsafe(stream._queue.put_nowait, item)
            except RuntimeError:  # the event loop is gone
                return False
            return True

        def work() -> None:
            if not ticket.start():
                return
            try:
                with self._model(ticket.deadline):
                    iterator = make_iter()
                    try:
                        for item in iterator:
                            if stream.cancelled.is_set() or not push(item):
                                break
                            if time.monotonic() > ticket.deadline:
                                break
                    finally:
                        close = getattr(iterator, "close", None)
                        if close is not None:
                            close()
            except BaseException as exc:  # handed to the request, which decides what the user sees
                push(_Failure(exc))
            finally:
                ticket.finish()
                push(_END)

        try:
            self._executor.submit(work)
        except BaseException:
            ticket.abandon()
            raise
        return stream


class AnswerStream:
    """Items produced by a streaming worker, read with a deadline."""

    def __init__(self, ticket: _Ticket, loop: asyncio.AbstractEventLoop) -> None:
        self._ticket = ticket
        self._queue: asyncio.Queue[Any] = asyncio.Queue()
        self.cancelled = threading.Event()
        self.done = False

    async def next(self) -> Any:
        """The next item; raises StopAsyncIteration at the end, RequestTimeout past the deadline."""
        if self.done:
            raise StopAsyncIteration
        remaining = self._ticket.deadline - time.monotonic()
        try:
            if remaining <= 0:
                raise TimeoutError
            item = await asyncio.wait_for(self._queue.get(), timeout=remaining)
        except TimeoutError as exc:
            self.cancel()
            raise RequestTimeout from exc
        if item is _END:
            self.done = True
            raise StopAsyncIteration
        if isinstance(item, _Failure):
            self.done = True
            raise item.error
        return item

    def __aiter__(self) -> AsyncIterator[Any]:
        return self

    async def __anext__(self) -> Any:
        return await self.next()

    def cancel(self) -> None:
        """Stop the worker at its next item and free the slot if it never started."""
        self.cancelled.set()
        self._ticket.abandon()
