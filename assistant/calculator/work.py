"""Work and education: annual leave days, rest days for education, mandatory savings (Delo v zaporu)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from .common import CENT, Computation, days_gen, eur, months_acc, num
from .rules import RuleBook
from .schemas import CalculatorInputError, EducationRestDaysInput, LeaveDaysInput, SavingsInput


def leave_days(inp: LeaveDaysInput, rules: RuleBook) -> Computation:
    """Annual leave for work: 2 days per full-time month, part-time hour blocks, capped extras, pripor cap."""
    c = Computation()
    out = c.outputs
    per_month = int(rules["leave_days_per_month"]["days_per_month"])
    base: int | None = None
    if inp.full_time_months is not None:
        base = inp.full_time_months * per_month
        c.use("leave_days_per_month")
        c.steps.append(
            f"Za vsak mesec dela s polnim delovnim časom je pravica do {days_gen(per_month)} letnega "
            f"dopusta: {inp.full_time_months} × {per_month} = {base} dni."
        )
    if inp.hours_worked_per_month is not None:
        if inp.monthly_full_time_hours is None:  # guarded by missing_inputs
            raise CalculatorInputError("monthly_full_time_hours", "Manjka mesečna obveznost ur za polni delovni čas.")
        per_block = int(rules["leave_days_part_time"]["days_per_block"])
        total = sum((Decimal(str(h)) for h in inp.hours_worked_per_month), Decimal(0))
        monthly = Decimal(str(inp.monthly_full_time_hours))
        blocks = int(total // monthly)
        remaining = total - blocks * monthly
        part_time_days = blocks * per_block
        c.use("leave_days_part_time")
        hours_text = " + ".join(num(h) for h in inp.hours_worked_per_month)
        c.steps.append(f"Opravljene ure se seštejejo: {hours_text} = {num(total)} ur.")
        c.steps.append(
            f"Za vsak polni seštevek {num(monthly)} ur (mesečna obveznost za polni delovni čas) je pravica "
            f"do {days_gen(per_block)}: {num(total)} ÷ {num(monthly)} = {blocks} polnih seštevkov, ostane "
            f"{num(remaining)} ur; {blocks} × {per_block} = {part_time_days} dni."
        )
        c.notes.append("Predpostavka: preostale ure se prenesejo v naslednji seštevek.")
        out["total_hours"] = float(total)
        out["full_time_month_equivalents"] = blocks
        out["remaining_hours"] = float(remaining)
        base = (base or 0) + part_time_days
    additional_capped = False
    additional = 0
    if base is not None:
        out["base_leave_days"] = base
        out["leave_days"] = base
    if inp.additional_days_proposed is not None:
        cap = int(rules["leave_days_additional_cap"]["max_days_per_year"])
        additional = min(inp.additional_days_proposed, cap)
        additional_capped = inp.additional_days_proposed > cap
        c.use("leave_days_additional_cap")
        c.steps.append(
            f"Dodatni letni dopust je največ {cap} dni v enem letu: predlaganih "
            f"{inp.additional_days_proposed}"
            + (f" presega mejo, zato {additional} dni." if additional_capped else f", torej {additional} dni.")
        )
        c.notes.append("Dodatni dopust ni pravica: dodeli se po kriterijih (stalnost in prizadevnost pri delu).")
        out["additional_leave_days"] = additional
        out["additional_capped"] = additional_capped
    if base is not None:
        out["total_leave_days"] = base + additional
        if inp.additional_days_proposed is not None:
            c.steps.append(f"Skupaj: {base} + {additional} = {base + additional} dni letnega dopusta.")
    pripor_capped = False
    if inp.leave_days_computed_for_pripor_work is not None:
        if inp.started_sentence_from_pripor is False:
            raise CalculatorInputError(
                "started_sentence_from_pripor",
                "Dopust za delo v priporu se upošteva le, če ste kazen nastopili iz pripora.",
            )
        cap = int(rules["leave_days_pripor_cap"]["max_days"])
        computed = inp.leave_days_computed_for_pripor_work
        allowed = min(computed, cap)
        pripor_capped = computed > cap
        c.use("leave_days_pripor_cap")
        c.steps.append(
            f"Za delo v priporu lahko v letu, ko ste nastopili kazen, dobite največ {cap} dni: "
            f"min({computed}, {cap}) = {allowed} dni."
        )
        c.notes.append("Priročnik ne pove, kako se dnevi za delo v priporu izračunajo; določa le zgornjo mejo.")
        out["leave_days_allowed_in_year_sentence_started"] = allowed
    out["capped"] = pripor_capped or additional_capped
    parts = []
    if base is not None:
        if inp.additional_days_proposed is not None:
            parts.append(
                f"Pripada vam {days_gen(base)} rednega letnega dopusta in največ {days_gen(additional)} "
                f"dodatnega, skupaj {days_gen(base + additional)}."
            )
        else:
            parts.append(f"Pripada vam {days_gen(base)} letnega dopusta.")
    if "leave_days_allowed_in_year_sentence_started" in out:
        parts.append(
            "Za delo v priporu lahko v letu nastopa kazni dobite "
            f"{days_gen(out['leave_days_allowed_in_year_sentence_started'])} letnega dopusta"
            + (" (zgornja meja)." if pripor_capped else ".")
        )
    c.summary = " ".join(parts)
    return c


def education_rest_days(inp: EducationRestDaysInput, rules: RuleBook) -> Computation:
    """Annual rest days for education: 2 per successfully completed month, additional capped."""
    c = Computation()
    out = c.outputs
    per_month = int(rules["education_rest_days_per_month"]["days_per_month"])
    done = inp.months_successfully_completed or 0
    base = done * per_month
    c.use("education_rest_days_per_month")
    c.steps.append(
        f"Za vsak mesec uspešno opravljenega izobraževanja je pravica do {days_gen(per_month)} letnega "
        f"počitka: {done} × {per_month} = {base} dni."
    )
    if inp.months_not_successfully_completed:
        c.steps.append(
            f"Za {months_acc(inp.months_not_successfully_completed)} izobraževanja, ki niso bili uspešno "
            "opravljeni, dnevi počitka ne pripadajo."
        )
    out["base_rest_days"] = base
    out["rest_days"] = base
    additional = 0
    capped = False
    if inp.additional_days_proposed is not None:
        cap = int(rules["education_additional_cap"]["max_days_per_year"])
        additional = min(inp.additional_days_proposed, cap)
        capped = inp.additional_days_proposed > cap
        c.use("education_additional_cap")
        c.steps.append(
            f"Dodatni letni počitek je največ {cap} dni v enem letu: predlaganih "
            f"{inp.additional_days_proposed}"
            + (f" presega mejo, zato {additional} dni." if capped else f", torej {additional} dni.")
        )
        c.steps.append(f"Skupaj: {base} + {additional} = {base + additional} dni letnega počitka.")
        c.notes.append("Dodatni počitek se dodeli glede na učno uspešnost, prizadevnost in prisotnost pri pouku.")
        out["additional_rest_days"] = additional
        out["additional_capped"] = capped
    out["total_rest_days"] = base + additional
    if inp.additional_days_proposed is not None:
        c.summary = (
            f"Pripada vam {days_gen(base)} letnega počitka in največ {days_gen(additional)} dodatnega, "
            f"skupaj {days_gen(base + additional)}."
        )
    else:
        c.summary = f"Pripada vam {days_gen(base)} letnega počitka."
    return c


# --- money --------------------------------------------------------------------------------------------------


def _money(value: float | None) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT, ROUND_HALF_UP)


def _json_money(value: Decimal) -> float:
    return float(value.quantize(CENT, ROUND_HALF_UP))


def savings(inp: SavingsInput, rules: RuleBook) -> Computation:
    """Mandatory saving: min(20 % of pay, threshold − current savings); threshold = 3 × social assistance."""
    c = Computation()
    out = c.outputs
    percent = Decimal(str(rules["savings_share"]["percent_of_pay"]))
    multiple = Decimal(str(rules["savings_threshold"]["social_assistance_multiple"]))
    c.use("savings_share", "savings_threshold")
    pay = _money(inp.monthly_pay_eur)
    current = _money(inp.current_mandatory_savings_eur)
    if inp.current_mandatory_savings_eur is None:
        c.notes.append("Predpostavka: na obveznem prihranku še nimate ničesar (0,00 EUR).")
    assistance = _money(inp.monthly_social_assistance_eur)
    threshold = (assistance * multiple).quantize(CENT, ROUND_HALF_UP)
    monthly = (pay * percent / 100).quantize(CENT, ROUND_HALF_UP)
    remaining = max(threshold - current, Decimal(0))
    this_month = min(monthly, remaining)
    free = pay - this_month
    after = current + this_month
    c.steps.append(f"Prag: {num(multiple)} × {eur(assistance)} = {eur(threshold)}.")
    c.steps.append(f"{num(percent)} % plačila: {num(percent)} % × {eur(pay)} = {eur(monthly)}.")
    if remaining <= 0:
        c.steps.append(f"Na prihranku imate že {eur(current)}, kar doseže prag, zato se ta mesec nič ne odtegne.")
    elif monthly > remaining:
        c.steps.append(
            f"Do praga manjka {eur(threshold)} − {eur(current)} = {eur(remaining)}, kar je manj od "
            f"{eur(monthly)}, zato gre na prihranek le {eur(this_month)}."
        )
    else:
        c.steps.append(f"Do praga manjka {eur(remaining)}, zato gre na prihranek {eur(this_month)}.")
    c.steps.append(f"Prosto vam ostane {eur(pay)} − {eur(this_month)} = {eur(free)}.")
    out["savings_threshold_eur"] = _json_money(threshold)
    out["monthly_mandatory_saving_eur"] = _json_money(monthly)
    out["mandatory_saving_this_month_eur"] = _json_money(this_month)
    out["freely_usable_this_month_eur"] = _json_money(free)
    out["savings_after_eur"] = _json_money(after)
    out["threshold_reached"] = after >= threshold
    if current > threshold:
        out["excess_over_threshold_eur"] = _json_money(current - threshold)
        c.steps.append(f"S presežkom nad pragom ({eur(current - threshold)}) lahko prosto razpolagate.")
    if remaining <= 0:
        out["months_to_reach_threshold"] = 0
    elif monthly > 0:
        months = math.ceil(remaining / monthly)
        last_saving = remaining - (months - 1) * monthly
        out["months_to_reach_threshold"] = months
        out["last_month_mandatory_saving_eur"] = _json_money(last_saving)
        out["last_month_freely_usable_eur"] = _json_money(pay - last_saving)
        if months > 1:
            c.steps.append(
                f"Pri enakem plačilu bo prag dosežen v {months} mesecih; zadnji mesec gre na prihranek "
                f"{eur(last_saving)}, prosto ostane {eur(pay - last_saving)}."
            )
    else:
        c.notes.append("Brez plačila se prihranek ne povečuje, zato praga ni mogoče doseči.")
    c.notes.append("Znesek denarne socialne pomoči je vaš vhodni podatek; priročnik ga ne navaja.")
    c.summary = f"Ta mesec gre na obvezni prihranek {eur(this_month)}, prosto vam ostane {eur(free)}." + (
        " Prag obveznega prihranka je dosežen." if after >= threshold else ""
    )
    return c
