"""The deterministic calculator: its kinds with input schemas (for the kiosk's forms) and calculations.

Each kind has its own ``POST /api/calc/{kind}`` operation, so that the OpenAPI document gives each one its
request schema: the kind's fields and which of them are needed (:func:`document_request_bodies`). Any other
kind gets 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path

from assistant.api.deps import CalculatorDep, LanguageDep, MetricsDep
from assistant.api.errors import ApiError
from assistant.api.i18n import message
from assistant.api.metrics import Metrics
from assistant.api.routes.common import error_doc
from assistant.api.schemas import CalcKindOut, CalcKindsResponse, CalcResultResponse
from assistant.api.services import log_exception
from assistant.calculator.schemas import INPUT_MODELS, KIND_TITLES, CalculatorInputError
from assistant.types import Language

router = APIRouter(prefix="/api", tags=["calculator"])

UNAVAILABLE: dict[int | str, dict[str, Any]] = {503: error_doc("The calculator cannot be loaded.")}
CALCULATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: error_doc("The calculator in use does not offer this calculation."),
    422: error_doc("Invalid input: the calculator's Slovenian message and the field it concerns."),
    **UNAVAILABLE,
}
BODY_DESCRIPTION = (
    "The inputs as a JSON object. The schema lists each input in its plain form (numbers, ISO dates "
    "1990-01-01 … 2100-12-31, true/false) and, in `allOf`, which inputs are needed; Slovenian text forms "
    "(`3,5`, `15. 3. 2025`, `da`) are accepted too. A missing or invalid input is a 422 naming it."
)
InputsBody = Annotated[dict[str, Any], Body(description=BODY_DESCRIPTION)]


def _is_input_error(exc: Exception) -> bool:
    # the real calculator's error, or a stand-in with the same name and attributes (tests inject fakes)
    return isinstance(exc, CalculatorInputError) or (
        type(exc).__name__ == "CalculatorInputError" and hasattr(exc, "message")
    )


@router.get("/calc", response_model=CalcKindsResponse, responses=UNAVAILABLE, summary="List calculations")
def list_calculations(calculator: CalculatorDep) -> CalcKindsResponse:
    """Every calculation kind with the JSON schema of its inputs."""
    return CalcKindsResponse(
        kinds=[CalcKindOut(kind=kind, input_schema=calculator.input_schema(kind)) for kind in calculator.kinds()]
    )


def run_calculation(kind: str, inputs: dict[str, Any], calculator: Any, metrics: Metrics, lang: Language) -> Any:
    """One calculation; invalid inputs give 422 with the calculator's message and field, unknown kinds 404."""
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


def _add_kind(kind: str) -> None:
    def calculate_kind(
        calculator: CalculatorDep, metrics: MetricsDep, lang: LanguageDep, inputs: InputsBody
    ) -> CalcResultResponse:
        result: CalcResultResponse = run_calculation(kind, inputs, calculator, metrics, lang)
        return result

    title = KIND_TITLES.get(kind, kind)
    calculate_kind.__doc__ = f"Calculate {kind} ({title}). Invalid inputs give 422 with the calculator's message."
    router.add_api_route(
        f"/calc/{kind}",
        calculate_kind,
        methods=["POST"],
        response_model=CalcResultResponse,
        responses=CALCULATE_RESPONSES,
        summary=f"Calculate: {title}",
        name=f"calculate_{kind}",
        operation_id=f"calculate_{kind}",
    )


for _kind in INPUT_MODELS:
    _add_kind(_kind)


@router.post("/calc/{kind}", response_model=CalcResultResponse, responses=CALCULATE_RESPONSES, include_in_schema=False)
def calculate(
    kind: Annotated[str, Path(description="A kind from `GET /api/calc`.")],
    calculator: CalculatorDep,
    metrics: MetricsDep,
    lang: LanguageDep,
    inputs: InputsBody,
) -> CalcResultResponse:
    """Any other kind: 404 (or the calculation, for a calculator with kinds of its own)."""
    result: CalcResultResponse = run_calculation(kind, inputs, calculator, metrics, lang)
    return result


def document_request_bodies(openapi: dict[str, Any]) -> None:
    """Give each ``POST /api/calc/{kind}`` its kind's request schema (fields, and in ``allOf`` the needed ones)."""
    try:
        from assistant.calculator import Calculator

        schema_of = Calculator().input_schema
    except Exception as exc:  # the rules cannot be read: document the fields without what is needed
        log_exception("calculator schemas unavailable for OpenAPI", exc)

        def schema_of(kind: str) -> dict[str, Any]:
            return INPUT_MODELS[kind].model_json_schema()

    for kind in INPUT_MODELS:
        operation = openapi.get("paths", {}).get(f"/api/calc/{kind}", {}).get("post")
        if operation is None:
            continue
        body = operation.setdefault("requestBody", {"required": True})
        body["description"] = BODY_DESCRIPTION
        body["content"] = {"application/json": {"schema": schema_of(kind)}}
