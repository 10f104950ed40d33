"""What a calculation's request must hold, as JSON Schema, for clients (the kiosk's forms, the OpenAPI document).

The engine decides what is missing (:func:`assistant.calculator.engine.missing_inputs`, which also picks the
follow-up question); :func:`requirements` states the same rule declaratively, so that a JSON-schema validator
accepts a request exactly when nothing is missing (``{}`` is invalid for every kind). A test checks the two
against each other. "Given" means present, not null and not blank, as the input models read it.
:func:`input_json_schema` also states each number's bounds (``rules.toml`` [limits], the kiosk's steppers
use them); rules that relate inputs to each other (a supervised visit outside the prison, pripor as long as
the sentence) are checked by the calculator only.
"""

from __future__ import annotations

from typing import Any

from .fields import FIELDS
from .rules import RuleBook
from .schemas import INPUT_MODELS, KIND_TITLES
from .words import LOCATION_OUTSIDE, LOCATION_OVERNIGHT

Schema = dict[str, Any]


def _given(*names: str) -> Schema:
    """Every one of ``names`` is present with a value (not null, not a blank string)."""
    return {
        "required": list(names),
        "properties": {name: {"not": {"type": "null"}, "pattern": r"\S"} for name in names},
    }


def _is(name: str, value: Any) -> Schema:
    return {"required": [name], "properties": {name: {"const": value}}}


def _any(*alternatives: Schema) -> Schema:
    return {"anyOf": list(alternatives)}


def _if(condition: Schema, then: Schema) -> Schema:
    return {"if": condition, "then": then}


def requirements(kind: str, rules: RuleBook) -> list[Schema]:
    """Conditions that all hold exactly when ``missing_inputs(kind, …)`` is empty."""
    if kind == "leave_days":
        return [
            _if(_given("hours_worked_per_month"), _given("monthly_full_time_hours")),
            _if(_is("started_sentence_from_pripor", True), _given("leave_days_computed_for_pripor_work")),
            _any(
                _given("full_time_months"),
                _given("hours_worked_per_month"),
                _given("leave_days_computed_for_pripor_work"),
            ),
        ]
    if kind == "education_rest_days":
        return [_any(_given("months_successfully_completed"), _given("months_not_successfully_completed"))]
    if kind == "visits":
        away = {"required": ["location"], "properties": {"location": {"enum": [LOCATION_OUTSIDE, LOCATION_OVERNIGHT]}}}
        return [_any(_given("weeks"), _given("visit_type"), away)]
    if kind == "packages":
        return [_any(_given("regime"), _given("dimensions_cm"))]
    if kind == "savings":
        return [_given("monthly_pay_eur", "monthly_social_assistance_eur")]
    if kind == "early_release":
        return [_given("sentence_start_date"), _any(_given("sentence_length_months"), _given("sentence_last_day"))]
    if kind == "parole_eligibility":
        return [_any(_given("sentence_length_months"), _is("life_sentence", True))]
    if kind == "release_day":
        return [_any(_given("last_day_of_sentence"), _given("sentence_start_date", "sentence_length_months"))]
    if kind == "sentence_end":
        return [_given("sentence_start_date"), _any(_given("sentence_length_months"), _given("sentence_length_days"))]
    if kind == "extra_meal":
        return [_any(_given("daily_work_or_work_therapy_hours"), _is("pregnant_or_breastfeeding", True))]
    if kind == "child_stay":
        return [_given("child_birth_date", "mother_last_day_of_sentence")]
    if kind == "weekend_prison_eligibility":
        max_months = int(rules["weekend_prison_sentence"]["max_sentence_months"])
        too_long = {
            "required": ["sentence_months"],
            "properties": {"sentence_months": {"type": "number", "exclusiveMinimum": max_months}},
        }  # the sentence condition fails anyway, so the status does not matter
        return [
            _given("sentence_months"),
            _any(_given("status"), _is("offence_against_sexual_integrity", True), too_long),
        ]
    raise KeyError(kind)


def _bounds(name: str, rules: RuleBook) -> Schema:
    """``minimum``/``maximum`` of a number input (of each item for lists), as the calculator checks them."""
    spec = FIELDS[name]
    if spec.type not in ("count", "number", "eur", "hours_list", "dims"):
        return {}
    bounds: Schema = {"exclusiveMinimum": 0} if spec.positive or spec.type == "dims" else {"minimum": 0}
    if spec.min_limit is not None:
        bounds["minimum"] = rules.limit(spec.min_limit)
    if spec.max_limit is not None:
        bounds["maximum"] = rules.limit(spec.max_limit)
    if spec.type == "hours_list":
        return {"items": {"type": "number", **bounds}, "minItems": 1}
    if spec.type == "dims":
        return {"items": {"type": "number", **bounds}, "minItems": 3, "maxItems": 3}
    return bounds


def input_json_schema(kind: str, rules: RuleBook) -> Schema:
    """The kind's input model as JSON Schema: Slovenian title, bounds, :func:`requirements` as ``allOf``."""
    schema = INPUT_MODELS[kind].model_json_schema()
    schema["title"] = KIND_TITLES.get(kind, kind)
    for name, prop in schema["properties"].items():
        for option in prop.get("anyOf", []):
            if option.get("type") != "null":
                option.update(_bounds(name, rules))
    schema["allOf"] = requirements(kind, rules)
    return schema


__all__ = ["input_json_schema", "requirements"]
