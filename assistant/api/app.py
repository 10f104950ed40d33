"""The FastAPI application: API routers, the kiosk page at ``/kiosk`` and the staff pages at ``/staff``."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.utils import get_openapi
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette._utils import get_route_path
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match
from starlette.types import Receive, Scope, Send

from assistant.api.auth import StaffAuthenticator
from assistant.api.errors import install_error_handlers
from assistant.api.feedback import FeedbackStore
from assistant.api.metrics import Metrics
from assistant.api.middleware import BodyLimitMiddleware, ObservabilityMiddleware
from assistant.api.routes import ask, calc, feedback, health, help, sources, speech, staff, topics
from assistant.api.runner import AssistantRunner
from assistant.api.schemas import ErrorResponse
from assistant.api.services import LazyComponent, Services
from assistant.api.sessions import SessionStore
from assistant.config import PROJECT_ROOT, Settings

KIOSK_DIR = PROJECT_ROOT / "kiosk"
API_VERSION = "1.0.0"
# FastAPI's built-in OpenTelemetry can record validation failures with the request's input values; kiosk
# questions must never leave the process, so all of it is off.
_NO_TELEMETRY: dict[str, Any] = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
    "auto_configure": False,
}


def _build_assistant(settings: Settings) -> Callable[[], Any]:
    def build() -> Any:
        from assistant.answer.assistant import Assistant

        return Assistant.from_settings(settings)

    return build


def _build_calculator() -> Any:
    from assistant.calculator import Calculator

    return Calculator()


ERROR_REF = {"$ref": "#/components/schemas/ErrorResponse"}


def _accurate_openapi(schema: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """Make the generated schema say what the service really does.

    * Every 422 (and every error documented with ``ErrorResponse``) is the JSON ``{detail, field}`` body of
      our handlers, never FastAPI's default ``HTTPValidationError`` and never the route's HTML/CSV media type.
    * The question's length limit comes from the settings.
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorResponse", ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}"))
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                refs = [media.get("schema", {}).get("$ref", "") for media in content.values()]
                if status == "422" or any(ref.endswith(("/ErrorResponse", "/HTTPValidationError")) for ref in refs):
                    if status == "422" and not response.get("description", "").strip(" ."):
                        response["description"] = "Invalid request"
                    response["content"] = {"application/json": {"schema": dict(ERROR_REF)}}
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    ask = components.get("AskRequest", {}).get("properties", {}).get("question")
    if ask is not None:
        ask["maxLength"] = settings.max_question_chars
    calc.document_request_bodies(schema)
    return schema


class MethodGuard(BaseRoute):
    """405 with ``Allow`` for a method that no documented route of the path declares.

    Checked before every other route, so that neither an authentication dependency (401) nor a catch-all route
    (the staff pages' 404) answers an undeclared method on a documented path.
    """

    def __init__(self, routes: list[APIRoute]) -> None:
        self.routes = [route for route in routes if route.include_in_schema]

    def _declared(self, scope: Scope) -> tuple[set[str], APIRoute | None]:
        path = get_route_path(scope)
        matching = [route for route in self.routes if route.path_regex.match(path)]
        return {method for route in matching for method in route.methods or ()}, (matching[0] if matching else None)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http":
            allowed, route = self._declared(scope)
            if allowed and scope["method"] not in allowed:
                return Match.FULL, {"route": route}  # the route template labels metrics and logs
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        allowed, _ = self._declared(scope)
        raise StarletteHTTPException(405, headers={"Allow": ", ".join(sorted(allowed))})


def create_app(
    settings: Settings | None = None,
    assistant: Any = None,
    calculator: Any = None,
    *,
    clock: Callable[[], float] = time.monotonic,
    load_on_startup: bool = True,
    kiosk_dir: Path | None = None,
) -> FastAPI:
    """Build the service.

    ``assistant`` and ``calculator`` default to the real ones, built lazily (the assistant in the background
    at start-up when ``load_on_startup``, so ``/readyz`` says "loading" until the models are in memory).
    ``clock`` drives session expiry (tests pass a fake one).
    """
    settings = settings or Settings()
    # The assistant guards its in-process model itself (a busy model means an extractive answer, see
    # Settings.llm_when_busy), so questions run concurrently: retrieval and extraction need no lock.
    runner = AssistantRunner(
        settings.queue_size,
        settings.request_timeout_s,
        serialize=settings.generator == "llama_cpp" and settings.llm_when_busy == "wait",
    )
    sessions = SessionStore(settings.session_ttl_seconds, clock=clock)
    metrics = Metrics(queue_depth=lambda: runner.depth, sessions=lambda: len(sessions))
    services = Services(
        settings=settings,
        assistant=LazyComponent("assistant", _build_assistant(settings), assistant, warm_up=True),
        calculator=LazyComponent("calculator", _build_calculator, calculator),
        runner=runner,
        sessions=sessions,
        metrics=metrics,
        feedback=FeedbackStore(settings.feedback_db),
        auth=StaffAuthenticator(settings.staff_users, settings.staff_tokens),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if services.assistant.peek() is not None:
            # an injected assistant is warmed before serving (fakes instantly; a real one as the caller chose)
            await run_in_threadpool(services.assistant.get)
        elif load_on_startup:
            services.assistant.load_in_background()
        yield
        services.sessions.clear()

    app = FastAPI(
        title="Zaporni pomočnik",
        version=API_VERSION,
        description=(
            "Offline assistant for women serving a prison sentence in Slovenia: cited answers from the "
            "prisoners' handbook and statutes, a deterministic calculator, a touchscreen kiosk and a staff "
            "chat. Error bodies are always `{detail, field}`."
        ),
        docs_url=None,  # the interactive docs load scripts from a CDN; the service is offline
        redoc_url=None,
        lifespan=lifespan,
        telemetry=_NO_TELEMETRY,  # type: ignore[arg-type]
    )
    app.state.services = services
    install_error_handlers(app)
    routers = [ask, calc, sources, topics, help, speech, feedback, health, staff]
    for module in routers:
        app.include_router(module.router)

    @app.get(
        "/",
        response_class=RedirectResponse,
        status_code=307,
        responses={307: {"description": "To the kiosk page."}},
        tags=["kiosk"],
        summary="Start page",
    )
    async def root() -> RedirectResponse:
        """Redirect to the kiosk."""
        return RedirectResponse("/kiosk/", status_code=307)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _accurate_openapi(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                    tags=app.openapi_tags,
                ),
                settings,
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    declared = [route for module in routers for route in module.router.routes if isinstance(route, APIRoute)]
    declared += [route for route in app.router.routes if isinstance(route, APIRoute)]
    app.router.routes.insert(0, MethodGuard(declared))

    directory = kiosk_dir or KIOSK_DIR
    if directory.is_dir():
        app.mount("/kiosk", StaticFiles(directory=directory, html=True), name="kiosk")

    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(ObservabilityMiddleware, metrics=metrics)
    return app
