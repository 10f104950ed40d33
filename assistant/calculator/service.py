"""The :class:`Calculator` facade: kinds, input schemas, calculation and natural-language routing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .engine import ENGINES, missing_inputs, num
from .requirements import input_json_schema
from .rules import RuleBook, load_rules
from .schemas import (
    FIELDS,
    INPUT_MODELS,
    KIND_TITLES,
    CalcInput,
    CalcResult,
    CalcRoute,
    CalculatorInputError,
    label,
)

_PYDANTIC_MESSAGES = {
    "int_parsing": "mora biti celo število",
    "int_from_float": "mora biti celo število",
    "float_parsing": "mora biti število",
    "bool_parsing": "mora biti da ali ne",
    "literal_error": "ni med dovoljenimi vrednostmi",
    "list_type": "mora biti seznam",
    "date_from_datetime_parsing": "ni veljaven datum",
    "string_type": "mora biti besedilo",
}


def format_value(name: str, value: Any) -> str:
    """An input value as Slovenian text (dates ``15. 3. 2025``, ``da``/``ne``, ``300,00 EUR``)."""
    if isinstance(value, bool):
        return "da" if value else "ne"
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, date):
        return f"{value.day}. {value.month}. {value.year}"
    if name.endswith("_eur") and isinstance(value, int | float):
        return f"{value:.2f} EUR".replace(".", ",")
    if name == "dimensions_cm" and isinstance(value, list):
        return " × ".join(num(v) for v in value) + " cm"
    if isinstance(value, list):
        items = [num(v) if isinstance(v, int | float) else str(v) for v in value]
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " in " + items[-1]
    if isinstance(value, int | float):
        return num(value)
    return str(value)


def understood_text(inputs: dict[str, Any]) -> str:
    """``Razumem: …`` listing every understood input with its Slovenian label."""
    if not inputs:
        return "Razumem: iz vprašanja nisem razbrala nobenega podatka."
    parts = [f"{label(name)}: {format_value(name, value)}" for name, value in inputs.items()]
    return "Razumem: " + "; ".join(parts) + "."


class Calculator:
    """Deterministic calculator of personal figures (leave days, dates, parcels, savings …)."""

    def __init__(self, rules: RuleBook | None = None, rules_path: Path | None = None) -> None:
        self.rules = rules or load_rules(rules_path)

    def kinds(self) -> list[str]:
        """The calculation kinds, e.g. ``leave_days``, ``early_release``."""
        return list(INPUT_MODELS)

    def title(self, kind: str) -> str:
        """Slovenian title of a kind."""
        return KIND_TITLES.get(kind, kind)

    def input_schema(self, kind: str) -> dict[str, Any]:
        """JSON schema of the kind's inputs (for kiosk forms): fields, and in ``allOf`` which ones are needed."""
        self._model(kind)
        return input_json_schema(kind, self.rules)

    def validate(self, kind: str, inputs: dict[str, Any]) -> CalcInput:
        """Parse and validate inputs; :class:`CalculatorInputError` names the bad field in Slovenian."""
        model = self._model(kind)
        if not isinstance(inputs, dict):
            raise CalculatorInputError(None, "Vhodni podatki morajo biti slovar imen in vrednosti.")
        unknown = [name for name in inputs if name not in model.model_fields]
        if unknown:
            allowed = ", ".join(model.model_fields)
            raise CalculatorInputError(
                unknown[0],
                f"Neznan vhodni podatek »{unknown[0]}« za izračun {kind}. Dovoljeni so: {allowed}.",
            )
        try:
            return model.model_validate(inputs, context={"rules": self.rules})
        except ValidationError as exc:
            error = exc.errors()[0]
            name = str(error["loc"][0]) if error["loc"] else None
            reason = _PYDANTIC_MESSAGES.get(error["type"], "ni veljavna vrednost")
            subject = label(name) if name else "Vrednost"
            raise CalculatorInputError(name, f"{subject[:1].upper()}{subject[1:]} {reason}.") from None

    def missing(self, kind: str, validated: CalcInput) -> list[str]:
        """Inputs that are still needed for ``kind``."""
        return missing_inputs(kind, validated, self.rules)

    def calculate(self, kind: str, inputs: dict[str, Any]) -> CalcResult:
        """Run one calculation. Raises :class:`CalculatorInputError` for bad, missing or unknown input."""
        validated = self.validate(kind, inputs)
        missing = self.missing(kind, validated)
        if missing:
            raise CalculatorInputError(missing[0], f"Manjka {label(missing[0])}.")
        return self.compute(kind, validated)

    def compute(self, kind: str, validated: CalcInput) -> CalcResult:
        """Run the engine on already validated, complete inputs."""
        try:
            computation = ENGINES[kind](validated, self.rules)
        except OverflowError:
            raise CalculatorInputError(None, "Izračunani datum je zunaj smiselnega obsega.") from None
        clean = validated.model_dump(mode="json", exclude_none=True)
        return CalcResult(
            kind=kind,
            inputs=clean,
            outputs=computation.outputs,
            steps=computation.steps,
            citations=[self.rules[rule_id].citation for rule_id in computation.rule_ids],
            understood=understood_text(clean),
            summary=computation.summary,
            notes=computation.notes,
        )

    def route(self, question: str) -> CalcRoute | None:
        """Answer a Slovenian question that asks for a personal calculation; None if it is not one."""
        from .route import route_question

        return route_question(question, self)

    def _model(self, kind: str) -> type[CalcInput]:
        model = INPUT_MODELS.get(kind)
        if model is None:
            raise CalculatorInputError(None, f"Neznana vrsta izračuna »{kind}«. Možne so: {', '.join(INPUT_MODELS)}.")
        return model


__all__ = ["FIELDS", "Calculator", "format_value", "understood_text"]
