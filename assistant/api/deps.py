"""FastAPI dependencies as ``Annotated`` aliases, staff login and each client's share of the answer queue."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Request

from assistant.api.auth import LoginGuard, StaffPrincipal
from assistant.api.feedback import FeedbackStore
from assistant.api.i18n import language_from_accept, message
from assistant.api.metrics import Metrics
from assistant.api.runner import AssistantRunner
from assistant.api.schemas import ErrorResponse
from assistant.api.services import LazyComponent, Services, log_exception
from assistant.api.sessions import SessionStore
from assistant.config import Settings
from assistant.types import Language

T = TypeVar("T")

STAFF_REALM = 'Basic realm="Zaporni pomocnik - osebje", charset="UTF-8"'
CALC_RETRY_AFTER_SECONDS = 30
# The responses every staff-only route can give before it runs (OpenAPI).
STAFF_AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {
        "model": ErrorResponse,
        "description": "Staff login required (HTTP Basic or a bearer token).",
        "headers": {"WWW-Authenticate": {"description": "The authentication challenge.", "schema": {"type": "string"}}},
    },
    429: {
        "model": ErrorResponse,
        "description": "Too many failed logins from this address or for this user: locked out for "
        "`Retry-After` seconds.",
        "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
    },
}
_STATE_LOCK = threading.Lock()


def get_services(request: Request) -> Services:
    """The application's shared services."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_settings(services: ServicesDep) -> Settings:
    """The application's settings."""
    return services.settings


def get_runner(services: ServicesDep) -> AssistantRunner:
    """The bounded executor for assistant calls."""
    return services.runner


def get_sessions(services: ServicesDep) -> SessionStore:
    """The in-memory conversations."""
    return services.sessions


def get_metrics(services: ServicesDep) -> Metrics:
    """The metrics registry."""
    return services.metrics


def get_feedback(services: ServicesDep) -> FeedbackStore:
    """The feedback database."""
    return services.feedback


def get_assistant_holder(services: ServicesDep) -> LazyComponent:
    """The (lazily built) assistant; call ``.get()`` inside a worker thread."""
    return services.assistant


def request_language(request: Request) -> Language:
    """The language for messages: ``?lang=``, then ``Accept-Language``, then Slovenian."""
    from assistant.api.i18n import normalise_language

    return (
        normalise_language(request.query_params.get("lang"))
        or language_from_accept(request.headers.get("accept-language"))
        or "sl"
    )


LanguageDep = Annotated[Language, Depends(request_language)]


def get_calculator(services: ServicesDep, lang: LanguageDep) -> Any:
    """The calculator; 503 if it cannot be built."""
    try:
        return services.calculator.get()
    except Exception as exc:
        log_exception("calculator unavailable", exc)
        raise HTTPException(
            status_code=503,
            detail=message("calc_unavailable", lang),
            headers={"Retry-After": str(CALC_RETRY_AFTER_SECONDS)},
        ) from exc


def client_address(request: Request) -> str:
    """The peer's address (the unit's kiosk or a staff workstation); "unknown" when the server gives none."""
    return request.client.host if request.client is not None else "unknown"


def _app_state_object(request: Request, name: str, build: Callable[[], T]) -> T:
    """An object kept on ``app.state`` (built on first use; tests may set it before the first request)."""
    state = request.app.state
    found = getattr(state, name, None)
    if found is None:
        with _STATE_LOCK:
            found = getattr(state, name, None)
            if found is None:
                found = build()
                setattr(state, name, found)
    return found


def get_login_guard(request: Request) -> LoginGuard:
    """The application's login limiter and password-hashing pool (``app.state.login_guard``)."""
    services: Services = request.app.state.services
    return _app_state_object(request, "login_guard", lambda: LoginGuard.from_settings(services.settings))


async def require_staff(request: Request, services: ServicesDep) -> StaffPrincipal:
    """The authenticated staff member; 401 with a ``WWW-Authenticate`` challenge, 429 while locked out."""
    principal = await get_login_guard(request).authenticate(
        services.auth, request.headers.get("authorization"), client_address(request)
    )
    if principal is None:
        raise HTTPException(
            status_code=401, detail=message("unauthorized", "sl"), headers={"WWW-Authenticate": STAFF_REALM}
        )
    return principal


