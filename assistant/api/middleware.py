"""Pure-ASGI middleware: request metrics and privacy-safe access log, security headers, body size limit."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.i18n import language_from_accept, message, normalise_language
from assistant.api.metrics import Metrics

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


class ObservabilityMiddleware:
    """Counts requests by route template and status, times them, logs a body-free line, adds headers."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}
        path = scope.get("path", "")

        async def send_wrapper(msg: Message) -> None:
            if msg["type"] == "http.response.start":
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
                if (
                    path.startswith(("/api/", "/staff")) or path in ("/metrics", "/readyz", "/healthz")
                ) and b"cache-control" not in names:
                    extra.append((b"cache-control", b"no-store"))
                msg = {**msg, "headers": headers + [h for h in extra if h[0] not in names]}
            await send(msg)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - started
            route = route_template(scope)
            method = scope.get("method", "")
            self.metrics.requests.inc(route=route, method=method, status=str(status["code"]))
            self.metrics.latency.observe(elapsed, route=route)
            # route template only: no query string, no path values, no body
            access_logger.info("%s %s %d %.1fms", method, route, status["code"], elapsed * 1000)


class BodyLimitMiddleware:
    """Rejects request bodies over ``max_bytes`` with 422 and a message in the request's language.

    The limit is checked against ``Content-Length`` first and then while reading, so a chunked upload
    cannot get around it. The body is buffered (it is at most ``max_bytes``) and replayed to the application.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

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
        while True:
            msg = await receive()
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

    async def _reject(self, scope: Scope, send: Send, headers: Headers) -> None:
        query = dict(_parse_query(scope.get("query_string", b"")))
        lang = (
            normalise_language(query.get("lang"))
            or language_from_accept(headers.get("accept-language"))
            or "sl"
        )
        payload: dict[str, Any] = {
            "detail": message("body_too_large", lang, limit=self.max_bytes),
            "field": None,
        }
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        await send(
            {
                "type": "http.response.start",
                "status": 422,
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
