"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse

from assistant.api.deps import ServicesDep
from assistant.api.metrics import CONTENT_TYPE
from assistant.api.schemas import HealthResponse, ReadyResponse
from assistant.api.services import Services

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthResponse, summary="Liveness")
async def healthz() -> HealthResponse:
    """200 while the process serves requests."""
    return HealthResponse()


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"error: {type(exc).__name__}" + (f": {text[:200]}" if text else "")


def readiness(services: Services) -> ReadyResponse:
    """Every part's state, and whether the service can answer questions."""
    holder = services.assistant
    instance = holder.peek()
    state: dict[str, Any]
    if instance is None:
        status = _describe(holder.error) if holder.error is not None else "loading"
        state = {"ready": False, "index": status, "embedder": status, "generator": status}
    else:
        try:
            state = dict(instance.readiness())
        except Exception as exc:
            status = _describe(exc)
            state = {"ready": False, "index": status, "embedder": status, "generator": status}
    calculator = services.calculator.peek()
    if calculator is None:
        try:
            services.calculator.get()
            calc_state = "ok"
        except Exception as exc:
            calc_state = _describe(exc)
    else:
        calc_state = "ok"
    index, embedder = str(state.get("index", "unknown")), str(state.get("embedder", "unknown"))
    generator = str(state.get("generator", "unknown"))
    problems = []
    if index != "ok":
        problems.append(f"index: {index}")
    if embedder != "loaded":
        problems.append(f"embedder: {embedder}")
    if "degraded" in generator or "not loaded" in generator or generator.startswith(("error", "loading")):
        problems.append(f"generator: {generator}")
    if calc_state != "ok":
        problems.append(f"calculator: {calc_state}")
    warming = instance is not None and holder.loading
    if warming:
        problems.append("assistant: warming up (loading models)")
    extra = {k: v for k, v in state.items() if k not in ("ready", "index", "embedder", "generator")}
    ready = bool(state.get("ready")) and calc_state == "ok" and not warming
    return ReadyResponse(
        ready=ready,
        index=index,
        embedder=embedder,
        generator=generator,
        calculator=calc_state,
        problems=problems,
        **extra,
    )


@router.get(
    "/readyz",
    response_model=ReadyResponse,
    responses={503: {"model": ReadyResponse, "description": "Not ready: `problems` says what is missing."}},
    summary="Readiness",
)
def readyz(services: ServicesDep) -> JSONResponse:
    """200 when questions can be answered; 503 naming the part that is loading, missing or degraded."""
    state = readiness(services)
    return JSONResponse(state.model_dump(mode="json"), status_code=200 if state.ready else 503)


@router.get(
    "/metrics",
    response_class=PlainTextResponse,
    responses={
        200: {
            "description": "Prometheus text exposition format 0.0.4.",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    },
    summary="Prometheus metrics",
)
async def metrics(services: ServicesDep) -> PlainTextResponse:
    """Requests by route and status, latency histogram, answer modes, refusals, queue depth."""
    return PlainTextResponse(services.metrics.render(), media_type=CONTENT_TYPE)
