"""FastAPI dependencies as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from assistant.api.auth import StaffPrincipal
from assistant.api.feedback import FeedbackStore
from assistant.api.i18n import Lang, language_from_accept, message
from assistant.api.metrics import Metrics
from assistant.api.runner import AssistantRunner
from assistant.api.services import LazyComponent, Services, log_exception
from assistant.api.sessions import SessionStore
from assistant.config import Settings

STAFF_REALM = 'Basic realm="Zaporni pomocnik - osebje", charset="UTF-8"'


def get_services(request: Request) -> Services:
    """The application's shared services."""
    return request.app.state.services


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


def request_language(request: Request) -> Lang:
    """The language for messages: ``?lang=``, then ``Accept-Language``, then Slovenian."""
    from assistant.api.i18n import normalise_language

    return (
        normalise_language(request.query_params.get("lang"))
        or language_from_accept(request.headers.get("accept-language"))
        or "sl"
    )


LanguageDep = Annotated[Lang, Depends(request_language)]


def get_calculator(services: ServicesDep, lang: LanguageDep) -> Any:
    """The calculator; 503 if it cannot be built."""
    try:
        return services.calculator.get()
    except Exception as exc:
        log_exception("calculator unavailable", exc)
        raise HTTPException(status_code=503, detail=message("calc_unavailable", lang)) from exc


def require_staff(request: Request, services: ServicesDep) -> StaffPrincipal:
    """The authenticated staff member, or 401 with a ``WWW-Authenticate`` challenge."""
    principal = services.auth.authenticate(request.headers.get("authorization"))
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
