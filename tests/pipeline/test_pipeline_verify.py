"""The verifier on hand-made sentences and passages (fake analyzer, no models).

Passages are short excerpts in the handbook's own wording, so the cases read like real answers.
"""

from __future__ import annotations

import pytest

VISITS = (
    "Obsojenki je omogočeno, da jo najmanj dvakrat tedensko obiščejo ožji družinski člani, rejnik in "
    "skrbnik. Obiska ni mogoče omejiti na manj kot eno uro."
)
SUPERVISED = "Nadzorovani obiski trajajo do dve uri. Nadzorovani obiski se lahko opravljajo tudi za stekleno pregrado."
SOCIAL = "Zavod v petnajstih dneh o nastopu kazni obvesti pristojni center za socialno delo."
EARLY = (
    "Obsojenko, ki je prestala dve tretjini kazni, se lahko predčasno odpusti, "
    "vendar največ tri mesece pred iztekom kazni."
)
LEAVE = (
    "Obsojenka, ki med prestajanjem kazni zapora dela, ima za vsak mesec dela s polnim delovnim časom "
    "pravico do dveh dni letnega dopusta."
)
PASSAGES = {1: VISITS, 2: SUPERVISED, 3: SOCIAL, 4: EARLY, 5: LEAVE}


def check(verifier, text: str, citations: list[int], passages: dict[int, str] | None = None, **kwargs):
    return verifier.check(text, citations, PASSAGES if passages is None else passages, **kwargs)


# --- numbers -----------------------------------------------------------------------------------------------
def test_sentence_with_wrong_number_is_rejected(verifier) -> None:
    verdict = check(verifier, "Nadzorovani obiski trajajo do pet ur.", [2])
    assert not verdict.supported
    assert any("pet" in reason and "ni v navedenih virih" in reason for reason in verdict.reasons)


def test_wrong_digit_is_rejected(verifier) -> None:
    verdict = check(verifier, "Zavod v 14 dneh obvesti center za socialno delo.", [3])
    assert not verdict.supported
    assert verdict.reasons == ["število 14 ni v navedenih virih"]


def test_number_from_an_uncited_passage_is_rejected(verifier) -> None:
    # "dve tretjini" is in passage 4, but the sentence cites only passage 3
    text = "Zavod v petnajstih dneh obvesti center za socialno delo, ko prestane dve tretjini."
    verdict = check(verifier, text, [3])
    assert not verdict.supported
    assert any("dve tretjini" in reason for reason in verdict.reasons)


@pytest.mark.parametrize(
    "text, citations",
    [
        ("Nadzorovani obiski trajajo do dve uri.", [2]),  # verbatim
        ("Nadzorovani obiski trajajo do 2 uri.", [2]),  # number word → digits
        ("Ožji družinski člani jo lahko obiščejo najmanj dvakrat tedensko.", [1]),  # reordered
        ("Družinski člani jo lahko obiščejo najmanj 2-krat tedensko.", [1]),
        ("Zavod v 15 dneh obvesti center za socialno delo.", [3]),  # "petnajstih" is 15
        ("Zavod o nastopu kazni v petnajstih dneh obvesti center za socialno delo.", [3]),
        ("Predčasno se lahko odpusti obsojenko, ki je prestala 2/3 kazni.", [4]),  # "dve tretjini" is 2/3
        ("Predčasni odpust je mogoč največ 3 mesece pred iztekom kazni.", [4]),
        ("Predčasni odpust je mogoč največ tri mesece pred iztekom kazni.", [4, 1]),  # several citations
    ],
)
def test_correct_paraphrase_survives(verifier, text: str, citations: list[int]) -> None:
    verdict = check(verifier, text, citations)
    assert verdict.supported, verdict.reasons
    assert verdict.reasons == []
    assert verdict.overlap >= verifier.min_overlap


NUMBER_FORMS = [  # (digits, words) of the same quantity
    ("Obiščejo jo lahko najmanj 2-krat tedensko.", "Obiščejo jo lahko najmanj dvakrat tedensko."),
    ("Zavod obvesti center v 15 dneh.", "Zavod obvesti center v petnajstih dneh."),
    (
        "Predčasni odpust obsojenke je mogoč po prestani 2/3 kazni zapora.",
        "Predčasni odpust obsojenke je mogoč po prestani dve tretjini kazni zapora.",
    ),
]


@pytest.mark.parametrize("digits, words", NUMBER_FORMS)
def test_number_words_in_the_source_match_digits_in_the_sentence(verifier, digits: str, words: str) -> None:
    verdict = verifier.check(digits, [1], {1: words})
    assert verdict.supported, verdict.reasons


@pytest.mark.parametrize("digits, words", NUMBER_FORMS)
def test_number_words_in_the_sentence_match_digits_in_the_source(verifier, digits: str, words: str) -> None:
    verdict = verifier.check(words, [1], {1: digits})
    assert verdict.supported, verdict.reasons


TWO_THIRDS = "Predčasni odpust obsojenke je mogoč, ko prestane dve tretjini kazni zapora."


