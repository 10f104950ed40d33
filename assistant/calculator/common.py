"""Shared pieces of the calculations: the :class:`Computation` record and Slovenian wording helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

UNLIMITED = "neomejeno"
CENT = Decimal("0.01")


@dataclass
class Computation:
    """Outputs, Slovenian steps, the ids of the rules used, a summary and notes (assumptions, caveats)."""

    outputs: dict[str, Any] = field(default_factory=dict)
    steps: list[str] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)
    summary: str = ""
    notes: list[str] = field(default_factory=list)

    def use(self, *rule_ids: str) -> None:
        """Record rules the calculation rests on (each once, in order)."""
        for rule_id in rule_ids:
            if rule_id not in self.rule_ids:
                self.rule_ids.append(rule_id)


# --- Slovenian wording helpers ------------------------------------------------------------------------------


def num(value: float | int | Decimal) -> str:
    """A number in Slovenian notation (decimal comma, no trailing zeros)."""
    if isinstance(value, Decimal):
        value = float(value)
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def eur(value: Decimal) -> str:
    """An amount as ``1480,00 EUR``."""
    return f"{value.quantize(CENT, ROUND_HALF_UP)} EUR".replace(".", ",")


def days_gen(n: int) -> str:
    """``n`` with *dan* in the genitive (``do 1 dneva``, ``do 10 dni``)."""
    return f"{n} {'dneva' if abs(n) % 100 == 1 else 'dni'}"


def months_acc(n: int) -> str:
    """``n`` with *mesec* in the accusative (``1 mesec``, ``2 meseca``, ``3 mesece``, ``5 mesecev``)."""
    tail = abs(n) % 100
    word = {1: "mesec", 2: "meseca", 3: "mesece", 4: "mesece"}.get(tail, "mesecev")
    return f"{n} {word}"


def meals_text(n: int) -> str:
    """``n`` meals, accusative (``1 obrok``, ``2 obroka``, ``3 obroke``, ``5 obrokov``)."""
    word = {1: "obrok", 2: "obroka", 3: "obroke", 4: "obroke"}.get(abs(n) % 100, "obrokov")
    return f"{n} {word}"


def hours_acc(value: float) -> str:
    """``value`` hours in the accusative (``1 uro``, ``2 uri``, ``3 ure``, ``5 ur``)."""
    text = hours_nom(value)
    return text[:-3] + "uro" if text.endswith(" ura") else text


def hours_nom(value: float) -> str:
    """``value`` hours (``1 ura``, ``2 uri``, ``3 ure``, ``5 ur``, ``3,5 ure``)."""
    if not float(value).is_integer():
        return f"{num(value)} ure"
    tail = abs(int(value)) % 100
    word = {1: "ura", 2: "uri", 3: "ure", 4: "ure"}.get(tail, "ur")
    return f"{int(value)} {word}"


_COUNT_WORDS = {1: "en", 2: "dva", 3: "tri", 4: "štiri", 5: "pet", 6: "šest"}
_SHARE_WORDS = {(1, 2): "polovico", (1, 3): "tretjino", (2, 3): "dve tretjini", (3, 4): "tri četrtine"}
_SHARE_WORDS_NOM = {(1, 2): "polovica", (1, 3): "tretjina", (2, 3): "dve tretjini", (3, 4): "tri četrtine"}


def share_words(numerator: int, denominator: int, nominative: bool = False) -> str:
    """A fraction in words, accusative (``dve tretjini``, ``polovico``) or nominative, or ``n/d``."""
    table = _SHARE_WORDS_NOM if nominative else _SHARE_WORDS
    return table.get((numerator, denominator), f"{numerator}/{denominator}")


def months_words(n: int) -> str:
    """Small month counts in words, accusative (``tri mesece``)."""
    words = _COUNT_WORDS.get(n)
    if words is None:
        return months_acc(n)
    return f"{words} {months_acc(n).split(' ', 1)[1]}"


def iso(day: date) -> str:
    """ISO date text."""
    return day.isoformat()
