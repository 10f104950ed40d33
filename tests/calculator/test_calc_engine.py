"""Engine results for each kind beyond the dev cases: edges, caps and conventions."""

from __future__ import annotations

import pytest

from assistant.calculator import Calculator
from assistant.calculator.fields import CalculatorInputError


def test_leave_days_part_time_blocks_and_remainder(calc: Calculator) -> None:
    out = calc.calculate(
        "leave_days", {"hours_worked_per_month": [120, 100, 130], "monthly_full_time_hours": 174}
    ).outputs
    assert out["total_hours"] == 350
    assert out["full_time_month_equivalents"] == 2
    assert out["remaining_hours"] == 2
    assert out["leave_days"] == 4


def test_leave_days_additional_is_capped_at_six(calc: Calculator) -> None:
    out = calc.calculate("leave_days", {"full_time_months": 12, "additional_days_proposed": 8}).outputs
    assert (out["base_leave_days"], out["additional_leave_days"], out["total_leave_days"]) == (24, 6, 30)
    assert out["additional_capped"] is True
    out = calc.calculate("leave_days", {"full_time_months": 12, "additional_days_proposed": 4}).outputs
    assert (out["additional_leave_days"], out["total_leave_days"], out["additional_capped"]) == (4, 28, False)


def test_education_counts_only_successful_months(calc: Calculator) -> None:
    out = calc.calculate(
        "education_rest_days",
        {
            "months_successfully_completed": 5,
            "months_not_successfully_completed": 2,
            "additional_days_proposed": 9,
        },
    ).outputs
    assert out["rest_days"] == 10
    assert out["additional_rest_days"] == 6
    assert out["additional_capped"] is True
    assert out["total_rest_days"] == 16


@pytest.mark.parametrize(
    ("inputs", "maximum"),
    [
        ({"visit_type": "nadzorovan"}, 2),
        ({"visit_type": "nenadzorovan"}, 3),
        ({"visit_type": "nenadzorovan", "location": "zunaj zavoda"}, 5),
        ({"location": "ločen namenski prostor z možnostjo nočitve"}, 12),
    ],
)
def test_visit_durations(calc: Calculator, inputs: dict[str, str], maximum: int) -> None:
    out = calc.calculate("visits", inputs).outputs
    assert out["min_duration_hours"] == 1
    assert out["max_duration_hours"] == maximum


def test_visits_per_weeks_for_close_family_is_a_floor(calc: Calculator) -> None:
    result = calc.calculate("visits", {"weeks": 4, "visitor_category": "sestra"})
    assert result.outputs["min_visits"] == 8
    assert result.outputs["min_duration_hours_each"] == 1
    assert result.outputs["visitor_is_close_family"] is True
    assert any("stranski črti do drugega kolena" in m for m in result.outputs["close_family_members"])
    friend = calc.calculate("visits", {"weeks": 4, "visitor_category": "prijateljica"}).outputs
    assert friend["min_visits"] == 0
    assert friend["requires_director_permission"] is True


def test_packages_by_regime(calc: Calculator) -> None:
    closed = calc.calculate("packages", {"regime": "zaprtem", "period_months": 6}).outputs
    assert closed["food_parcels"] == 4  # yearly limit, not pro-rated
    assert closed["linen_personal_items_parcels"] == 6
    semi = calc.calculate("packages", {"regime": "polodprti", "period_weeks": 52}).outputs
    assert semi["linen_personal_items_parcels"] == 52
    assert semi["food_parcels"] == 4
    open_ = calc.calculate("packages", {"regime": "Odprti", "period_months": 12}).outputs
    assert {open_[k] for k in ("food_parcels", "linen_personal_items_parcels", "press_and_book_parcels")} == {
        "neomejeno"
    }


def test_package_size_is_orientation_free(calc: Calculator) -> None:
    assert calc.calculate("packages", {"dimensions_cm": [36, 60, 40]}).outputs["allowed"] is True
    assert calc.calculate("packages", {"dimensions_cm": "40 x 36 x 60"}).outputs["allowed"] is True
    out = calc.calculate("packages", {"dimensions_cm": [61, 40, 36]}).outputs
    assert (out["allowed"], out["exceeded"], out["max_dimensions_cm"]) == (False, True, [60, 40, 36])


