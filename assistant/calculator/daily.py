"""Daily life: visits, parcels, meals, a child staying with the mother, weekend prison conditions."""

from __future__ import annotations

import math

from .common import UNLIMITED, Computation, hours_acc, hours_nom, iso, meals_text, months_acc, num
from .dates import add_months, format_date
from .rules import RuleBook
from .schemas import (
    CLOSE_FAMILY,
    LOCATION_OUTSIDE,
    LOCATION_OVERNIGHT,
    CalculatorInputError,
    ChildStayInput,
    ExtraMealInput,
    PackagesInput,
    VisitsInput,
    WeekendPrisonInput,
    fold,
)


def visits(inp: VisitsInput, rules: RuleBook) -> Computation:
    """Visit durations (minimum 1 h; maximum by type and place) and the weekly minimum for close family."""
    c = Computation()
    out = c.outputs
    min_hours = rules["visits_min_duration"]["min_hours"]
    c.use("visits_min_duration")
    out["min_duration_hours"] = min_hours
    out["min_duration_hours_each"] = min_hours
    c.steps.append(f"Obiska ni mogoče omejiti na manj kot {hours_acc(min_hours)}.")
    visit_type = inp.visit_type
    if inp.location in (LOCATION_OUTSIDE, LOCATION_OVERNIGHT):
        if visit_type == "nadzorovan":
            place = (
                "zunaj zavoda"
                if inp.location == LOCATION_OUTSIDE
                else "v ločenem prostoru z možnostjo nočitve"
            )
            raise CalculatorInputError(
                "visit_type",
                f"Obisk {place} je po priročniku nenadzorovan – nadzorovan obisk tam ni predviden.",
            )
        if visit_type is None:
            visit_type = "nenadzorovan"
            c.notes.append("Obisk zunaj zavoda ali z nočitvijo je nenadzorovan obisk.")
    max_hours = None
    if inp.location == LOCATION_OVERNIGHT:
        max_hours = rules["visits_overnight_max"]["max_hours"]
        c.use("visits_overnight_max")
        c.steps.append(
            "Nenadzorovani obisk v ločenem namenskem prostoru z možnostjo nočitve traja do "
            f"{hours_nom(max_hours)}."
        )
        c.notes.append("Obisk z možnostjo nočitve je zavodska ugodnost.")
    elif inp.location == LOCATION_OUTSIDE:
        max_hours = rules["visits_outside_max"]["max_hours"]
        c.use("visits_outside_max")
        c.steps.append(f"Obisk zunaj zavoda lahko traja do {hours_nom(max_hours)}.")
        c.notes.append("Obisk zunaj zavoda je zunajzavodska ugodnost.")
    elif visit_type == "nadzorovan":
        max_hours = rules["visits_supervised_max"]["max_hours"]
        c.use("visits_supervised_max")
        c.steps.append(f"Nadzorovani obisk traja do {hours_nom(max_hours)}.")
    elif visit_type == "nenadzorovan":
        max_hours = rules["visits_unsupervised_max"]["max_hours"]
        c.use("visits_unsupervised_max")
        c.steps.append(f"Nenadzorovani obisk (v zavodu) traja do {hours_nom(max_hours)}.")
    if max_hours is not None:
        out["max_duration_hours"] = max_hours
    category = inp.visitor_category
    family = rules["close_family_definition"]
    if inp.weeks is not None or category is not None:
        out["close_family_members"] = list(family["members"])
    if category is not None:
        out["visitor_category"] = category
        out["visitor_is_close_family"] = category == CLOSE_FAMILY
    guaranteed = category in (None, CLOSE_FAMILY, "rejnik", "skrbnik")
    if inp.weeks is not None or category is not None:
        c.use("visits_close_family_per_week", "close_family_definition")
    if inp.weeks is not None:
        if category is None:
            c.notes.append("Predpostavka: obiskujejo vas ožji družinski člani, rejnik ali skrbnik.")
        if guaranteed:
            per_week = int(rules["visits_close_family_per_week"]["min_visits_per_week"])
            out["min_visits"] = per_week * inp.weeks
            c.steps.append(
                f"Ožji družinski člani, rejnik in skrbnik vas lahko obiščejo najmanj {per_week}-krat na "
                f"teden: {inp.weeks} × {per_week} = {out['min_visits']} obiskov (to je spodnja meja, ne "
                "omejitev)."
            )
        else:
            per_week = int(rules["visits_other_persons"]["min_visits_per_week"])
            c.use("visits_other_persons")
            out["min_visits"] = per_week * inp.weeks
            c.steps.append(
                "Drugim osebam je obisk omogočen na vašo prošnjo in z dovoljenjem direktorice zavoda; "
                "najmanjšega števila obiskov priročnik zanje ne določa."
            )
    if category is not None and category not in (CLOSE_FAMILY, "rejnik", "skrbnik"):
        out["requires_director_permission"] = category == "druga oseba"
        if category == "druga oseba":
            c.use("visits_other_persons")
    if "close_family_members" in out:
        c.notes.append("Ožji družinski člani so: " + "; ".join(family["members"]) + ".")
    parts = [f"Obisk traja najmanj {hours_acc(min_hours)}"]
    if max_hours is not None:
        parts[0] += f" in največ {hours_acc(max_hours)}"
    parts[0] += "."
    if "min_visits" in out and guaranteed:
        parts.append(f"V {inp.weeks} tednih vas lahko obiščejo najmanj {out['min_visits']}-krat.")
    c.summary = " ".join(parts)
    return c


def _period_text(months: int | None, weeks: int | None) -> str:
    if months is not None:
        return f"v {months} mesecih" if months != 1 else "v 1 mesecu"
    return f"v {weeks} tednih" if weeks != 1 else "v 1 tednu"


