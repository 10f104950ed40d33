"""Deterministic calculator of personal figures (leave days, release dates, parcels, savings …).

Public API::

    from assistant.calculator import Calculator, CalculatorInputError

    calc = Calculator()
    calc.kinds()                         # ["leave_days", "education_rest_days", ...]
    calc.input_schema("leave_days")      # JSON schema for a kiosk form
    calc.calculate("leave_days", {"full_time_months": 5}).outputs   # {"leave_days": 10, ...}
    calc.route("Delala sem 5 mesecev s polnim delovnim časom. Koliko dni dopusta imam?")

All legal figures come from ``rules.toml``; every result carries Slovenian steps and the citations
(rule id, corpus chunk id, verbatim quote) of the rules it used.
"""

from __future__ import annotations

from .rules import Citation, Rule, RuleBook, RulesError, load_rules
from .schemas import INPUT_MODELS, CalcResult, CalcRoute, CalculatorInputError
from .service import Calculator

__all__ = [
    "INPUT_MODELS",
    "CalcResult",
    "CalcRoute",
    "Calculator",
    "CalculatorInputError",
    "Citation",
    "Rule",
    "RuleBook",
    "RulesError",
    "load_rules",
]