def test_savings_rounding_and_threshold(calc: Calculator) -> None:
    out = calc.calculate(
        "savings",
        {
            "monthly_pay_eur": 333.33,
            "current_mandatory_savings_eur": 0,
            "monthly_social_assistance_eur": 421.89,
        },
    ).outputs
    assert out["monthly_mandatory_saving_eur"] == 66.67  # 66.666 rounded half-up
    assert out["freely_usable_this_month_eur"] == 266.66
    assert out["savings_threshold_eur"] == 1265.67
    assert out["months_to_reach_threshold"] == 19
    assert out["last_month_mandatory_saving_eur"] == 65.61
    reached = calc.calculate(
        "savings",
        {"monthly_pay_eur": 300, "current_mandatory_savings_eur": 1600, "monthly_social_assistance_eur": 500},
    ).outputs
    assert reached["mandatory_saving_this_month_eur"] == 0
    assert reached["freely_usable_this_month_eur"] == 300
    assert reached["excess_over_threshold_eur"] == 100
    assert reached["threshold_reached"] is True


def test_extra_meal_threshold_is_inclusive(calc: Calculator) -> None:
    assert calc.calculate("extra_meal", {"daily_work_or_work_therapy_hours": 4}).outputs["meals_per_day"] == 4
    assert calc.calculate("extra_meal", {"daily_work_or_work_therapy_hours": 3.99}).outputs["extra_meal"] is False
    pregnant = calc.calculate("extra_meal", {"pregnant_or_breastfeeding": "da"}).outputs
    assert (pregnant["extra_meal"], pregnant["meals_per_day"]) == (True, 4)


def test_early_release_short_sentence_two_thirds_binds(calc: Calculator) -> None:
    out = calc.calculate("early_release", {"sentence_start_date": "2025-01-01", "sentence_length_months": 6}).outputs
    assert out["two_thirds_served_on"] == "2025-04-30"
    assert out["three_months_before_end"] == "2025-03-30"
    assert out["earliest_possible_release_date"] == "2025-04-30"
    assert out["binding_rule"] == "prestane dve tretjini kazni"


def test_early_release_from_last_day_and_reference_date(calc: Calculator) -> None:
    out = calc.calculate(
        "early_release",
        {
            "sentence_start_date": "2025-01-01",
            "sentence_last_day": "2025-12-31",
            "reference_date": "2025-09-29",
        },
    ).outputs
    assert out["earliest_possible_release_date"] == "2025-09-30"
    assert out["time_condition_met_on_reference_date"] is False


def test_parole_long_and_life_sentences(calc: Calculator) -> None:
    long = calc.calculate("parole_eligibility", {"sentence_start_date": "2020-01-01", "sentence_length_months": 192})
    assert long.outputs["three_quarters_served_on"] == "2031-12-31"
    assert long.outputs["eligible_from"] == "2031-12-31"
    exactly_15 = calc.calculate(
        "parole_eligibility", {"sentence_start_date": "2020-01-01", "sentence_length_months": 180}
    ).outputs
    assert exactly_15["eligible_from"] == exactly_15["half_served_on"] == "2027-06-30"
    assert "three_quarters_served_on" not in exactly_15
    life = calc.calculate("parole_eligibility", {"sentence_start_date": "2010-05-05", "life_sentence": True}).outputs
    assert life["eligible_from"] == "2035-05-04"


def test_release_day_from_start_and_length(calc: Calculator) -> None:
    out = calc.calculate("release_day", {"sentence_start_date": "2026-01-02", "sentence_length_months": 4}).outputs
    assert (out["last_day_of_sentence"], out["release_date"], out["release_weekday"]) == (
        "2026-05-01",
        "2026-04-30",
        "četrtek",
    )


def test_sentence_end_credits_pripor_and_adds_interruptions(calc: Calculator) -> None:
    out = calc.calculate(
        "sentence_end",
        {
            "sentence_start_date": "2025-01-10",
            "sentence_length_months": 24,
            "credited_pripor_days": 40,
            "interruption_days": 10,
        },
    ).outputs
    assert out["effective_start_date"] == "2024-12-01"
    assert out["last_day_of_sentence"] == "2026-12-10"
    assert out["release_date"] == "2026-12-10"


def test_child_stay_rules(calc: Calculator) -> None:
    released_before_two = calc.calculate(
        "child_stay", {"child_birth_date": "2025-08-01", "mother_last_day_of_sentence": "2027-03-01"}
    ).outputs
    assert released_before_two["extension_to_second_year_possible"] is True
    assert released_before_two["child_may_stay_until"] == "2027-03-01"
    special = calc.calculate(
        "child_stay",
        {
            "child_birth_date": "2024-02-29",
            "mother_last_day_of_sentence": "2030-01-01",
            "special_health_social_or_other_reasons": True,
        },
    ).outputs
    assert special["first_birthday"] == "2025-02-28"
    assert special["child_may_stay_until"] == special["second_birthday"] == "2026-02-28"


