"""Impossible dates and detention: a year outside 1990–2100 or not written with four digits, and credited pripor
as long as the sentence, are rejected with a message naming the field — structured, on the CLI and in questions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from assistant.calculator import Calculator, CalculatorInputError
from assistant.calculator.cli import main
from assistant.calculator.parse import extract

RANGE = "vpišite datum med 1. 1. 1990 in 31. 12. 2100."
FOUR_DIGITS = "letnica nima štirih števk (vpišite npr. 2025-03-15 ali 15. 3. 2025)."

BAD_DATES = [
    ("0025-03-15", f"leto 25 ni smiselno – {RANGE}"),
    ("0000-01-01", f"leto 0 ni smiselno – {RANGE}"),
    ("1989-12-31", f"leto 1989 ni smiselno – {RANGE}"),
    ("2101-01-01", f"leto 2101 ni smiselno – {RANGE}"),
    ("15. 3. 0025", f"leto 25 ni smiselno – {RANGE}"),
    ("15. marca 1900", f"leto 1900 ni smiselno – {RANGE}"),
    ("25-03-15", f"v »25-03-15« {FOUR_DIGITS}"),
    ("+02025-03-15", f"v »+02025-03-15« {FOUR_DIGITS}"),
    ("-2025-03-15", f"v »-2025-03-15« {FOUR_DIGITS}"),
    ("025-03-15", f"v »025-03-15« {FOUR_DIGITS}"),
]
# (kind, the other inputs, the date field, its label as the message starts)
DATE_FIELDS = [
    ("early_release", {"sentence_length_months": 12}, "sentence_start_date", "Začetek prestajanja kazni"),
    ("release_day", {}, "last_day_of_sentence", "Zadnji dan kazni"),
    ("child_stay", {"mother_last_day_of_sentence": "2026-01-01"}, "child_birth_date", "Datum rojstva otroka"),
    ("early_release", {"sentence_start_date": "2025-01-01", "sentence_length_months": 12}, "reference_date",
     "Datum preverjanja"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "reason"), BAD_DATES)
@pytest.mark.parametrize(("kind", "others", "field", "subject"), DATE_FIELDS)
def test_impossible_dates_are_rejected_naming_the_field(
    calc: Calculator, kind: str, others: dict[str, Any], field: str, subject: str, value: str, reason: str
) -> None:
    with pytest.raises(CalculatorInputError) as info:
        calc.calculate(kind, {**others, field: value})
    assert info.value.field == field
    assert info.value.message == f"{subject}: {reason}"


@pytest.mark.parametrize("value", [date(1989, 12, 31), date(2101, 1, 1), date(1, 1, 1)])
def test_date_objects_out_of_range_are_rejected(calc: Calculator, value: date) -> None:
    with pytest.raises(CalculatorInputError) as info:
        calc.calculate("release_day", {"last_day_of_sentence": value})
    assert info.value.field == "last_day_of_sentence"
    assert info.value.message.endswith(RANGE)


@pytest.mark.parametrize(
    ("value", "iso"),
    [("1990-01-01", "1990-01-01"), ("2100-12-31", "2100-12-31"), ("31. 12. 2100", "2100-12-31"),
     ("15.03.25", "2025-03-15"), (date(1990, 1, 1), "1990-01-01")],
)  # fmt: skip
def test_the_range_is_inclusive_and_the_short_year_is_this_century(calc: Calculator, value: Any, iso: str) -> None:
    assert calc.calculate("release_day", {"last_day_of_sentence": value}).inputs == {"last_day_of_sentence": iso}


def test_cli_rejects_impossible_dates(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["early_release", "-p", "sentence_start_date=0025-03-15", "-p", "sentence_length_months=12"]
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == f"Začetek prestajanja kazni: leto 25 ni smiselno – {RANGE}"
    assert captured.out == ""
    assert main(["release_day", "-p", "last_day_of_sentence=25-03-15"]) == 2
    assert capsys.readouterr().err.strip() == f"Zadnji dan kazni: v »25-03-15« {FOUR_DIGITS}"
    assert main(["--question", "Kazen 2 leti sem nastopila 0000-01-01. Kdaj bom prosta?"]) == 2
    assert f"Začetek prestajanja kazni: leto 0 ni smiselno – {RANGE}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("0025-03-15", f"leto 25 ni smiselno – {RANGE}"),
        ("15. 3. 0025", f"leto 25 ni smiselno – {RANGE}"),
        ("15. marca 1985", f"leto 1985 ni smiselno – {RANGE}"),
        ("25-03-15", f"v »25-03-15« {FOUR_DIGITS}"),
        ("+02025-03-15", f"v »+02025-03-15« {FOUR_DIGITS}"),
    ],
)
def test_questions_with_impossible_dates_are_rejected(calc: Calculator, written: str, reason: str) -> None:
    route = calc.route(f"Kazen 2 leti sem nastopila {written}. Kdaj bom prosta?")
    assert route is not None and route.result is None
    assert route.error_field == "sentence_start_date"
    assert route.error == f"Začetek prestajanja kazni: {reason}"


def test_dash_triples_that_are_not_dates_stay_numbers() -> None:
    assert extract("pokličem 080-15-30").dates == []
    mention = extract("nastopila sem 25-03-15").dates[0]
    assert (mention.value, mention.valid) == ("25-03-15", False)
    assert extract("nastopila sem 2025-03-155").dates == []


# --- credited detention (pripor) ----------------------------------------------------------------------------

PRIPOR_MESSAGE = (
    "Število dni pripora (59) je enako dolžini kazni (59 dni) ali večje: kazen bi bila s priporom prestana že "
    "pred nastopom. Preverite število dni pripora."
)
TWO_MONTHS = {"sentence_start_date": "2025-03-15", "sentence_length_months": 2}


@pytest.mark.parametrize("kind", ["early_release", "parole_eligibility", "release_day", "sentence_end"])
def test_pripor_as_long_as_the_sentence_is_rejected(calc: Calculator, kind: str) -> None:
    # 15. 3. 2025 − 59 days = 15. 1. 2025; two months from then are 59 days, ending on 14. 3. 2025
    with pytest.raises(CalculatorInputError) as info:
        calc.calculate(kind, {**TWO_MONTHS, "credited_pripor_days": 59})
    assert info.value.field == "credited_pripor_days"
    assert info.value.message == PRIPOR_MESSAGE
    with pytest.raises(CalculatorInputError, match="pripora"):
        calc.calculate(kind, {**TWO_MONTHS, "credited_pripor_days": 5000, "interruption_days": 6000})


@pytest.mark.parametrize("kind", ["early_release", "parole_eligibility", "release_day", "sentence_end"])
def test_pripor_one_day_shorter_leaves_the_start_day(calc: Calculator, kind: str) -> None:
    out = calc.calculate(kind, {**TWO_MONTHS, "credited_pripor_days": 58}).outputs
    assert out["last_day_of_sentence"] == "2025-03-15"


def test_pripor_longer_than_a_life_sentences_parole_threshold_is_rejected(calc: Calculator) -> None:
    inputs = {"sentence_start_date": "2025-03-15", "life_sentence": True}
    assert calc.calculate("parole_eligibility", {**inputs, "credited_pripor_days": 9000}).outputs
    with pytest.raises(CalculatorInputError) as info:
        calc.calculate("parole_eligibility", {**inputs, "credited_pripor_days": 9200})
    assert info.value.field == "credited_pripor_days"
    assert info.value.message.startswith("Število dni pripora (9200) doseže 25 let")


def test_pripor_in_a_question_is_rejected(calc: Calculator) -> None:
    route = calc.route(
        "Dobila sem 1 mesec zapora, nastopila sem 15. 3. 2025, v priporu sem bila 60 dni. Kdaj bom prosta?"
    )
    assert route is not None and route.error_field == "credited_pripor_days"
    assert route.error is not None and route.error.startswith("Število dni pripora (60) je enako dolžini kazni")


def test_release_never_comes_before_the_start(calc: Calculator) -> None:
    # a one-day sentence that starts on a Saturday: the Friday before is not a possible release day
    out = calc.calculate(
        "sentence_end", {"sentence_start_date": "2025-03-15", "sentence_length_days": 2}
    ).outputs  # Saturday and Sunday
    assert (out["last_day_of_sentence"], out["release_date"], out["skipped_days"]) == (
        "2025-03-16", "2025-03-15", ["2025-03-16 (nedelja)"],
    )  # fmt: skip
    result = calc.calculate("release_day", {**TWO_MONTHS, "credited_pripor_days": 58})  # last day = start, Saturday
    assert result.outputs["release_date"] == "2025-03-15"
    assert "odpust pa ne more biti pred nastopom kazni" in result.steps[-1]


def test_three_months_before_the_end_of_a_short_sentence_is_not_a_date(calc: Calculator) -> None:
    result = calc.calculate("early_release", TWO_MONTHS)
    assert "three_months_before_end" not in result.outputs
    assert result.outputs["earliest_possible_release_date"] == result.outputs["two_thirds_served_on"]
    assert any("pred začetkom kazni, zato ta meja ne velja" in step for step in result.steps)
