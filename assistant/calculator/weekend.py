"""Weekend prison (zapor ob koncu tedna): the objective conditions a court starts from."""

from __future__ import annotations

from .common import Computation, months_acc
from .rules import RuleBook
from .schemas import WeekendPrisonInput, fold

_WORK_NEGATION = ("nezaposl", "brezposeln", "brez zaposlitve", "brez sluzbe", "brez dela", "nisem zaposl",
                  "ni zaposl", "ne delam", "upokojen")  # fmt: skip
_HOME_COUNTRY = {
    "slovenija",
    "sloveniji",
    "slovenia",
    "rs",
    "republika slovenija",
    "republiki sloveniji",
    "si",
}


def _status_condition(status: str) -> tuple[bool, str]:
    """(met, description) for the work/school condition, from free text."""
    text = fold(status)
    if "samozaposl" in text:
        return True, "samozaposlena"
    if any(word in text for word in _WORK_NEGATION):
        return False, "ni zaposlena, samozaposlena, ne kmetuje in se ne šola redno"
    if "kmet" in text:
        return True, "samostojno opravlja kmetijsko dejavnost"
    if "zaposl" in text or "sluzb" in text or "delovno razmerje" in text:
        return True, "zaposlena"
    if "dijak" in text or "dijakinj" in text or "srednj" in text:
        if any(word in text for word in ("neredn", "ne hodi", "ne obiskuj", "izredn")):
            return False, "dijakinja, ki se ne šola redno"
        return True, "dijakinja, ki se redno šola"
    if "student" in text or "studij" in text or "fakultet" in text:
        if any(word in text for word in ("ne izpolnjuj", "neizpolnjuj", "ne opravlja", "neredn")):
            return False, "študentka, ki študijskih obveznosti ne izpolnjuje redno"
        return True, "študentka, ki redno izpolnjuje študijske obveznosti"
    return False, "ni zaposlena, samozaposlena, ne kmetuje in se ne šola redno"


def weekend_prison_eligibility(inp: WeekendPrisonInput, rules: RuleBook) -> Computation:
    """Objective conditions for weekend prison: ≤ 36 months, no sexual-integrity offence, work or school."""
    c = Computation()
    out = c.outputs
    failed: list[str] = []
    unverified: list[str] = []
    max_months = int(rules["weekend_prison_sentence"]["max_sentence_months"])
    c.use("weekend_prison_sentence", "weekend_prison_offence", "weekend_prison_work", "weekend_prison_school")
    assert inp.sentence_months is not None
    if inp.sentence_months <= max_months:
        c.steps.append(
            f"Kazen {months_acc(inp.sentence_months)} ne presega {max_months} mesecev (do treh let): pogoj "
            "je izpolnjen."
        )
    else:
        failed.append(f"kazen je daljša od {max_months} mesecev (treh let)")
        c.steps.append(f"Kazen {months_acc(inp.sentence_months)} presega {max_months} mesecev: pogoj ni izpolnjen.")
    if inp.offence_against_sexual_integrity:
        failed.append("gre za kaznivo dejanje zoper spolno nedotakljivost")
        c.steps.append("Gre za kaznivo dejanje zoper spolno nedotakljivost: pogoj ni izpolnjen.")
    else:
        if inp.offence_against_sexual_integrity is None:
            c.notes.append("Predpostavka: ne gre za kaznivo dejanje zoper spolno nedotakljivost.")
        c.steps.append("Ne gre za kaznivo dejanje zoper spolno nedotakljivost: pogoj je izpolnjen.")
    if inp.status is not None:
        met, description = _status_condition(inp.status)
        if met:
            c.steps.append(f"Status ({description}) ustreza pogoju zaposlitve oziroma rednega šolanja.")
            home = str(rules["weekend_prison_work"]["home_country"])
            country = inp.status_country
            if country is None:
                c.notes.append(f"Predpostavka: delate oziroma se šolate v državi {home}.")
            elif fold(country).strip() not in _HOME_COUNTRY:
                unverified.append(
                    f"ali ima Republika Slovenija z državo {country} urejeno sodelovanje v kazenskih zadevah"
                )
                c.steps.append(
                    f"Za državo {country} velja pogoj le, če ima Republika Slovenija z njo urejeno "
                    "sodelovanje v kazenskih zadevah; tega kalkulator ne more preveriti."
                )
        else:
            failed.append(f"status: {description}")
            c.steps.append(f"Status ({description}) ne ustreza pogoju zaposlitve oziroma rednega šolanja.")
    meets = not failed
    c.use("weekend_prison_court")
    out["meets_stated_conditions"] = meets
    out["failed_conditions"] = failed
    if unverified:
        out["unverified_conditions"] = unverified
    c.notes.append(
        "Izpolnjeni objektivni pogoji ne zadoščajo: sodišče presodi še, ali vam je mogoče zaupati, in odloči "
        "('lahko dopusti')."
    )
    c.summary = (
        "Navedene objektivne pogoje za zapor ob koncu tedna izpolnjujete; o njem odloči sodišče."
        if meets
        else "Pogojev za zapor ob koncu tedna ne izpolnjujete: " + "; ".join(failed) + "."
    )
    return c
