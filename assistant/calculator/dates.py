"""Date arithmetic for sentence calculations.

Conventions (the contract in ``eval/README.md``):

* **Month arithmetic**: ``add_months(d, k)`` is the same day-of-month ``k`` months later (earlier for a
  negative ``k``); when that day does not exist in the target month it is clamped to the month's last day.
  So 31 Jan + 1 month = 28 Feb (29 Feb in a leap year), 29 Feb 2024 + 12 months = 28 Feb 2025, and
  31 Mar − 1 month = 28/29 Feb. Clamping makes the operation non-invertible (31 Jan + 1 − 1 = 28 Jan).
* **Start day is served**: the start date is the first day served ("se šteje od dneva zglasitve"), so a
  sentence of ``n`` months starting on ``s`` ends on ``last_day(s, n) = add_months(s, n) − 1 day``. A share
  of ``k`` months is served on ``add_months(s, k) − 1 day``.
* **Pripor** days are credited by moving the start back by that many days; **interruption** days are not
  served and move every date forward by that many days.
* **Work-free days** for the release day: Saturdays and Sundays (``rules.toml``: ``work_free_weekdays``) and
  the Slovenian *dela prosti dnevi* listed in ``rules.toml``. The list is checked against the ``holidays``
  package and the rule file wins: package days not in the list (e.g. the one-off solidarity day of
  14 Aug 2023) are dropped, listed days the package lacks (e.g. 2 January in 2013–2016, when it was a working
  day) are added, so every year uses the current list.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache

from dateutil.easter import easter

from .rules import RuleBook, load_rules

WEEKDAYS_SL = ("ponedeljek", "torek", "sreda", "četrtek", "petek", "sobota", "nedelja")
WEEKDAYS_SL_ACC = ("ponedeljek", "torek", "sredo", "četrtek", "petek", "soboto", "nedeljo")


def add_months(day: date, months: int) -> date:
    """Same day-of-month ``months`` later (negative: earlier), clamped to the last day of the target month."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise OverflowError("datum je zunaj dovoljenega obsega")
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def served_on(start: date, months: int) -> date:
    """The day on which ``months`` months counted from ``start`` (the first day served) have been served."""
    return add_months(start, months) - timedelta(days=1)


def last_day(start: date, months: int) -> date:
    """Last day of a sentence of ``months`` months that starts (first day served) on ``start``."""
    return served_on(start, months)


def format_date(day: date) -> str:
    """Slovenian short form, e.g. ``15. 3. 2025``."""
    return f"{day.day}. {day.month}. {day.year}"


def weekday_name(day: date) -> str:
    """Slovenian weekday name (``ponedeljek`` … ``nedelja``)."""
    return WEEKDAYS_SL[day.weekday()]


def weekday_on(day: date) -> str:
    """``v`` + weekday in the accusative (``v petek``, ``v sredo``)."""
    return f"v {WEEKDAYS_SL_ACC[day.weekday()]}"


def holidays_for_year(year: int, rules: RuleBook | None = None) -> dict[date, str]:
    """Slovenian work-free public holidays of ``year`` (date → name), as listed in ``rules.toml``."""
    rules = rules or load_rules()
    key = (str(rules.path), year)
    return dict(_holidays_cached(key, rules))


_CACHE: dict[tuple[str, int], tuple[tuple[date, str], ...]] = {}


def _holidays_cached(key: tuple[str, int], rules: RuleBook) -> tuple[tuple[date, str], ...]:
    cached = _CACHE.get(key)
    if cached is None:
        cached = tuple(sorted(_compute_holidays(key[1], rules).items()))
        _CACHE[key] = cached
    return cached


def _compute_holidays(year: int, rules: RuleBook) -> dict[date, str]:
    rule = rules["release_day"]
    listed: dict[date, str] = {}
    for item in rule["fixed_holidays"]:
        month, day = (int(part) for part in str(item["date"]).split("-"))
        listed[date(year, month, day)] = str(item["name"])
    sunday = easter(year)
    for item in rule["easter_holidays"]:
        listed[sunday + timedelta(days=int(item["offset"]))] = str(item["name"])
    package = _package_holidays(year)
    # Keep the package's days that the list names, add what the package lacks: the result equals the list.
    verified = {day: listed[day] for day in package if day in listed}
    verified.update({day: name for day, name in listed.items() if day not in verified})
    return verified


@lru_cache(maxsize=256)
def _package_holidays(year: int) -> frozenset[date]:
    try:
        import holidays
    except ImportError:  # pragma: no cover - the package is a declared dependency
        return frozenset()
    return frozenset(holidays.country_holidays("SI", years=year).keys())


def package_holiday_names(year: int) -> dict[date, str]:
    """What the ``holidays`` package itself returns for Slovenia (for verification and tests)."""
    import holidays

    return {day: str(name) for day, name in holidays.country_holidays("SI", years=year, language="sl").items()}


def work_free_reason(day: date, rules: RuleBook | None = None) -> str | None:
    """Why ``day`` is not a working day (``"nedelja"``, ``"sobota, dela prost dan"``, a holiday), or None."""
    rules = rules or load_rules()
    reasons: list[str] = []
    if day.weekday() in {int(d) for d in rules["release_day"]["work_free_weekdays"]}:
        reasons.append(weekday_name(day))
    holiday = holidays_for_year(day.year, rules).get(day)
    if holiday:
        reasons.append(holiday)
    elif reasons and day.weekday() != 6:
        reasons.append("dela prost dan")
    return ", ".join(reasons) if reasons else None


def last_working_day_on_or_before(day: date, rules: RuleBook | None = None) -> tuple[date, list[tuple[date, str]]]:
    """The latest working day ≤ ``day`` and the skipped days with their reasons (latest first)."""
    rules = rules or load_rules()
    skipped: list[tuple[date, str]] = []
    current = day
    while (reason := work_free_reason(current, rules)) is not None:
        skipped.append((current, reason))
        current -= timedelta(days=1)
    return current, skipped
