"""Contacts with the outside: visits (durations, weekly minimum) and parcels (per regime, size limit)."""

from __future__ import annotations

import math

from .common import UNLIMITED, Computation, hours_acc, hours_nom, num
from .rules import RuleBook
from .schemas import (
    CLOSE_FAMILY,
    LOCATION_OUTSIDE,
    LOCATION_OVERNIGHT,
    CalculatorInputError,
    PackagesInput,
    VisitsInput,
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
            place = "zunaj zavoda" if inp.location == LOCATION_OUTSIDE else "v ločenem prostoru z možnostjo nočitve"
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
            f"Nenadzorovani obisk v ločenem namenskem prostoru z možnostjo nočitve traja do {hours_nom(max_hours)}."
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
                    (linen_unit == "month" and months is not None) or (linen_unit == "week" and weeks is not None)
                ):
                    c.steps.append(f"Paketi s perilom in osebnimi predmeti: {count_of} × {linen} = {linen_count}.")
                else:
                    c.steps.append(
                        f"Paketi s perilom in osebnimi predmeti: {linen} na {unit_text}, "
                        f"{_period_text(months, weeks)} torej {linen_count}."
                    )
                summary.append(f"{_period_text(months, weeks)} {linen_count} paketov s perilom in osebnimi predmeti")
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
