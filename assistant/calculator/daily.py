"""Daily life: meals per day and how long a child may stay with the mother."""

from __future__ import annotations

from .common import Computation, hours_nom, iso, meals_text, num
from .dates import add_months, format_date
from .rules import RuleBook
from .schemas import ChildStayInput, ExtraMealInput


def extra_meal(inp: ExtraMealInput, rules: RuleBook) -> Computation:
    """Meals per day: 3, plus one for ≥ 4 h of (therapeutic) work daily or when pregnant/breastfeeding."""
    c = Computation()
    base = int(rules["meals_base"]["meals_per_day"])
    c.use("meals_base")
    c.steps.append(f"Vsaka obsojenka dobi dnevno {meals_text(base)} hrane.")
    work_extra = False
    if inp.daily_work_or_work_therapy_hours is not None:
        threshold = rules["meals_work_extra"]["min_daily_hours"]
        hours = inp.daily_work_or_work_therapy_hours
        work_extra = hours >= threshold
        c.use("meals_work_extra")
        relation = "≥" if work_extra else "<"
        c.steps.append(
            f"Dodatni obrok pripada pri delu ali delovni terapiji vsaj {hours_nom(threshold)} dnevno: "
            f"{num(hours)} {relation} {num(threshold)}, zato "
            + ("dodatni obrok pripada." if work_extra else "dodatni obrok za delo ne pripada.")
        )
    pregnancy_extra = bool(inp.pregnant_or_breastfeeding)
    if inp.pregnant_or_breastfeeding is not None:
        c.use("meals_pregnancy_extra")
        c.steps.append(
            "Nosečnice in doječe matere prejmejo dodatni obrok dnevno."
            if pregnancy_extra
            else "Ker niste noseči in ne dojite, dodatni obrok za nosečnost ali dojenje ne pripada."
        )
    extra = work_extra or pregnancy_extra
    meals = base + (int(rules["meals_work_extra"]["extra_meals"]) if extra else 0)
    c.outputs["extra_meal"] = extra
    c.outputs["meals_per_day"] = meals
    if work_extra and pregnancy_extra:
        combined = (
            base + int(rules["meals_work_extra"]["extra_meals"]) + int(rules["meals_pregnancy_extra"]["extra_meals"])
        )
        c.outputs["meals_per_day_if_extras_combine"] = combined
        c.notes.append(
            "Priročnik ne pove, ali se dodatna obroka za delo in za nosečnost seštejeta; zagotovljenih je "
            f"najmanj {meals_text(meals)}, če se seštejeta, {meals_text(combined)}."
        )
    c.steps.append(f"Skupaj na dan: {meals_text(meals)}.")
    c.summary = (
        f"Dodatni obrok vam pripada, na dan dobite {meals_text(meals)}."
        if extra
        else f"Dodatni obrok vam ne pripada, na dan dobite {meals_text(meals)}."
    )
    return c


def child_stay(inp: ChildStayInput, rules: RuleBook) -> Computation:
    """Until when a child may stay: 1st birthday; 2nd if the mother is released by then or for reasons."""
    c = Computation()
    out = c.outputs
    assert inp.child_birth_date is not None and inp.mother_last_day_of_sentence is not None
    first_age = int(rules["child_stay_first_year"]["age_years"])
    second_age = int(rules["child_stay_second_year"]["age_years"])
    c.use("child_stay_first_year", "child_stay_second_year")
    birth, mother_last = inp.child_birth_date, inp.mother_last_day_of_sentence
    first = add_months(birth, 12 * first_age)
    second = add_months(birth, 12 * second_age)
    special = bool(inp.special_health_social_or_other_reasons)
    if inp.special_health_social_or_other_reasons is None:
        c.notes.append("Predpostavka: posebnih zdravstvenih, socialnih ali drugih razlogov ni.")
    released_in_time = mother_last <= second
    extension = special or released_in_time
    c.steps.append(f"Otrok sme ostati pri vas na vašo zahtevo do dopolnjenega 1. leta: {format_date(first)}.")
    if released_in_time:
        c.steps.append(
            f"Kazen se vam izteče {format_date(mother_last)}, pred 2. rojstnim dnem otroka "
            f"({format_date(second)}), zato sme otrok ostati pri vas do vašega odpusta."
        )
    else:
        c.steps.append(
            f"Kazen se vam izteče {format_date(mother_last)}, po 2. rojstnim dnevu otroka ({format_date(second)})."
        )
    if special:
        c.steps.append("Posebni zdravstveni, socialni ali drugi razlogi omogočajo bivanje do dopolnjenega 2. leta.")
    until = min(mother_last, second) if extension else first
    out["first_birthday"] = iso(first)
    out["second_birthday"] = iso(second)
    out["extension_to_second_year_possible"] = extension
    out["child_may_stay_until"] = iso(until)
    if not extension:
        c.steps.append("Podaljšanje do 2. leta ni mogoče, zato sme otrok ostati do 1. rojstnega dne.")
        c.notes.append(
            "Po tem se otrok v sporazumu z vami odda očetu ali sorodnikom; če to ni mogoče, ukrepa center za "
            "socialno delo."
        )
    c.summary = f"Otrok sme ostati pri vas do {format_date(until)}."
    return c
