"""Cited passages with their neighbouring paragraphs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from assistant.api.deps import AssistantHolderDep, LanguageDep, ServicesDep
from assistant.api.errors import ApiError, domain_error
from assistant.api.i18n import message
from assistant.api.routes.common import ensure_started, error_doc
from assistant.api.schemas import PassageOut, SourceResponse
from assistant.api.services import log_exception

router = APIRouter(prefix="/api", tags=["sources"])


@router.get(
    "/sources/{chunk_id}",
    response_model=SourceResponse,
    responses={
        404: error_doc("Unknown passage id."),
        503: {
            **error_doc(
                "The models are still loading, or the index is missing or damaged (the message names the fix, "
                "`assistant index build`)."
            ),
            "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
        },
    },
    summary="A cited passage",
)
def get_source(
    chunk_id: Annotated[str, Path(description="A `chunk_id` from an answer's sources.")],
    holder: AssistantHolderDep,
    services: ServicesDep,
    lang: LanguageDep,
    request: Request,
    window: Annotated[int, Query(ge=0, le=5, description="Neighbouring paragraphs on each side.")] = 1,
) -> SourceResponse:
    """The passage and up to ``window`` paragraphs of the same section before and after it."""
    if len(request.query_params.getlist("window")) > 1:
        raise ApiError(422, message("invalid_field", lang, field="window"), "window")
    ensure_started(services, lang)
    try:
        assistant = holder.get()
    except Exception as exc:
        log_exception("assistant unavailable for sources", exc)
        raise domain_error(exc, lang) or ApiError(503, message("assistant_failed", lang)) from exc
    try:
        chunk = assistant.get_chunk(chunk_id)
    except KeyError as exc:
        raise ApiError(404, message("source_not_found", lang, chunk_id=chunk_id), "chunk_id") from exc
    try:
        around = assistant.neighbours(chunk_id, window) if window else [chunk]
    except KeyError:
        around = [chunk]
    if not any(c.id == chunk.id for c in around):
        around = [chunk]
    return SourceResponse(
        chunk_id=chunk.id,
        doc_id=chunk.doc_id,
        kind=chunk.kind,
        label=chunk.label,
        section=chunk.section,
        heading_path=list(chunk.heading_path),
        paragraph=chunk.paragraph,
        text=chunk.text,
        passages=[PassageOut.from_chunk(c, chunk.id) for c in around],
    )
