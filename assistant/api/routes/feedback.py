"""Staff feedback on answers and passages."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from assistant.api.deps import FeedbackDep, MetricsDep, StaffDep
from assistant.api.routes.common import AUTH_ERRORS, error_doc
from assistant.api.schemas import FeedbackRequest, FeedbackResponse

router = APIRouter(prefix="/api", tags=["staff"])


@router.post(
    "/feedback",
    response_model=FeedbackResponse,
    status_code=201,
    responses={**AUTH_ERRORS, 422: error_doc("Invalid feedback.")},
    summary="Rate an answer or passage",
)
async def add_feedback(
    body: FeedbackRequest, staff: StaffDep, store: FeedbackDep, metrics: MetricsDep
) -> FeedbackResponse:
    """Store a thumbs up/down with a comment (staff only). Only what is sent here is stored."""
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
