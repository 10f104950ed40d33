"""Running the service with uvicorn (one process: conversations live in its memory).

Graceful shutdown (SIGTERM, or Ctrl-C once): uvicorn stops accepting connections and waits for the requests in
progress; every one of them completes, or its stream ends with an ``error`` event before ``[DONE]``:

* The model is drained first (:func:`begin_shutdown`): the generation running now finishes; questions still
  waiting for the model (``llm_when_busy = "wait"``) are answered from the sources without it, so the wait takes
  about one generation, not the queue length times one.
* Every admitted question ends by its deadline (``request_timeout_s``) with an answer, a 504 or a final
  ``error`` event (:mod:`assistant.api.runner`), so uvicorn waits up to ``request_timeout_s`` plus
  :data:`SHUTDOWN_MARGIN_S` before it gives up on a request.
* If it does give up, :class:`FinalEvent` still ends a cut stream with an ``error`` event and ``[DONE]`` (and
  answers a request whose response had not started with 503 and ``Retry-After``) instead of cutting the
  connection mid-stream.
* Then the model worker is stopped (:func:`end_shutdown`).

A second Ctrl-C quits at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

import uvicorn

from assistant.api.i18n import language_from_accept, message
from assistant.config import Settings

if TYPE_CHECKING:
    from assistant.api.services import Services

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
SHUTDOWN_MARGIN_S = 5.0  # beyond request_timeout_s: time to write the last events and close
RETRY_AFTER_SECONDS = 5
STARTUP_FAILURE = 3  # uvicorn's exit status when the server could not start

log = logging.getLogger(__name__)


def log_config() -> dict[str, Any]:
    """Server logging: our body-free access log instead of uvicorn's (which would log query strings)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": LOG_FORMAT}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "assistant": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }


def shutdown_timeout_s(settings: Settings) -> float:
    """How long uvicorn waits for the requests in progress after SIGTERM."""
    return settings.request_timeout_s + SHUTDOWN_MARGIN_S


# --- shutdown --------------------------------------------------------------------------------------------
def _generator(services: Services) -> Any:
    instance = services.assistant.peek()
    return getattr(instance, "generator", None) if instance is not None else None


def begin_shutdown(services: Services) -> None:
    """Drain the model: the running generation finishes, later questions are answered from the sources."""
    drain = getattr(_generator(services), "drain", None)
    if callable(drain):
        drain()
    log.info("shutting down: %d question(s) in progress are answered first", services.runner.depth)


def end_shutdown(services: Services) -> None:
    """After the last request: stop the answer threads' pool and the model worker."""
    services.runner.shutdown()
    close = getattr(_generator(services), "close", None)
    if callable(close):
        close()


class GracefulServer(uvicorn.Server):
    """uvicorn's server, draining the model before it waits for the requests in progress."""

    def __init__(self, config: uvicorn.Config, services: Services) -> None:
        super().__init__(config)
        self.services = services

    async def shutdown(self, sockets: Any = None) -> None:
        begin_shutdown(self.services)
        try:
            await super().shutdown(sockets)
        finally:
            await asyncio.to_thread(end_shutdown, self.services)


