"""Abuse limits: failed staff logins, each client's share of the answer queue, slow request heads and bodies."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import anyio
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.api.auth import LoginGuard, LoginLimiter, LoginLimits, LoginRateLimited, hash_password
from assistant.api.deps import Abandoned, ClientShare
from assistant.api.middleware import header_timeout_protocol
from assistant.config import Settings
from tests.api.conftest import STAFF_PASSWORD, STAFF_USER, basic, bearer
from tests.api.fakes import FakeAssistant, FakeCalculator

ATTACKER = ("10.0.0.66", 40000)
COLLEAGUE = ("10.0.0.7", 40000)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _app(settings: Settings, fake: FakeAssistant | None = None, clock: FakeClock | None = None) -> FastAPI:
    app = create_app(settings, assistant=fake or FakeAssistant(), calculator=FakeCalculator())
    if clock is not None:
        app.state.login_guard = LoginGuard.from_settings(settings, clock=clock)
    return app


def _count_hashes(app: FastAPI, delay: float = 0.0) -> list[str]:
    """Record the thread of every PBKDF2 check (optionally slowed down)."""
    auth = app.state.services.auth
    threads: list[str] = []
    original = auth.check_password

    def counted(username: str, password: str) -> Any:
        threads.append(threading.current_thread().name)
        if delay:
            time.sleep(delay)
        return original(username, password)

    auth.check_password = counted
    return threads


# --- failed staff logins ------------------------------------------------------------------------------------


def test_200_wrong_passwords_lock_out_within_10_attempts(settings_factory: Callable[..., Settings]) -> None:
    clock = FakeClock()
    app = _app(settings_factory(), clock=clock)
    hashes = _count_hashes(app)
    with TestClient(app, client=ATTACKER) as attacker:
        statuses = [attacker.get("/staff", headers=basic(password=f"ugib-{i}")).status_code for i in range(200)]
        assert statuses[:10] == [401] * 10
        assert set(statuses[10:]) == {429}
        assert len(hashes) == 10  # the lockout is checked before hashing: 190 attempts cost nothing
        r = attacker.get("/staff", headers=basic())
        assert r.status_code == 429  # even the right password, from the locked-out address
        assert r.headers["retry-after"] == "300"
        assert r.json() == {"detail": "Preveč neuspešnih prijav. Poskusite znova čez 300 s.", "field": None}
        assert attacker.get("/staff", headers=bearer()).status_code == 429
        assert attacker.get("/staff", headers=bearer("narobe")).status_code == 429
        # a colleague at another address logs in as the same user: the flood did not lock the name everywhere
        colleague = TestClient(app, client=COLLEAGUE)
        assert colleague.get("/staff", headers=basic()).status_code == 200
        # the kiosk routes do not care
        assert attacker.post("/api/ask", json={"question": "Obiski?"}).status_code == 200
        # the lockout expires
        clock.now += 299
        assert attacker.get("/staff", headers=basic()).headers["retry-after"] == "1"
        clock.now += 2
        assert attacker.get("/staff", headers=basic()).status_code == 200
        # a fresh allowance of 10 after the lockout
        statuses = [attacker.get("/staff", headers=basic(password="x")).status_code for _ in range(12)]
        assert statuses == [401] * 10 + [429] * 2


def test_lockout_applies_to_every_staff_route_and_metrics(settings_factory: Callable[..., Settings]) -> None:
    app = _app(settings_factory(login_max_failures=2), clock=FakeClock())
    with TestClient(app, client=ATTACKER) as client:
        assert client.post("/api/feedback", json={"rating": "up"}, headers=bearer("a")).status_code == 401
        assert client.get("/metrics", headers={"Authorization": "Basic !!"}).status_code == 401
        for method, path in [("GET", "/metrics"), ("POST", "/api/feedback"), ("GET", "/staff/feedback.csv")]:
            r = client.request(method, path, headers=bearer(), json={"rating": "up"})
            assert r.status_code == 429 and int(r.headers["retry-after"]) > 0, path
        # no credentials at all is not a failed attempt, and still asks for a login
        assert client.get("/staff").status_code == 401


def test_no_credentials_are_not_counted(settings_factory: Callable[..., Settings]) -> None:
    app = _app(settings_factory(login_max_failures=2), clock=FakeClock())
    with TestClient(app, client=ATTACKER) as client:
        for _ in range(20):
            assert client.get("/staff").status_code == 401
        assert client.get("/staff", headers=basic()).status_code == 200


def test_guessing_one_user_from_many_addresses_locks_that_user(
    settings_factory: Callable[..., Settings],
) -> None:
    settings = settings_factory(
        login_max_failures_per_user=5,
        staff_users={
            STAFF_USER: hash_password(STAFF_PASSWORD, iterations=1000),
            "bojan": hash_password("drugo-geslo", iterations=1000),
        },
    )
    clock = FakeClock()
    app = _app(settings, clock=clock)
    with TestClient(app, client=("10.1.0.1", 1)):
        for i in range(5):
            spread = TestClient(app, client=(f"10.1.0.{i + 2}", 1))
            assert spread.get("/staff", headers=basic(password="ugib")).status_code == 401
        fresh = TestClient(app, client=("10.1.1.1", 1))
        assert fresh.get("/staff", headers=basic()).status_code == 429  # ana is locked everywhere ...
        assert fresh.get("/staff", headers=basic("bojan", "drugo-geslo")).status_code == 200  # ... bojan is not
        # unknown names are not tracked as users (an attacker cannot fill memory with made-up names)
        assert app.state.login_guard.limiter.locked("10.1.1.1", "mallory") == 0
        clock.now += 301
        assert fresh.get("/staff", headers=basic()).status_code == 200


def test_concurrent_wrong_passwords_cannot_overshoot_the_limit(
    settings_factory: Callable[..., Settings],
) -> None:
    app = _app(settings_factory(), clock=FakeClock())
    hashes = _count_hashes(app, delay=0.05)
    statuses: list[int] = []
    with TestClient(app, client=ATTACKER) as client:

        def attempt(i: int) -> None:
            statuses.append(client.get("/staff", headers=basic(password=f"vzporedno-{i}")).status_code)

        threads = [threading.Thread(target=attempt, args=(i,)) for i in range(40)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert len(statuses) == 40
    assert len(hashes) <= 10
    assert statuses.count(401) <= 10 and statuses.count(429) >= 30
    assert set(hashes) and all(name.startswith("login-hash") for name in hashes)  # never an answer thread


def test_a_stuck_password_check_never_delays_questions(settings_factory: Callable[..., Settings]) -> None:
    gate = threading.Event()
    app = _app(settings_factory(), clock=FakeClock())
    auth = app.state.services.auth
    original = auth.check_password

    def stuck(username: str, password: str) -> Any:
        gate.wait(10)
        return original(username, password)

    auth.check_password = stuck
    statuses: list[int] = []
    with TestClient(app, client=ATTACKER) as client:
        threads = [
            threading.Thread(
                target=lambda i=i: statuses.append(client.get("/staff", headers=basic(password=f"p{i}")).status_code)
            )
            for i in range(6)
        ]
        for t in threads:
            t.start()
        time.sleep(0.2)
        kiosk = TestClient(app, client=("10.0.0.20", 1))
        started = time.monotonic()
        for _ in range(5):
            assert kiosk.post("/api/ask", json={"question": "Obiski?"}).status_code == 200
            assert kiosk.get("/api/sources/prirocnik-zpkz-ig:obiski:1").status_code == 200
        assert time.monotonic() - started < 2
        gate.set()
        for t in threads:
            t.join(10)
    assert statuses == [401] * 6


def test_hash_queue_is_bounded(settings_factory: Callable[..., Settings]) -> None:
    """More password checks waiting than the pool takes: 429 at once, not an ever-growing queue."""
    gate = threading.Event()
    app = create_app(settings_factory(), assistant=FakeAssistant(), calculator=FakeCalculator())
    app.state.login_guard = LoginGuard(LoginLimits(max_failures=100), hash_threads=1, max_waiting=3)
    auth = app.state.services.auth
    original = auth.check_password
    auth.check_password = lambda u, p: (gate.wait(10), original(u, p))[1]
    statuses: list[int] = []
    with TestClient(app) as client:
        threads = [
            threading.Thread(
                target=lambda i=i: statuses.append(client.get("/staff", headers=basic(password=str(i))).status_code)
            )
            for i in range(8)
        ]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 5
        while len(statuses) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert sorted(statuses) == [429] * 5
        gate.set()
        for t in threads:
            t.join(10)
    assert sorted(statuses) == [401] * 3 + [429] * 5


def test_limiter_unit() -> None:
    clock = FakeClock()
    limiter = LoginLimiter(LoginLimits(max_failures=3, max_failures_per_user=100, lockout_s=60), clock)
    for _ in range(3):
        limiter.finish(limiter.begin("a", "ana"), False)
    with pytest.raises(LoginRateLimited) as info:
        limiter.begin("a")
    assert info.value.retry_after == 60
    limiter.finish(limiter.begin("b", "ana"), True)  # other addresses are fine
    clock.now += 30
    assert limiter.locked("a") == 30
    clock.now += 31
    assert limiter.locked("a") == 0
    limiter.finish(limiter.begin("a"), None)  # not checked: not a failure
    # failures older than the lockout period are forgotten
    limiter.finish(limiter.begin("c"), False)
    limiter.finish(limiter.begin("c"), False)
    clock.now += 61
    limiter.finish(limiter.begin("c"), False)
    limiter.finish(limiter.begin("c"), False)
    limiter.begin("c")
    # memory stays bounded
    small = LoginLimiter(LoginLimits(), clock, max_tracked=10)
    for i in range(100):
        small.finish(small.begin(f"10.0.{i}.1"), False)
    assert len(small._records) <= 10


# --- each client's share of the answer queue ----------------------------------------------------------------


def _post_in_thread(client: TestClient, results: list[Any], path: str = "/api/ask") -> threading.Thread:
    def run() -> None:
        r = client.post(path, json={"question": "Obiski?"})
        results.append((r.status_code, r.headers.get("retry-after")))

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_for(condition: Callable[[], bool], seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_one_client_cannot_push_the_others_into_503(settings_factory: Callable[..., Settings]) -> None:
    fake = FakeAssistant(gate=threading.Event())
    assert fake.gate is not None
    app = _app(settings_factory(queue_size=4, request_timeout_s=10), fake)
    runner = app.state.services.runner
    with TestClient(app, client=ATTACKER) as flooder:
        flood: list[Any] = []
        threads = [_post_in_thread(flooder, flood, path) for path in ["/api/ask", "/api/ask/stream"] * 5]
        _wait_for(lambda: len(flood) == 8)  # 2 admitted (queue 4 - reserve 2), the rest turned away at once
        assert runner.depth == 2
        assert flood == [(503, "5")] * 8
        others: list[Any] = []
        threads += [_post_in_thread(TestClient(app, client=(f"10.0.1.{i}", 1)), others) for i in (1, 2)]
        _wait_for(lambda: runner.depth == 4)  # both other clients got a slot
        r = TestClient(app, client=("10.0.1.3", 1)).post("/api/ask", json={"question": "Paketi?"})
        assert r.status_code == 503 and r.headers["retry-after"] == "5"  # the queue itself is full now
        fake.gate.set()
        for t in threads:
            t.join(10)
        assert others == [(200, None)] * 2
        assert sorted(s for s, _ in flood) == [200, 200] + [503] * 8
        metrics = flooder.get("/metrics", headers=bearer()).text
    assert "assistant_queue_rejected_total 9" in metrics


def test_a_polite_client_is_answered_while_another_floods(settings_factory: Callable[..., Settings]) -> None:
    """The issue's floor in miniature: one address floods, another asks one question at a time."""
    app = _app(settings_factory(queue_size=8, request_timeout_s=10), FakeAssistant(delay=0.03))
    stop = threading.Event()
    flood: list[Any] = []
    with TestClient(app, client=ATTACKER) as flooder:

        def hammer() -> None:
            while not stop.is_set():
                r = flooder.post("/api/ask", json={"question": "Obiski?"})
                flood.append((r.status_code, r.headers.get("retry-after")))

        threads = [threading.Thread(target=hammer) for _ in range(16)]
        for t in threads:
            t.start()
        try:
            polite = TestClient(app, client=COLLEAGUE)
            answers = [polite.post("/api/ask", json={"question": "Paketi?"}) for _ in range(20)]
        finally:
            stop.set()
            for t in threads:
                t.join(10)
    assert sum(r.status_code == 200 for r in answers) >= 19  # >= 95 %
    assert {s for s, _ in flood} <= {200, 503}
    assert all(retry == "5" for s, retry in flood if s == 503)  # every 503 says when to come back
    assert any(s == 503 for s, _ in flood)


