"""Questions: a whole answer as JSON, or verified sentences as Server-Sent Events."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import StreamingResponse

from assistant.api.deps import ClientLease, ServicesDep, client_address, get_client_share
from assistant.api.errors import ApiError, domain_error
from assistant.api.i18n import message
from assistant.api.routes.common import (
    ASK_ERRORS,
    RETRY_AFTER_SECONDS,
    checked_question,
    ensure_started,
    record_answer,
    run_guarded,
    to_response,
)
from assistant.api.runner import AnswerStream, QueueFull, RequestTimeout
from assistant.api.schemas import AnswerResponse, AskRequest, SentenceOut, SessionDropped
from assistant.api.services import Services, log_exception
from assistant.api.sessions import Session
from assistant.types import Answer, AnswerSentence, Language, Turn

router = APIRouter(prefix="/api", tags=["ask"])

SSE_DESCRIPTION = (
    "Server-Sent Events: one `event: sentence` per verified sentence (data: `{text, citations}`), then "
    "`event: answer` with the whole answer (the `AnswerResponse` JSON), then `data: [DONE]`. "
    "If the answer fails after the stream started, an `event: error` with `{detail}` comes before `[DONE]`."
)
RETRY_AFTER_DOC = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}
ANSWER_ERRORS: dict[int | str, dict[str, Any]] = {
    **ASK_ERRORS,
    503: {
        **ASK_ERRORS[503],
        "description": "Busy (the queue is full, or this client already has its share of it), the models are "
        "still loading, or the index is missing or damaged (the message names the fix, "
        "`assistant index build`); retry after `Retry-After` seconds.",
        "headers": RETRY_AFTER_DOC,
    },
}


def admit_client(services: Services, request: Request, lang: Language) -> ClientLease:
    """This client's lease on one more answer-queue slot, or 503 with ``Retry-After`` past its fair share."""
    lease = get_client_share(request).admit(client_address(request))
    if lease is None:
        services.metrics.rejected.inc()
        raise ApiError(503, message("busy", lang), headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    return lease


def conversation(services: Services, body: AskRequest) -> tuple[Session, list[Turn] | None]:
    """The question's conversation (a new one when ``session_id`` is unknown or expired) and its earlier turns."""
    session = services.sessions.get_or_create(body.session_id)
    return session, services.sessions.history(session.id) or None


async def answer_in_session(body: AskRequest, services: Services, request: Request) -> tuple[Answer, str]:
    """Check the question, answer it in its conversation (off the event loop) and record the turn."""
    question, lang = checked_question(body, services)
    lease = admit_client(services, request, lang)
    try:
        session, history = conversation(services, body)
        holder = services.assistant

        def call() -> Answer:
            answer: Answer = holder.get().answer(question, history=history, language=body.language)
            return answer

        answer = await run_guarded(services, lease.wrap(call), lang)
    finally:
        lease.request_done()
    record_answer(services, session.id, question, answer)
    return answer, session.id


@router.post("/ask", response_model=AnswerResponse, responses=ANSWER_ERRORS, summary="Ask a question")
async def ask(body: AskRequest, services: ServicesDep, request: Request) -> AnswerResponse:
    """Answer one question (continuing the conversation ``session_id`` if it is still live)."""
    answer, session_id = await answer_in_session(body, services, request)
    return to_response(answer, session_id)


def sse(event: str | None, data: str) -> str:
    """One Server-Sent Event (``data`` must be a single line, as compact JSON is)."""
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {data}\n\n"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


async def start_stream(
    services: Services, body: AskRequest, request: Request, staff: bool = False
) -> StreamingResponse:
    """Start answering in a worker and return the SSE response once the first item is ready.

    Queue-full, timeout and failure before the first item are ordinary HTTP errors (503/504/500, and 503 with
    the fix for a damaged index); later ones are an ``error`` event, because the 200 status has been sent.
    """
    question, lang = checked_question(body, services)
    lease = admit_client(services, request, lang)
    try:
        session, history = conversation(services, body)
        holder = services.assistant
        ensure_started(services, lang)
        try:
            stream = await services.runner.stream(
                lease.wrap_iter(lambda: holder.get().iter_answer(question, history=history, language=body.language))
            )
        except QueueFull as exc:
            services.metrics.rejected.inc()
            raise ApiError(503, message("busy", lang), headers={"Retry-After": str(RETRY_AFTER_SECONDS)}) from exc
        try:
            first = await stream.next()
        except RequestTimeout as exc:
            services.metrics.timeouts.inc()
            raise ApiError(504, message("timeout", lang)) from exc
        except Exception as exc:  # includes an empty iterator (StopAsyncIteration)
            services.metrics.errors.inc()
            stream.cancel()
            log_exception("assistant failed", exc)
            raise domain_error(exc, lang) or ApiError(500, message("assistant_failed", lang)) from exc
    finally:
        # the worker has started by now (it produced the first item) or never will: the lease ends with it
        lease.request_done()
    return StreamingResponse(
        _events(services, stream, first, session.id, question, lang, staff),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _events(
    services: Services,
    stream: AnswerStream,
    first: Any,
    session_id: str,
    question: str,
    lang: Language,
    staff: bool,
) -> AsyncIterator[str]:
    error: str | None = None
    item = first
    try:
        while True:
            if isinstance(item, Answer):
                record_answer(services, session_id, question, item)
                yield sse("answer", to_response(item, session_id, staff).model_dump_json())
                break
            if isinstance(item, AnswerSentence):
                yield sse("sentence", SentenceOut.from_sentence(item).model_dump_json())
            try:
                item = await stream.next()
            except StopAsyncIteration:
                services.metrics.errors.inc()
                error = message("assistant_failed", lang)
                break
    except RequestTimeout:
        services.metrics.timeouts.inc()
        error = message("timeout", lang)
    except Exception as exc:
        services.metrics.errors.inc()
        log_exception("assistant failed while streaming", exc)
        mapped = domain_error(exc, lang)
        error = mapped.detail if mapped is not None else message("assistant_failed", lang)
    finally:
        stream.cancel()
    if error is not None:
        yield sse("error", _json({"detail": error}))
    yield sse(None, "[DONE]")


# One event, as OpenAPI 3.2 describes Server-Sent Events (the shape FastAPI uses for its own SSE routes).
SSE_EVENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "event": {
            "type": "string",
            "enum": ["sentence", "answer", "error", "message"],
            "description": "`message` (no `event:` line) is the closing `[DONE]`.",
        },
        "data": {
            "type": "string",
            "description": "JSON (`SentenceOut`, `AnswerResponse` or `{detail}`), or "
            "`[DONE]` on the last event, which has no `event` field.",
        },
    },
    "required": ["data"],
}

STREAM_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": SSE_DESCRIPTION, "content": {"text/event-stream": {"itemSchema": SSE_EVENT_SCHEMA}}},
    **ANSWER_ERRORS,
}


@router.post(
    "/ask/stream",
    response_class=StreamingResponse,
    response_model=None,
    responses=STREAM_RESPONSES,
    summary="Ask a question, streaming sentences",
)
async def ask_stream(body: AskRequest, services: ServicesDep, request: Request) -> StreamingResponse:
    """Stream the answer: verified sentences as they are ready, then the whole answer."""
    return await start_stream(services, body, request)


@router.delete("/sessions/{session_id}", response_model=SessionDropped, summary="End a conversation")
async def end_session(session_id: Annotated[str, PathParam(max_length=200)], services: ServicesDep) -> SessionDropped:
    """Forget a conversation now (the kiosk calls this on idle reset). Unknown ids are not an error."""
    return SessionDropped(dropped=services.sessions.drop(session_id))
