"""Running the service with uvicorn (one process: conversations live in its memory)."""

from __future__ import annotations

from typing import Any

from assistant.config import Settings

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_config() -> dict[str, Any]:
    """Server logging: our body-free access log instead of uvicorn's (which would log query strings)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": LOG_FORMAT}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "assistant": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }


def serve(settings: Settings, host: str | None = None, port: int | None = None, **create_kwargs: Any) -> None:
    """Serve the API, the kiosk and the staff pages until interrupted (``assistant serve``).

    ``host``/``port`` override ``settings.host``/``settings.port``. Extra keyword arguments go to
    :func:`assistant.api.app.create_app` (e.g. a prepared ``assistant``).
    """
    import uvicorn

    from assistant.api.app import create_app

    app = create_app(settings, **create_kwargs)
    bind_host = host or settings.host
    bind_port = port or settings.port
    base = f"http://{bind_host}:{bind_port}"
    print(f"Kiosk:          {base}/kiosk/   (enote: chromium --kiosk {base}/kiosk/)", flush=True)
    print(f"Staff chat:     {base}/staff", flush=True)
    print(f"API (OpenAPI):  {base}/openapi.json", flush=True)
    uvicorn.run(
        app,
        host=bind_host,
        port=bind_port,
        workers=1,
        access_log=False,  # the app logs method, route template, status and time; never bodies or queries
        log_config=log_config(),
        server_header=False,
        proxy_headers=False,
        timeout_graceful_shutdown=5,
    )
