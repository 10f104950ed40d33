"""Exception handlers: every error is ``{"detail": ..., "field": ...}`` in the request's language.

The service's failures map to HTTP here and nowhere else (:data:`DOMAIN_ERRORS`): a missing or damaged index and
the other parts the assistant cannot work without are 503 with ``Retry-After`` and the fix, an unusable feedback
database is 503, too many failed staff logins 429. A route may raise them directly or wrap them (``raise
ApiError(500, ...) from exc``); either way the response is the mapped one. Logs get the exception type and stack
frames only: messages can quote what a user typed.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.api.auth import LoginRateLimited
from assistant.api.deps import request_language
from assistant.api.feedback import FeedbackUnavailable
from assistant.api.i18n import LANGS, MESSAGES, detect, message, normalise_language
from assistant.api.services import log_exception
from assistant.types import Language

DEFAULT_RETRY_AFTER_SECONDS = 5  # on a 503 that names no better time

SERVICE_MESSAGES: dict[str, dict[Language, str]] = {
    "index_unavailable": {
        "sl": "Iskalni indeks manjka ali je poškodovan, zato pomočnik zdaj ne more odgovarjati. "
        "Osebje naj zažene `assistant index build`.",
        "en": "The search index is missing or damaged, so the assistant cannot answer now. "
        "Staff: run `assistant index build`.",
        "bcs": "Indeks za pretraživanje nedostaje ili je oštećen, pa pomoćnik sada ne može odgovarati. "
        "Osoblje treba pokrenuti `assistant index build`.",
    },
    "parts_unavailable": {
        "sl": "Pomočnik zdaj ne more odgovarjati, ker korpus ali model ni na voljo. Obvestite osebje "
        "(podrobnosti so na /readyz).",
        "en": "The assistant cannot answer now because the corpus or a model is not available. Please tell "
        "the staff (details at /readyz).",
        "bcs": "Pomoćnik sada ne može odgovarati jer korpus ili model nije dostupan. Obavijestite osoblje "
        "(detalji su na /readyz).",
    },
    "feedback_unavailable": {
        "sl": "Baze odzivov trenutno ni mogoče uporabiti (zaklenjena, samo za branje ali poškodovana). "
        "Poskusite znova čez nekaj sekund; če se ponavlja, obvestite skrbnika sistema.",
        "en": "The feedback database cannot be used right now (locked, read-only or damaged). Try again in a "
        "few seconds; if it persists, tell the system administrator.",
        "bcs": "Baza povratnih informacija trenutno nije dostupna (zaključana, samo za čitanje ili oštećena). "
        "Pokušajte ponovno za nekoliko sekundi; ako se ponavlja, obavijestite administratora.",
    },
    "login_locked": {
        "sl": "Preveč neuspešnih prijav. Poskusite znova čez {seconds} s.",
        "en": "Too many failed logins. Try again in {seconds} s.",
        "bcs": "Previše neuspjelih prijava. Pokušajte ponovno za {seconds} s.",
    },
    "body_timeout": {
        "sl": "Zahteva je prispela prepočasi. Poskusite znova.",
        "en": "The request arrived too slowly. Please try again.",
        "bcs": "Zahtjev je stigao presporo. Pokušajte ponovno.",
    },
}


def service_message(key: str, lang: Language | None = None, **values: Any) -> str:
    """One of :data:`SERVICE_MESSAGES` in ``lang`` (Slovenian when unknown)."""
    table: Mapping[Language, str] = SERVICE_MESSAGES[key]
    return table.get(lang or "sl", table["sl"]).format(**values)


@dataclass(frozen=True)
class DomainError:
    """How one exception type of the assistant maps to HTTP."""

    module: str
    name: str
    status: int
    message: str
    retry_after: int

    def matches(self, exc: BaseException) -> bool:
        """True if ``exc`` is an instance (a class of a module not yet imported can have no instances)."""
        cls = getattr(sys.modules.get(self.module), self.name, None)
        return isinstance(cls, type) and isinstance(exc, cls)


DOMAIN_ERRORS: tuple[DomainError, ...] = (
    DomainError("assistant.retrieval.index", "IndexNotReady", 503, "index_unavailable", 30),
    DomainError("assistant.api.feedback", "FeedbackUnavailable", 503, "feedback_unavailable", 5),
    DomainError("assistant.corpus.documents", "CorpusError", 503, "parts_unavailable", 30),
    DomainError("assistant.retrieval.dense", "EmbedderUnavailable", 503, "parts_unavailable", 30),
    DomainError("assistant.text.lemmatize", "LemmatizerUnavailable", 503, "parts_unavailable", 30),
    DomainError("assistant.generate.base", "GeneratorUnavailable", 503, "parts_unavailable", 30),
)


class ApiError(Exception):
    """An error response with a message for people and, optionally, the field it concerns."""

    def __init__(
        self, status_code: int, detail: str, field: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail
        self.field = field
        self.headers = headers or {}


def error_response(
    status_code: int, detail: str, field: str | None = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    """The JSON error body every handler uses."""
    return JSONResponse({"detail": detail, "field": field}, status_code=status_code, headers=headers)


def body_language(body: Any, request: Request) -> Language:
    """The language of a request: its ``language`` field, else its question's language, else the headers'."""
    if isinstance(body, dict):
        lang = normalise_language(body.get("language"))
        if lang:
            return lang
        question = body.get("question")
        if isinstance(question, str) and question.strip() and "lang" not in request.query_params:
            return detect(question[:2000])
    return request_language(request)


def _field_of(loc: tuple[Any, ...]) -> str | None:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) if parts else None


def validation_detail(exc: RequestValidationError, lang: Language) -> tuple[str, str | None]:
    """A message for people and the field, from pydantic's first error."""
    errors = exc.errors()
    if not errors:
        return message("invalid_json", lang), None
    first = errors[0]
    kind = str(first.get("type", ""))
    loc = tuple(first.get("loc", ()))
    field = _field_of(loc)
    if kind in ("json_invalid", "json_type"):
        return message("invalid_json", lang), None
    if field is None and loc and loc[0] == "body":
        return message("body_not_object", lang), None
    if field == "question" and kind in ("missing", "string_too_short", "string_pattern_mismatch"):
        return message("question_empty", lang), "question"
    if kind == "missing":
        return message("missing_field", lang, field=field), field
    return message("invalid_field", lang, field=field), field


