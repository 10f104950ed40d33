"""HTTP service of the assistant: JSON API, the touchscreen kiosk page and the staff chat.

Build the application with :func:`assistant.api.app.create_app`; run it with
:func:`assistant.api.server.serve`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app", "serve"]


def __getattr__(name: str) -> Any:
    """Import the app lazily so that ``assistant.api.auth`` can be used without loading FastAPI routes."""
    if name == "create_app":
        from assistant.api.app import create_app

        return create_app
    if name == "serve":
        from assistant.api.server import serve

        return serve
    raise AttributeError(name)
