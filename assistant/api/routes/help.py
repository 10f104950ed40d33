"""The kiosk's "Potrebujem pomoč" (I need help) button: the crisis help text, in the same shape as an answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from assistant.api.deps import AssistantHolderDep, LanguageDep
from assistant.api.errors import ApiError
from assistant.api.i18n import LANGS, message, normalise_language
from assistant.api.routes.common import ensure_started, error_doc, to_response
from assistant.api.schemas import AnswerResponse
from assistant.api.services import Services, log_exception
from assistant.types import Language

router = APIRouter(prefix="/api", tags=["kiosk"])

HELP_ERRORS: dict[int | str, dict[str, object]] = {
    422: error_doc("Unknown language (use sl, en or bcs; hr, sr and bs are accepted as bcs)."),
    503: error_doc("The assistant is still loading or could not be loaded; the kiosk shows its built-in text."),
}


def query_language(values: list[str], fallback: Language, message_lang: Language) -> Language:
    """The one ``lang`` query value as a pipeline language; 422 if it is repeated, empty or unknown."""
    if not values:
        return fallback
    lang = normalise_language(values[0]) if len(values) == 1 else None
    if lang is None:
        allowed = ", ".join(LANGS)
        raise ApiError(422, f"{message('invalid_field', message_lang, field='lang')} ({allowed})", "lang")
    return lang


@router.get(
    "/help",
    response_model=AnswerResponse,
    responses=HELP_ERRORS,
    summary="Help text for the help button",
)
def get_help(
    request: Request,
    holder: AssistantHolderDep,
    message_lang: LanguageDep,
    lang: Annotated[
        str | None,
        Query(description="sl, en or bcs (hr, sr, bs accepted); default: Accept-Language, else sl."),
    ] = None,
) -> AnswerResponse:
    """Who to tell and whom to call (the Ombudsman 080 15 30, the police 112), every sentence cited.

    It is not a conversation turn: nothing is stored, ``question`` and ``session_id`` are empty, and it does not
    wait in the answer queue (a person pressing the help button never gets "busy").
    """
    services: Services = request.app.state.services
    language = query_language(request.query_params.getlist("lang"), message_lang, message_lang)
    ensure_started(services, language)
    try:
        assistant = holder.get()
    except Exception as exc:
        log_exception("assistant unavailable for help", exc)
        raise ApiError(503, message("assistant_failed", language)) from exc
    try:
        answer = assistant.help_answer(language)
    except Exception as exc:
        services.metrics.errors.inc()
        log_exception("help answer failed", exc)
        raise ApiError(500, message("assistant_failed", language)) from exc
    services.metrics.answers.inc(mode="help")
    return to_response(answer, session_id="")
