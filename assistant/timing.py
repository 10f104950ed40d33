"""One way to time a stage: ``elapsed_ms(started)`` from a ``time.perf_counter()`` value."""

from __future__ import annotations

import time


def elapsed_ms(started: float) -> float:
    """Milliseconds since ``started`` (a :func:`time.perf_counter` value), rounded to 0.01 ms."""
    return round((time.perf_counter() - started) * 1000, 2)