def test_timed_out_questions_still_count_against_their_client(
    settings_factory: Callable[..., Settings],
) -> None:
    fake = FakeAssistant(gate=threading.Event())
    assert fake.gate is not None
    app = _app(settings_factory(queue_size=4, request_timeout_s=0.2), fake)
    with TestClient(app, client=ATTACKER) as client:
        assert client.post("/api/ask", json={"question": "a"}).status_code == 504
        assert client.post("/api/ask", json={"question": "b"}).status_code == 504
        share: ClientShare = app.state.client_share
        assert share.active(ATTACKER[0]) == 2  # the workers still run
        r = client.post("/api/ask", json={"question": "c"})
        assert r.status_code == 503 and r.headers["retry-after"] == "5"
        fake.gate.set()
        _wait_for(lambda: share.active(ATTACKER[0]) == 0)
        fake.gate = None
        assert client.post("/api/ask", json={"question": "d"}).status_code == 200


def test_client_share_unit() -> None:
    depth = [0]
    share = ClientShare(queue_size=8, depth=lambda: depth[0], reserve=2)
    assert share.share == 6
    leases = []
    for _ in range(6):
        lease = share.admit("a")
        assert lease is not None
        leases.append(lease)
        depth[0] += 1
    assert share.admit("a") is None  # its share is used up
    assert share.admit("b") is not None  # a new client gets in
    depth[0] = 7
    assert share.admit("a2") is not None  # still a slot for a client with nothing queued
    # a lease whose request ended before its work started is released, and the work is skipped
    lease = leases[0]
    call = lease.wrap(lambda: "answer")
    lease.request_done()
    assert share.active("a") == 5
    with pytest.raises(Abandoned):
        call()
    # a running lease is released when the work ends, not when the request does
    lease = leases[1]
    seen: list[int] = []
    lease.wrap(lambda: (lease.request_done(), seen.append(share.active("a"))))()
    assert seen == [5] and share.active("a") == 4
    # iterators: released when the iteration ends
    lease = leases[2]
    items = list(lease.wrap_iter(lambda: iter([1, 2]))())
    assert items == [1, 2] and share.active("a") == 3
    # tiny queues: no reserve, one question per client
    tiny = ClientShare(queue_size=1, depth=lambda: 0, reserve=2)
    assert (tiny.reserve, tiny.share) == (0, 1)


