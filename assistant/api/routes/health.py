"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from assistant.api.deps import STAFF_AUTH_RESPONSES, ServicesDep, require_staff
from assistant.api.metrics import CONTENT_TYPE
from assistant.api.schemas import HealthResponse, ReadyResponse
from assistant.api.services import Services

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthResponse, summary="Liveness")
async def healthz() -> HealthResponse:
    """200 while the process serves requests."""
    return HealthResponse()


@router.head(
    "/healthz",
    response_class=Response,
    responses={200: {"description": "Alive (no body)."}},
    summary="Liveness, headers only",
)
async def healthz_head() -> Response:
    """200 while the process serves requests, without a body (for probes that send HEAD)."""
    return Response(status_code=200)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"error: {type(exc).__name__}" + (f": {text[:200]}" if text else "")


def _worker(instance: Any) -> Any:
    """The generator worker's state (``WorkerState``) when the model runs in a supervised worker process."""
    read = getattr(getattr(instance, "generator", None), "worker_state", None)
    if not callable(read):
        return None
    try:
        return read()
    except Exception:  # noqa: BLE001 - readiness never fails because of the worker
        return None


def _worker_status(generator: str, name: str, worker: Any) -> str:
    """The generator's status when its worker is not ``ok`` (an existing "degraded" reason is kept)."""
    if worker.state == "ok" or "degraded" in generator:
        return generator
    if worker.state == "starting":
        return f"loading: {name} worker starting"
    if worker.state == "restarting":
        return (
            f"{name} (degraded: worker restarting after {worker.last_exit or 'an exit'}, restart "
            f"{worker.restarts}; answers quote the sources meanwhile)"
        )
    reason = f": {worker.error}" if worker.error else ""
    return f"{name} (degraded: worker {worker.state}{reason})"


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
    worker = _worker(instance) if instance is not None else None
    if worker is not None:
        name = str(getattr(getattr(instance, "generator", None), "name", "generator"))
        generator = _worker_status(generator, name, worker)
        state["generator_worker"] = worker.to_dict()
    problems = []
    if index != "ok":
        problems.append(f"index: {index}")
    if embedder != "loaded":
        problems.append(f"embedder: {embedder}")
    # a degraded generator (no model, worker restarting) still answers, from quotes only: not ready, as the
    # README's contract says (503 naming what is loading, missing or degraded)
    generator_ok = not (
        "degraded" in generator or "not loaded" in generator or generator.startswith(("error", "loading"))
    )
    if not generator_ok:
        problems.append(f"generator: {generator}")
    if calc_state != "ok":
        problems.append(f"calculator: {calc_state}")
    warming = instance is not None and holder.loading
    if warming:
        problems.append("assistant: warming up (loading models)")
    extra = {k: v for k, v in state.items() if k not in ("ready", "index", "embedder", "generator")}
    ready = bool(state.get("ready")) and calc_state == "ok" and not warming and generator_ok
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


@router.head(
    "/readyz",
    response_class=Response,
    responses={
        200: {"description": "Ready (no body)."},
        503: {"description": "Not ready (no body; `GET /readyz` says why)."},
    },
    summary="Readiness, headers only",
)
def readyz_head(services: ServicesDep) -> Response:
    """The status of ``GET /readyz`` without its body (for probes that send HEAD)."""
    return Response(status_code=200 if readiness(services).ready else 503)


@router.get(
    "/metrics",
    response_class=PlainTextResponse,
    dependencies=[Depends(require_staff)],  # not readable from a kiosk: staff login or a bearer token
    responses={
        200: {
            "description": "Prometheus text exposition format 0.0.4.",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        },
        **STAFF_AUTH_RESPONSES,
    },
    summary="Prometheus metrics",
)
async def metrics(services: ServicesDep) -> PlainTextResponse:
    """Requests by route and status, latency histogram, answer modes, refusals, queue depth."""
    return PlainTextResponse(services.metrics.render(), media_type=CONTENT_TYPE)