SettingsDep = Annotated[Settings, Depends(get_settings)]
RunnerDep = Annotated[AssistantRunner, Depends(get_runner)]
SessionsDep = Annotated[SessionStore, Depends(get_sessions)]
MetricsDep = Annotated[Metrics, Depends(get_metrics)]
FeedbackDep = Annotated[FeedbackStore, Depends(get_feedback)]
AssistantHolderDep = Annotated[LazyComponent, Depends(get_assistant_holder)]
CalculatorDep = Annotated[Any, Depends(get_calculator)]
StaffDep = Annotated[StaffPrincipal, Depends(require_staff)]


# --- each client's share of the answer queue ------------------------------------------------------------


class Abandoned(Exception):
    """The request gave up before its work started; the work is skipped."""


class ClientLease:
    """One admitted question of one client, held until its work is done (or, if it never starts, the request is).

    The answer queue's slot outlives a request that timed out (its worker finishes in the background), so the
    client's count does too: a client cannot fill the queue with abandoned work.
    """

    def __init__(self, share: ClientShare, client: str) -> None:
        self._share = share
        self.client = client
        self._state = "admitted"  # -> "running" -> "released", or "admitted" -> "released"

    def _start(self) -> None:
        with self._share._lock:
            if self._state != "admitted":
                raise Abandoned
            self._state = "running"

    def _release(self) -> None:
        with self._share._lock:
            if self._state == "released":
                return
            self._state = "released"
            self._share._leave(self.client)

    def request_done(self) -> None:
        """The request is over: release now unless the work runs (then it releases when it ends)."""
        with self._share._lock:
            if self._state == "admitted":
                self._state = "released"
                self._share._leave(self.client)

    def wrap(self, fn: Callable[[], T]) -> Callable[[], T]:
        """``fn`` counted against the client while it runs (for ``AssistantRunner.run``)."""

        def call() -> T:
            self._start()
            try:
                return fn()
            finally:
                self._release()

        return call

    def wrap_iter(self, make_iter: Callable[[], Iterator[Any]]) -> Callable[[], Iterator[Any]]:
        """``make_iter()``'s iteration counted against the client (for ``AssistantRunner.stream``)."""

        def make() -> Iterator[Any]:
            self._start()
            try:
                yield from make_iter()
            finally:
                self._release()

        return make


class ClientShare:
    """Fair share of the bounded answer queue between clients (client = peer address).

    A client with nothing in the queue gets any free slot. A client that already has questions in the queue
    gets another only while more than ``reserve`` slots are free, and never more than ``share`` at once. So
    one client flooding the service holds at most ``queue_size - reserve`` slots, and a client asking one
    question at a time always finds a slot unless ``reserve`` other clients have just taken the rest.
    """

    def __init__(self, queue_size: int, depth: Callable[[], int], reserve: int = 2, share: int = 0) -> None:
        self.queue_size = queue_size
        self.reserve = max(0, min(reserve, queue_size - 1))
        self.share = min(share, queue_size) if share > 0 else queue_size - self.reserve
        self._depth = depth
        self._active: dict[str, int] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, runner: AssistantRunner) -> ClientShare:
        """The share configured by ``queue_size``, ``client_queue_reserve`` and ``client_queue_share``."""
        return cls(
            settings.queue_size,
            lambda: runner.depth,
            settings.client_queue_reserve,
            settings.client_queue_share,
        )

    def admit(self, client: str) -> ClientLease | None:
        """A lease for one more question of ``client``, or None if that would exceed its share."""
        with self._lock:
            active = self._active.get(client, 0)
            if active >= self.share:
                return None
            if active > 0 and self.queue_size - self._depth() <= self.reserve:
                return None
            self._active[client] = active + 1
        return ClientLease(self, client)

    def _leave(self, client: str) -> None:  # called with the lock held
        left = self._active.get(client, 0) - 1
        if left > 0:
            self._active[client] = left
        else:
            self._active.pop(client, None)

    def active(self, client: str) -> int:
        """Questions of ``client`` in the queue now."""
        with self._lock:
            return self._active.get(client, 0)


def get_client_share(request: Request) -> ClientShare:
    """The application's per-client share of the answer queue (``app.state.client_share``)."""
    services: Services = request.app.state.services
    return _app_state_object(
        request, "client_share", lambda: ClientShare.from_settings(services.settings, services.runner)
    )


ClientShareDep = Annotated[ClientShare, Depends(get_client_share)]
