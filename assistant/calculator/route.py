"""Natural-language routing: is this a personal calculation, which kind, and which inputs does the text give?

The router is deliberately conservative. It answers only when a calculation kind is recognised **and** the
question carries a personal figure (a number, amount or date that fills an input) or states the user's own
situation in a computable way ("Moji obiski so nadzorovani."). A general question ("Kako dolgo lahko traja
nenadzorovan obisk?") returns None and goes to the handbook answer path. A missing-input follow-up is produced
only when a personal figure is present or the user explicitly asks for a calculation ("izračunaj …").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .extract_common import NEEDS
from .extract_daily import child_stay_inputs, extra_meal_inputs, packages_inputs, visits_inputs, weekend_inputs
from .extract_sentence import early_release_inputs, parole_inputs, release_day_inputs, sentence_end_inputs
from .extract_work import education_inputs, leave_days_inputs, savings_inputs
from .parse import CALC_REQUEST, FIRST_PERSON, Extraction, extract
from .schemas import CalcRoute, CalculatorInputError, follow_up_question, label
from .service import understood_text

if TYPE_CHECKING:
    from .service import Calculator

# --- kind detection -----------------------------------------------------------------------------------------

_CHILD_WORDS = r"\b(otrok\w*|hci|hcer\w*|sin|sinek|sincek|sinko|dojenck\w*|dojencek|decek|deklic\w*|puncka)\b"
_CHILD_STAY = r"ostan\w*|ostati|pri meni|z mano|z menoj|bivati|\bbiva\b|do kdaj|rodil\w*|rojen\w*"
_SENTENCE = r"kazn\w*|kazen|zapor\w*|obsojen\w*"

# (kind, pattern, also required, excluded): the first kind whose pattern matches and whose conditions hold
_KIND_PATTERNS: list[tuple[str, str, str | None, str | None]] = [
    ("weekend_prison_eligibility", r"konc\w* tedna|vikend\w*", None, r"obisk\w*|paket\w*"),
    ("parole_eligibility", r"pogojn\w*", None, None),
    ("early_release", r"predcasn\w*|dve tretjini|2/3", None, None),
    ("parole_eligibility", r"polovic\w*|cetrtin\w*|(?<!dve )tretjin\w*", _SENTENCE, r"placil\w*|prihran\w*"),
    ("extra_meal", r"\bobrok\w*|\bmalic\w*", None, None),
    ("child_stay", _CHILD_WORDS, _CHILD_STAY, r"\bobisk\w*"),
    ("education_rest_days", r"pocit\w*", None, None),
    ("leave_days", r"dopust\w*", None, None),
    ("education_rest_days", r"izobraz\w*|\bsolam\b|solanj\w*|tecaj\w*|\bsolal\w*", None, None),
    ("savings", r"prihran\w*|varcev\w*|socialn\w* pomoc\w*|odtegn\w*", None, None),
    ("packages", r"paket\w*|posiljk\w*", None, None),
    ("visits", r"\bobisk\w*|obiskov\w*", None, None),
    (
        "release_day",
        r"odpust\w*|odpuscen\w*|izpust\w*|izpuscen\w*|na prostost|domov|\bven\b|\bbom (zunaj|prost\w*)",
        None,
        None,
    ),
    (
        "sentence_end",
        r"zadnji dan\w*|iztec\w*|izteka|konec (moje )?kazni|konca kazni|kdaj se mi konca",
        None,
        None,
    ),
]


def detect_kind(text: str) -> str | None:
    """The calculation kind a folded question is about, or None."""
    for kind, pattern, required, excluded in _KIND_PATTERNS:
        if not re.search(pattern, text):
            continue
        if required is not None and not re.search(required, text):
            continue
        if excluded is not None and re.search(excluded, text):
            continue
        return kind
    return None


EXTRACTORS: dict[str, Callable[[Extraction], dict[str, Any]]] = {
    "leave_days": leave_days_inputs,
    "education_rest_days": education_inputs,
    "visits": visits_inputs,
    "packages": packages_inputs,
    "savings": savings_inputs,
    "early_release": early_release_inputs,
    "parole_eligibility": parole_inputs,
    "release_day": release_day_inputs,
    "sentence_end": sentence_end_inputs,
    "extra_meal": extra_meal_inputs,
    "child_stay": child_stay_inputs,
    "weekend_prison_eligibility": weekend_inputs,
}

_CATEGORICAL = frozenset(
    {
        "visit_type",
        "location",
        "visitor_category",
        "regime",
        "status",
        "status_country",
        "pregnant_or_breastfeeding",
        "special_health_social_or_other_reasons",
        "offence_against_sexual_integrity",
        "started_sentence_from_pripor",
        "life_sentence",
    }
)


_QUANTITY_QUESTION = re.compile(
    r"\b(koliko|kdaj|do kdaj|kateri dan|katerega dne|najmanj|najvec|najdlje|ali (mi )?pripada|ali dobim|"
    r"ali izpolnjujem|ali lahko dobim|ali ga lahko dobim|ali je dovoljen\w*)\b"
)


def _states_own_situation(kind: str, text: str) -> bool:
    """A figure-less question is routed only when it states her own situation and asks for a quantity.

    "Moji obiski so nadzorovani. Koliko lahko traja obisk?" qualifies: a declarative sentence in the first
    person carries the situation (the kind's categorical inputs). "Kako dolgo lahko traja nenadzorovan obisk?"
    or "Ali se lahko dobim na obisku zunaj zavoda in koliko bi trajal?" do not: they are handbook questions.
    """
    if not _QUANTITY_QUESTION.search(text):
        return False
    for sentence in re.findall(r"[^.!?]+[.!?]?", text):
        if sentence.strip().endswith("?") or not FIRST_PERSON.search(sentence):
            continue
        if EXTRACTORS[kind](extract(sentence)):
            return True
    return False


def understand(question: str) -> tuple[str | None, dict[str, Any], Extraction]:
    """Kind and inputs the question states (no validation)."""
    ex = extract(question)
    kind = detect_kind(ex.text)
    if kind is None:
        return None, {}, ex
    return kind, EXTRACTORS[kind](ex), ex


def route_question(question: str, calculator: Calculator) -> CalcRoute | None:
    """Route one question (see the module docstring); None when it is not a personal calculation."""
    if not question or not question.strip():
        return None
    kind, inputs, ex = understand(question)
    if kind is None:
        return None
    needs: list[str] = inputs.pop(NEEDS, [])
    personal_figure = any(name not in _CATEGORICAL for name in inputs)
    explicit = CALC_REQUEST.search(ex.text) is not None
    if not personal_figure and not explicit and not (inputs and _states_own_situation(kind, ex.text)):
        return None
    text = understood_text(inputs)
    try:
        validated = calculator.validate(kind, inputs)
    except CalculatorInputError as exc:
        return CalcRoute(kind, inputs, error=exc.message, error_field=exc.field, understood_text=text)
    missing = [name for name in needs if name not in inputs] + calculator.missing(kind, validated)
    if missing:
        if not personal_figure and not explicit:
            return None
        understood = validated.model_dump(mode="json", exclude_none=True)
        text = understood_text(understood) if understood else "Razumem, da želite izračun."
        question_text = follow_up_question(missing[0])
        return CalcRoute(kind, understood, missing=missing, follow_up=question_text, understood_text=text)
    try:
        result = calculator.compute(kind, validated)
    except CalculatorInputError as exc:
        return CalcRoute(kind, inputs, error=exc.message, error_field=exc.field, understood_text=text)
    understood = validated.model_dump(mode="json", exclude_none=True)
    text = understood_text(understood)
    result.understood = text
    return CalcRoute(kind, understood, result=result, understood_text=text)


__all__ = ["EXTRACTORS", "detect_kind", "label", "route_question", "understand"]
