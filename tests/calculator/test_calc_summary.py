"""Every number in a summary comes from the inputs or outputs of the calculation."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from assistant.calculator import CalcResult, Calculator
from tests.calculator.helpers import load_cases

EXTRA = [
    ("leave_days", {"full_time_months": 12, "additional_days_proposed": 9}),
    ("leave_days", {"hours_worked_per_month": [100, 120, 90], "monthly_full_time_hours": 174}),
    ("education_rest_days", {"months_successfully_completed": 3, "additional_days_proposed": 2}),
    ("visits", {"weeks": 4, "visitor_category": "mama", "visit_type": "nenadzorovan"}),
    ("packages", {"regime": "zaprti", "period_months": 6, "dimensions_cm": [65, 40, 30]}),
    ("packages", {"regime": "odprti"}),
    ("savings", {"monthly_pay_eur": 333.33, "monthly_social_assistance_eur": 421.89}),
    ("parole_eligibility", {"sentence_start_date": "2010-05-05", "life_sentence": True}),
    ("parole_eligibility", {"sentence_start_date": "2020-01-01", "sentence_length_months": 240}),
    (
        "sentence_end",
        {"sentence_start_date": "2025-01-10", "sentence_length_months": 5, "interruption_days": 3},
    ),
    ("extra_meal", {"pregnant_or_breastfeeding": True}),
    ("child_stay", {"child_birth_date": "2025-01-01", "mother_last_day_of_sentence": "2030-01-01"}),
    ("weekend_prison_eligibility", {"sentence_months": 40, "status": "nezaposlena"}),
]
CASES = [(c["kind"], c["inputs"]) for c in load_cases() if "error" not in c["expected"]] + EXTRA


def _allowed_numbers(result: CalcResult) -> set[str]:
    allowed: set[str] = set()

    def add(value: Any) -> None:
        if isinstance(value, bool):
            return
        if isinstance(value, int | float):
            allowed.add(f"{value:.2f}".rstrip("0").rstrip("."))
            allowed.add(f"{value:.2f}")
        elif isinstance(value, str):
            try:
                day = date.fromisoformat(value)
            except ValueError:
                allowed.update(re.findall(r"\d+", value))
            else:
                allowed.update({str(day.day), str(day.month), str(day.year)})
        elif isinstance(value, list):
            for item in value:
                add(item)

    for value in [*result.inputs.values(), *result.outputs.values()]:
        add(value)
    return allowed


@pytest.mark.parametrize(("kind", "inputs"), CASES)
def test_summary_numbers_come_from_the_result(calc: Calculator, kind: str, inputs: dict[str, Any]) -> None:
    result = calc.calculate(kind, inputs)
    assert 0 < len(result.summary) < 300
    allowed = _allowed_numbers(result)
    for number in re.findall(r"\d+(?:,\d+)?", result.summary):
        assert number.replace(",", ".") in allowed, (number, result.summary)