@pytest.mark.parametrize(
    "sentence",
    [
        "Predčasni odpust obsojenke je mogoč, ko prestane polovico kazni zapora.",
        "Predčasni odpust obsojenke je mogoč, ko prestane 1/3 kazni zapora.",
        "Predčasni odpust obsojenke je mogoč, ko prestane tri četrtine kazni zapora.",
        "Predčasni odpust obsojenke je mogoč, ko prestane dve leti kazni zapora.",
    ],
)
def test_a_different_fraction_is_not_two_thirds(verifier, sentence: str) -> None:
    verdict = verifier.check(sentence, [1], {1: TWO_THIRDS})
    assert not verdict.supported
    assert any("ni v navedenih virih" in reason for reason in verdict.reasons), verdict.reasons


def test_po_polovici_is_not_two_thirds(verifier) -> None:
    text = "Predčasni odpust obsojenke je mogoč po polovici kazni zapora."
    verdict = verifier.check(text, [1], {1: TWO_THIRDS})
    assert not verdict.supported


# --- bounds ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected_reason",
    [
        ("Družinski člani jo lahko obiščejo dvakrat tedensko.", "manjka meja"),  # source: "najmanj dvakrat"
        ("Družinski člani jo lahko obiščejo največ dvakrat tedensko.", "napačna meja"),
        ("Družinski člani jo lahko obiščejo do dvakrat tedensko.", "napačna meja"),
    ],
)
def test_missing_or_wrong_lower_bound_is_rejected(verifier, text: str, expected_reason: str) -> None:
    verdict = check(verifier, text, [1])
    assert not verdict.supported
    assert any(expected_reason in r and "dvakrat" in r for r in verdict.reasons), verdict.reasons


@pytest.mark.parametrize(
    "text, expected_reason",
    [
        ("Nadzorovani obiski trajajo dve uri.", "manjka meja"),  # source: "do dve uri"
        ("Nadzorovani obiski trajajo najmanj dve uri.", "napačna meja"),
        ("Nadzorovani obiski trajajo vsaj 2 uri.", "napačna meja"),
    ],
)
def test_missing_or_wrong_upper_bound_is_rejected(verifier, text: str, expected_reason: str) -> None:
    verdict = check(verifier, text, [2])
    assert not verdict.supported
    assert any(expected_reason in reason for reason in verdict.reasons), verdict.reasons


def test_bound_that_the_source_lacks_is_rejected(verifier) -> None:
    verdict = check(verifier, "Zavod v največ petnajstih dneh obvesti center za socialno delo.", [3])
    assert not verdict.supported
    assert verdict.reasons == ["meja pri številu petnajstih ni v viru"]


def test_missing_bound_from_manj_kot_is_rejected(verifier) -> None:
    verdict = check(verifier, "Obisk traja eno uro.", [1])
    assert not verdict.supported


def test_pravico_do_is_not_an_upper_bound(verifier) -> None:
    text = "Za vsak mesec dela s polnim delovnim časom ima obsojenka dva dni letnega dopusta."
    verdict = check(verifier, text, [5])
    assert verdict.supported, verdict.reasons


# --- citations ---------------------------------------------------------------------------------------------
def test_sentence_without_citations_is_rejected(verifier) -> None:
    verdict = check(verifier, "Nadzorovani obiski trajajo do dve uri.", [])
    assert not verdict.supported
    assert "stavek nima navedbe vira" in verdict.reasons


@pytest.mark.parametrize("citations", [[7], [0], [-1], [2, 7]])
def test_citation_out_of_range_is_rejected(verifier, citations: list[int]) -> None:
    verdict = check(verifier, "Nadzorovani obiski trajajo do dve uri.", citations)
    assert not verdict.supported
    assert any("zunaj obsega" in reason for reason in verdict.reasons)


def test_citation_of_an_unrelated_passage_is_rejected(verifier) -> None:
    verdict = check(verifier, "Nadzorovani obiski trajajo do dve uri.", [3])
    assert not verdict.supported
    assert any("prekrivanja" in reason for reason in verdict.reasons)


def test_unsupported_content_is_rejected_even_without_numbers(verifier) -> None:
    verdict = check(verifier, "Jutri bo sončno vreme na morju in v gorah.", [2])
    assert not verdict.supported
    assert verdict.overlap < verifier.min_overlap


def test_empty_sentence_is_rejected(verifier) -> None:
    verdict = check(verifier, "   ", [1])
    assert not verdict.supported
    assert verdict.reasons == ["prazen stavek"]


def test_calculator_text_grounds_a_number(verifier) -> None:
    passages = {1: LEAVE}
    text = "Za pet mesecev dela s polnim delovnim časom ima obsojenka pravico do 10 dni letnega dopusta."
    assert not verifier.check(text, [1], passages).supported
    calculation = "Pripada vam do 10 dni letnega dopusta; pet mesecev."
    verdict = verifier.check(text, [1], passages, calculator_text=calculation)
    assert verdict.supported, verdict.reasons


def test_verdict_keeps_text_and_citations(verifier) -> None:
    verdict = check(verifier, "Nadzorovani obiski trajajo do dve uri.", [2, 1])
    assert verdict.text == "Nadzorovani obiski trajajo do dve uri."
    assert verdict.citations == [2, 1]