@pytest.mark.parametrize(
    ("inputs", "meets"),
    [
        ({"sentence_months": 36, "status": "zaposlena"}, True),
        ({"sentence_months": 37, "status": "zaposlena"}, False),
        ({"sentence_months": 12, "status": "samozaposlena", "offence_against_sexual_integrity": True}, False),
        ({"sentence_months": 12, "status": "kmetica"}, True),
        ({"sentence_months": 12, "status": "redna dijakinja"}, True),
        ({"sentence_months": 12, "status": "študentka, ne izpolnjuje obveznosti"}, False),
        ({"sentence_months": 12, "status": "nezaposlena"}, False),
    ],
)
def test_weekend_prison_conditions(calc: Calculator, inputs: dict[str, object], meets: bool) -> None:
    assert calc.calculate("weekend_prison_eligibility", inputs).outputs["meets_stated_conditions"] is meets


def test_summary_numbers_come_from_the_result(calc: Calculator) -> None:
    result = calc.calculate(
        "savings",
        {"monthly_pay_eur": 300, "current_mandatory_savings_eur": 0, "monthly_social_assistance_eur": 500},
    )
    assert result.summary == "Ta mesec gre na obvezni prihranek 60,00 EUR, prosto vam ostane 240,00 EUR."
    assert calc.calculate("leave_days", {"full_time_months": 5}).summary == "Pripada vam 10 dni letnega dopusta."


def test_input_schema_is_json_schema_with_slovenian_titles(calc: Calculator) -> None:
    schema = calc.input_schema("packages")
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    regime = schema["properties"]["regime"]
    assert regime["title"] == "Režim"
    assert {"enum": ["zaprti", "polodprti", "odprti"], "type": "string"} in regime["anyOf"]
    assert set(calc.kinds()) >= {
        "leave_days", "education_rest_days", "visits", "packages", "savings", "early_release",
        "parole_eligibility", "release_day", "extra_meal", "child_stay", "weekend_prison_eligibility",
        "sentence_end",
    }  # fmt: skip
    for kind in calc.kinds():
        assert calc.input_schema(kind)["properties"]


def test_result_to_dict_is_json(calc: Calculator) -> None:
    import json

    data = calc.calculate(
        "early_release", {"sentence_start_date": "2024-01-15", "sentence_length_months": 24}
    ).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert set(data) >= {"kind", "inputs", "outputs", "steps", "citations", "understood", "summary"}
    assert data["inputs"] == {"sentence_start_date": "2024-01-15", "sentence_length_months": 24}


def test_parole_in_months_keeps_fractions_and_long_sentences(calc: Calculator) -> None:
    odd = calc.calculate("parole_eligibility", {"sentence_length_months": 25}).outputs
    assert (odd["eligible_after_months"], odd["one_third_after_months"]) == (12.5, 8.33)
    summary = calc.calculate("parole_eligibility", {"sentence_length_months": 25}).summary
    assert "12 mesecev in pol" in summary and "8 mesecev in tretjino" in summary
    long = calc.calculate("parole_eligibility", {"sentence_length_months": 192}).outputs
    assert long["eligible_after_months"] == 144  # three quarters over 15 years
    served = calc.calculate("parole_eligibility", {"sentence_length_months": 30, "credited_pripor_months": 12})
    assert served.outputs["one_third_after_months_served_here"] == 0 and "je že izpolnjen" in served.summary


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"sentence_length_months": 30, "credited_pripor_months": 30}, "credited_pripor_months"),
        (
            {"sentence_length_months": 30, "credited_pripor_months": 2, "credited_pripor_days": 40},
            "credited_pripor_months",
        ),
        (
            {"sentence_start_date": "2025-01-01", "sentence_length_months": 30, "credited_pripor_months": 2},
            "credited_pripor_days",
        ),
    ],
)
def test_parole_pripor_in_months_errors_name_the_field(calc: Calculator, inputs: dict[str, object], field: str) -> None:
    with pytest.raises(CalculatorInputError) as error:
        calc.calculate("parole_eligibility", inputs)
    assert error.value.field == field
