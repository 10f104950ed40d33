#!/usr/bin/env python3
"""Benchmark the service on loopback: /api/ask latency under 4 concurrent clients, and the kiosk page weight.

Starts the server in-process on 127.0.0.1 (a random port) unless ``--url`` names one that already runs; only
loopback addresses are accepted. The run is bounded by ``--questions`` and ``--max-seconds``.

    .venv/bin/python scripts/bench_api.py                       # the real assistant (models load first)
    .venv/bin/python scripts/bench_api.py --fake                # API overhead only, with the test fake
    .venv/bin/python scripts/bench_api.py --url http://127.0.0.1:8000 --questions 40
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LOOPBACK_HOSTS = {"127.0.0.1", "localhost"}
MAX_QUESTIONS = 500
FALLBACK_QUESTIONS = [
    "Kolikokrat na teden me lahko obiščejo?",
    "Kdo plača telefonske klice?",
    "Koliko paketov s hrano lahko dobim?",
    "How long can a visit last?",
    "Kdaj me lahko predčasno odpustijo?",
    "Koliko puta tjedno me mogu posjetiti?",
]


def loopback_url(url: str) -> str:
    """The URL without a trailing slash; exits unless it points at 127.0.0.1."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK_HOSTS:
        raise SystemExit(f"--url must be http://127.0.0.1:PORT (loopback only), not {url!r}")
    if parts.hostname == "localhost":  # resolve to make sure it is the IPv4 loopback
        url = url.replace("localhost", "127.0.0.1", 1)
    return url.rstrip("/")


def load_questions(path: Path, limit: int) -> list[str]:
    """Questions from an eval JSONL file (its ``question`` field), cycled up to ``limit``."""
    questions: list[str] = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                if isinstance(item.get("question"), str) and item["question"].strip():
                    questions.append(item["question"].strip())
    questions = questions or FALLBACK_QUESTIONS
    return [questions[i % len(questions)] for i in range(limit)]


@contextmanager
def local_server(fake: bool, timeout_s: float | None, queue_size: int | None) -> Iterator[str]:
    """Serve the app on 127.0.0.1 and a free port in a thread; yields its base URL."""
    import uvicorn

    from assistant.api.app import create_app
    from assistant.config import load_settings

    overrides: dict[str, Any] = {"host": "127.0.0.1"}
    if timeout_s:
        overrides["request_timeout_s"] = timeout_s
    if queue_size:
        overrides["queue_size"] = queue_size
    settings = load_settings(**overrides)
    if fake:
        from tests.api.fakes import FakeAssistant, FakeCalculator

        app = create_app(settings, assistant=FakeAssistant(delay=0.0), calculator=FakeCalculator())
    else:
        app = create_app(settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()


def wait_ready(client: httpx.Client, base: str, max_wait: float) -> float:
    """Seconds until /readyz says 200 (models loaded), or exits."""
    started = time.monotonic()
    while time.monotonic() - started < max_wait:
        try:
            if client.get(f"{base}/readyz").status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"not ready after {max_wait:.0f} s: {client.get(f'{base}/readyz').text}")


