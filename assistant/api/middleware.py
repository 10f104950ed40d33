"""Pure-ASGI middleware: request metrics and privacy-safe access log, security headers, the last-resort error
response, body size limit and body read deadline; and a uvicorn protocol with a header read deadline.

Slow clients. uvicorn 0.54 has no setting for how long a request's headers or body may take to arrive (its
``timeout_keep_alive`` only covers idle time between requests, and ends at the first byte). So:

* the body: :class:`BodyLimitMiddleware` reads it within ``body_read_timeout_s`` or answers 408 and closes
  the connection;
* the headers: :func:`header_timeout_protocol` is uvicorn's h11 protocol with a deadline from the connection's
  first byte (and from the end of each response) to a complete request head; the server passes it as
  ``uvicorn.run(..., http=header_timeout_protocol(settings.header_read_timeout_s))``. Useful uvicorn flags
  with it: ``timeout_keep_alive`` (idle keep-alive connections, default 5 s), ``limit_concurrency`` (503 past
  that many connections), ``h11_max_incomplete_event_size`` (largest request head, default 16 KiB),
  ``backlog``.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import anyio
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.errors import DEFAULT_RETRY_AFTER_SECONDS, service_message, unexpected_error_response
from assistant.api.i18n import language_from_accept, message, normalise_language
from assistant.api.metrics import Metrics
from assistant.api.services import log_exception
from assistant.types import Language

access_logger = logging.getLogger("assistant.api.access")

# The kiosk and staff pages load nothing from outside this server.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def route_template(scope: Scope) -> str:
    """The matched route's path template (``/api/sources/{chunk_id}``), never the raw path with its values."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    raw = scope.get("path", "")
    for prefix in ("/kiosk", "/staff"):
        if raw == prefix or raw.startswith(prefix + "/"):
            return prefix + "/*"
    return "unmatched"


def scope_language(scope: Scope) -> Language:
    """The language for a message before the request is parsed: ``?lang=``, ``Accept-Language``, Slovenian."""
    query = dict(_parse_query(scope.get("query_string", b"")))
    return (
        normalise_language(query.get("lang"))
        or language_from_accept(Headers(scope=scope).get("accept-language"))
        or "sl"
    )


class ObservabilityMiddleware:
    """Counts requests by route template and status, times them, logs a body-free line, adds headers.

    It is also the last resort for errors: an exception no handler caught becomes its mapped response (see
    ``api.errors``) or a 500, logged without its message. It must not travel further: Starlette's
    ServerErrorMiddleware would re-raise it to uvicorn, which logs the message (that can quote a question).
    Every 503 leaves with a ``Retry-After``.
    """

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}
        started_response = False
        path = scope.get("path", "")

        async def send_wrapper(msg: Message) -> None:
            nonlocal started_response
            if msg["type"] == "http.response.start":
                started_response = True
                status["code"] = msg["status"]
                headers = list(msg.get("headers", []))
                names = {name.lower() for name, _ in headers}
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                if b"content-security-policy" not in names:
                    extra.append((b"content-security-policy", CSP.encode()))
                if msg["status"] == 503:
                    extra.append((b"retry-after", str(DEFAULT_RETRY_AFTER_SECONDS).encode()))
                if (
                    path.startswith(("/api/", "/staff")) or path in ("/metrics", "/readyz", "/healthz")
                ) and b"cache-control" not in names:
                    extra.append((b"cache-control", b"no-store"))
                msg = {**msg, "headers": headers + [h for h in extra if h[0] not in names]}
            await send(msg)

        try:
            try:
                await self.app(scope, receive, send_wrapper)
            except Exception as exc:
                if started_response:  # too late for an error response: end the stream, keep the message out
                    log_exception("error after the response started", exc)
                else:
                    response = unexpected_error_response(exc, scope_language(scope))
                    await response(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - started
            route = route_template(scope)
            method = scope.get("method", "")
            self.metrics.requests.inc(route=route, method=method, status=str(status["code"]))
            self.metrics.latency.observe(elapsed, route=route)
            # route template only: no query string, no path values, no body
            access_logger.info("%s %s %d %.1fms", method, route, status["code"], elapsed * 1000)


class BodyLimitMiddleware:
    """Rejects request bodies over ``max_bytes`` with 422, and bodies that take longer than ``read_timeout_s``
    to arrive with 408 (closing the connection), with a message in the request's language.

    The limit is checked against ``Content-Length`` first and then while reading, so a chunked upload
    cannot get around it. The body is buffered (it is at most ``max_bytes``) and replayed to the application,
    so no route ever waits on a slow client.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, read_timeout_s: float = 10.0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.read_timeout_s = read_timeout_s  # used when the app has no settings (``body_read_timeout_s``)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                too_big = False
            if too_big:
                await self._reject(scope, send, headers)
                return
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + self._timeout(scope)
        while True:
            try:
                with anyio.fail_after(max(0.0, deadline - time.monotonic())):
                    msg = await receive()
            except TimeoutError:
                await self._send_error(408, service_message("body_timeout", scope_language(scope)), send)
                return
            if msg["type"] == "http.disconnect":
                return
            chunk = msg.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._reject(scope, send, headers)
                return
            chunks.append(chunk)
            if not msg.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    def _timeout(self, scope: Scope) -> float:
        """The body deadline: the settings' ``body_read_timeout_s`` when the app has settings, else ours."""
        services = getattr(getattr(scope.get("app"), "state", None), "services", None)
        settings = getattr(services, "settings", None)
        return float(getattr(settings, "body_read_timeout_s", self.read_timeout_s))

    async def _reject(self, scope: Scope, send: Send, headers: Headers) -> None:
        await self._send_error(422, message("body_too_large", scope_language(scope), limit=self.max_bytes), send)

    @staticmethod
    async def _send_error(status: int, detail: str, send: Send) -> None:
        payload: dict[str, Any] = {"detail": detail, "field": None}
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _parse_query(raw: bytes) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    try:
        return parse_qsl(raw.decode("latin-1"))
    except ValueError:
        return []


def header_timeout_protocol(timeout_s: float) -> type[Any]:
    """uvicorn's h11 protocol with a request-head deadline: ``uvicorn.run(app, http=header_timeout_protocol(10))``.

    The deadline starts when the connection opens and again when a response ends (for the next request on a
    keep-alive connection); a connection whose request head is not complete by then is closed. The body has
    its own deadline in :class:`BodyLimitMiddleware`.
    """
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderTimeoutH11Protocol(H11Protocol):
        header_timeout_s = float(timeout_s)

        def connection_made(self, transport: Any) -> None:
            self._header_timer: Any = None
            super().connection_made(transport)
            self._arm_header_timer()

        def _arm_header_timer(self) -> None:
            self._cancel_header_timer()
            self._header_timer = self.loop.call_later(self.header_timeout_s, self._header_timeout)

        def _cancel_header_timer(self) -> None:
            timer = getattr(self, "_header_timer", None)
            if timer is not None:
                timer.cancel()
                self._header_timer = None

        def handle_events(self) -> None:
            before = self.cycle
            super().handle_events()
            if self.cycle is not None and self.cycle is not before:  # a complete request head arrived
                self._cancel_header_timer()

        def on_response_complete(self) -> None:
            self._arm_header_timer()  # before super(): it may start a pipelined request, which cancels it
            super().on_response_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._cancel_header_timer()
            super().connection_lost(exc)

        def _header_timeout(self) -> None:
            self._header_timer = None
            waiting_for_head = self.cycle is None or self.cycle.response_complete
            if waiting_for_head and not self.transport.is_closing():
                self.transport.close()

    return HeaderTimeoutH11Protocol
