"""Staff feedback on answers and passages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from assistant.api.deps import STAFF_AUTH_RESPONSES, FeedbackDep, MetricsDep, StaffDep
from assistant.api.routes.common import error_doc
from assistant.api.schemas import FeedbackRequest, FeedbackResponse

router = APIRouter(prefix="/api", tags=["staff"])

FEEDBACK_UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {
        **error_doc(
            "The feedback database cannot be used now: locked by another writer for longer than the 2 s busy "
            "timeout, read-only or damaged (a Slovenian message for the staff page); retry after `Retry-After`."
        ),
        "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
    }
}


@router.post(
    "/feedback",
    response_model=FeedbackResponse,
    status_code=201,
    responses={**STAFF_AUTH_RESPONSES, 422: error_doc("Invalid feedback."), **FEEDBACK_UNAVAILABLE},
    summary="Rate an answer or passage",
)
async def add_feedback(
    body: FeedbackRequest, staff: StaffDep, store: FeedbackDep, metrics: MetricsDep
) -> FeedbackResponse:
    """Store a thumbs up/down with a comment (staff only). Only what is sent here is stored.

    A database that is locked (for longer than 2 s), read-only or damaged gives 503, never 500.
    """
    entry = await run_in_threadpool(
        lambda: store.add(
            staff_user=staff.name,
            rating=body.rating,
            comment=body.comment,
            mode=body.mode,
            chunk_id=body.chunk_id,
            source_ids=body.source_ids,
            question=body.question,
            answer=body.answer,
        )
    )
    metrics.feedback.inc(rating=body.rating)
    return FeedbackResponse(id=entry.id, created_at=entry.created_at)
