"""Property: every date the calculator computes lies within the sentence.

For any valid start (1990–2100), length, credited pripor and interruption:

* every date output lies on or after the day the sentence is counted from (the start minus credited pripor,
  "šteje se, kot da ste kazen začeli prestajati ta dan");
* the last day and the release day lie on or after the day the sentence began (the start as entered): credited
  pripor as long as the sentence is rejected, and a release is never moved before the start;
* release dates (release day, earliest early release, parole eligibility) lie on or before the last day.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.calculator import Calculator, CalculatorInputError
from assistant.calculator.dates import add_months

CALC = Calculator()
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
RELEASE_DATES = ("release_date", "earliest_possible_release_date", "eligible_from")

starts = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
months = st.one_of(st.integers(1, 36), st.integers(1, 1200))
pripor = st.one_of(st.just(0), st.integers(0, 120), st.integers(0, 36600))
interruption = st.one_of(st.just(0), st.integers(0, 36600))


def _date_outputs(outputs: dict[str, Any]) -> dict[str, date]:
    return {k: date.fromisoformat(v) for k, v in outputs.items() if isinstance(v, str) and ISO.match(v)}


def _check(
    kind: str, inputs: dict[str, Any], start: date, credited: int, length_months: int, length_days: int = 0
) -> None:
    counted_from = start - timedelta(days=credited)
    sentence_days = (add_months(counted_from, length_months) + timedelta(days=length_days) - counted_from).days
    try:
        outputs = CALC.calculate(kind, inputs).outputs
    except CalculatorInputError as exc:
        assert exc.field == "credited_pripor_days", exc.message
        assert credited >= sentence_days  # rejected exactly when pripor covers the whole sentence
        return
    assert credited < sentence_days
    dates = _date_outputs(outputs)
    assert dates, outputs
    for name, day in dates.items():
        assert day >= counted_from, (name, day, counted_from)
    last = dates.get("last_day_of_sentence")
    if last is not None:
        assert last >= start
    if "release_date" in dates:
        assert dates["release_date"] >= start
    for name in RELEASE_DATES:
        if name in dates and last is not None:
            assert dates[name] <= last, (name, dates[name], last)
    for skipped in outputs.get("skipped_days", []):
        assert dates["release_date"] < date.fromisoformat(skipped[:10]) <= last


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["early_release", "parole_eligibility", "release_day"]), starts, months, pripor, interruption)
def test_dates_by_months_lie_within_the_sentence(kind: str, start: date, length: int, credited: int, gap: int) -> None:
    inputs = {"sentence_start_date": start.isoformat(), "sentence_length_months": length,
              "credited_pripor_days": credited, "interruption_days": gap}  # fmt: skip
    _check(kind, inputs, start, credited, length)


@settings(max_examples=300, deadline=None)
@given(starts, st.integers(0, 1200), st.integers(0, 36600), pripor, interruption)
def test_sentence_end_dates_lie_within_the_sentence(
    start: date, length: int, days: int, credited: int, gap: int
) -> None:
    if length == 0 and days == 0:
        days = 1
    inputs = {"sentence_start_date": start.isoformat(), "sentence_length_months": length, "sentence_length_days": days,
              "credited_pripor_days": credited, "interruption_days": gap}  # fmt: skip
    _check("sentence_end", inputs, start, credited, length, days)


@settings(max_examples=200, deadline=None)
@given(starts, st.integers(0, 36600), interruption)
def test_early_release_from_a_last_day_and_life_parole_lie_within_the_sentence(
    start: date, credited: int, gap: int
) -> None:
    last = start + timedelta(days=credited % 4000)
    inputs = {"sentence_start_date": start.isoformat(), "sentence_last_day": last.isoformat(),
              "credited_pripor_days": credited, "interruption_days": gap}  # fmt: skip
    if last.year <= 2100:
        outputs = CALC.calculate("early_release", inputs).outputs
        counted_from = start - timedelta(days=credited)
        dates = _date_outputs(outputs)
        assert all(day >= counted_from for day in dates.values())
        assert dates["earliest_possible_release_date"] <= dates["last_day_of_sentence"]
    life = {"sentence_start_date": start.isoformat(), "life_sentence": True, "credited_pripor_days": credited}
    try:
        eligible = date.fromisoformat(CALC.calculate("parole_eligibility", life).outputs["eligible_from"])
    except CalculatorInputError as exc:
        assert exc.field == "credited_pripor_days"
        assert add_months(start - timedelta(days=credited), 25 * 12) - timedelta(days=1) < start
        return
    assert start <= eligible
