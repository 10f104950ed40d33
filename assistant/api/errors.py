"""Exception handlers: every error is ``{"detail": ..., "field": ...}`` in the request's language."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.api.deps import request_language
from assistant.api.i18n import Lang, detect, message, normalise_language
from assistant.api.services import log_exception


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


def body_language(body: Any, request: Request) -> Lang:
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


def validation_detail(exc: RequestValidationError, lang: Lang) -> tuple[str, str | None]:
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


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status_code, exc.detail, exc.field, exc.headers)

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
        return error_response(exc.status_code, str(detail), None, dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log_exception("unhandled error", exc)
        return error_response(500, message("internal_error", request_language(request)))
