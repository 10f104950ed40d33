"""Lenient parsing of input values and the Slovenian validation messages.

Values are parsed leniently before validation (``"3,5"``, ``"15. 3. 2025"``, ``"da"``, ``"zaprtem"``) and
rejected with a :class:`~assistant.calculator.fields.CalculatorInputError` that names the field and says why.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .fields import FIELDS, CalculatorInputError, FieldSpec, cap, label
from .rules import RuleBook, load_rules
from .words import (
    LOCATION_INSIDE,
    LOCATION_OUTSIDE,
    LOCATION_OVERNIGHT,
    VISITOR_CATEGORIES,
    VISITOR_WORDS,
    fold,
    month_from_word,
)


def _adj(stem: str, gender: str) -> str:
    return stem + {"m": "en", "f": "na", "n": "no"}[gender]


def _bigger(gender: str) -> str:
    return {"m": "večji", "f": "večja", "n": "večje"}[gender]


def _smaller(gender: str) -> str:
    return {"m": "manjši", "f": "manjša", "n": "manjše"}[gender]


_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})\s*[./]\s*(?P<m>\d{1,2})\s*[./]\s*(?P<y>\d{4}|\d{2})\.?$"),
    re.compile(r"^(?P<d>\d{1,2})\s*\.?\s*(?P<mw>[a-z]+)\s*,?\s*(?P<y>\d{4})\.?$"),
)
# Year first with a year that is not four digits: "25-03-15", "025-3-15", "+02025-03-15", "-2025-03-15".
_YEAR_FIRST = re.compile(r"^[+-]?\d+-\d{1,2}-\d{1,2}$")


def check_year(year: int, name: str, rules: RuleBook | None = None) -> None:
    """Reject a date outside the sensible range of ``rules.toml`` ([limits] min_year … max_year)."""
    limits = (rules or load_rules()).limits
    first, last = int(limits.get("min_year", 1)), int(limits.get("max_year", 9999))
    if not first <= year <= last:
        raise CalculatorInputError(
            name, f"{cap(label(name))}: leto {year} ni smiselno – vpišite datum med 1. 1. {first} in 31. 12. {last}."
        )


def parse_date_value(value: Any, name: str, rules: RuleBook | None = None) -> date:
    """A date from a ``date``, ISO text or Slovenian text (``15. 3. 2025``, ``15. marca 2025``).

    The year is written with four digits (``15. 3. 25`` is read as 2025, the one short form) and lies in the
    sensible range; anything else is a :class:`CalculatorInputError` naming the field.
    """
    if isinstance(value, date):
        check_year(value.year, name, rules)
        return value
    if not isinstance(value, str):
        raise CalculatorInputError(name, f"{cap(label(name))}: vrednost ni datum.")
    raw = value.strip()
    text = fold(raw)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = match.groupdict()
        month = month_from_word(parts["mw"]) if parts.get("mw") else int(parts["m"])
        if month is None:
            break
        year = int(parts["y"]) + (2000 if len(parts["y"]) == 2 else 0)
        day = int(parts["d"])
        check_year(year, name, rules)
        try:
            return date(year, month, day)
        except ValueError:
            raise CalculatorInputError(name, f"{cap(label(name))}: datum »{raw}« ne obstaja.") from None
    if _YEAR_FIRST.match(text):
        raise CalculatorInputError(
            name, f"{cap(label(name))}: v »{raw}« letnica nima štirih števk (vpišite npr. 2025-03-15 ali 15. 3. 2025)."
        )
    raise CalculatorInputError(
        name, f"{cap(label(name))}: »{raw}« ni veljaven datum (vpišite ga kot 15. 3. 2025 ali 2025-03-15)."
    )


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool):
        raise CalculatorInputError(name, f"{cap(label(name))} mora biti število.")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = fold(value).replace("\u2212", "-").replace("eur", "").replace("€", "").replace(" ", "").strip()
        text = text.replace("\u00a0", "")
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text):
            text = text.replace(".", "")
        text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise CalculatorInputError(name, f"{cap(label(name))} mora biti število.") from None
    else:
        raise CalculatorInputError(name, f"{cap(label(name))} mora biti število.")
    if number != number or number in (float("inf"), float("-inf")):
        raise CalculatorInputError(name, f"{cap(label(name))} mora biti število.")
    return number


def _bounded(number: float, name: str, spec: FieldSpec, rules: RuleBook) -> float:
    if number < 0:
        raise CalculatorInputError(name, f"{cap(spec.label)} ne sme biti {_adj('negativ', spec.gender)}.")
    if spec.positive and number == 0:
        raise CalculatorInputError(name, f"{cap(spec.label)} mora biti {_bigger(spec.gender)} od 0.")
    if spec.min_limit is not None:
        minimum = rules.limit(spec.min_limit)
        if number < minimum:
            raise CalculatorInputError(name, f"{cap(spec.label)} ne more biti {_smaller(spec.gender)} od {minimum}.")
    if spec.max_limit is not None:
        maximum = rules.limit(spec.max_limit)
        if number > maximum:
            raise CalculatorInputError(name, f"{cap(spec.label)} ne more presegati {maximum}.")
    return number


def _bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = fold(value).strip()
        if text in {"da", "true", "yes", "1", "ja", "drzi"}:
            return True
        if text in {"ne", "false", "no", "0"}:
            return False
    raise CalculatorInputError(name, f"{cap(label(name))}: odgovor mora biti da ali ne.")


def normalize_choice(name: str, value: Any) -> str:
    """Canonical value of a choice field, or :class:`CalculatorInputError`."""
    if not isinstance(value, str):
        raise CalculatorInputError(name, f"{cap(label(name))}: pričakovano je besedilo.")
    raw = value.strip()
    text = re.sub(r"[\"'«»„“”‚‘’]", "", fold(raw)).strip()
    text = re.sub(r"\s+", " ", text)
    if name == "regime":
        words = [w for w in re.split(r"[\s\-_]+", text) if w and not w.startswith("rezim")]
        word = words[0] if len(words) == 1 else ""
        if re.fullmatch(r"polodprt(i|em|ega|a|o)?|semi-?open", word) or text in {"semi open", "semi-open"}:
            return "polodprti"
        if re.fullmatch(r"zaprt(i|em|ega|a|o)?|closed", word):
            return "zaprti"
        if re.fullmatch(r"odprt(i|em|ega|a|o)?|open", word):
            return "odprti"
        raise CalculatorInputError(name, f"Neznan režim »{raw}« – dovoljeni so le zaprti, polodprti in odprti režim.")
    if name == "visit_type":
        if re.search(r"nenadzor|brez nadzor|unsupervised", text):
            return "nenadzorovan"
        if re.search(r"nadzor|supervised|pregrad", text):
            return "nadzorovan"
        raise CalculatorInputError(name, f"Neznana vrsta obiska »{raw}« – obisk je lahko nadzorovan ali nenadzorovan.")
    if name == "location":
        if re.search(r"nocit|noc\b|prenoc|locen|namensk|overnight", text):
            return LOCATION_OVERNIGHT
        if re.search(r"zunaj|izven|outside", text):
            return LOCATION_OUTSIDE
        if re.search(r"zavod|znotraj|prostor|inside", text):
            return LOCATION_INSIDE
        raise CalculatorInputError(
            name,
            f"Neznan kraj obiska »{raw}« – možnosti so: v zavodu, zunaj zavoda ali ločen namenski prostor z "
            "možnostjo nočitve.",
        )
    if name == "visitor_category":
        for canonical in VISITOR_CATEGORIES:
            if text == fold(canonical):
                return canonical
        if text in VISITOR_WORDS:
            return VISITOR_WORDS[text]
        for word in sorted(VISITOR_WORDS, key=len, reverse=True):
            if re.search(rf"\b{re.escape(word)}\b", text):
                return VISITOR_WORDS[word]
        raise CalculatorInputError(
            name,
            f"Neznan obiskovalec »{raw}« – navedite npr. ožji družinski član, rejnik, skrbnik, odvetnik ali "
            "druga oseba.",
        )
    raise CalculatorInputError(name, f"Neznan podatek »{name}«.")  # pragma: no cover


def _dims(value: Any, name: str, spec: FieldSpec, rules: RuleBook) -> list[float]:
    message = f"{cap(spec.label)} morajo biti tri pozitivna števila v centimetrih (npr. 60 x 40 x 36)."
    items: list[Any]
    if isinstance(value, str):
        items = [p for p in re.split(r"\s*(?:x|×|\*|krat|,|;|/)\s*|\s+", fold(value).replace("cm", " ").strip()) if p]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        raise CalculatorInputError(name, message)
    if len(items) != 3:
        raise CalculatorInputError(name, message)
    numbers = []
    for item in items:
        try:
            number = _number(item, name)
        except CalculatorInputError:
            raise CalculatorInputError(name, message) from None
        if number <= 0:
            raise CalculatorInputError(name, message)
        maximum = rules.limit(spec.max_limit) if spec.max_limit else None
        if maximum is not None and number > maximum:
            raise CalculatorInputError(name, f"{cap(spec.label)} ne morejo presegati {maximum} cm.")
        numbers.append(number)
    return numbers


def _hours_list(value: Any, name: str, spec: FieldSpec, rules: RuleBook) -> list[float]:
    if isinstance(value, dict):
        items = list(value.values())
    elif isinstance(value, list | tuple):
        items = list(value)
    elif isinstance(value, str):
        items = [p for p in re.split(r"\s*[;+]\s*|\s+", value.strip()) if p]
    else:
        items = [value]
    if not items:
        raise CalculatorInputError(name, f"{cap(spec.label)}: navedite vsaj en mesec.")
    maximum = rules.limit(spec.max_limit) if spec.max_limit else None
    result = []
    for item in items:
        hours = _number(item, name)
        if hours < 0:
            raise CalculatorInputError(name, "Število opravljenih ur dela ne sme biti negativno.")
        if maximum is not None and hours > maximum:
            raise CalculatorInputError(name, f"Število ur dela v enem mesecu ne more presegati {maximum}.")
        result.append(hours)
    return result


def parse_field(name: str, value: Any, rules: RuleBook | None = None) -> Any:
    """Parse and bound one input value; raise :class:`CalculatorInputError` with a Slovenian message."""
    rules = rules or load_rules()
    spec = FIELDS.get(name)
    if spec is None:
        raise CalculatorInputError(name, f"Neznan vhodni podatek »{name}«.")
    if spec.type == "date":
        return parse_date_value(value, name, rules)
    if spec.type == "bool":
        return _bool(value, name)
    if spec.type == "choice":
        return normalize_choice(name, value)
    if spec.type == "text":
        if not isinstance(value, str) or not value.strip():
            raise CalculatorInputError(name, f"{cap(spec.label)}: vpišite besedilo.")
        return value.strip()
    if spec.type == "dims":
        return _dims(value, name, spec, rules)
    if spec.type == "hours_list":
        return _hours_list(value, name, spec, rules)
    number = _bounded(_number(value, name), name, spec, rules)
    if spec.type == "count":
        if number != int(number):
            raise CalculatorInputError(name, f"{cap(spec.label)} mora biti celo število.")
        return int(number)
    return number
