"""Helpers shared by the routers: documented error responses and the guarded assistant call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from assistant.api.errors import ApiError
from assistant.api.i18n import detect, message
from assistant.api.runner import QueueFull, RequestTimeout
from assistant.api.schemas import BLANK, AnswerResponse, AskRequest, ErrorResponse, StaffAnswerResponse
from assistant.api.services import Services, log_exception
from assistant.types import Answer, Language, Turn

T = TypeVar("T")

RETRY_AFTER_SECONDS = 5
STARTING_RETRY_AFTER_SECONDS = 30


def error_doc(description: str) -> dict[str, Any]:
    """An OpenAPI response entry with the common error body."""
    return {"model": ErrorResponse, "description": description}


ASK_ERRORS: dict[int | str, dict[str, Any]] = {
    422: error_doc("Empty or too long question, invalid JSON or body too large (message in the request's language)."),
    500: error_doc("The assistant failed."),
    503: {
        **error_doc("The queue is full or the models are still loading; retry after `Retry-After` seconds."),
        "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
    },
    504: error_doc("The answer was not ready within the request timeout."),
}
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {
        **error_doc("Staff login required (HTTP Basic or a bearer token)."),
        "headers": {"WWW-Authenticate": {"description": "The authentication challenge.", "schema": {"type": "string"}}},
    },
}


def checked_question(body: AskRequest, services: Services) -> tuple[str, Language]:
    """The trimmed question and the language for messages; 422 if it is empty or too long."""
    question = body.question.strip(BLANK)
    lang: Language = body.language or (detect(question[:2000]) if question else "sl")
    if not question:
        raise ApiError(422, message("question_empty", lang), "question")
    limit = services.settings.max_question_chars
    if len(body.question) > limit:  # the raw length, as the OpenAPI schema's maxLength says
        raise ApiError(422, message("question_too_long", lang, limit=limit), "question")
    return question, lang


def ensure_started(services: Services, lang: Language) -> None:
    """503 with ``Retry-After`` while the models are still loading, instead of queueing behind the load."""
    holder = services.assistant
    if not holder.warmed and holder.loading:
        raise ApiError(503, message("starting", lang), headers={"Retry-After": str(STARTING_RETRY_AFTER_SECONDS)})


async def run_guarded(services: Services, fn: Callable[[], T], lang: Language) -> T:
    """Run a blocking assistant call within the queue and deadline, mapping failures to HTTP errors."""
    ensure_started(services, lang)
    try:
        return await services.runner.run(fn)
    except QueueFull as exc:
        services.metrics.rejected.inc()
        raise ApiError(503, message("busy", lang), headers={"Retry-After": str(RETRY_AFTER_SECONDS)}) from exc
    except RequestTimeout as exc:
        services.metrics.timeouts.inc()
        raise ApiError(504, message("timeout", lang)) from exc
    except Exception as exc:
        services.metrics.errors.inc()
        log_exception("assistant failed", exc)
        raise ApiError(500, message("assistant_failed", lang)) from exc


def record_answer(services: Services, session_id: str, question: str, answer: Answer) -> None:
    """Count the answer and remember the turn in the (in-memory) conversation."""
    services.metrics.answers.inc(mode=str(answer.mode))
    if answer.refused or answer.mode == "refusal":
        services.metrics.refusals.inc()
    services.sessions.add_turn(
        session_id, Turn(question=question, answer=answer.text, retrieval_query=answer.retrieval_query)
    )


def to_response(answer: Answer, session_id: str, staff: bool = False) -> AnswerResponse:
    """The public (or staff) response model for an answer."""
    if staff:
        return StaffAnswerResponse.from_answer(answer, session_id)
    return AnswerResponse.from_answer(answer, session_id)
