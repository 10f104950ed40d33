"""What kind of message this is, decided before any retrieval: its language, whether it needs crisis help or a
refusal, and whether it asks the calculator for a personal figure."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.calculator.schemas import CalcRoute
from assistant.protocols import CalculatorRouter
from assistant.question.crisis import CrisisDetector
from assistant.question.decompose import question_parts
from assistant.question.language_model import LanguageModel, detect
from assistant.question.safety import SafetyVerdict, classify
from assistant.types import Language

LANGUAGES: tuple[Language, ...] = ("sl", "en", "bcs")


@dataclass(frozen=True)
class Triage:
    """The route for one message."""

    language: Language
    safety: SafetyVerdict | None
    calculation: CalcRoute | None = None

    @property
    def route(self) -> str:
        """``crisis`` | ``refuse`` | ``unanswerable`` | ``calculator`` | ``grounded``."""
        if self.safety is not None:
            return self.safety.group
        return "calculator" if self.calculation is not None else "grounded"


def triage(
    question: str,
    language: str | None = None,
    calculator: CalculatorRouter | None = None,
    detector: CrisisDetector | None = None,
    crisis: bool = True,
    language_model: LanguageModel | None = None,
) -> Triage:
    """Classify ``question``; ``language`` (sl/en/bcs) overrides detection. The calculator is asked only when no
    safety rule applies. ``crisis=False``: the crisis check has been done already. ``language_model``: the
    corpus-trained language model (marker words alone without it)."""
    given = next((code for code in LANGUAGES if code == language), None)
    lang: Language = given or detect(question, language_model)
    verdict = classify(question, detector, crisis=crisis)
    sure = language_model is not None and language_model.confident(question) is not None
    if given is None and not sure and verdict is not None and len(verdict.languages) == 1:
        # a short message in distress is often too short to tell Slovenian from BCS: when the language model is
        # unsure, the vocabulary that recognised it knows
        lang = next(code for code in LANGUAGES if code in verdict.languages)
    route = calculator.route(question) if verdict is None and calculator is not None else None
    if route is not None and route.result is None and len(question_parts(question)) > 1:
        route = None  # a long message asking several things is answered part by part, not with a follow-up form
    return Triage(lang, verdict, route)
