"""Inputs for sentence dates from a question: early release, parole, release day, end of the sentence."""

from __future__ import annotations

import re
from typing import Any

from .extract_common import NEEDS, assign_dates, day_count, flag, sentence_length
from .parse import Extraction


def _sentence_dates(ex: Extraction, roles: dict[str, str], fallback: list[str]) -> dict[str, Any]:
    inputs: dict[str, Any] = dict(assign_dates(ex, roles, fallback))
    length = sentence_length(ex)
    if length is not None:
        inputs["sentence_length_months"] = length
    for name, pattern in (("credited_pripor_days", r"pripor"), ("interruption_days", r"prekin\w*")):
        days = day_count(ex, pattern)
        if days is not None:
            inputs[name] = days
        elif any(
            q.unit in ("months", "week") and re.search(pattern, ex.window(q.index, before=5, after=3))
            for q in ex.quantities
        ):
            inputs.setdefault(NEEDS, []).append(name)  # stated in months or weeks: ask for the exact days
    return inputs


def early_release_inputs(ex: Extraction) -> dict[str, Any]:
    return _sentence_dates(
        ex,
        {"start": "sentence_start_date", "last": "sentence_last_day", "reference": "reference_date"},
        ["sentence_start_date", "reference_date"],
    )


def parole_inputs(ex: Extraction) -> dict[str, Any]:
    inputs = _sentence_dates(ex, {"start": "sentence_start_date"}, ["sentence_start_date"])
    needs = inputs.get(NEEDS, [])
    if "sentence_start_date" not in inputs and "credited_pripor_days" in needs:
        # no date to count days from: pripor in months is subtracted from the thresholds in months
        months = next(
            (
                q.value
                for q in ex.quantities
                if q.unit == "months" and re.search(r"pripor", ex.window(q.index, before=5, after=3))
            ),
            None,
        )
        if months is not None and float(months).is_integer():
            inputs["credited_pripor_months"] = int(months)
            needs.remove("credited_pripor_days")
            if not needs:
                inputs.pop(NEEDS)
    if flag(ex, r"dosmrtn\w*"):
        inputs["life_sentence"] = True
        inputs.pop("sentence_length_months", None)
    return inputs


def release_day_inputs(ex: Extraction) -> dict[str, Any]:
    has_length = sentence_length(ex) is not None
    fallback = ["sentence_start_date"] if has_length else ["last_day_of_sentence"]
    inputs = _sentence_dates(ex, {"start": "sentence_start_date", "last": "last_day_of_sentence"}, fallback)
    if "last_day_of_sentence" in inputs and "sentence_start_date" not in inputs:
        inputs.pop("sentence_length_months", None)
    return inputs


def sentence_end_inputs(ex: Extraction) -> dict[str, Any]:
    inputs = _sentence_dates(ex, {"start": "sentence_start_date"}, ["sentence_start_date"])
    return inputs
