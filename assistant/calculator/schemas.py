"""Input models (one per calculation kind) and result types.

Field names are the contract of ``eval/README.md``. Every field is optional at the model level; which ones a
calculation needs is decided by the engine (:func:`assistant.calculator.engine.missing_inputs`), so that the
natural-language path can ask for exactly the missing figure. The field catalogue is in
:mod:`assistant.calculator.fields`, parsing and the Slovenian messages in :mod:`assistant.calculator.values`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from .fields import FIELDS, CalculatorInputError, cap, follow_up_question, label
from .rules import Citation
from .values import parse_field
from .words import (
    CLOSE_FAMILY,
    LOCATION_INSIDE,
    LOCATION_OUTSIDE,
    LOCATION_OVERNIGHT,
    VISITOR_WORDS,
    fold,
    month_from_word,
)


def _f(name: str) -> Any:
    spec = FIELDS[name]
    return Field(default=None, title=cap(spec.label), description=spec.question)


# --- input models -------------------------------------------------------------------------------------------


class CalcInput(BaseModel):
    """Base of every input model: lenient parsing with Slovenian errors, unknown fields rejected."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _parse(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        rules = info.context.get("rules") if isinstance(info.context, dict) else None
        assert info.field_name is not None
        return parse_field(info.field_name, value, rules)


def _check_order(first: date | None, second: date | None, field: str, message: str) -> None:
    if first is not None and second is not None and second < first:
        raise CalculatorInputError(field, message)


class LeaveDaysInput(CalcInput):
    """Annual leave for work (Delo v zaporu)."""

    full_time_months: int | None = _f("full_time_months")
    hours_worked_per_month: list[float] | None = _f("hours_worked_per_month")
    monthly_full_time_hours: float | None = _f("monthly_full_time_hours")
    additional_days_proposed: int | None = _f("additional_days_proposed")
    started_sentence_from_pripor: bool | None = _f("started_sentence_from_pripor")
    leave_days_computed_for_pripor_work: int | None = _f("leave_days_computed_for_pripor_work")


class EducationRestDaysInput(CalcInput):
    """Annual rest days for education (Izobraževanje)."""

    months_successfully_completed: int | None = _f("months_successfully_completed")
    months_not_successfully_completed: int | None = _f("months_not_successfully_completed")
    additional_days_proposed: int | None = _f("additional_days_proposed")


class VisitsInput(CalcInput):
    """Duration and frequency of visits (Obiski)."""

    visit_type: Literal["nadzorovan", "nenadzorovan"] | None = _f("visit_type")
    location: Literal["v zavodu", "zunaj zavoda", "ločen namenski prostor z možnostjo nočitve"] | None = _f("location")
    visitor_category: (
        Literal["ožji družinski član", "rejnik", "skrbnik", "odvetnik", "pooblaščenec", "druga oseba"] | None
    ) = _f("visitor_category")
    weeks: int | None = _f("weeks")


class PackagesInput(CalcInput):
    """Parcels per regime and the size limit (Paketi)."""

    regime: Literal["zaprti", "polodprti", "odprti"] | None = _f("regime")
    period_months: int | None = _f("period_months")
    period_weeks: int | None = _f("period_weeks")
    dimensions_cm: list[float] | None = _f("dimensions_cm")


class SavingsInput(CalcInput):
    """Mandatory savings from pay for work (Delo v zaporu)."""

    monthly_pay_eur: float | None = _f("monthly_pay_eur")
    current_mandatory_savings_eur: float | None = _f("current_mandatory_savings_eur")
    monthly_social_assistance_eur: float | None = _f("monthly_social_assistance_eur")


class EarlyReleaseInput(CalcInput):
    """Time condition for early release (Predčasni odpust)."""

    sentence_start_date: date | None = _f("sentence_start_date")
    sentence_length_months: int | None = _f("sentence_length_months")
    sentence_last_day: date | None = _f("sentence_last_day")
    interruption_days: int | None = _f("interruption_days")
    credited_pripor_days: int | None = _f("credited_pripor_days")
    reference_date: date | None = _f("reference_date")

    @model_validator(mode="after")
    def _dates_ordered(self) -> EarlyReleaseInput:
        _check_order(
            self.sentence_start_date,
            self.sentence_last_day,
            "sentence_last_day",
            "Zadnji dan kazni je pred začetkom prestajanja – neveljavni datumi.",
        )
        return self


class ParoleEligibilityInput(CalcInput):
    """Parole thresholds (KZ-1, 88. and 56. člen)."""

    sentence_start_date: date | None = _f("sentence_start_date")
    sentence_length_months: int | None = _f("sentence_length_months")
    life_sentence: bool | None = _f("life_sentence")
    credited_pripor_days: int | None = _f("credited_pripor_days")
    credited_pripor_months: int | None = _f("credited_pripor_months")
    interruption_days: int | None = _f("interruption_days")


class ReleaseDayInput(CalcInput):
    """The day of release when the last day is not a working day (Odpuščanje iz zavoda)."""

    last_day_of_sentence: date | None = _f("last_day_of_sentence")
    sentence_start_date: date | None = _f("sentence_start_date")
    sentence_length_months: int | None = _f("sentence_length_months")
    credited_pripor_days: int | None = _f("credited_pripor_days")
    interruption_days: int | None = _f("interruption_days")

    @model_validator(mode="after")
    def _dates_ordered(self) -> ReleaseDayInput:
        _check_order(
            self.sentence_start_date,
            self.last_day_of_sentence,
            "last_day_of_sentence",
            "Zadnji dan kazni je pred začetkom prestajanja – neveljavni datumi.",
        )
        return self


