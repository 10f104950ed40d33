"""The JSON schema of each kind's inputs says exactly which inputs are needed: valid ⇔ nothing is missing."""

from __future__ import annotations

import json
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.calculator import INPUT_MODELS, Calculator, CalculatorInputError
from assistant.calculator.fields import FIELDS
from assistant.calculator.requirements import requirements
from tests.calculator.helpers import load_cases

CALC = Calculator()
CHOICES: dict[str, list[Any]] = {
    "visit_type": ["nadzorovan", "nenadzorovan"],
    "location": ["v zavodu", "zunaj zavoda", "ločen namenski prostor z možnostjo nočitve"],
    "visitor_category": ["ožji družinski član", "druga oseba"],
    "regime": ["zaprti", "odprti"],
}
POOLS: dict[str, list[Any]] = {
    "count": [0, 3, 12, 40],
    "number": [2.5, 8, 174],
    "eur": [0, 300.5],
    "date": ["2025-01-15", "2026-06-30", "2030-02-28"],
    "bool": [True, False],
    "text": ["zaposlena", "študentka", "Slovenija", "", "  "],
    "hours_list": [[100, 80.5]],
    "dims": [[50, 40, 30]],
}


def _pool(name: str) -> list[Any]:
    return [None, *CHOICES.get(name, POOLS.get(FIELDS[name].type, []))]


def _inputs(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    fields = list(INPUT_MODELS[kind].model_fields)
    return st.fixed_dictionaries({}, optional={name: st.sampled_from(_pool(name)) for name in fields})


@pytest.mark.parametrize("kind", list(INPUT_MODELS))
def test_an_empty_request_is_invalid_for_every_kind(kind: str) -> None:
    schema = CALC.input_schema(kind)
    assert not jsonschema_rs.validator_for(schema).is_valid({})
    with pytest.raises(CalculatorInputError, match="Manjka"):
        CALC.calculate(kind, {})


@pytest.mark.parametrize("kind", list(INPUT_MODELS))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_schema_validity_matches_missing_inputs(kind: str, data: st.DataObject) -> None:
    inputs = data.draw(_inputs(kind))
    try:
        validated = CALC.validate(kind, inputs)
    except CalculatorInputError:
        return  # a value the calculator rejects (e.g. a zero-month sentence): not about which inputs are needed
    missing = CALC.missing(kind, validated)
    valid = jsonschema_rs.validator_for({"allOf": requirements(kind, CALC.rules)}).is_valid(inputs)
    assert valid == (not missing), (inputs, missing)


@pytest.mark.parametrize(
    ("kind", "inputs", "valid"),
    [
        ("leave_days", {"full_time_months": 1200}, True),
        ("leave_days", {"full_time_months": 1201}, False),
        ("leave_days", {"full_time_months": -1}, False),
        ("leave_days", {"hours_worked_per_month": [], "monthly_full_time_hours": 174}, False),
        ("leave_days", {"hours_worked_per_month": [0, 744], "monthly_full_time_hours": 174}, True),
        ("leave_days", {"hours_worked_per_month": [100], "monthly_full_time_hours": 0}, False),
        ("leave_days", {"hours_worked_per_month": [549.3], "monthly_full_time_hours": 1.2e-38}, False),
        ("leave_days", {"hours_worked_per_month": [549.3], "monthly_full_time_hours": 1}, True),
        ("packages", {"dimensions_cm": [60, 40, 36]}, True),
        ("packages", {"dimensions_cm": [60, 40]}, False),
        ("packages", {"dimensions_cm": [60, 40, 0]}, False),
        ("savings", {"monthly_pay_eur": 0, "monthly_social_assistance_eur": 0}, False),
        ("weekend_prison_eligibility", {"sentence_months": 0, "status": "zaposlena"}, False),
    ],
)
def test_bounds_are_documented_as_the_calculator_checks_them(kind: str, inputs: dict[str, Any], valid: bool) -> None:
    assert jsonschema_rs.validator_for(CALC.input_schema(kind)).is_valid(inputs) is valid
    if valid:
        CALC.calculate(kind, inputs)
    else:
        with pytest.raises(CalculatorInputError):
            CALC.calculate(kind, inputs)


def test_the_development_cases_are_valid_requests() -> None:
    checked = 0
    for case in load_cases():
        if "error" in case["expected"]:
            continue
        schema = CALC.input_schema(case["kind"])
        inputs = json.loads(json.dumps(case["inputs"]))
        assert jsonschema_rs.validator_for(schema).is_valid(inputs), case["id"]
        checked += 1
    assert checked > 0 or not load_cases()
