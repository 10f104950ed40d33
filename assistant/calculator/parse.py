"""Slovenian text → figures: numbers (digits and words), decimal commas, durations, amounts and dates.

Everything works on *folded* text (lowercase, č/š/ž/ć/đ → c/s/z/c/d), so users who type without
diacritics ("solam", "pocitek", "noseca") are understood the same way. The module knows nothing about
calculation kinds; :mod:`assistant.calculator.route` decides which figure fills which input.

* Numbers: ``5``, ``-3``, ``3,5``, ``1.480,00``, ``pet``, ``štiri``, ``dvajset``, ``petindvajset``,
  inflected forms (``dveh``, ``štirih``, ``osmih``, ``petindvajsetih``), ``pol``, ``X in pol``.
* Durations: a number followed (optionally after an adjective such as ``polnih``) by a unit: ``3 leta``,
  ``dve leti``, ``18 mesecev``, ``pol leta`` (6 months), ``leto in pol`` (18 months), ``2 leti in 3 mesece``
  (27 months), ``osmih tednih``, ``40 dni``, ``3,5 ure``.
* Amounts: ``300,00 EUR``, ``500 €``, ``1.480,00 evrov``.
* Dates: ``15. 3. 2025``, ``15.3.2025``, ``15/3/2025``, ``2025-03-15``, ``15. marca 2025`` (every month
  name in any case form), ``15. 3. 25`` (2025). Dates that do not exist (``30. 2. 2025``) or whose year is not
  written with four digits (``25-03-15``, ``+02025-03-15``) are kept as text so that validation rejects them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .numbers import digit_number, word_number
from .words import fold, month_from_word

# --- units --------------------------------------------------------------------------------------------------

_UNIT_WORDS: dict[str, str] = {
    **dict.fromkeys(["leto", "leta", "leti", "let", "letu", "letih", "letom", "letoma", "lete"], "year"),
    **dict.fromkeys(
        [
            *("mesec", "meseca", "mesece", "mesecev", "mesecu", "mesecih", "meseci", "mesecema", "mesecem"),
            *("mes", "mesca", "mesce", "mescev", "mescu", "mescih", "mescov", "mesecov"),  # colloquial, typos
        ],
        "month",
    ),
    **dict.fromkeys(["teden", "tedna", "tedne", "tednov", "tednu", "tednih", "tedni", "tednoma", "tednom"], "week"),
    **dict.fromkeys(["dan", "dni", "dneva", "dnevi", "dnevih", "dnevom", "dnevoma", "dnem", "dnevu", "dnevov"], "day"),
    **dict.fromkeys(["ura", "ure", "ur", "uri", "uro", "urah", "urami", "h"], "hour"),
    **dict.fromkeys(["eur", "euro", "eurov", "evro", "evrov", "evra", "evre", "evrih", "€"], "eur"),
    **dict.fromkeys(["%", "odstotkov", "odstotke", "odstotka", "procentov"], "percent"),
    **dict.fromkeys(["cm", "centimetrov"], "cm"),
}
# Words that may stand between a number and its unit ("pet polnih mesecev", "8 dodatnih dni").
_FILLERS = frozenset(
    re.findall(
        r"\w+",
        "polnih polne polni polnega celih cele celo celi zaporednih zaporedne koledarskih koledarske uspesno "
        "uspesnih uspesne opravljenih delovnih delovne dodatnih dodatne dodatna dodatni prostih proste",
    )
)


@dataclass
class Token:
    """One token of folded text."""

    text: str
    kind: str  # "num" | "word" | "date" | "punct"
    start: int
    clause: int
    value: float | None = None
    negative: bool = False


@dataclass
class Quantity:
    """A number, with its unit if one follows (``months`` for years/months merged into months)."""

    value: float
    unit: str | None  # "months" | "week" | "day" | "hour" | "eur" | "percent" | "cm" | None
    clause: int
    index: int  # token index of the number
    end: int  # token index after the unit
    raw_unit: str | None = None  # "year" | "month" | ... before merging
    per_day: bool = False
    per_month: bool = False


@dataclass
class DateMention:
    """A date found in the text: ISO form if it exists, else the original text (for a clear rejection)."""

    value: str
    valid: bool
    clause: int
    index: int  # token index of the placeholder


@dataclass
class Extraction:
    """Folded text, tokens, quantities, dates and package dimensions of one question."""

    text: str
    tokens: list[Token] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    dimensions: list[list[float]] = field(default_factory=list)

    def clause_text(self, clause: int) -> str:
        """The words of one clause, joined by spaces."""
        return " ".join(t.text for t in self.tokens if t.clause == clause)

    def window(self, index: int, before: int = 6, after: int = 0, same_clause: bool = True) -> str:
        """Words around token ``index`` (same clause by default)."""
        clause = self.tokens[index].clause if self.tokens else 0
        words = [
            t.text
            for i, t in enumerate(self.tokens)
            if index - before <= i <= index + after and (not same_clause or t.clause == clause)
        ]
        return " ".join(words)


_MONTH_ALT = (
    r"januar(?:ja|ju)?|februar(?:ja|ju)?|marec|marca|marcu|april(?:a|u)?|maj(?:a|u)?|junij(?:a|u)?|julij(?:a|u)?"
    r"|avgust(?:a|u)?|september|septembra|septembru|oktober|oktobra|oktobru|november|novembra|novembru"
    r"|december|decembra|decembru"
)
_DATE_RE = re.compile(
    r"(?<![\d.])(?:"
    r"(?P<iy>[+-]?\d{1,6})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?!\d)"
    r"|(?P<d>\d{1,2})\s*[./]\s*(?P<m>\d{1,2})\s*[./]\s*(?P<y>\d{4}|\d{2})(?![\d])"
    rf"|(?P<wd>\d{{1,2}})\s*\.?\s*(?P<mw>{_MONTH_ALT})\s*,?\s*(?P<wy>\d{{4}})"
    r")"
)
_DIMS_RE = re.compile(
    r"(?<![\d.,])(\d+(?:[.,]\d+)?)\s*(?:cm\s*)?(?:x|×|\*|krat)\s*(\d+(?:[.,]\d+)?)\s*(?:cm\s*)?(?:x|×|\*|krat)\s*"
    r"(\d+(?:[.,]\d+)?)"
)
_TOKEN_RE = re.compile(
    r"@d\d+@|(?<![^\s(])[-\u2212]\d+(?:[.,]\d+)*|\d+(?:[.,]\d+)*|[a-z]+|[€%]|[.,;:!?()\"'«»„“”/-]|\S"
)
_CLAUSE_BREAK = frozenset(".,;!?")


def _date_value(match: re.Match[str]) -> tuple[str, bool] | None:
    """ISO form and True, or the text and False for a date that must be rejected; None if not a date."""
    groups = match.groupdict()
    text = re.sub(r"\s+", " ", match.group(0)).strip()
    if groups["iy"]:
        year, month, day = int(groups["iy"]), int(groups["im"]), int(groups["id"])
        if not re.fullmatch(r"\d{4}", groups["iy"]):  # "25-03-15", "+02025-03-15": no four-digit year
            return (text, False) if 1 <= month <= 12 and 1 <= day <= 31 else None
    elif groups["y"]:
        year, month, day = int(groups["y"]), int(groups["m"]), int(groups["d"])
        if len(groups["y"]) == 2:  # "15. 3. 25"
            year += 2000
    else:
        year, day = int(groups["wy"]), int(groups["wd"])
        month = month_from_word(groups["mw"]) or 0
    try:
        return date(year, month, day).isoformat(), True
    except ValueError:
        return text, False


def extract(question: str) -> Extraction:
    """Tokenise a question and find its quantities, dates and package dimensions."""
    text = fold(question).replace("\u2212", "-").replace("\u00a0", " ")
    ex = Extraction(text=text)
    dates: list[tuple[str, bool]] = []

    def _mask_date(match: re.Match[str]) -> str:
        value = _date_value(match)
        if value is None:
            return match.group(0)
        dates.append(value)
        return f" @d{len(dates) - 1}@ "

    masked = _DATE_RE.sub(_mask_date, text)

    def _mask_dims(match: re.Match[str]) -> str:
        ex.dimensions.append([digit_number(match.group(i)) for i in (1, 2, 3)])
        return " paketdims "

    masked = _DIMS_RE.sub(_mask_dims, masked)
    clause = 0
    for match in _TOKEN_RE.finditer(masked):
        raw = match.group(0)
        if raw.startswith("@d"):
            ex.tokens.append(Token(raw, "date", match.start(), clause))
            iso_or_text, valid = dates[int(raw[2:-1])]
            ex.dates.append(DateMention(iso_or_text, valid, clause, len(ex.tokens) - 1))
        elif raw[0].isdigit() or (raw[0] == "-" and len(raw) > 1):
            value = digit_number(raw)
            if ex.tokens and ex.tokens[-1].text == "minus" and value > 0:  # "minus 3 mesece"
                value = -value
            ex.tokens.append(Token(raw, "num", match.start(), clause, value, value < 0))
        elif raw.isalpha() and raw not in _UNIT_WORDS:
            word_value = word_number(raw)
            compound = _split_compound(raw) if word_value is None else None
            if compound is not None:  # "dveletna" → "2" + "leta"
                ex.tokens.append(Token(raw, "num", match.start(), clause, compound[0]))
                unit_word = {"year": "leta", "month": "mesecev", "week": "tednov", "day": "dni"}[compound[1]]
                ex.tokens.append(Token(unit_word, "word", match.start(), clause))
                continue
            kind = "num" if word_value is not None else "word"
            ex.tokens.append(Token(raw, kind, match.start(), clause, word_value))
        elif raw in _CLAUSE_BREAK:
            ex.tokens.append(Token(raw, "punct", match.start(), clause))
            clause += 1
        else:
            ex.tokens.append(Token(raw, "word" if raw.isalpha() or raw in "€%" else "punct", match.start(), clause))
    ex.quantities = _quantities(ex.tokens)
    return ex


_ADJECTIVE_UNITS = (("mesecn", "month"), ("letn", "year"), ("tedensk", "week"), ("dnevn", "day"))
_COMPOUND_RE = re.compile(r"([a-z]+?)(mesecn|letn|tedensk|dnevn)([a-z]*)")


def _split_compound(word: str) -> tuple[float, str] | None:
    """``dveletna`` → (2, "year"), ``sestmesecno`` → (6, "month"), ``polletni`` → (0.5, "year")."""
    match = _COMPOUND_RE.fullmatch(word)
    if not match:
        return None
    value = word_number(match.group(1))
    if value is None:
        return None
    unit = dict(_ADJECTIVE_UNITS)[match.group(2)]
    return value, unit


def _unit_at(tokens: list[Token], i: int) -> tuple[str | None, int]:
    """Unit of the number ending before token ``i`` (skipping fillers) and the index after the unit."""
    j = i
    if j < len(tokens) and tokens[j].text == "-":  # "12-mesečna"
        j += 1
        for stem, unit in _ADJECTIVE_UNITS:
            if j < len(tokens) and tokens[j].text.startswith(stem):
                return unit, j + 1
        return None, i
    skipped = 0
    while j < len(tokens) and tokens[j].kind == "word" and tokens[j].text in _FILLERS and skipped < 2:
        j += 1
        skipped += 1
    if j < len(tokens) and tokens[j].text in _UNIT_WORDS:
        return _UNIT_WORDS[tokens[j].text], j + 1
    if skipped == 0 and j < len(tokens):  # "12 mesečna kazen", "3 letno"
        for stem, unit in _ADJECTIVE_UNITS[:2]:
            if re.fullmatch(stem + r"(a|i|o|e|ega|em|ih|im)", tokens[j].text):
                return unit, j + 1
    return None, i


def _is_word(tokens: list[Token], i: int, *words: str) -> bool:
    return 0 <= i < len(tokens) and tokens[i].text in words


def _quantities(tokens: list[Token]) -> list[Quantity]:
    found: list[Quantity] = []
    pending: list[Quantity] = []  # bare numbers that may share the next unit ("100, 120 in 90 ur")
    i = 0
    while i < len(tokens):
        token = tokens[i]
        # "leto in pol" = 1.5 years, "leto dni" = 1 year (no number word before "leto")
        implicit_year = token.text == "leto" and (
            (_is_word(tokens, i + 1, "in") and _is_word(tokens, i + 2, "pol")) or _is_word(tokens, i + 1, "dni")
        )
        if token.kind != "num" and not implicit_year:
            if (token.kind == "word" and token.text not in ("in", "ter", "oziroma", "ali")) or (
                token.kind in ("punct", "date") and token.text != ","
            ):
                pending = []
            i += 1
            continue
        if implicit_year:
            value, j = 1.0, i
        else:
            assert token.value is not None
            value, j = token.value, i + 1
        half_after_unit = False
        if _is_word(tokens, j, "in") and _is_word(tokens, j + 1, "pol"):
            value += 0.5 if value >= 0 else -0.5
            j += 2
        unit, end = _unit_at(tokens, j)
        if unit is None and implicit_year:
            unit, end = "year", i + (2 if _is_word(tokens, i + 1, "dni") else 1)
        if unit is not None and _is_word(tokens, end, "in") and _is_word(tokens, end + 1, "pol"):
            half_after_unit = True
            value += 0.5 if value >= 0 else -0.5
            end += 2
        quantity = Quantity(value, unit, token.clause, i, end, raw_unit=unit)
        if unit is None:
            pending.append(quantity)
            found.append(quantity)
            i = end if end > i else i + 1
            continue
        for earlier in pending:
            if earlier.unit is None and unit in ("hour", "eur", "day", "week"):
                earlier.unit = earlier.raw_unit = unit
        pending = []
        if unit in ("year", "month"):
            quantity.unit = "months"
            quantity.value = value * 12 if unit == "year" else value
            previous = found[-1] if found else None
            # "2 leti in 3 mesece" → 27 months
            if (
                previous is not None
                and previous.raw_unit == "year"
                and unit == "month"
                and not half_after_unit
                and _is_word(tokens, previous.end, "in", ",")
                and previous.end + 1 == i
            ):
                previous.value += quantity.value
                previous.end = end
                i = end
                continue
        tail = " ".join(t.text for t in tokens[end : end + 2])
        quantity.per_day = tail.startswith(("na dan", "dnevno", "vsak dan")) or tail == "na delovni"
        quantity.per_month = tail.startswith(("na mesec", "mesecno"))
        found.append(quantity)
        i = end
    return found


# --- small helpers used by the router -----------------------------------------------------------------------

FIRST_PERSON = re.compile(
    r"\b(sem|imam|mi|me|mene|meni|jaz|moj|moja|moje|moji|mojo|mojih|mojega|mojem|mojim|delam|delala|dobim|dobila|"
    r"prejmem|prejela|prejemam|bom|bila|nastopila|nastopim|solam|solala|izobrazujem|hodim|rodila|zasluzim|"
    r"zasluzila|prestajam|prestala|smem|morem|moram|dojim|pripada|pripadajo|pripadata|obsojena|zaposlena|"
    r"studentka|dijakinja|nimam|lahko dobim|grem|pridem|dobivam|prejemam|zasluzim|placam|potrebujem|"
    r"nastopim|nosim|cakam|ostanem|izpolnjujem|obiskuje|obiscejo|obiskujejo|poslala|poslali|posljejo)\b"
)
CALC_REQUEST = re.compile(r"\b(izracun\w*|preracun\w*|kalkul\w*|izracunaj\w*)\b")

NEGATION = frozenset({"ne", "ni", "nisem", "nisi", "nima", "nimam", "niso", "nismo", "brez", "nobenih", "nobenega"})


def negated_near(ex: Extraction, index: int, span: int = 1) -> bool:
    """A negation word within ``span`` tokens of token ``index`` (same clause)."""
    clause = ex.tokens[index].clause
    for j in range(index - span, index + span + 1):
        if j != index and 0 <= j < len(ex.tokens) and ex.tokens[j].clause == clause and ex.tokens[j].text in NEGATION:
            return True
    return False


def find_word(ex: Extraction, pattern: str) -> list[int]:
    """Indices of tokens matching a regex (full match on the folded word)."""
    regex = re.compile(pattern)
    return [i for i, t in enumerate(ex.tokens) if t.kind in ("word", "num") and regex.fullmatch(t.text)]


_MONTHS_RANGE = re.compile(rf"\bod\s+({_MONTH_ALT})\s+do\s+(?:konca\s+)?({_MONTH_ALT})\b")


def month_range_length(text: str) -> int | None:
    """``od januarja do konca maja`` → 5 (inclusive count of calendar months)."""
    match = _MONTHS_RANGE.search(text)
    if not match:
        return None
    first, last = month_from_word(match.group(1)), month_from_word(match.group(2))
    if first is None or last is None:
        return None
    return (last - first) % 12 + 1
