"""The calculations: pure functions from a validated input model and the rule book to outputs and steps.

Every legal figure is read from ``rules.toml`` (:mod:`assistant.calculator.rules`); nothing in the engine is
a figure of law. Date conventions are documented in :mod:`assistant.calculator.dates`. Money is computed
with :class:`~decimal.Decimal` and rounded half-up to cents. The kinds live in :mod:`.work` (leave, rest
days, savings), :mod:`.contacts` (visits, parcels), :mod:`.daily` (meals, child), :mod:`.weekend` (weekend
prison) and :mod:`.sentence` (dates).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .common import Computation, num
from .contacts import packages, visits
from .daily import child_stay, extra_meal
from .rules import RuleBook
from .schemas import LOCATION_INSIDE, CalcInput
from .sentence import early_release, parole_eligibility, release_day, sentence_end
from .weekend import weekend_prison_eligibility
from .work import education_rest_days, leave_days, savings


def missing_inputs(kind: str, inp: CalcInput, rules: RuleBook) -> list[str]:
    """Names of the inputs a calculation of ``kind`` still needs (empty when it can run)."""
    v = inp.model_dump()
    missing: list[str] = []
    if kind == "leave_days":
        if v["hours_worked_per_month"] is not None and v["monthly_full_time_hours"] is None:
            missing.append("monthly_full_time_hours")
        if v["started_sentence_from_pripor"] and v["leave_days_computed_for_pripor_work"] is None:
            missing.append("leave_days_computed_for_pripor_work")
        if (
            all(
                v[k] is None
                for k in ("full_time_months", "hours_worked_per_month", "leave_days_computed_for_pripor_work")
            )
            and not missing
        ):
            missing.append("full_time_months")
    elif kind == "education_rest_days":
        if v["months_successfully_completed"] is None and v["months_not_successfully_completed"] is None:
            missing.append("months_successfully_completed")
    elif kind == "visits":
        if v["weeks"] is None and v["visit_type"] is None and v["location"] in (None, LOCATION_INSIDE):
            missing.append("visit_type")
    elif kind == "packages":
        if v["regime"] is None and v["dimensions_cm"] is None:
            missing.append("regime")
    elif kind == "savings":
        missing += [k for k in ("monthly_pay_eur", "monthly_social_assistance_eur") if v[k] is None]
    elif kind == "early_release":
        if v["sentence_start_date"] is None:
            missing.append("sentence_start_date")
        if v["sentence_length_months"] is None and v["sentence_last_day"] is None:
            missing.append("sentence_length_months")
    elif kind == "parole_eligibility":  # without the start date the thresholds are given in months
        if v["sentence_length_months"] is None and not v["life_sentence"]:
            missing.append("sentence_length_months")
    elif kind == "release_day":
        if v["last_day_of_sentence"] is None:
            missing += [k for k in ("sentence_start_date", "sentence_length_months") if v[k] is None]
    elif kind == "sentence_end":
        if v["sentence_start_date"] is None:
            missing.append("sentence_start_date")
        if v["sentence_length_months"] is None and v["sentence_length_days"] is None:
            missing.append("sentence_length_months")
    elif kind == "extra_meal":
        if v["daily_work_or_work_therapy_hours"] is None and not v["pregnant_or_breastfeeding"]:
            missing.append("daily_work_or_work_therapy_hours")
    elif kind == "child_stay":
        missing += [k for k in ("child_birth_date", "mother_last_day_of_sentence") if v[k] is None]
    elif kind == "weekend_prison_eligibility":
        if v["sentence_months"] is None:
            missing.append("sentence_months")
        max_months = int(rules["weekend_prison_sentence"]["max_sentence_months"])
        fails_anyway = (v["sentence_months"] is not None and v["sentence_months"] > max_months) or bool(
            v["offence_against_sexual_integrity"]
        )
        if v["status"] is None and not fails_anyway:
            missing.append("status")
    return missing


ENGINES: dict[str, Callable[[Any, RuleBook], Computation]] = {
    "leave_days": leave_days,
    "education_rest_days": education_rest_days,
    "visits": visits,
    "packages": packages,
    "savings": savings,
    "early_release": early_release,
    "parole_eligibility": parole_eligibility,
    "release_day": release_day,
    "sentence_end": sentence_end,
    "extra_meal": extra_meal,
    "child_stay": child_stay,
    "weekend_prison_eligibility": weekend_prison_eligibility,
}


__all__ = ["ENGINES", "Computation", "missing_inputs", "num"]