# --- slow request bodies and heads --------------------------------------------------------------------------


def _scope(path: str = "/api/ask", length: int = 100) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(length).encode())],
        "client": ("10.0.0.9", 1234),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


def test_a_stalled_body_is_dropped_after_the_deadline(settings_factory: Callable[..., Settings]) -> None:
    fake = FakeAssistant()
    app = _app(settings_factory(body_read_timeout_s=0.3), fake)
    sent: list[dict[str, Any]] = []

    async def main() -> None:
        first = True

        async def receive() -> dict[str, Any]:
            nonlocal first
            if first:
                first = False
                return {"type": "http.request", "body": b'{"question": "Ob', "more_body": True}
            await anyio.sleep(30)  # the client stalls
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        await app(_scope(), receive, send)

    started = time.monotonic()
    anyio.run(main)
    assert time.monotonic() - started < 2
    start = sent[0]
    assert start["status"] == 408
    assert (b"connection", b"close") in start["headers"]
    assert b"prepo" in sent[1]["body"]  # "Zahteva je prispela prepočasi."
    assert fake.calls == []


def test_a_body_that_arrives_in_time_is_answered(settings_factory: Callable[..., Settings]) -> None:
    app = _app(settings_factory(body_read_timeout_s=1.0))
    sent: list[dict[str, Any]] = []
    body = b'{"question": "Obiski?"}'
    parts = [body[:5], body[5:12], body[12:]]

    async def main() -> None:
        async def receive() -> dict[str, Any]:
            if parts:
                await anyio.sleep(0.05)
                part = parts.pop(0)
                return {"type": "http.request", "body": part, "more_body": bool(parts)}
            await anyio.sleep(30)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        async with app.router.lifespan_context(app):
            await app(_scope(length=len(body)), receive, send)

    anyio.run(main)
    assert sent[0]["status"] == 200