def domain_error(exc: BaseException | None, lang: Language) -> ApiError | None:
    """The HTTP error for ``exc`` or the first mapped exception it was raised from; None if none is mapped."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, LoginRateLimited):
            return ApiError(
                429,
                service_message("login_locked", lang, seconds=exc.retry_after),
                headers={"Retry-After": str(exc.retry_after)},
            )
        for mapping in DOMAIN_ERRORS:
            if mapping.matches(exc):
                retry = getattr(exc, "retry_after", mapping.retry_after)
                return ApiError(
                    mapping.status,
                    service_message(mapping.message, lang),
                    headers={"Retry-After": str(retry)},
                )
        exc = exc.__cause__ or exc.__context__
    return None


def _message_language(text: str) -> Language | None:
    """The language a service message was written in (so a wrapped error keeps the request's language)."""
    for table in (*MESSAGES.values(), *SERVICE_MESSAGES.values()):
        for lang in LANGS:
            if table.get(lang) == text:
                return lang
    return None


def unexpected_error_response(exc: BaseException, lang: Language) -> JSONResponse:
    """The response for an exception no handler caught: its mapping, else 500 (logged without its message)."""
    mapped = domain_error(exc, lang)
    if mapped is not None:
        if isinstance(exc, FeedbackUnavailable):
            log_exception(f"feedback database {exc.kind}", exc)
        elif not isinstance(exc, LoginRateLimited):  # a lockout is routine, not an error
            log_exception("service unavailable", exc)
        return error_response(mapped.status_code, mapped.detail, None, mapped.headers)
    log_exception("unhandled error", exc)
    return error_response(500, message("internal_error", lang))


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        if exc.status_code >= 500 and exc.__cause__ is not None:
            lang = _message_language(exc.detail) or request_language(request)
            mapped = domain_error(exc.__cause__, lang)
            if mapped is not None:
                return error_response(mapped.status_code, mapped.detail, exc.field, mapped.headers)
        headers = dict(exc.headers)
        if exc.status_code == 503:
            headers.setdefault("Retry-After", str(DEFAULT_RETRY_AFTER_SECONDS))
        return error_response(exc.status_code, exc.detail, exc.field, headers)

    @app.exception_handler(FeedbackUnavailable)
    @app.exception_handler(LoginRateLimited)
    async def _mapped(request: Request, exc: Exception) -> JSONResponse:
        return unexpected_error_response(exc, request_language(request))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        lang = body_language(getattr(exc, "body", None), request)
        detail, field = validation_detail(exc, lang)
        return error_response(422, detail, field)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        lang = request_language(request)
        if exc.status_code == 400 and detail == "There was an error parsing the body":
            # undecodable bytes: as invalid as malformed JSON, and reported the same way
            return error_response(422, message("invalid_json", lang), None)
        if exc.status_code == 404 and detail == "Not Found":
            detail = message("not_found", lang)
        elif exc.status_code == 405 and detail == "Method Not Allowed":
            detail = message("method_not_allowed", lang)
        headers = dict(exc.headers or {})
        if exc.status_code == 503:
            headers.setdefault("Retry-After", str(DEFAULT_RETRY_AFTER_SECONDS))
        return error_response(exc.status_code, str(detail), None, headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Normally unreachable: ObservabilityMiddleware answers first, so the exception never reaches
        # Starlette's ServerErrorMiddleware, which would re-raise it to uvicorn (and uvicorn logs its message).
        return unexpected_error_response(exc, request_language(request))
