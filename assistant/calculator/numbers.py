"""Slovenian numbers: number words in any case form (``pet``, ``štirih``, ``petindvajset``) and digit tokens."""

from __future__ import annotations

import re

from .words import fold

_SMALL: dict[str, int] = {
    **dict.fromkeys(["en", "ena", "eno", "eden", "enega", "enem", "eni", "enim", "enemu", "enih", "ene"], 1),
    **dict.fromkeys(["dva", "dve", "dveh", "dvema", "dvem"], 2),
    **dict.fromkeys(["tri", "trije", "treh", "trem", "tremi"], 3),
    **dict.fromkeys(["stiri", "stirje", "stirih", "stirim", "stirimi"], 4),
}
_BASES: dict[str, int] = {
    "pet": 5, "sest": 6, "sedem": 7, "osem": 8, "devet": 9, "deset": 10, "enajst": 11, "dvanajst": 12,
    "trinajst": 13, "stirinajst": 14, "petnajst": 15, "sestnajst": 16, "sedemnajst": 17, "osemnajst": 18,
    "devetnajst": 19, "dvajset": 20, "trideset": 30, "stirideset": 40, "petdeset": 50, "sestdeset": 60,
    "sedemdeset": 70, "osemdeset": 80, "devetdeset": 90, "sto": 100, "dvesto": 200, "tristo": 300,
    "stiristo": 400, "petsto": 500, "tisoc": 1000,
}  # fmt: skip
_STEM_ALIASES = {"sedm": "sedem", "osm": "osem"}
_UNIT_PREFIX = {"ena": 1, "en": 1, "dva": 2, "tri": 3, "stiri": 4, "pet": 5, "sest": 6, "sedem": 7, "osem": 8,
                "devet": 9}  # fmt: skip
_TENS = {"dvajset": 20, "trideset": 30, "stirideset": 40, "petdeset": 50, "sestdeset": 60, "sedemdeset": 70,
         "osemdeset": 80, "devetdeset": 90}  # fmt: skip
_FRACTIONS = {"pol": 0.5, "poldrugo": 1.5, "poldrugi": 1.5, "poldrugega": 1.5}


def word_number(word: str) -> float | None:
    """Value of a Slovenian number word in any common case form (``štirih`` → 4, ``petindvajset`` → 25)."""
    word = fold(word)
    if word in _SMALL:
        return _SMALL[word]
    if word in _FRACTIONS:
        return _FRACTIONS[word]
    for suffix in ("", "ih", "im", "imi"):
        if suffix and not word.endswith(suffix):
            continue
        stem = word[: len(word) - len(suffix)] if suffix else word
        stem = _STEM_ALIASES.get(stem, stem)
        if stem in _BASES:
            return _BASES[stem]
        match = re.fullmatch(r"([a-z]+?)in([a-z]+)", stem)
        if match and match.group(1) in _UNIT_PREFIX and match.group(2) in _TENS:
            return _UNIT_PREFIX[match.group(1)] + _TENS[match.group(2)]
    return None


def digit_number(text: str) -> float:
    """Value of a digit token: ``3,5`` → 3.5, ``1.480,00`` → 1480, ``-200`` → -200, ``1.480`` → 1480."""
    text = text.replace("\u2212", "-")
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("-")
    if "," in body and "." in body:
        body = body.replace(".", "").replace(",", ".")
    elif "," in body:
        body = body.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", body):
        body = body.replace(".", "")
    return sign * float(body)
