"""Every development case through the structured interface (the contract of eval/README.md)."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.calculator import Calculator, CalculatorInputError
from assistant.calculator.evaluate import outputs_match, values_match
from tests.calculator.helpers import load_cases

CASES = load_cases()


@pytest.mark.skipif(not CASES, reason="eval/calculator.jsonl is absent")
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_dev_case_structured(calc: Calculator, case: dict[str, Any]) -> None:
    expected = case["expected"]
    if "error" in expected:
        with pytest.raises(CalculatorInputError) as info:
            calc.calculate(case["kind"], case["inputs"])
        assert info.value.message and info.value.field in case["inputs"]
        return
    result = calc.calculate(case["kind"], case["inputs"])
    assert outputs_match(expected, result.outputs), (expected, result.outputs)
    for key, value in expected.items():
        if isinstance(value, bool | int | float) or key.endswith(("_on", "_date", "_day_of_sentence", "_birthday")):
            assert values_match(value, result.outputs[key]), key
    assert result.steps and result.citations and result.summary
    assert result.understood.startswith("Razumem: ")


def test_free_text_outputs_are_produced(calc: Calculator) -> None:
    released = calc.calculate("release_day", {"last_day_of_sentence": "2025-03-16"}).outputs
    assert released["release_weekday"] == "petek"
    assert released["skipped_days"] == ["2025-03-16 (nedelja)", "2025-03-15 (sobota, dela prost dan)"]
    early = calc.calculate("early_release", {"sentence_start_date": "2024-01-15", "sentence_length_months": 24})
    assert early.outputs["binding_rule"] == "največ tri mesece pred iztekom kazni"
    weekend = calc.calculate(
        "weekend_prison_eligibility",
        {"sentence_months": 48, "status": "brezposelna", "status_country": "Slovenija"},
    )
    assert weekend.outputs["failed_conditions"] == [
        "kazen je daljša od 36 mesecev (treh let)",
        "status: ni zaposlena, samozaposlena, ne kmetuje in se ne šola redno",
    ]


def test_values_match_rules() -> None:
    assert values_match(60.0, 60.004)
    assert not values_match(60.0, 60.01)
    assert not values_match(True, 1)
    assert values_match("2025-01-01", "2025-01-01")
    assert not values_match("2025-01-01", "2025-01-02")
    assert values_match("neomejeno", "neomejeno")
    assert not values_match(4, "neomejeno")
    assert values_match([60, 40, 36], [60.0, 40.0, 36.0])
