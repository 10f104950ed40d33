#!/usr/bin/env python3
"""Load test on loopback: many flooding clients and one well-behaved client at once, bounded in time.

``--clients`` connections from 127.0.0.1 ask questions back to back for ``--seconds``; one polite client from
127.0.0.2 asks one question at a time with a pause. Prints the status counts, whether every 503 carried
Retry-After, any 5xx other than 503, and the share of the polite client's questions that were answered.
Only loopback URLs are accepted.

    .venv/bin/assistant serve --port 8765 &
    .venv/bin/python scripts/load_test.py --url http://127.0.0.1:8765 --clients 50 --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import Counter
from urllib.parse import urlsplit

import httpx

QUESTIONS = [
    "Kolikokrat na teden imam lahko obiske?",
    "Koliko paketov lahko dobim?",
    "Kdaj lahko grem na dopust?",
    "How long can a visit last?",
    "Koliko dugo traje posjeta?",
]


async def flood(url: str, stop: float, counts: Counter[str], index: int) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30.0) as client:
        n = index
        while time.monotonic() < stop:
            try:
                response = await client.post("/api/ask", json={"question": QUESTIONS[n % len(QUESTIONS)]})
            except httpx.HTTPError as exc:
                counts[f"error:{type(exc).__name__}"] += 1
                continue
            n += 1
            counts[str(response.status_code)] += 1
            if response.status_code == 503 and "retry-after" not in response.headers:
                counts["503 without Retry-After"] += 1


async def polite(url: str, stop: float, result: Counter[str]) -> None:
    transport = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    async with httpx.AsyncClient(base_url=url, timeout=30.0, transport=transport) as client:
        n = 0
        while time.monotonic() < stop:
            try:
                response = await client.post("/api/ask", json={"question": QUESTIONS[n % len(QUESTIONS)]})
                result[str(response.status_code)] += 1
            except httpx.HTTPError as exc:
                result[f"error:{type(exc).__name__}"] += 1
            n += 1
            await asyncio.sleep(0.5)


async def main(url: str, clients: int, seconds: float) -> dict[str, object]:
    stop = time.monotonic() + seconds
    counts: Counter[str] = Counter()
    polite_counts: Counter[str] = Counter()
    await asyncio.gather(polite(url, stop, polite_counts), *(flood(url, stop, counts, i) for i in range(clients)))
    asked = sum(polite_counts.values())
    server_errors = {k: v for k, v in counts.items() if k.isdigit() and int(k) >= 500 and k != "503"}
    return {
        "flood": dict(counts),
        "polite": dict(polite_counts),
        "polite_answered_share": round(polite_counts["200"] / asked, 3) if asked else None,
        "server_errors_other_than_503": server_errors,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    host = urlsplit(args.url).hostname or ""
    if not (host == "localhost" or host.startswith("127.")):
        parser.error("only loopback URLs (127.0.0.0/8, localhost) may be load-tested")
    print(json.dumps(asyncio.run(main(args.url, args.clients, min(args.seconds, 300.0))), indent=2))
