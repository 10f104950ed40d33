"""Input fields: the catalogue of every calculator input (label, follow-up question, bounds) and the error.

Values are parsed leniently (:mod:`assistant.calculator.values`) and rejected with a
:class:`CalculatorInputError` that names the field and says why, in Slovenian.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


class CalculatorInputError(Exception):
    """An input the calculator cannot use: ``field`` names it, ``message`` says why (Slovenian sentence)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {"field": self.field, "error": self.message}


# --- field catalogue ----------------------------------------------------------------------------------------

FieldType = Literal["count", "number", "eur", "date", "bool", "choice", "text", "hours_list", "dims"]


@dataclass(frozen=True)
class FieldSpec:
    """How one input is labelled, asked for, parsed and bounded."""

    label: str  # Slovenian noun phrase, lowercase ("število mesecev dela")
    type: FieldType
    question: str  # follow-up question when the figure is missing
    gender: Literal["m", "f", "n"] = "n"  # grammatical gender of the label's head noun (for adjectives)
    max_limit: str | None = None  # key in rules.toml [limits]
    positive: bool = False  # must be > 0, not just >= 0
    min_limit: str | None = None  # key in rules.toml [limits]: the smallest sensible value


FIELDS: dict[str, FieldSpec] = {
    # dates
    "sentence_start_date": FieldSpec(
        "začetek prestajanja kazni", "date", "Katerega dne ste nastopili kazen (npr. 15. 3. 2025)?", "m"
    ),
    "sentence_last_day": FieldSpec("zadnji dan kazni", "date", "Kateri je zadnji dan vaše kazni?", "m"),
    "last_day_of_sentence": FieldSpec("zadnji dan kazni", "date", "Kateri je zadnji dan vaše kazni?", "m"),
    "reference_date": FieldSpec("datum preverjanja", "date", "Za kateri datum naj preverim časovni pogoj?", "m"),
    "child_birth_date": FieldSpec("datum rojstva otroka", "date", "Katerega dne se je rodil vaš otrok?", "m"),
    "mother_last_day_of_sentence": FieldSpec("zadnji dan vaše kazni", "date", "Kateri je zadnji dan vaše kazni?", "m"),
    # whole numbers
    "full_time_months": FieldSpec(
        "število mesecev dela",
        "count",
        "Koliko mesecev ste delali s polnim delovnim časom?",
        "n",
        "max_months",
    ),
    "additional_days_proposed": FieldSpec(
        "število predlaganih dodatnih dni", "count", "Koliko dodatnih dni vam predlagajo?", "n", "max_days"
    ),
    "leave_days_computed_for_pripor_work": FieldSpec(
        "število dni dopusta za delo v priporu",
        "count",
        "Koliko dni letnega dopusta bi vam po izračunu pripadlo za delo v priporu?",
        "n",
        "max_days",
    ),
    "months_successfully_completed": FieldSpec(
        "število uspešno opravljenih mesecev izobraževanja",
        "count",
        "Koliko mesecev izobraževanja ste uspešno opravili?",
        "n",
        "max_months",
    ),
    "months_not_successfully_completed": FieldSpec(
        "število neuspešno opravljenih mesecev izobraževanja",
        "count",
        "Koliko mesecev izobraževanja niste uspešno opravili?",
        "n",
        "max_months",
    ),
    "weeks": FieldSpec("število tednov", "count", "Za koliko tednov naj izračunam obiske?", "n", "max_weeks"),
    "period_months": FieldSpec(
        "obdobje v mesecih", "count", "Za koliko mesecev naj izračunam pakete?", "n", "max_months"
    ),
    "period_weeks": FieldSpec("obdobje v tednih", "count", "Za koliko tednov naj izračunam pakete?", "n", "max_weeks"),
    "interruption_days": FieldSpec(
        "število dni prekinitve",
        "count",
        "Koliko dni je trajala prekinitev prestajanja kazni?",
        "n",
        "max_days",
    ),
    "credited_pripor_days": FieldSpec(
        "število dni pripora", "count", "Koliko dni ste bili v priporu pred nastopom kazni?", "n", "max_days"
    ),
    "credited_pripor_months": FieldSpec(
        "število mesecev pripora", "count", "Koliko mesecev ste bili v priporu pred nastopom kazni?", "n", "max_months"
    ),
    "sentence_length_months": FieldSpec(
        "dolžina kazni v mesecih",
        "count",
        "Na koliko mesecev ali let zapora ste obsojeni?",
        "f",
        "max_months",
    ),
    "sentence_length_days": FieldSpec(
        "dolžina kazni v dneh", "count", "Na koliko dni zapora ste obsojeni?", "f", "max_days"
    ),
    "sentence_months": FieldSpec(
        "dolžina kazni v mesecih",
        "count",
        "Na koliko mesecev ali let zapora ste obsojeni?",
        "f",
        "max_months",
        True,
    ),
    # decimals
    "monthly_full_time_hours": FieldSpec(
        "mesečna obveznost ur za polni delovni čas",
        "number",
        "Koliko ur znaša mesečna obveznost za polni delovni čas (npr. 174 ur)?",
        "f",
        "max_monthly_hours",
        True,
        "min_monthly_full_time_hours",
    ),
    "hours_worked_per_month": FieldSpec(
        "število opravljenih ur dela",
        "hours_list",
        "Koliko ur ste delali v posameznih mesecih?",
        "n",
        "max_monthly_hours",
    ),
    "daily_work_or_work_therapy_hours": FieldSpec(
        "dnevno število ur",
        "number",
        "Koliko ur na dan delate ali ste vključeni v delovno terapijo?",
        "n",
        "max_daily_hours",
    ),
    # money
    "monthly_pay_eur": FieldSpec(
        "plačilo za delo", "eur", "Koliko znaša vaše plačilo za delo ta mesec (v EUR)?", "n", "max_eur"
    ),
    "current_mandatory_savings_eur": FieldSpec(
        "znesek na obveznem prihranku",
        "eur",
        "Koliko imate že zbranega na obveznem prihranku (v EUR)?",
        "m",
        "max_eur",
    ),
    "monthly_social_assistance_eur": FieldSpec(
        "znesek mesečne denarne socialne pomoči",
        "eur",
        "Koliko znaša mesečna denarna socialna pomoč (v EUR)? Priročnik zneska ne navaja.",
        "m",
        "max_eur",
        True,
    ),
    # yes / no
    "started_sentence_from_pripor": FieldSpec(
        "nastop kazni iz pripora", "bool", "Ali ste kazen nastopili neposredno iz pripora?", "m"
    ),
    "pregnant_or_breastfeeding": FieldSpec("nosečnost ali dojenje", "bool", "Ali ste noseči ali dojite?", "f"),
    "special_health_social_or_other_reasons": FieldSpec(
        "posebni zdravstveni, socialni ali drugi razlogi",
        "bool",
        "Ali obstajajo posebni zdravstveni, socialni ali drugi razlogi, da otrok ostane pri vas?",
        "m",
    ),
    "life_sentence": FieldSpec("dosmrtni zapor", "bool", "Ali gre za kazen dosmrtnega zapora?", "m"),
    "offence_against_sexual_integrity": FieldSpec(
        "kaznivo dejanje zoper spolno nedotakljivost",
        "bool",
        "Ali gre za kaznivo dejanje zoper spolno nedotakljivost?",
        "n",
    ),
    # choices and text
    "regime": FieldSpec("režim", "choice", "V katerem režimu ste: zaprtem, polodprtem ali odprtem?", "m"),
    "visit_type": FieldSpec("vrsta obiska", "choice", "Ali so vaši obiski nadzorovani ali nenadzorovani?", "f"),
    "location": FieldSpec(
        "kraj obiska",
        "choice",
        "Kje poteka obisk: v zavodu, zunaj zavoda ali v ločenem prostoru z možnostjo nočitve?",
        "m",
    ),
    "visitor_category": FieldSpec(
        "obiskovalec", "choice", "Kdo vas obiskuje (npr. mož, mama, sestra, prijateljica)?", "m"
    ),
    "status": FieldSpec(
        "status",
        "text",
        "Ali ste zaposleni, samozaposleni, kmetujete, ali se redno šolate oziroma študirate?",
        "m",
    ),
    "status_country": FieldSpec("država zaposlitve ali šolanja", "text", "V kateri državi delate ali se šolate?", "f"),
    "dimensions_cm": FieldSpec(
        "mere paketa",
        "dims",
        "Kakšne so mere paketa v centimetrih (npr. 50 x 40 x 30)?",
        "f",
        "max_dimension_cm",
    ),
}


def label(name: str) -> str:
    """Slovenian label of an input field (the name itself if unknown)."""
    spec = FIELDS.get(name)
    return spec.label if spec else name


def follow_up_question(name: str) -> str:
    """The question that asks for a missing input."""
    spec = FIELDS.get(name)
    return spec.question if spec else f"Prosim, navedite še podatek: {name}."


def cap(text: str) -> str:
    """The text with its first letter upper-cased (labels start sentences in messages)."""
    return text[:1].upper() + text[1:]
