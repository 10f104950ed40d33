"""One way to time a stage: ``with stage(timings, "retrieval_ms"): ...`` records its milliseconds."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


def elapsed_ms(started: float) -> float:
    """Milliseconds since ``started`` (a :func:`time.perf_counter` value), rounded to 0.01 ms."""
    return round((time.perf_counter() - started) * 1000, 2)


@contextmanager
def stage(timings: dict[str, float], name: str) -> Iterator[None]:
    """Record the duration of the ``with`` block in ``timings[name]`` (milliseconds), also when it raises."""
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = elapsed_ms(started)
