"""numbers.py: quantities in digits, words and fractions, their bounds, and the gold-number check."""

from __future__ import annotations

import pytest

from assistant.text.numbers import canonical_number, contains_number, number_values, quantities


def values(text: str) -> list[str]:
    return [q.value for q in quantities(text)]


def triples(text: str) -> list[tuple[str, str, str | None]]:
    return [(q.value, q.text, q.bound) for q in quantities(text)]


# --- digits ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("Obsojenka dobi 42 eurov.", ["42"]),
        ("Dopust traja 3,5 dni.", ["3.5"]),
        ("Dopust traja 3.5 dni.", ["3.5"]),
        ("Prestala je 1/2 kazni.", ["1/2"]),
        ("Prestala je 2/3 kazni.", ["2/3"]),
        ("Odpust 12. 3. 2024 ob 8.", ["12", "3", "2024", "8"]),
        ("Paket meri 60 x 40 x 36 cm.", ["60", "40", "36"]),
        ("Brez številk.", []),
    ],
)
def test_digits(text: str, expected: list[str]) -> None:
    assert values(text) == expected


def test_positions_and_surface_text_are_kept() -> None:
    found = quantities("Do 12 ur ali največ dvakrat.")
    assert [(q.text, q.start) for q in found] == [("12", 3), ("dvakrat", 20)]


# --- words -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("dvakrat tedensko", "2"),
        ("v petnajstih dneh", "15"),
        ("štiri pošiljke", "4"),
        ("stiri posiljke", "4"),  # without diacritics
        ("Petnajst dni", "15"),  # capitalised
        ("dvajset let", "20"),
        ("twice a week", "2"),
        ("dvaput tjedno", "2"),
        ("do dve uri", "2"),
        ("eno uro", "1"),
    ],
)
def test_number_words(text: str, expected: str) -> None:
    assert values(text) == [expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("dve tretjini kazni", "2/3"),
        ("tri četrtine kazni", "3/4"),
        ("tri cetrtine kazni", "3/4"),
        ("polovico kazni", "1/2"),
        ("tretjino kazni", "1/3"),
        ("half of the sentence", "1/2"),
        ("pol leta", "1/2"),
    ],
)
def test_fractions(text: str, expected: str) -> None:
    assert values(text) == [expected]


def test_two_thirds_is_one_quantity() -> None:
    assert triples("po prestani dve tretjini kazni") == [("2/3", "dve tretjini", None)]


def test_pol_only_counts_as_a_half_next_to_a_unit_or_after_in() -> None:
    assert values("Pol ljudi je odšlo.") == []
    assert values("pol ure") == ["1/2"]


def test_leto_in_pol_gives_the_half() -> None:
    # "leto" is a unit, not a written number; the calculator's parser reads whole durations
    assert values("leto in pol") == ["1/2"]


def test_locative_polovici_is_a_half() -> None:
    assert values("po polovici kazni") == ["1/2"]


# --- bounds ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, bound",
    [
        ("najmanj dvakrat tedensko", "lower"),
        ("vsaj 3 ure", "lower"),
        ("at least twice", "lower"),
        ("barem dvaput", "lower"),
        ("največ 30 dni", "upper"),
        ("najvec 30 dni", "upper"),
        ("do dve uri", "upper"),
        ("up to two hours", "upper"),
        ("at most two hours", "upper"),
        ("dve uri", None),
        ("dvakrat tedensko", None),
    ],
)
def test_bounds(text: str, bound: str | None) -> None:
    found = quantities(text)
    assert len(found) == 1
    assert found[0].bound == bound


def test_bound_word_must_be_close() -> None:
    # the bound looks back at most two words
    assert triples("največ lahko obsojenka prejme 4 pakete") == [("4", "4", None)]
    assert triples("največ 4 pakete in 2 obiska") == [("4", "4", "upper"), ("2", "2", None)]


# --- ordinals ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["druge osebe", "Druga obsojenka", "prva stvar", "drugi obiskovalci"])
def test_ordinals_without_a_unit_are_not_numbers(text: str) -> None:
    assert quantities(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("drugega leta", "2"),
        ("prvi dan", "1"),
        ("tretjega meseca", "3"),
        ("drugega kolena", "2"),
        ("second year", "2"),
    ],
)
def test_ordinals_before_a_unit_are_numbers(text: str, expected: str) -> None:
    assert values(text) == [expected]


# --- phone numbers and gold forms ---------------------------------------------------------------------------
def test_phone_number_is_three_components() -> None:
    assert values("Varuh človekovih pravic (080 15 30)") == ["80", "15", "30"]
    assert values("policija (112)") == ["112"]


@pytest.mark.parametrize(
    "haystack, number, expected",
    [
        ("Varuh človekovih pravic (080 15 30) in policija (112)", "080 15 30", True),
        ("Pokličite 080 15 30.", "080 15 30", True),
        ("Pokličite 080 15.", "080 15 30", False),
        ("Največja velikost paketa (60 x 40 x 36 cm).", "60 x 40 x 36", True),
        ("Paket meri 60 x 40 cm.", "60 x 40 x 36", False),
        ("ko prestane dve tretjini kazni", "2/3", True),
        ("ko prestane 2/3 kazni", "2/3", True),
        ("ko prestane tretjino kazni", "2/3", False),
        ("ko prestane polovico kazni", "2/3", False),
        ("najmanj dvakrat tedensko", "2", True),
        ("v petnajstih dneh", "15", True),
        ("v štirinajstih dneh", "15", False),
        ("pišite na e-pošto", "e-pošta", False),  # no number: plain folded substring
        ("PIŠITE NA E-POŠTA", "e-posta", True),
    ],
)
def test_contains_number(haystack: str, number: str, expected: bool) -> None:
    assert contains_number(haystack, number) is expected


def test_canonical_number_and_number_values() -> None:
    assert canonical_number("dvakrat") == "2"
    assert canonical_number("petnajstih") == "15"
    assert canonical_number("dve tretjini") == "2/3"
    assert canonical_number("1 in 2") is None  # not a single number
    assert canonical_number("nič") is None
    assert number_values("dve tretjini in polovica, 080 15 30") == {"2/3", "1/2", "80", "15", "30"}
