"""Language detection (examples written for these tests, not taken from eval/questions.jsonl)."""

from __future__ import annotations

import pytest

from assistant.question.language import detect_language


@pytest.mark.parametrize(
    "question",
    [
        "Ali lahko dobim paket od sestre za rojstni dan?",
        "Kdaj se začne delo v pralnici?",
        "Zanima me, kdaj bom lahko šla na prostost.",
        "Koliko časa lahko govorim po telefonu?",
        # without diacritics and colloquial
        "kok casa lahko traja obisk",
        "a lahko dobim paket od mame",
        "ali smem imeti svoj telefon v sobi",
        "koliko dni dopusta mi pripada ce delam",
        "kdaj lahko pokliče moj odvetnik",
        # nothing recognisable: Slovenian, the kiosk's first language
        "asdf qwer zxcv",
        "",
        "???",
    ],
)
def test_slovenian(question: str) -> None:
    assert detect_language(question) == "sl"


@pytest.mark.parametrize(
    "question",
    [
        "Can my children visit me on Sunday?",
        "How many days of leave do I get if I work?",
        "Who pays for the phone calls?",
        "Is there a doctor in the prison?",
        "What time is lunch?",
        "I'm a foreigner, can I call my consulate?",
        "Can I get parole after half of my sentence?",
    ],
)
def test_english(question: str) -> None:
    assert detect_language(question) == "en"


@pytest.mark.parametrize(
    "question",
    [
        "Mogu li dobiti paket od sestre?",
        "Kada mogu razgovarati s advokatom?",
        "Smijem li imati posjetu vikendom?",
        "Želim nazvati konzulat svoje države.",
        "Koliko puta tjedno mogu zvati kući?",
        "Sta je sa uslovnim otpustom?",
        "Gdje mogu prati odjeću?",
    ],
)
def test_bcs(question: str) -> None:
    assert detect_language(question) == "bcs"


def test_mixed_language_with_slovenian_words_stays_slovenian() -> None:
    assert detect_language("Ali lahko dobim paket, please?") == "sl"
