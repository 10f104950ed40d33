"""The deterministic calculator: its kinds with input schemas (for the kiosk's forms) and calculations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path

from assistant.api.deps import CalculatorDep, LanguageDep, MetricsDep
from assistant.api.errors import ApiError
from assistant.api.i18n import message
from assistant.api.routes.common import error_doc
from assistant.api.schemas import CalcKindOut, CalcKindsResponse, CalcResultResponse
from assistant.api.services import log_exception

router = APIRouter(prefix="/api", tags=["calculator"])

UNAVAILABLE: dict[int | str, dict[str, Any]] = {503: error_doc("The calculator cannot be loaded.")}


def _input_error_class() -> type[Exception] | None:
    try:
        from assistant.calculator import CalculatorInputError
    except ImportError:
        return None
    return CalculatorInputError


def _is_input_error(exc: Exception) -> bool:
    cls = _input_error_class()
    if cls is not None and isinstance(exc, cls):
        return True
    return type(exc).__name__ == "CalculatorInputError" and hasattr(exc, "message")


@router.get("/calc", response_model=CalcKindsResponse, responses=UNAVAILABLE, summary="List calculations")
def list_calculations(calculator: CalculatorDep) -> CalcKindsResponse:
    """Every calculation kind with the JSON schema of its inputs."""
    return CalcKindsResponse(
        kinds=[
            CalcKindOut(kind=kind, input_schema=calculator.input_schema(kind)) for kind in calculator.kinds()
        ]
    )


@router.post(
    "/calc/{kind}",
    response_model=CalcResultResponse,
    responses={
        404: error_doc("Unknown calculation kind."),
        422: error_doc("Invalid input: the calculator's Slovenian message and the field it concerns."),
        **UNAVAILABLE,
    },
    summary="Calculate",
)
def calculate(
    kind: Annotated[str, Path(description="A kind from `GET /api/calc`.")],
    calculator: CalculatorDep,
    metrics: MetricsDep,
    lang: LanguageDep,
    inputs: Annotated[
        dict[str, Any],
        Body(
            description="The inputs as a JSON object, as in the kind's input schema "
            "(`GET /api/calc`). Which ones are needed depends on the "
            "other values; a missing one is a 422 naming it."
        ),
    ],
) -> CalcResultResponse:
    """Run one calculation. Invalid inputs give 422 with the calculator's message and field."""
    if kind not in calculator.kinds():
        metrics.calculations.inc(kind="unknown", outcome="unknown_kind")
        raise ApiError(404, message("calc_unknown_kind", lang, kind=kind), "kind")
    try:
        result = calculator.calculate(kind, dict(inputs or {}))
    except Exception as exc:
        if _is_input_error(exc):
            metrics.calculations.inc(kind=kind, outcome="invalid")
            field = getattr(exc, "field", None)
            raise ApiError(
                422,
                str(getattr(exc, "message", "") or message("calc_invalid", lang)),
                field if isinstance(field, str) else None,
            ) from exc
        if isinstance(exc, (ValueError, TypeError, OverflowError)):
            metrics.calculations.inc(kind=kind, outcome="invalid")
            log_exception("calculator rejected input", exc)
            raise ApiError(422, message("calc_invalid", lang)) from exc
        raise
    metrics.calculations.inc(kind=kind, outcome="ok")
    data = result.to_dict() if hasattr(result, "to_dict") else dict(result)
    return CalcResultResponse.model_validate(data)