class SentenceEndInput(CalcInput):
    """Last day of a sentence from its start and length (KZ-1, 56. člen for pripor)."""

    sentence_start_date: date | None = _f("sentence_start_date")
    sentence_length_months: int | None = _f("sentence_length_months")
    sentence_length_days: int | None = _f("sentence_length_days")
    credited_pripor_days: int | None = _f("credited_pripor_days")
    interruption_days: int | None = _f("interruption_days")


class ExtraMealInput(CalcInput):
    """Meals per day (Prehrana)."""

    daily_work_or_work_therapy_hours: float | None = _f("daily_work_or_work_therapy_hours")
    pregnant_or_breastfeeding: bool | None = _f("pregnant_or_breastfeeding")


class ChildStayInput(CalcInput):
    """How long a child may stay with the mother (Kako je z zdravstvenim zavarovanjem …)."""

    child_birth_date: date | None = _f("child_birth_date")
    mother_last_day_of_sentence: date | None = _f("mother_last_day_of_sentence")
    special_health_social_or_other_reasons: bool | None = _f("special_health_social_or_other_reasons")

    @model_validator(mode="after")
    def _dates_ordered(self) -> ChildStayInput:
        _check_order(
            self.child_birth_date,
            self.mother_last_day_of_sentence,
            "mother_last_day_of_sentence",
            "Zadnji dan kazni je pred rojstvom otroka – otrok ne more bivati z vami v zavodu.",
        )
        return self


class WeekendPrisonInput(CalcInput):
    """Objective conditions for weekend prison (Zapor ob koncu tedna)."""

    sentence_months: int | None = _f("sentence_months")
    offence_against_sexual_integrity: bool | None = _f("offence_against_sexual_integrity")
    status: str | None = _f("status")
    status_country: str | None = _f("status_country")


INPUT_MODELS: dict[str, type[CalcInput]] = {
    "leave_days": LeaveDaysInput,
    "education_rest_days": EducationRestDaysInput,
    "visits": VisitsInput,
    "packages": PackagesInput,
    "savings": SavingsInput,
    "early_release": EarlyReleaseInput,
    "parole_eligibility": ParoleEligibilityInput,
    "release_day": ReleaseDayInput,
    "sentence_end": SentenceEndInput,
    "extra_meal": ExtraMealInput,
    "child_stay": ChildStayInput,
    "weekend_prison_eligibility": WeekendPrisonInput,
}

KIND_TITLES: dict[str, str] = {
    "leave_days": "letni dopust za delo",
    "education_rest_days": "letni počitek za izobraževanje",
    "visits": "obiski",
    "packages": "paketi",
    "savings": "obvezni prihranek",
    "early_release": "predčasni odpust",
    "parole_eligibility": "pogojni odpust",
    "release_day": "dan odpusta",
    "sentence_end": "konec kazni",
    "extra_meal": "dodatni obrok",
    "child_stay": "bivanje otroka pri materi",
    "weekend_prison_eligibility": "zapor ob koncu tedna",
}


# --- results ------------------------------------------------------------------------------------------------


@dataclass
class CalcResult:
    """A finished calculation: validated inputs, outputs, Slovenian steps and the rules it rests on."""

    kind: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    steps: list[str]
    citations: list[Citation]
    understood: str
    summary: str
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "kind": self.kind,
            "inputs": self.inputs,
            "outputs": self.outputs,
            "steps": list(self.steps),
            "citations": [c.to_dict() for c in self.citations],
            "understood": self.understood,
            "summary": self.summary,
            "notes": list(self.notes),
        }


@dataclass
class CalcRoute:
    """What the natural-language router made of a question that asks for a personal calculation."""

    kind: str
    understood: dict[str, Any]
    missing: list[str] = field(default_factory=list)
    follow_up: str | None = None
    result: CalcResult | None = None
    error: str | None = None
    error_field: str | None = None
    understood_text: str = ""

    @property
    def text(self) -> str:
        """The reply as shown to the user."""
        parts = [self.understood_text] if self.understood_text else []
        if self.error:
            parts.append(self.error)
        elif self.follow_up:
            parts.append(self.follow_up)
        elif self.result is not None:
            parts.append(self.result.summary)
            parts.extend(self.result.steps)
        return "\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "kind": self.kind,
            "understood": self.understood,
            "understood_text": self.understood_text,
            "missing": list(self.missing),
            "follow_up": self.follow_up,
            "result": self.result.to_dict() if self.result is not None else None,
            "error": self.error,
            "error_field": self.error_field,
            "text": self.text,
        }


__all__ = [
    "CLOSE_FAMILY",
    "FIELDS",
    "INPUT_MODELS",
    "KIND_TITLES",
    "LOCATION_INSIDE",
    "LOCATION_OUTSIDE",
    "LOCATION_OVERNIGHT",
    "VISITOR_WORDS",
    "CalcInput",
    "CalcResult",
    "CalcRoute",
    "CalculatorInputError",
    "follow_up_question",
    "fold",
    "label",
    "month_from_word",
]