class FinalEvent:
    """ASGI wrapper: a request that the end of the shutdown wait cuts still gets a well-formed ending.

    A Server-Sent-Events response that has started gets ``event: error`` (``{"detail": ...}``, the "busy"
    message) and ``data: [DONE]``; a response that has not started gets 503 with ``Retry-After``. Nothing else
    changes: every other request and message passes through untouched.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        progress = {"started": False, "sse": False, "ended": False}

        async def tracked(msg: dict[str, Any]) -> None:
            if msg["type"] == "http.response.start":
                progress["started"] = True
                progress["sse"] = any(
                    name.lower() == b"content-type" and value.startswith(b"text/event-stream")
                    for name, value in msg.get("headers", [])
                )
            elif msg["type"] == "http.response.body" and not msg.get("more_body", False):
                progress["ended"] = True
            await send(msg)

        try:
            await self.app(scope, receive, tracked)
        except asyncio.CancelledError:
            if not await self._finish(scope, send, progress):
                raise
            log.warning(
                "shutdown wait ran out: a request in progress ended with %s",
                "a final error event" if progress["started"] else "503",
            )

    @staticmethod
    async def _finish(scope: dict[str, Any], send: Any, progress: dict[str, bool]) -> bool:
        headers = {name.lower(): value for name, value in scope.get("headers", [])}
        lang = language_from_accept(headers.get(b"accept-language", b"").decode("latin-1"))
        detail = json.dumps({"detail": message("busy", lang)}, ensure_ascii=False, separators=(",", ":"))
        try:
            if not progress["started"]:
                body = json.dumps({"detail": message("busy", lang), "field": None}, ensure_ascii=False).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 503,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
                            (b"cache-control", b"no-store"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return True
            if progress["sse"] and not progress["ended"]:
                events = f"event: error\ndata: {detail}\n\ndata: [DONE]\n\n".encode()
                await send({"type": "http.response.body", "body": events, "more_body": False})
                return True
        except Exception:  # noqa: BLE001 - the client is gone: nothing more to say
            return False
        return False


# --- start-up --------------------------------------------------------------------------------------------
def log_readiness_when_loaded(services: Services, poll_s: float = 0.5, limit_s: float = 1800.0) -> threading.Thread:
    """Log once, when the models have loaded (or failed to), whether the service is ready, and what is missing
    or degraded if not (part names, paths and reasons; never a question)."""

    def watch() -> None:
        from assistant.api.routes.health import readiness

        holder = services.assistant
        deadline = time.monotonic() + limit_s
        while not holder.warmed and holder.error is None and time.monotonic() < deadline:
            time.sleep(poll_s)
        try:
            state = readiness(services)
        except Exception as exc:  # noqa: BLE001 - never let the log take the service down
            log.warning("readiness unknown: %s", type(exc).__name__)
            return
        if state.ready:
            log.info("ready: index %s, embedder %s, generator %s", state.index, state.embedder, state.generator)
        else:
            log.warning("not ready (/readyz answers 503): %s", "; ".join(state.problems))

    thread = threading.Thread(target=watch, name="log-readiness", daemon=True)
    thread.start()
    return thread


def _http_protocol(settings: Settings) -> Any:
    """The h11 protocol with a request-head deadline when :mod:`assistant.api.middleware` offers one."""
    from assistant.api import middleware

    make = getattr(middleware, "header_timeout_protocol", None)
    timeout = getattr(settings, "header_read_timeout_s", None)
    return make(timeout) if callable(make) and timeout else "auto"


def serve(settings: Settings, host: str | None = None, port: int | None = None, **create_kwargs: Any) -> None:
    """Serve the API, the kiosk and the staff pages until SIGTERM or Ctrl-C (``assistant serve``).

    ``host``/``port`` override ``settings.host``/``settings.port``. Extra keyword arguments go to
    :func:`assistant.api.app.create_app` (e.g. a prepared ``assistant``).
    """
    from assistant.api.app import create_app

    app = create_app(settings, **create_kwargs)
    services: Services = app.state.services
    bind_host = host or settings.host
    bind_port = port or settings.port
    base = f"http://{bind_host}:{bind_port}"
    print(f"Kiosk:          {base}/kiosk/   (enote: chromium --kiosk {base}/kiosk/)", flush=True)
    print(f"Staff chat:     {base}/staff", flush=True)
    print(f"API (OpenAPI):  {base}/openapi.json", flush=True)
    config = uvicorn.Config(
        FinalEvent(app),
        host=bind_host,
        port=bind_port,
        workers=1,
        http=_http_protocol(settings),
        access_log=False,  # the app logs method, route template, status and time; never bodies or queries
        log_config=log_config(),
        server_header=False,
        proxy_headers=False,
        timeout_graceful_shutdown=math.ceil(shutdown_timeout_s(settings)),
    )
    server = GracefulServer(config, services)
    log_readiness_when_loaded(services)
    with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C
        server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)
