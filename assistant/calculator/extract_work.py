"""Inputs for work and education from a question: leave days, rest days for education, savings."""

from __future__ import annotations

import re
from typing import Any

from .extract_common import day_count, durations, flag, mentions, whole
from .parse import Extraction, Quantity, month_range_length


def leave_days_inputs(ex: Extraction) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    hours_worked: list[float] = []
    for q in ex.quantities:
        if q.unit != "hour":
            continue
        context = ex.window(q.index, before=6, after=4)
        if re.search(r"obveznost|poln\w* (delovn\w* )?(cas\w*|urnik\w*)|polni cas|\bpolno\b", context):
            inputs.setdefault("monthly_full_time_hours", whole(q.value))
            continue
        before = ex.tokens[q.index - 1].text if q.index > 0 else ""
        repeat = 1
        if before == "po":  # "3 mesece po 80 ur"
            months_before = [d for d in durations(ex) if d.end == q.index - 1]
            if months_before and float(months_before[0].value).is_integer():
                repeat = int(months_before[0].value)
        hours_worked.extend([q.value] * repeat)
    if hours_worked:
        inputs["hours_worked_per_month"] = [whole(h) for h in hours_worked]
    for q in durations(ex):
        clause = ex.clause_text(q.clause)
        if hours_worked and not re.search(r"poln", clause):
            continue
        if re.search(r"pripor|dodat", ex.window(q.index, before=3, after=0)):
            continue
        inputs.setdefault("full_time_months", whole(q.value))
    if "full_time_months" not in inputs and not hours_worked and re.search(r"poln\w* delovn|delala|delam", ex.text):
        span = month_range_length(ex.text)
        if span is not None:
            inputs["full_time_months"] = span
    additional = day_count(ex, r"dodat")
    if additional is not None:
        inputs["additional_days_proposed"] = additional
    if mentions(ex, r"pripor"):
        from_pripor = flag(ex, r"pripor\w*")
        if from_pripor:
            inputs["started_sentence_from_pripor"] = True
        for q in ex.quantities:
            if q.unit == "day" and not re.search(r"dodat", ex.clause_text(q.clause)):
                inputs["leave_days_computed_for_pripor_work"] = whole(q.value)
                break
    return inputs


def education_inputs(ex: Extraction) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    for q in durations(ex):
        window = ex.window(q.index, before=5, after=4)
        words = set(window.split())
        if words & {"ne", "ni", "nisem", "niso"} or re.search(r"neuspes|padl", window):
            inputs.setdefault("months_not_successfully_completed", whole(q.value))
        else:
            inputs.setdefault("months_successfully_completed", whole(q.value))
    additional = day_count(ex, r"dodat")
    if additional is not None:
        inputs["additional_days_proposed"] = additional
    return inputs


_MONEY_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("monthly_social_assistance_eur", re.compile(r"socialn\w*|pomoc\w*|dsp")),
    ("current_mandatory_savings_eur", re.compile(r"prihran\w*|privarcev\w*|zbran\w*|varcevan\w*|racun\w*")),
    (
        "monthly_pay_eur",
        re.compile(r"placil\w*|placa|placo|zasluz\w*|dobila|prejela|nagrad\w*|delo|dobim|prejmem"),
    ),
]


def savings_inputs(ex: Extraction) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    unassigned: list[Quantity] = []
    for q in ex.quantities:
        if q.unit != "eur":
            continue
        clause_tokens = [(i, t.text) for i, t in enumerate(ex.tokens) if t.clause == q.clause]
        best: tuple[int, str] | None = None
        for i, word in clause_tokens:
            for role, pattern in _MONEY_ROLES:
                if role in inputs or not pattern.fullmatch(word):
                    continue
                distance = (q.index - i) if i < q.index else (i - q.index) + 50
                if best is None or distance < best[0]:
                    best = (distance, role)
        if best:
            inputs[best[1]] = whole(q.value)
        else:
            unassigned.append(q)
    for q in unassigned:
        for role in ("monthly_pay_eur", "current_mandatory_savings_eur", "monthly_social_assistance_eur"):
            if role not in inputs:
                inputs[role] = whole(q.value)
                break
    if "current_mandatory_savings_eur" not in inputs and re.search(
        r"prihran\w*[^.]*\b(nimam|nic|ni)\b|\b(nimam|nic)\b[^.]*prihran\w*|prazen prihran", ex.text
    ):
        inputs["current_mandatory_savings_eur"] = 0
    return inputs
