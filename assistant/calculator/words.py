"""Slovenian words the calculator recognises: diacritic folding, month names, visitors and visit places."""

from __future__ import annotations

import unicodedata

_FOLD = str.maketrans("čšžćđČŠŽĆĐ", "cszcdCSZCD")


def fold(text: str) -> str:
    """Lowercase and strip Slovenian diacritics (č→c, š→s, ž→z, ć→c, đ→d); other accents are dropped too."""
    text = text.translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


_MONTH_WORDS = {
    "januar": 1, "februar": 2, "marec": 3, "marc": 3, "april": 4, "maj": 5, "junij": 6, "julij": 7,
    "avgust": 8, "september": 9, "septemb": 9, "oktober": 10, "oktob": 10, "november": 11, "novemb": 11,
    "december": 12, "decemb": 12,
}  # fmt: skip


def month_from_word(word: str) -> int | None:
    """Month number from a Slovenian month name in any common form (``marca``, ``marec``, ``septembra``)."""
    word = fold(word).rstrip(".")
    for stem in sorted(_MONTH_WORDS, key=len, reverse=True):
        if word.startswith(stem) and len(word) - len(stem) <= 2:
            return _MONTH_WORDS[stem]
    return None


LOCATION_INSIDE = "v zavodu"
LOCATION_OUTSIDE = "zunaj zavoda"
LOCATION_OVERNIGHT = "ločen namenski prostor z možnostjo nočitve"
CLOSE_FAMILY = "ožji družinski član"
VISITOR_CATEGORIES = (CLOSE_FAMILY, "rejnik", "skrbnik", "odvetnik", "pooblaščenec", "druga oseba")


# Words naming a visitor, folded; each maps to a category (close family per the Dopisovanje definition:
# spouse/partner, relatives in the direct line, collateral relatives up to the second degree, adoption and
# step relations).
def _words(text: str) -> list[str]:
    return [word.strip() for word in text.split("|") if word.strip()]


_VISITOR_GROUPS: dict[str, str] = {
    CLOSE_FAMILY: (
        "ozji druzinski clan|ozji druzinski clani|ozja druzina|druzina|druzinski clan|moz|moza|zena|"
        "zakonec|partner|partnerka|zunajzakonski partner|izvenzakonski partner|mama|mati|mamica|oce|"
        "ata|starsi|stars|sin|sina|hci|hcerka|hcer|otrok|otroci|brat|sestra|bratje|sestre|babica|"
        "stara mama|dedek|stari oce|stari starsi|vnuk|vnukinja|vnuki|pravnuk|pravnukinja|prababica|"
        "pradedek|posvojenec|posvojenka|posvojitelj|posvojiteljica|ocim|maceha|pastorek|pastorka"
    ),
    "rejnik": "rejnik|rejnica|rejniki",
    "skrbnik": "skrbnik|skrbnica",
    "odvetnik": "odvetnik|odvetnica|zagovornik|zagovornica",
    "pooblaščenec": "pooblascenec|pooblascenka|socialni delavec|socialna delavka|prostovoljec|prostovoljka",
    "druga oseba": (
        "druga oseba|druge osebe|prijatelj|prijateljica|prijatelji|znanec|znanka|sosed|soseda|teta|"
        "stric|bratranec|sestricna|necak|necakinja|tast|tasca|svak|svakinja|zet|snaha|fant|punca|"
        "sodelavec|sodelavka"
    ),
}
VISITOR_WORDS: dict[str, str] = {
    word: category for category, words in _VISITOR_GROUPS.items() for word in _words(words)
}
