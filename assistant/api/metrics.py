"""A small hand-written Prometheus registry (text exposition format 0.0.4), no client library needed."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable
from typing import Any

LATENCY_BUCKETS: tuple[float, ...] = (
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
    20.0,
    30.0,
    60.0,
)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

LabelKey = tuple[tuple[str, str], ...]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(key: LabelKey, extra: Iterable[tuple[str, str]] = ()) -> str:
    pairs = list(key) + list(extra)
    if not pairs:
        return ""
    return "{" + ",".join(f'{name}="{_escape(value)}"' for name, value in pairs) + "}"


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


class Counter:
    """A monotonically increasing value per label set."""

    kind = "counter"

    def __init__(self, name: str, help_text: str, labelnames: tuple[str, ...] = ()) -> None:
        self.name, self.help, self.labelnames = name, help_text, labelnames
        self._values: dict[LabelKey, float] = {}
        self._lock = threading.Lock()
        if not labelnames:
            self._values[()] = 0.0

    def _key(self, labels: dict[str, str]) -> LabelKey:
        return tuple((name, str(labels.get(name, ""))) for name in self.labelnames)

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        """Add ``amount`` to the series with these labels."""
        key = self._key(labels)
        with self._lock:
            self._values[key] = self._values.get(key, 0.0) + amount

    def value(self, **labels: str) -> float:
        """Current value of one series (0 if never set)."""
        with self._lock:
            return self._values.get(self._key(labels), 0.0)

    def samples(self) -> list[str]:
        """Exposition lines for every series."""
        with self._lock:
            items = sorted(self._values.items())
        return [f"{self.name}{_labels(key)} {_number(value)}" for key, value in items]


class Gauge(Counter):
    """A value that goes up and down, or is read from a callback at scrape time."""

    kind = "gauge"

    def __init__(self, name: str, help_text: str, read: Callable[[], float] | None = None) -> None:
        super().__init__(name, help_text)
        self._read = read

    def set(self, value: float) -> None:
        """Set the value."""
        with self._lock:
            self._values[()] = float(value)

    def samples(self) -> list[str]:
        """Exposition line, reading the callback if there is one."""
        if self._read is not None:
            self.set(self._read())
        return super().samples()


class Histogram:
    """Cumulative buckets, sum and count per label set."""

    kind = "histogram"

    def __init__(
        self,
        name: str,
        help_text: str,
        labelnames: tuple[str, ...] = (),
        buckets: tuple[float, ...] = LATENCY_BUCKETS,
    ) -> None:
        self.name, self.help, self.labelnames = name, help_text, labelnames
        self.buckets = tuple(sorted(buckets))
        self._series: dict[LabelKey, tuple[list[int], list[float]]] = {}
        self._lock = threading.Lock()

    def observe(self, value: float, **labels: str) -> None:
        """Record one observation."""
        key = tuple((name, str(labels.get(name, ""))) for name in self.labelnames)
        with self._lock:
            counts, total = self._series.setdefault(key, ([0] * (len(self.buckets) + 1), [0.0]))
            for i, bound in enumerate(self.buckets):
                if value <= bound:
                    counts[i] += 1
            counts[-1] += 1
            total[0] += value

    def samples(self) -> list[str]:
        """Bucket, sum and count lines for every series."""
        lines = []
        with self._lock:
            items = sorted((key, (list(c), t[0])) for key, (c, t) in self._series.items())
        for key, (counts, total) in items:
            for bound, count in zip((*self.buckets, math.inf), counts, strict=True):
                lines.append(f"{self.name}_bucket{_labels(key, [('le', _number(bound))])} {count}")
            lines.append(f"{self.name}_sum{_labels(key)} {_number(total)}")
            lines.append(f"{self.name}_count{_labels(key)} {counts[-1]}")
        return lines


def _worker_states() -> list[Any]:
    from assistant.generate.worker import worker_states

    return list(worker_states())


class GeneratorWorkerMetrics:
    """The model worker's supervisor (:mod:`assistant.generate.worker`): how many workers are in each state, and
    how often they were restarted. No samples when the model runs in process (or there is none)."""

    STATES = ("starting", "ok", "restarting", "failed", "stopped")
    STATE = "assistant_generator_worker_state"
    RESTARTS = "assistant_generator_worker_restarts_total"

    def __init__(self, read: Callable[[], list[Any]]) -> None:
        self._read = read

    def families(self) -> list[tuple[str, str, str, list[str]]]:
        """(name, help, type, sample lines) of both metrics."""
        try:
            workers = self._read()
        except Exception:  # noqa: BLE001 - a scrape never fails because of the worker
            workers = []
        states, restarts = [], []
        if workers:
            for name in self.STATES:
                states.append(f'{self.STATE}{{state="{name}"}} {sum(1 for w in workers if w.state == name)}')
            restarts.append(f"{self.RESTARTS} {sum(w.restarts for w in workers)}")
        return [
            (self.STATE, "Generator worker processes in each state.", "gauge", states),
            (self.RESTARTS, "Generator workers restarted after one died.", "counter", restarts),
        ]


class Metrics:
    """Every metric the service exports."""

    def __init__(
        self,
        queue_depth: Callable[[], float] = lambda: 0,
        sessions: Callable[[], float] = lambda: 0,
        generator_workers: Callable[[], list[Any]] = _worker_states,
    ) -> None:
        self.requests = Counter(
            "assistant_http_requests_total",
            "HTTP requests by route template, method and status.",
            ("route", "method", "status"),
        )
        self.latency = Histogram(
            "assistant_http_request_duration_seconds",
            "HTTP request latency in seconds by route template.",
            ("route",),
        )
        self.answers = Counter("assistant_answers_total", "Answers given, by answer mode.", ("mode",))
        self.refusals = Counter("assistant_refusals_total", "Answers that refused (the sources do not answer it).")
        self.rejected = Counter("assistant_queue_rejected_total", "Questions rejected because the queue was full.")
        self.timeouts = Counter("assistant_timeouts_total", "Questions that hit the request timeout.")
        self.errors = Counter("assistant_errors_total", "Questions where the assistant raised an error.")
        self.calculations = Counter(
            "assistant_calculations_total", "Calculator requests by kind and outcome.", ("kind", "outcome")
        )
        self.feedback = Counter("assistant_feedback_total", "Staff feedback entries by rating.", ("rating",))
        self.queue_depth = Gauge("assistant_queue_depth", "Questions waiting or being answered now.", queue_depth)
        self.sessions = Gauge("assistant_sessions_active", "Live conversations held in memory.", sessions)
        self._all: list[Counter | Histogram] = [
            self.requests,
            self.latency,
            self.answers,
            self.refusals,
            self.rejected,
            self.timeouts,
            self.errors,
            self.calculations,
            self.feedback,
            self.queue_depth,
            self.sessions,
        ]
        self.generator_workers = GeneratorWorkerMetrics(generator_workers)

    def render(self) -> str:
        """The whole registry in Prometheus text format."""
        lines: list[str] = []
        for metric in self._all:
            lines.append(f"# HELP {metric.name} {metric.help}")
            lines.append(f"# TYPE {metric.name} {metric.kind}")
            lines.extend(metric.samples())
        for name, help_text, kind, samples in self.generator_workers.families():
            lines.append(f"# HELP {name} {help_text}")
            lines.append(f"# TYPE {name} {kind}")
            lines.extend(samples)
        return "\n".join(lines) + "\n"
