"""Sentence dates: early release, parole thresholds (KZ-1), release day and the end of a sentence."""

from __future__ import annotations

import math
from datetime import date, timedelta
from fractions import Fraction

from .common import Computation, iso, months_acc, months_words, share_words
from .dates import (
    add_months,
    format_date,
    last_working_day_on_or_before,
    served_on,
    weekday_name,
    weekday_on,
)
from .rules import RuleBook
from .schemas import (
    CalculatorInputError,
    EarlyReleaseInput,
    ParoleEligibilityInput,
    ReleaseDayInput,
    SentenceEndInput,
)


def _effective_start(start: date, pripor_days: int | None, c: Computation, rules: RuleBook) -> date:
    c.use("sentence_start")
    if not pripor_days:
        return start
    per_day = int(rules["pripor_credited"]["days_per_pripor_day"])
    effective = start - timedelta(days=pripor_days * per_day)
    c.use("pripor_credited")
    c.steps.append(
        f"Pripor se všteva v kazen: {format_date(start)} − {pripor_days} dni = {format_date(effective)} "
        "(šteje se, kot da ste kazen začeli prestajati ta dan)."
    )
    return effective


def _check_pripor(start: date, last: date, effective: date, pripor_days: int | None) -> None:
    """Credited pripor must leave part of the sentence to serve: its last day may not precede the start."""
    if pripor_days and last < start:
        length = (last - effective).days + 1
        raise CalculatorInputError(
            "credited_pripor_days",
            f"Število dni pripora ({pripor_days}) je enako dolžini kazni ({length} dni) ali večje: kazen bi bila "
            "s priporom prestana že pred nastopom. Preverite število dni pripora.",
        )


def _shift(day: date, interruption: int | None) -> date:
    return day + timedelta(days=interruption or 0)


def _note_interruption(interruption: int | None, c: Computation) -> None:
    if interruption:
        c.use("interruption_not_counted")
        c.steps.append(
            f"Prekinitev se ne šteje v prestajanje kazni, zato se vsi datumi zamaknejo za {interruption} dni."
        )


