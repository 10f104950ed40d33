"""Property tests: monotonicity, caps, date ordering, invariants."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.calculator import Calculator, load_rules
from assistant.calculator.dates import holidays_for_year

CALC = Calculator()
RULES = load_rules()
ADDITIONAL_CAP = RULES["leave_days_additional_cap"]["max_days_per_year"]
PRIPOR_CAP = RULES["leave_days_pripor_cap"]["max_days"]
starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 1199))
def test_leave_days_monotonic_in_months(months: int) -> None:
    less = CALC.calculate("leave_days", {"full_time_months": months}).outputs["leave_days"]
    more = CALC.calculate("leave_days", {"full_time_months": months + 1}).outputs["leave_days"]
    assert 0 <= less < more


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(0, 744, allow_nan=False).map(lambda x: round(x, 1)), min_size=1, max_size=12),
    st.floats(100, 200).map(lambda x: round(x, 1)),
)
def test_part_time_leave_never_exceeds_the_hours(hours: list[float], monthly: float) -> None:
    out = CALC.calculate("leave_days", {"hours_worked_per_month": hours, "monthly_full_time_hours": monthly}).outputs
    assert 0 <= out["remaining_hours"] < monthly
    assert abs(out["full_time_month_equivalents"] * monthly + out["remaining_hours"] - out["total_hours"]) < 1e-6


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 200), st.integers(0, 500))
def test_caps_are_never_exceeded(additional: int, pripor: int) -> None:
    leave = CALC.calculate(
        "leave_days",
        {"full_time_months": 12, "additional_days_proposed": additional, "started_sentence_from_pripor": True,
         "leave_days_computed_for_pripor_work": pripor},
    ).outputs  # fmt: skip
    assert leave["additional_leave_days"] == min(additional, ADDITIONAL_CAP)
    assert leave["leave_days_allowed_in_year_sentence_started"] == min(pripor, PRIPOR_CAP)
    assert leave["capped"] == (additional > ADDITIONAL_CAP or pripor > PRIPOR_CAP)
    rest = CALC.calculate(
        "education_rest_days", {"months_successfully_completed": 3, "additional_days_proposed": additional}
    )
    assert rest.outputs["additional_rest_days"] <= RULES["education_additional_cap"]["max_days_per_year"]


@settings(max_examples=200, deadline=None)
@given(starts, st.integers(1, 600))
def test_release_day_never_after_last_day_nor_on_a_free_day(start: date, months: int) -> None:
    out = CALC.calculate(
        "release_day", {"sentence_start_date": start.isoformat(), "sentence_length_months": months}
    ).outputs
    release = date.fromisoformat(out["release_date"])
    last = date.fromisoformat(out["last_day_of_sentence"])
    assert release <= last
    assert release.weekday() < 5
    assert release not in holidays_for_year(release.year)


@settings(max_examples=200, deadline=None)
@given(starts, st.integers(1, 200).map(lambda k: 6 * k), st.integers(0, 150), st.integers(0, 100))
def test_eligibility_dates_are_ordered(start: date, months: int, pripor: int, interruption: int) -> None:
    parole = CALC.calculate(
        "parole_eligibility",
        {"sentence_start_date": start.isoformat(), "sentence_length_months": months,
         "credited_pripor_days": pripor, "interruption_days": interruption},
    ).outputs  # fmt: skip
    early = CALC.calculate(
        "early_release",
        {"sentence_start_date": start.isoformat(), "sentence_length_months": months,
         "credited_pripor_days": pripor, "interruption_days": interruption},
    ).outputs  # fmt: skip
    third, half = parole["one_third_served_on"], parole["half_served_on"]
    two_thirds, end = early["two_thirds_served_on"], early["last_day_of_sentence"]
    assert third <= half <= two_thirds <= end == parole["last_day_of_sentence"]
    assert parole["eligible_from"] >= half
    if "three_quarters_served_on" in parole:
        assert two_thirds <= parole["three_quarters_served_on"] == parole["eligible_from"] <= end
    assert early["earliest_possible_release_date"] == max(two_thirds, early["three_months_before_end"])
    assert early["earliest_possible_release_date"] <= end


@settings(max_examples=100, deadline=None)
@given(starts, st.integers(1, 120))
def test_any_sentence_length_gives_ordered_dates(start: date, months: int) -> None:
    parole = CALC.calculate(
        "parole_eligibility", {"sentence_start_date": start.isoformat(), "sentence_length_months": months}
    ).outputs
    assert parole["one_third_served_on"] <= parole["half_served_on"] <= parole["last_day_of_sentence"]


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(0, 5000, places=2).map(float),
    st.decimals(0, 5000, places=2).map(float),
    st.decimals("0.01", 2000, places=2).map(float),
)
def test_savings_invariants(pay: float, current: float, assistance: float) -> None:
    out = CALC.calculate(
        "savings",
        {
            "monthly_pay_eur": pay,
            "current_mandatory_savings_eur": current,
            "monthly_social_assistance_eur": assistance,
        },
    ).outputs
    saving, free = out["mandatory_saving_this_month_eur"], out["freely_usable_this_month_eur"]
    assert 0 <= saving <= out["monthly_mandatory_saving_eur"] + 1e-9
    assert abs(saving + free - pay) < 0.005
    assert out["savings_after_eur"] <= max(out["savings_threshold_eur"], current) + 1e-9
    assert out["threshold_reached"] == (out["savings_after_eur"] >= out["savings_threshold_eur"])


@settings(max_examples=100, deadline=None)
@given(st.permutations([55.0, 38.5, 20.0]), st.permutations([61.0, 40.0, 36.0]))
def test_package_size_is_orientation_free(fits: list[float], too_big: list[float]) -> None:
    assert CALC.calculate("packages", {"dimensions_cm": fits}).outputs["allowed"] is True
    assert CALC.calculate("packages", {"dimensions_cm": too_big}).outputs["allowed"] is False


@settings(max_examples=100, deadline=None)
@given(st.floats(0, 24, allow_nan=False), st.floats(0, 24, allow_nan=False))
def test_meals_monotonic_in_hours(a: float, b: float) -> None:
    low, high = sorted((a, b))
    meals_low = CALC.calculate("extra_meal", {"daily_work_or_work_therapy_hours": low}).outputs["meals_per_day"]
    meals_high = CALC.calculate("extra_meal", {"daily_work_or_work_therapy_hours": high}).outputs["meals_per_day"]
    assert 3 <= meals_low <= meals_high <= 4


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)), st.integers(0, 1500))
def test_child_may_stay_until_is_bounded(birth: date, days_left: int) -> None:
    from datetime import timedelta

    last = birth + timedelta(days=days_left)
    out = CALC.calculate(
        "child_stay", {"child_birth_date": birth.isoformat(), "mother_last_day_of_sentence": last.isoformat()}
    ).outputs
    assert out["first_birthday"] <= out["child_may_stay_until"] <= out["second_birthday"] or (
        out["child_may_stay_until"] == last.isoformat() < out["first_birthday"]
    )
