"""The objects one application instance shares between requests (stored on ``app.state.services``)."""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assistant.api.auth import StaffAuthenticator
from assistant.api.feedback import FeedbackStore
from assistant.api.metrics import Metrics
from assistant.api.runner import AssistantRunner
from assistant.api.sessions import SessionStore
from assistant.config import Settings

logger = logging.getLogger(__name__)


def log_exception(message: str, exc: BaseException) -> None:
    """Log an exception's type and stack frames but not its message, which may quote a user's question."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("%s: %s\n%s", message, type(exc).__name__, frames)


class LazyComponent:
    """A component built on first use (or in the background at start-up), thread-safe.

    ``get()`` blocks until it is built and re-raises the build error; ``peek()`` never blocks.
    """

    def __init__(
        self, name: str, factory: Callable[[], Any] | None = None, instance: Any = None, warm_up: bool = False
    ) -> None:
        self.name = name
        self._factory = factory
        self._instance = instance
        self._error: BaseException | None = None
        self._lock = threading.Lock()
        self._warm_up = warm_up
        self._warmed = instance is not None and not warm_up
        self._loading = False

    def get(self) -> Any:
        """The component, building (and warming) it if needed."""
        if self._instance is not None and self._warmed:
            return self._instance
        with self._lock:
            if self._instance is None:
                if self._factory is None:  # pragma: no cover - configuration error
                    raise RuntimeError(f"{self.name}: no factory")
                self._loading = True
                try:
                    self._instance = self._factory()
                    self._error = None
                except BaseException as exc:
                    self._error = exc
                    raise
                finally:
                    self._loading = False
            if not self._warmed:
                self._loading = True
                try:
                    if self._warm_up and hasattr(self._instance, "warm_up"):
                        started = time.monotonic()
                        self._instance.warm_up()
                        logger.info("%s warmed up in %.1f s", self.name, time.monotonic() - started)
                    self._warmed = True
                except BaseException as exc:
                    self._error = exc
                    raise
                finally:
                    self._loading = False
            return self._instance

    def peek(self) -> Any:
        """The component if it is built (warm or not), else None; never blocks."""
        return self._instance

    @property
    def error(self) -> BaseException | None:
        """The last build or warm-up error."""
        return self._error

    @property
    def warmed(self) -> bool:
        """True once it is built and warmed up."""
        return self._warmed

    @property
    def loading(self) -> bool:
        """True while it is being built or warmed up."""
        return self._loading

    def load_in_background(self) -> threading.Thread:
        """Start building and warming it in a daemon thread."""

        def load() -> None:
            try:
                self.get()
            except BaseException as exc:
                log_exception(f"{self.name} could not be loaded", exc)

        thread = threading.Thread(target=load, name=f"load-{self.name}", daemon=True)
        thread.start()
        return thread


@dataclass
class Services:
    """Everything a request handler needs besides the request."""

    settings: Settings
    assistant: LazyComponent
    calculator: LazyComponent
    runner: AssistantRunner
    sessions: SessionStore
    metrics: Metrics
    feedback: FeedbackStore
    auth: StaffAuthenticator