def packages(inp: PackagesInput, rules: RuleBook) -> Computation:
    """Parcels allowed in a period by regime, and whether a parcel's size fits (orientation-free)."""
    c = Computation()
    out = c.outputs
    months, weeks = inp.period_months, inp.period_weeks
    if inp.regime == "odprti":
        c.use("packages_open")
        for key in (
            "food_parcels",
            "food_parcels_per_year",
            "linen_personal_items_parcels",
            "press_and_book_parcels",
        ):
            out[key] = UNLIMITED
        c.steps.append("V odprtem režimu število paketov ni omejeno.")
        c.summary = "V odprtem režimu lahko prejmete neomejeno število paketov."
    elif inp.regime in ("zaprti", "polodprti"):
        rule_id = "packages_closed" if inp.regime == "zaprti" else "packages_semi_open"
        rule = rules[rule_id]
        c.use(rule_id)
        food_year = int(rule["food_per_year"])
        linen = int(rule["linen_per_period"])
        linen_unit = str(rule["linen_period"])
        out["food_parcels_per_year"] = food_year
        out["press_and_book_parcels"] = UNLIMITED
        regime_text = "zaprtem" if inp.regime == "zaprti" else "polodprtem"
        unit_text = "mesec" if linen_unit == "month" else "teden"
        c.steps.append(
            f"V {regime_text} režimu: {food_year} paketi s hrano na leto, {linen} paket s perilom in "
            f"osebnimi predmeti na {unit_text}, paketi s časopisi, revijami in knjigami neomejeno."
        )
        summary = [f"V {regime_text} režimu lahko prejmete {food_year} pakete s hrano na leto"]
        if months is not None or weeks is not None:
            period_days_years = months / 12 if months is not None else (weeks or 0) / 52
            years = max(1, math.ceil(period_days_years))
            out["food_parcels"] = food_year * years
            c.steps.append(
                "Omejitev paketov s hrano je letna in se ne preračunava sorazmerno: "
                f"{_period_text(months, weeks)} največ {food_year} × {years} = {out['food_parcels']} (če jih "
                "v tem letu še niste prejeli)."
            )
            linen_count: int | None = None
            if linen_unit == "month":
                if months is not None:
                    linen_count = linen * months
                elif weeks is not None and weeks % 52 == 0:
                    linen_count = linen * 12 * weeks // 52
            elif weeks is not None:
                linen_count = linen * weeks
            elif months is not None and months % 12 == 0:
                linen_count = linen * 52 * months // 12
            if linen_count is not None:
                out["linen_personal_items_parcels"] = linen_count
                count_of = months if linen_unit == "month" and months is not None else weeks
                if count_of is not None and (
                    (linen_unit == "month" and months is not None)
                    or (linen_unit == "week" and weeks is not None)
                ):
                    c.steps.append(
                        f"Paketi s perilom in osebnimi predmeti: {count_of} × {linen} = {linen_count}."
                    )
                else:
                    c.steps.append(
                        f"Paketi s perilom in osebnimi predmeti: {linen} na {unit_text}, "
                        f"{_period_text(months, weeks)} torej {linen_count}."
                    )
                summary.append(
                    f"{_period_text(months, weeks)} {linen_count} paketov s perilom in osebnimi predmeti"
                )
            else:
                out[f"linen_personal_items_parcels_per_{linen_unit}"] = linen
                c.notes.append(
                    f"Paketi s perilom se štejejo na {unit_text}; za obdobje v drugih enotah točnega števila "
                    "ni mogoče določiti."
                )
        else:
            out[f"linen_personal_items_parcels_per_{linen_unit}"] = linen
            summary.append(f"{linen} paket s perilom in osebnimi predmeti na {unit_text}")
        c.summary = ", ".join(summary) + "; paketi s časopisi, revijami in knjigami niso omejeni."
    if inp.dimensions_cm is not None:
        limit = [float(x) for x in rules["packages_max_size"]["max_dimensions_cm"]]
        c.use("packages_max_size")
        given = sorted(inp.dimensions_cm, reverse=True)
        allowed_sizes = sorted(limit, reverse=True)
        fits = all(g <= m for g, m in zip(given, allowed_sizes, strict=True))
        out["max_dimensions_cm"] = [int(x) if x.is_integer() else x for x in limit]
        out["allowed"] = fits
        out["exceeded"] = not fits
        over = [f"{num(g)} > {num(m)}" for g, m in zip(given, allowed_sizes, strict=True) if g > m]
        dims_text = " × ".join(num(x) for x in given)
        max_text = " × ".join(num(x) for x in allowed_sizes)
        c.steps.append(
            f"Mere paketa, urejene po velikosti ({dims_text} cm), primerjamo z največjimi ({max_text} cm): "
            + ("paket ustreza." if fits else "presežene so mere " + ", ".join(over) + ".")
        )
        size_sentence = (
            f"Paket {dims_text} cm ustreza največji dovoljeni velikosti {max_text} cm."
            if fits
            else f"Paket {dims_text} cm presega največjo dovoljeno velikost {max_text} cm."
        )
        c.summary = f"{c.summary} {size_sentence}".strip()
    return c


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
            base
            + int(rules["meals_work_extra"]["extra_meals"])
            + int(rules["meals_pregnancy_extra"]["extra_meals"])
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
            f"Kazen se vam izteče {format_date(mother_last)}, po 2. rojstnim dnevu otroka "
            f"({format_date(second)})."
        )
    if special:
        c.steps.append(
            "Posebni zdravstveni, socialni ali drugi razlogi omogočajo bivanje do dopolnjenega 2. leta."
        )
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
        c.steps.append(
            f"Kazen {months_acc(inp.sentence_months)} presega {max_months} mesecev: pogoj ni izpolnjen."
        )
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
