"""Slovenian numbers, durations, amounts and dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.calculator.numbers import digit_number, word_number
from assistant.calculator.parse import extract, month_range_length
from assistant.calculator.schemas import fold


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("ena", 1), ("en", 1), ("eno", 1), ("enega", 1), ("dva", 2), ("dve", 2), ("dveh", 2), ("tri", 3),
        ("treh", 3), ("štiri", 4), ("stiri", 4), ("štirih", 4), ("pet", 5), ("petih", 5), ("šest", 6),
        ("sedmih", 7), ("osmih", 8), ("devet", 9), ("deset", 10), ("dvanajst", 12), ("petnajst", 15),
        ("osemnajst", 18), ("dvajset", 20), ("petindvajset", 25), ("štiriindvajset", 24),
        ("šestintrideset", 36), ("petindvajsetih", 25), ("trideset", 30), ("sto", 100), ("pol", 0.5),
    ],
)  # fmt: skip
def test_number_words(word: str, value: float) -> None:
    assert word_number(word) == value


@pytest.mark.parametrize("word", ["mesec", "kazen", "petek", "obisk", "tedna", "delam"])
def test_ordinary_words_are_not_numbers(word: str) -> None:
    assert word_number(word) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("3,5", 3.5), ("300,00", 300), ("1480,00", 1480), ("1.480,00", 1480), ("1.480", 1480), ("-200", -200),
     ("\u22125", -5), ("3.5", 3.5)],
)  # fmt: skip
def test_digit_numbers(text: str, value: float) -> None:
    assert digit_number(text) == value


def _quantities(text: str) -> list[tuple[float, str | None]]:
    return [(q.value, q.unit) for q in extract(text).quantities]


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("pol leta", 6), ("leto in pol", 18), ("dve leti", 24), ("3 leta", 36), ("18 mesecev", 18),
        ("kazen dveh let", 24), ("eno leto", 12), ("2 leti in 3 mesece", 27), ("dve leti in pol", 30),
        ("pet polnih mesecev", 5), ("treh mesecev", 3), ("12-mesečna kazen", 12), ("dveletna kazen", 24),
        ("petindvajset let", 300), ("-3 mesece", -3),
    ],
)  # fmt: skip
def test_durations_in_months(text: str, months: float) -> None:
    assert _quantities(text) == [(months, "months")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v osmih tednih", [(8, "week")]),
        ("40 dni v priporu", [(40, "day")]),
        ("-5 dni", [(-5, "day")]),
        ("3,5 ure na dan", [(3.5, "hour")]),
        ("tri ure in pol", [(3.5, "hour")]),
        ("300,00 EUR", [(300, "eur")]),
        ("-200 EUR", [(-200, "eur")]),
        ("500 €", [(500, "eur")]),
        ("100, 120 in 90 ur", [(100, "hour"), (120, "hour"), (90, "hour")]),
        ("20 %", [(20, "percent")]),
    ],
)
def test_other_quantities(text: str, expected: list[tuple[float, str]]) -> None:
    assert _quantities(text) == expected


def test_hyphen_between_numbers_is_not_a_minus() -> None:
    assert _quantities("od 3-5 ur") == [(3, None), (5, "hour")]


MONTHS_GENITIVE = [
    "januarja",
    "februarja",
    "marca",
    "aprila",
    "maja",
    "junija",
    "julija",
    "avgusta",
    "septembra",
    "oktobra",
    "novembra",
    "decembra",
]


@pytest.mark.parametrize("month", range(1, 13))
def test_dates_with_month_names(month: int) -> None:
    text = f"Kazen sem nastopila 15. {MONTHS_GENITIVE[month - 1]} 2025."
    assert [d.value for d in extract(text).dates] == [date(2025, month, 15).isoformat()]


@pytest.mark.parametrize(
    "text",
    ["15. 3. 2025", "15.3.2025", "15/3/2025", "2025-03-15", "15. marca 2025", "15 marec 2025", "15.03.25"],
)
def test_date_formats(text: str) -> None:
    assert [d.value for d in extract(f"Nastopila sem {text}, kazen 3 leta.").dates] == ["2025-03-15"]


def test_a_date_that_does_not_exist_is_kept_for_rejection() -> None:
    mention = extract("nastopila sem 30. 2. 2025").dates[0]
    assert (mention.value, mention.valid) == ("30. 2. 2025", False)


def test_folding_removes_diacritics() -> None:
    assert fold("Šolam se, počitek, Žiga, ćevap, Đuro") == "solam se, pocitek, ziga, cevap, duro"


def test_month_range() -> None:
    assert month_range_length("od januarja do konca maja") == 5
    assert month_range_length("od novembra do februarja") == 4


def test_package_dimensions() -> None:
    assert extract("paket 65 x 40 x 30 cm").dimensions == [[65, 40, 30]]
    assert extract("paket 60x40x36").dimensions == [[60, 40, 36]]


_UNITS = {1: "ena", 2: "dva", 3: "tri", 4: "štiri", 5: "pet", 6: "šest", 7: "sedem", 8: "osem", 9: "devet"}
_TENS = {2: "dvajset", 3: "trideset", 4: "štirideset", 5: "petdeset", 6: "šestdeset", 7: "sedemdeset",
         8: "osemdeset", 9: "devetdeset"}  # fmt: skip


def _slovenian(n: int) -> str:
    teens = {10: "deset", 11: "enajst", 12: "dvanajst", 13: "trinajst", 14: "štirinajst", 15: "petnajst",
             16: "šestnajst", 17: "sedemnajst", 18: "osemnajst", 19: "devetnajst"}  # fmt: skip
    if n < 10:
        return _UNITS[n]
    if n < 20:
        return teens[n]
    tens, unit = divmod(n, 10)
    return _TENS[tens] if unit == 0 else f"{_UNITS[unit]}in{_TENS[tens]}"


@settings(max_examples=99, deadline=None)
@given(st.integers(1, 99), st.booleans())
def test_every_number_word_up_to_99(n: int, genitive: bool) -> None:
    word = _slovenian(n)
    if genitive and n >= 5:
        word += "ih"
    assert word_number(word) == n


@settings(max_examples=150, deadline=None)
@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
    st.sampled_from(["dot", "tight", "name"]),
)
def test_dates_round_trip(day: date, style: str) -> None:
    if style == "dot":
        text = f"{day.day}. {day.month}. {day.year}"
    elif style == "tight":
        text = f"{day.day}.{day.month}.{day.year}"
    else:
        text = f"{day.day}. {MONTHS_GENITIVE[day.month - 1]} {day.year}"
    assert [d.value for d in extract(f"Nastopila sem {text}.").dates] == [day.isoformat()]


def test_dates_next_to_each_other() -> None:
    start = date(2025, 1, 10)
    end = start + timedelta(days=30)
    text = f"od {start.day}. {start.month}. {start.year} do {end.strftime('%d. %m. %Y')}"
    assert [d.value for d in extract(text).dates] == ["2025-01-10", "2025-02-09"]
