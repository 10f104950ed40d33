"""The corpus-trained language model and how it combines with the marker words."""

from __future__ import annotations

from assistant.question.language import detect_language
from assistant.question.language_model import LanguageModel, detect
from assistant.types import Language

SAMPLES: dict[
    Language, list[str]
] = {  # a few sentences per language, as the corpus enrichment provides them (hundreds there)
    "sl": [
        "Obsojenka ima pravico do obiskov ožjih družinskih članov najmanj dvakrat tedensko.",
        "kok casa lahko traja obisk pa kolk paketov dobim",
        "Ali lahko dobim izhod, ko bom delala v Rinki?",
        "Nočem več, nič nima smisla, ne zdržim več tukaj.",
        "Za vsak mesec dela dobite dva dneva dopusta.",
        "kdaj lahko pokličem domov in koliko stane klic",
    ],
    "bcs": [
        "Osuđenica ima pravo na posjete uže obitelji najmanje dva puta tjedno.",
        "koliko dugo traje posjeta i koliko paketa mogu dobiti",
        "Da li mogu dobiti izlazak kad budem radila?",
        "Ne mogu više, ništa nema smisla, ne izdržim više ovdje.",
        "Za svaki mjesec rada dobivate dva dana godišnjeg odmora.",
        "kad mogu nazvati kući i koliko košta poziv",
    ],
    "en": [
        "The convicted woman may be visited by close family members at least twice a week.",
        "how long can a visit last and how many parcels can I get",
    ],
}


def fitted() -> LanguageModel:
    model = LanguageModel()
    model.fit(SAMPLES)
    return model


def test_the_model_tells_slovenian_from_bcs_where_marker_words_cannot() -> None:
    model = fitted()
    predicted = model.predict("ne mogu više izdržati ovdje")
    assert predicted is not None and predicted[0] == "bcs"
    predicted = model.predict("ne zdržim več tukaj")
    assert predicted is not None and predicted[0] == "sl"


def test_without_a_model_the_marker_words_decide() -> None:
    assert detect("Koliko paketov lahko dobim?") == detect_language("Koliko paketov lahko dobim?") == "sl"
    assert LanguageModel().predict("anything") is None  # not fitted


def test_english_markers_and_cyrillic_letters_are_decisive() -> None:
    model = fitted()
    assert detect("How many visits can I have per month?", model) == "en"
    assert detect("Колико посета могу да имам месечно?", model) == "bcs"