@contextmanager
def _serve(app: FastAPI, header_timeout_s: float) -> Iterator[int]:
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        http=header_timeout_protocol(header_timeout_s),
        log_level="warning",
        access_log=False,
        timeout_keep_alive=30,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        _wait_for(lambda: server.started, 10)
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(10)


def _closed_within(sock: socket.socket, seconds: float) -> tuple[bool, bytes]:
    """Read until the server closes the connection; (closed in time, what it sent)."""
    sock.settimeout(seconds)
    data = b""
    try:
        while chunk := sock.recv(4096):
            data += chunk
    except TimeoutError:
        return False, data
    return True, data


def test_real_server_drops_stalled_heads_and_bodies(settings_factory: Callable[..., Settings]) -> None:
    app = _app(settings_factory(body_read_timeout_s=0.5))
    with _serve(app, header_timeout_s=0.5) as port:
        heads = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
        bodies = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
        started = time.monotonic()
        for sock in heads:
            sock.sendall(b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-")  # the head never ends
        for sock in bodies:
            sock.sendall(
                b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b'Content-Length: 200\r\n\r\n{"question": '
            )
        for sock in heads:
            closed, data = _closed_within(sock, 5)
            assert closed and data == b""
            sock.close()
        for sock in bodies:
            closed, data = _closed_within(sock, 5)
            assert closed and data.startswith(b"HTTP/1.1 408 ")
            sock.close()
        assert time.monotonic() - started < 4
        # an idle keep-alive connection gets the same deadline for its next request head
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            sock.settimeout(5)
            assert sock.recv(4096).startswith(b"HTTP/1.1 200 ")
            sock.sendall(b"GET /healthz HTTP/1.1\r\n")
            closed, _ = _closed_within(sock, 5)
            assert closed
        # ordinary requests are unaffected
        with socket.create_connection(("127.0.0.1", port)) as sock:
            body = b'{"question": "Obiski?"}'
            sock.sendall(
                b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            closed, data = _closed_within(sock, 5)
            assert data.startswith(b"HTTP/1.1 200 ")