def kiosk_weight(client: httpx.Client, base: str) -> dict[str, int]:
    """Bytes transferred to show the kiosk's start screen: page, script, style and its API calls."""
    sizes: dict[str, int] = {}
    page = client.get(f"{base}/kiosk/")
    sizes["/kiosk/"] = len(page.content)
    for ref in re.findall(r'(?:src|href)="([^"]+)"', page.text):
        if ref.startswith(("http:", "https:", "//")):
            raise SystemExit(f"the kiosk page refers to an outside resource: {ref}")
        path = ref if ref.startswith("/") else f"/kiosk/{ref}"
        sizes[path] = len(client.get(f"{base}{path}").content)
    for path in ("/api/kiosk-config", "/api/topics"):
        sizes[path] = len(client.get(f"{base}{path}").content)
    return sizes


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def fire(base: str, questions: list[str], concurrency: int, max_seconds: float, timeout: float) -> dict[str, Any]:
    """Ask every question (``concurrency`` clients at once) until done or out of time."""
    lock = threading.Lock()
    pending = list(enumerate(questions))
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    modes: Counter[str] = Counter()
    stop_at = time.monotonic() + max_seconds

    def worker() -> None:
        with httpx.Client(timeout=timeout) as client:
            while time.monotonic() < stop_at:
                with lock:
                    if not pending:
                        return
                    _, question = pending.pop(0)
                started = time.monotonic()
                try:
                    response = client.post(f"{base}/api/ask", json={"question": question})
                    status = str(response.status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                    response = None
                elapsed = time.monotonic() - started
                with lock:
                    statuses[status] += 1
                    if response is not None and response.status_code == 200:
                        latencies.append(elapsed)
                        modes[response.json().get("mode", "?")] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    return {
        "sent": sum(statuses.values()),
        "statuses": dict(statuses),
        "modes": dict(modes),
        "wall_s": wall,
        "p50_s": percentile(latencies, 50) if latencies else None,
        "p95_s": percentile(latencies, 95) if latencies else None,
        "mean_s": statistics.fmean(latencies) if latencies else None,
        "answers_per_min": 60 * len(latencies) / wall if wall else 0.0,
    }


CHROMIUM = Path("/usr/bin/chromium")


def first_paint_ms(base: str, runs: int = 3) -> float | None:
    """Median first-contentful-paint of /kiosk in headless Chromium (a fresh page each run); None when no
    browser or Playwright is available."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not CHROMIUM.exists():
        return None
    args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    values: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1080, "height": 1920})
                page.goto(f"{base}/kiosk", wait_until="load")
                page.wait_for_timeout(300)
                paint = page.evaluate(
                    "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null"
                )
                if paint is not None:
                    values.append(float(paint))
                page.close()
        finally:
            browser.close()
    return statistics.median(values) if values else None


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a report (``--json`` for machine-readable output)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running server on loopback (default: start one here)")
    parser.add_argument("--questions", type=int, default=12, help=f"questions to send (max {MAX_QUESTIONS})")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=300, help="stop sending after this long")
    parser.add_argument("--questions-file", type=Path, default=ROOT / "eval" / "questions.jsonl")
    parser.add_argument("--fake", action="store_true", help="in-process server with the test fake assistant")
    parser.add_argument(
        "--request-timeout",
        type=float,
        default=None,
        help="settings.request_timeout_s for the in-process server",
    )
    parser.add_argument("--queue-size", type=int, default=None, help="settings.queue_size for the in-process server")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    count = max(1, min(args.questions, MAX_QUESTIONS))
    concurrency = max(1, min(args.concurrency, 16))
    max_seconds = max(1.0, min(args.max_seconds, 3600.0))
    questions = load_questions(args.questions_file, count)

    @contextmanager
    def target() -> Iterator[str]:
        if args.url:
            yield loopback_url(args.url)
        else:
            with local_server(args.fake, args.request_timeout, args.queue_size) as url:
                yield url

    with target() as base, httpx.Client(timeout=60) as client:
        ready_s = wait_ready(client, base, max_wait=600)
        weight = kiosk_weight(client, base)
        paint = first_paint_ms(base)
        client.post(f"{base}/api/ask", json={"question": questions[0]})  # warm caches once, not measured
        result = fire(base, questions, concurrency, max_seconds, timeout=max(60.0, max_seconds))
        result.update(
            {
                "ready_after_s": ready_s,
                "kiosk_bytes": weight,
                "kiosk_total_bytes": sum(weight.values()),
                "kiosk_first_contentful_paint_ms": paint,
                "concurrency": concurrency,
                "target": base,
                "fake": bool(args.fake and not args.url),
            }
        )
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0

    def fmt(value: float | None) -> str:
        return "n/a" if value is None else f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"

    print(f"target           {result['target']}{' (fake assistant)' if result['fake'] else ''}")
    print(f"ready after      {ready_s:.1f} s")
    print(f"questions        {result['sent']} sent by {concurrency} clients in {result['wall_s']:.1f} s")
    print(f"statuses         {result['statuses']}")
    print(f"answer modes     {result['modes']}")
    print(f"/api/ask p50     {fmt(result['p50_s'])}")
    print(f"/api/ask p95     {fmt(result['p95_s'])}")
    print(f"answers/min      {result['answers_per_min']:.1f}")
    print(
        f"kiosk page       {result['kiosk_total_bytes']} bytes transferred "
        + ", ".join(f"{k} {v}" for k, v in weight.items())
    )
    paint_text = "n/a (no chromium)" if paint is None else f"{paint:.0f} ms"
    print(f"kiosk first paint {paint_text} (first-contentful-paint, headless Chromium, median of 3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