def _share_served(start: date, months: int, numerator: int, denominator: int) -> tuple[date, bool]:
    """Day on which a share of a ``months``-month sentence is served; True if the share is whole months."""
    if (months * numerator) % denominator == 0:
        return served_on(start, months * numerator // denominator), True
    total_days = (served_on(start, months) - start).days + 1
    share_days = math.ceil(total_days * numerator / denominator)
    return start + timedelta(days=share_days - 1), False


def _require_length(months: int | None, name: str = "sentence_length_months") -> int:
    if months is None:  # guarded by missing_inputs
        raise CalculatorInputError(name, "Manjka dolžina kazni.")
    if months <= 0:
        raise CalculatorInputError(name, "Dolžina kazni v mesecih mora biti večja od 0.")
    return months


def _months_between(start: date, last: date) -> int | None:
    """n such that served_on(start, n) == last, if the span is whole months."""
    approx = (last.year - start.year) * 12 + (last.month - start.month)
    for n in (approx - 1, approx, approx + 1):
        if n > 0 and served_on(start, n) == last:
            return n
    return None


def early_release(inp: EarlyReleaseInput, rules: RuleBook) -> Computation:
    """Earliest early release: the later of '2/3 served' and 'last day − 3 months' (time condition only)."""
    c = Computation()
    out = c.outputs
    rule = rules["early_release"]
    numerator, denominator = int(rule["share_numerator"]), int(rule["share_denominator"])
    before = int(rule["max_months_before_end"])
    assert inp.sentence_start_date is not None
    start = _effective_start(inp.sentence_start_date, inp.credited_pripor_days, c, rules)
    months = inp.sentence_length_months
    if months is not None:
        months = _require_length(months)
        nominal_last = served_on(start, months)
        c.steps.append(
            f"Zadnji dan kazni: {format_date(start)} + {months_acc(months)} − 1 dan = {format_date(nominal_last)}."
        )
        _check_pripor(inp.sentence_start_date, nominal_last, start, inp.credited_pripor_days)
        if inp.sentence_last_day is not None and inp.sentence_last_day not in (
            nominal_last,
            _shift(nominal_last, inp.interruption_days),
        ):
            raise CalculatorInputError(
                "sentence_last_day",
                f"Zadnji dan kazni {format_date(inp.sentence_last_day)} se ne ujema z dolžino kazni "
                f"{months_acc(months)} (izračunani zadnji dan je {format_date(nominal_last)}).",
            )
    else:
        assert inp.sentence_last_day is not None
        nominal_last = inp.sentence_last_day
        if nominal_last < start:
            raise CalculatorInputError(
                "sentence_last_day", "Zadnji dan kazni je pred začetkom prestajanja – neveljavni datumi."
            )
        months = _months_between(start, nominal_last)
    c.use("early_release")
    if months is not None:
        two_thirds, whole = _share_served(start, months, numerator, denominator)
    else:
        total_days = (nominal_last - start).days + 1
        two_thirds = start + timedelta(days=math.ceil(total_days * numerator / denominator) - 1)
        whole = False
    share_text = share_words(numerator, denominator)
    if whole and months is not None:
        share_months = months * numerator // denominator
        c.steps.append(
            f"{share_words(numerator, denominator, nominative=True).capitalize()} kazni = "
            f"{months_acc(share_months)}: {format_date(start)} + {months_acc(share_months)} − 1 dan = "
            f"{format_date(two_thirds)}."
        )
    else:
        c.steps.append(
            f"{share_words(numerator, denominator, nominative=True).capitalize()} kazni (kazen ni deljiva na "
            f"cele mesece, zato štejemo dneve, zaokroženo navzgor) je prestanih {format_date(two_thirds)}."
        )
    three_before = add_months(nominal_last, -before)
    cap_applies = three_before >= start  # a sentence of a few months: that day lies before the start
    c.steps.append(
        f"{months_words(before).capitalize()} pred iztekom: {format_date(nominal_last)} − "
        f"{months_acc(before)} = {format_date(three_before)}"
        + ("." if cap_applies else " – to je pred začetkom kazni, zato ta meja ne velja.")
    )
    _note_interruption(inp.interruption_days, c)
    last = _shift(nominal_last, inp.interruption_days)
    two_thirds = _shift(two_thirds, inp.interruption_days)
    three_before = _shift(three_before, inp.interruption_days)
    if inp.interruption_days:
        c.steps.append(
            f"Po zamiku: zadnji dan {format_date(last)}, {share_text} {format_date(two_thirds)}"
            + (f", {months_words(before)} pred iztekom {format_date(three_before)}." if cap_applies else ".")
        )
    earliest = max(two_thirds, three_before)
    cap_rule = f"največ {months_words(before)} pred iztekom kazni"
    if three_before > two_thirds:
        binding = cap_rule
    elif two_thirds > three_before:
        binding = f"prestane {share_text} kazni"
    else:
        binding = f"prestane {share_text} kazni in {cap_rule} (isti dan)"
    c.steps.append(f"Najzgodnejši datum je kasnejši od obeh: {format_date(earliest)} (velja pravilo: {binding}).")
    out["last_day_of_sentence"] = iso(last)
    out["two_thirds_served_on"] = iso(two_thirds)
    if cap_applies:
        out["three_months_before_end"] = iso(three_before)
    out["earliest_possible_release_date"] = iso(earliest)
    out["binding_rule"] = binding
    if inp.reference_date is not None:
        met = inp.reference_date >= earliest
        out["time_condition_met_on_reference_date"] = met
        c.steps.append(
            f"Na dan {format_date(inp.reference_date)} časovni pogoj "
            + ("je že izpolnjen." if met else "še ni izpolnjen.")
        )
    c.notes.append(
        "To je le časovni pogoj: predčasni odpust ni pravica ('se lahko'); pogoj so še ustrezno obnašanje, "
        "prizadevnost pri delu in udeležba v koristnih dejavnostih. Pravilo o dnevu odpusta (vikendi, "
        "prazniki) tu ni upoštevano."
    )
    c.summary = (
        f"Časovni pogoj za predčasni odpust je izpolnjen najprej {format_date(earliest)}; zadnji dan kazni "
        f"je {format_date(last)}."
    )
    return c


def parole_eligibility(inp: ParoleEligibilityInput, rules: RuleBook) -> Computation:
    """Parole thresholds (KZ-1, 88. člen): ½ (¾ over 15 years, 25 years for life), exceptionally ⅓."""
    if inp.credited_pripor_months is not None and inp.credited_pripor_days is not None:
        raise CalculatorInputError("credited_pripor_months", "Navedite pripor v dneh ali v mesecih, ne obojega.")
    if inp.life_sentence and inp.sentence_length_months is not None:
        raise CalculatorInputError(
            "sentence_length_months", "Pri dosmrtnem zaporu dolžine kazni v mesecih ni mogoče navesti."
        )
    if inp.sentence_start_date is None:
        return _parole_in_months(inp, rules)
    if inp.credited_pripor_months is not None:
        raise CalculatorInputError(
            "credited_pripor_days", "Za datum potrebujem pripor v dneh: koliko dni ste bili v priporu?"
        )
    c = Computation()
    out = c.outputs
    start = _effective_start(inp.sentence_start_date, inp.credited_pripor_days, c, rules)
    c.use("parole_commission")
    if inp.life_sentence:
        years = int(rules["parole_life"]["years"])
        c.use("parole_life")
        eligible = served_on(start, years * 12)
        if eligible < inp.sentence_start_date:
            raise CalculatorInputError(
                "credited_pripor_days",
                f"Število dni pripora ({inp.credited_pripor_days}) doseže {years} let, po katerih je pri "
                "dosmrtnem zaporu mogoč pogojni odpust. Preverite število dni pripora.",
            )
        c.steps.append(
            f"Pri dosmrtnem zaporu je pogojni odpust mogoč po {years} letih: {format_date(start)} + {years} "
            f"let − 1 dan = {format_date(eligible)}."
        )
        _note_interruption(inp.interruption_days, c)
        eligible = _shift(eligible, inp.interruption_days)
        out["eligible_from"] = iso(eligible)
        out["life_sentence_years_served_on"] = iso(eligible)
        out["years_required"] = years
        c.summary = f"Za pogojni odpust lahko zaprosite, ko prestanete {years} let, to je {format_date(eligible)}."
        c.notes.append("O pogojnem odpustu odloča komisija za pogojni odpust; časovni pogoj odpusta ne zagotavlja.")
        return c
    months = _require_length(inp.sentence_length_months)
    last = served_on(start, months)
    c.steps.append(f"Zadnji dan kazni: {format_date(start)} + {months_acc(months)} − 1 dan = {format_date(last)}.")
    _check_pripor(inp.sentence_start_date, last, start, inp.credited_pripor_days)

    def share(rule_id: str, key: str) -> date:
        rule = rules[rule_id]
        numerator, denominator = int(rule["share_numerator"]), int(rule["share_denominator"])
        day, whole = _share_served(start, months, numerator, denominator)
        words = share_words(numerator, denominator, nominative=True)
        if whole:
            k = months * numerator // denominator
            c.steps.append(
                f"{words.capitalize()} kazni = {months_acc(k)}: {format_date(start)} + {months_acc(k)} − 1 "
                f"dan = {format_date(day)}."
            )
        else:
            c.steps.append(f"{words.capitalize()} kazni (šteto v dneh, zaokroženo navzgor): {format_date(day)}.")
        c.use(rule_id)
        out[key] = day
        return day

    half = share("parole_half", "half_served_on")
    share("parole_exceptional", "one_third_served_on")
    threshold = int(rules["parole_long_sentence"]["threshold_months"])
    if months > threshold:
        eligible = share("parole_long_sentence", "three_quarters_served_on")
        c.steps.append(
            f"Kazen je daljša od {threshold} mesecev ({threshold // 12} let), zato je redni pogoj prestanih "
            "tri četrtine kazni."
        )
    else:
        eligible = half
        c.steps.append("Redni pogoj je prestana polovica kazni; izjemoma je odpust mogoč že po tretjini.")
    _note_interruption(inp.interruption_days, c)
    for key in list(out):
        out[key] = iso(_shift(out[key], inp.interruption_days))
    out["last_day_of_sentence"] = iso(_shift(last, inp.interruption_days))
    out["eligible_from"] = iso(_shift(eligible, inp.interruption_days))
    c.notes.append(
        "O pogojnem odpustu odloča komisija za pogojni odpust; pogoj je tudi utemeljeno pričakovanje, da ne "
        "boste ponovili kaznivega dejanja. Časovni pogoj odpusta ne zagotavlja."
    )
    eligible_date = date.fromisoformat(out["eligible_from"])
    c.summary = (
        f"Časovni pogoj za pogojni odpust je izpolnjen {format_date(eligible_date)}; izjemoma (po tretjini "
        f"kazni) že {format_date(date.fromisoformat(out['one_third_served_on']))}."
    )
    return c


def _release(last: date, c: Computation, rules: RuleBook, start: date | None = None) -> tuple[date, list[str]]:
    """The release day: ``last`` or the working day before it, but never before ``start`` (the first day)."""
    c.use("release_day")
    release, skipped = last_working_day_on_or_before(last, rules)
    early = start is not None and release < start
    if early:
        assert start is not None
        release = start
        skipped = [(day, reason) for day, reason in skipped if day > start]
    skipped_text = [f"{iso(day)} ({reason})" for day, reason in skipped]
    for day, reason in skipped:
        what = reason if reason.startswith(weekday_name(day)) else f"{weekday_name(day)}, {reason}"
        c.steps.append(f"{format_date(day)} ({what}) ni delovni dan.")
    if early:
        c.steps.append(
            f"Od nastopa kazni do zadnjega dne ni delovnega dne, odpust pa ne more biti pred nastopom kazni: "
            f"{weekday_name(release)}, {format_date(release)}."
        )
    elif skipped:
        c.steps.append(f"Odpust je zadnji delovni dan pred tem: {weekday_name(release)}, {format_date(release)}.")
    else:
        c.steps.append(f"{format_date(last)} je {weekday_name(last)}, delovni dan, zato ste odpuščeni ta dan.")
    return release, skipped_text


def release_day(inp: ReleaseDayInput, rules: RuleBook) -> Computation:
    """Release day: the last day of the sentence, moved back to the last working day if needed."""
    c = Computation()
    out = c.outputs
    last: date | None = inp.last_day_of_sentence
    if inp.sentence_start_date is not None and inp.sentence_length_months is not None:
        months = _require_length(inp.sentence_length_months)
        start = _effective_start(inp.sentence_start_date, inp.credited_pripor_days, c, rules)
        computed = served_on(start, months)
        c.steps.append(
            f"Zadnji dan kazni: {format_date(start)} + {months_acc(months)} − 1 dan = {format_date(computed)}."
        )
        _check_pripor(inp.sentence_start_date, computed, start, inp.credited_pripor_days)
        _note_interruption(inp.interruption_days, c)
        computed = _shift(computed, inp.interruption_days)
        if last is not None and last != computed:
            raise CalculatorInputError(
                "last_day_of_sentence",
                f"Zadnji dan kazni {format_date(last)} se ne ujema z začetkom in dolžino kazni (izračunani "
                f"zadnji dan je {format_date(computed)}).",
            )
        last = computed
    assert last is not None
    release, skipped = _release(last, c, rules, inp.sentence_start_date)
    out["last_day_of_sentence"] = iso(last)
    out["release_date"] = iso(release)
    out["release_weekday"] = weekday_name(release)
    out["skipped_days"] = skipped
    c.summary = (
        f"Zadnji dan kazni je {format_date(last)}; odpustili vas bodo {weekday_on(release)}, {format_date(release)}."
    )
    return c


def sentence_end(inp: SentenceEndInput, rules: RuleBook) -> Computation:
    """Last day of a sentence (start + length − 1 day, pripor credited, interruptions added), release day."""
    c = Computation()
    out = c.outputs
    assert inp.sentence_start_date is not None
    months = inp.sentence_length_months or 0
    days = inp.sentence_length_days or 0
    if months == 0 and days == 0:
        raise CalculatorInputError("sentence_length_months", "Dolžina kazni mora biti večja od 0.")
    start = _effective_start(inp.sentence_start_date, inp.credited_pripor_days, c, rules)
    last = add_months(start, months) + timedelta(days=days - 1)
    length_text = " in ".join(
        part for part in (months_acc(months) if months else "", f"{days} dni" if days else "") if part
    )
    c.steps.append(f"Zadnji dan kazni: {format_date(start)} + {length_text} − 1 dan = {format_date(last)}.")
    _check_pripor(inp.sentence_start_date, last, start, inp.credited_pripor_days)
    _note_interruption(inp.interruption_days, c)
    last = _shift(last, inp.interruption_days)
    release, skipped = _release(last, c, rules, inp.sentence_start_date)
    out["effective_start_date"] = iso(start)
    out["last_day_of_sentence"] = iso(last)
    out["release_date"] = iso(release)
    out["release_weekday"] = weekday_name(release)
    out["skipped_days"] = skipped
    c.summary = (
        f"Zadnji dan vaše kazni je {format_date(last)}; odpustili vas bodo {weekday_on(release)}, "
        f"{format_date(release)}."
    )
    return c


_FRACTION_WORDS = {
    Fraction(1, 2): "pol",
    Fraction(1, 3): "tretjino",
    Fraction(2, 3): "dve tretjini",
    Fraction(1, 4): "četrt",
    Fraction(3, 4): "tri četrtine",
}


def _months_text(value: Fraction) -> str:
    """A month count that may be a fraction: ``15 mesecev``, ``12 mesecev in pol``, ``8 mesecev in tretjino``."""
    whole = math.floor(value)
    part = value - whole
    if not part:
        return months_acc(whole)
    return (
        f"{months_acc(whole)} in {_FRACTION_WORDS.get(part, str(part))}"
        if whole
        else f"{_FRACTION_WORDS.get(part, str(part))} meseca"
    )


def _month_figure(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else round(float(value), 2)


def _parole_in_months(inp: ParoleEligibilityInput, rules: RuleBook) -> Computation:
    """Parole thresholds as lengths of time, when the start date is not known: half (three quarters over 15
    years, 25 years for life), exceptionally a third, less the credited pripor (KZ-1, 88. and 56. člen)."""
    c = Computation()
    out = c.outputs
    c.use("parole_commission")
    pripor_months = inp.credited_pripor_months or 0  # negative counts are rejected by the input schema
    pripor_days = inp.credited_pripor_days or 0
    if inp.life_sentence:
        years = int(rules["parole_life"]["years"])
        c.use("parole_life")
        out["eligible_after_months"] = years * 12
        c.steps.append(f"Pri dosmrtnem zaporu je pogojni odpust mogoč po {years} letih.")
        c.summary = f"Pri dosmrtnem zaporu lahko za pogojni odpust zaprosite, ko prestanete {years} let."
        c.notes.append("O pogojnem odpustu odloča komisija za pogojni odpust; časovni pogoj odpusta ne zagotavlja.")
        return c
    months = _require_length(inp.sentence_length_months)
    if pripor_months >= months:
        raise CalculatorInputError(
            "credited_pripor_months",
            f"Pripor ({months_acc(pripor_months)}) ni krajši od kazni ({months_acc(months)}). Preverite podatke.",
        )

    def share(rule_id: str) -> tuple[Fraction, str]:
        rule = rules[rule_id]
        fraction = Fraction(int(rule["share_numerator"]), int(rule["share_denominator"]))
        c.use(rule_id)
        value = months * fraction
        words = share_words(fraction.numerator, fraction.denominator, nominative=True)
        c.steps.append(f"{words.capitalize()} od {months_acc(months)} je {_months_text(value)}.")
        return value, words

    threshold = int(rules["parole_long_sentence"]["threshold_months"])
    regular, regular_words = share("parole_long_sentence" if months > threshold else "parole_half")
    third, _ = share("parole_exceptional")
    out["eligible_after_months"] = _month_figure(regular)
    out["one_third_after_months"] = _month_figure(third)
    if pripor_months or pripor_days:
        c.use("pripor_credited")
    if pripor_months:
        left, left_third = max(regular - pripor_months, Fraction(0)), max(third - pripor_months, Fraction(0))
        out["credited_pripor_months"] = pripor_months
        out["eligible_after_months_served_here"] = _month_figure(left)
        out["one_third_after_months_served_here"] = _month_figure(left_third)
        c.steps.append(
            f"Pripor se všteva v kazen: {_months_text(regular)} − {months_acc(pripor_months)} = {_months_text(left)}."
            if left
            else f"Pripor ({months_acc(pripor_months)}) se všteva v kazen in ni krajši od {_months_text(regular)}."
        )
        c.summary = (
            f"Časovni pogoj za pogojni odpust je {regular_words} kazni, to je {_months_text(regular)}. Pripor "
            f"({months_acc(pripor_months)}) se všteje, zato je pogoj izpolnjen, ko na prestajanju kazni prestanete "
            f"še {_months_text(left)}; izjemoma (po tretjini kazni)"
            + (f", ko prestanete še {_months_text(left_third)}." if left_third else " je že izpolnjen.")
            if left
            else f"Časovni pogoj za pogojni odpust je {regular_words} kazni, to je {_months_text(regular)}. Pripor "
            f"({months_acc(pripor_months)}) se všteje, zato je časovni pogoj že izpolnjen."
        )
    else:
        c.summary = (
            f"Časovni pogoj za pogojni odpust je {regular_words} kazni, to je {_months_text(regular)}; izjemoma "
            f"(po tretjini kazni) {_months_text(third)}."
        )
        if pripor_days:
            out["credited_pripor_days"] = pripor_days
            c.steps.append(f"Pripor ({pripor_days} dni) se všteva v kazen: od tega časa se odšteje.")
            c.summary += f" Od tega se odšteje {pripor_days} dni pripora."
    c.notes.append(
        "To je le časovni pogoj: o pogojnem odpustu odloča komisija za pogojni odpust. Za točen datum povejte, kdaj "
        "ste nastopili kazen."
    )
    return c
