"""Month arithmetic edges and the Slovenian work-free days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.easter import easter
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.calculator.dates import (
    add_months,
    holidays_for_year,
    last_day,
    last_working_day_on_or_before,
    package_holiday_names,
    served_on,
    work_free_reason,
)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
        (date(2025, 5, 10), 0, date(2025, 5, 10)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_last_day_counts_the_start_day() -> None:
    assert last_day(date(2024, 1, 15), 24) == date(2026, 1, 14)
    assert last_day(date(2025, 2, 2), 3) == date(2025, 5, 1)
    assert last_day(date(2025, 1, 1), 12) == date(2025, 12, 31)
    assert served_on(date(2024, 12, 1), 12) == date(2025, 11, 30)


def test_clamping_is_not_invertible() -> None:
    assert add_months(add_months(date(2025, 1, 31), 1), -1) == date(2025, 1, 28)


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31)), st.integers(-600, 600))
def test_add_months_properties(day: date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day
    if day.day <= 28:
        assert result.day == day.day
        assert add_months(result, -months) == day


def _readme_holidays(year: int) -> set[date]:
    fixed = [
        (1, 1),
        (1, 2),
        (2, 8),
        (4, 27),
        (5, 1),
        (5, 2),
        (6, 25),
        (8, 15),
        (10, 31),
        (11, 1),
        (12, 25),
        (12, 26),
    ]
    sunday = easter(year)
    return {date(year, m, d) for m, d in fixed} | {
        sunday,
        sunday + timedelta(days=1),
        sunday + timedelta(days=49),
    }


@pytest.mark.parametrize("year", [1995, 2014, 2016, 2020, 2024, 2025, 2026, 2030, 2045])
def test_holidays_equal_the_readme_list(year: int) -> None:
    assert set(holidays_for_year(year)) == _readme_holidays(year)


def test_good_friday_and_state_working_holidays_are_working_days() -> None:
    assert work_free_reason(date(2025, 4, 18)) is None  # Good Friday
    assert work_free_reason(date(2026, 11, 23)) is None  # Rudolf Maister day, a working holiday (Monday)
    assert work_free_reason(date(2025, 5, 1)) == "praznik dela"
    assert work_free_reason(date(2025, 3, 15)) == "sobota, dela prost dan"
    assert work_free_reason(date(2025, 3, 16)) == "nedelja"


def test_the_holidays_package_is_filtered_to_the_list() -> None:
    for year in range(2017, 2031):
        package = set(package_holiday_names(year))
        assert package >= _readme_holidays(year)
        # the package also has the one-off 2023 solidarity day (14 Aug), which the README list excludes
        assert package - _readme_holidays(year) <= {date(2023, 8, 14)}
    assert date(2023, 8, 14) not in holidays_for_year(2023)
    assert work_free_reason(date(2023, 8, 14)) is None


def test_release_moves_back_over_easter() -> None:
    release, skipped = last_working_day_on_or_before(date(2026, 4, 6))
    assert release == date(2026, 4, 3)
    assert [d for d, _ in skipped] == [date(2026, 4, 6), date(2026, 4, 5), date(2026, 4, 4)]


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_release_day_is_a_working_day_not_after_the_last_day(last: date) -> None:
    release, skipped = last_working_day_on_or_before(last)
    assert release <= last
    assert release.weekday() < 5
    assert release not in holidays_for_year(release.year)
    assert len(skipped) == (last - release).days
    for day, _ in skipped:
        assert work_free_reason(day) is not None
