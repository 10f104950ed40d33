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

from .parse import (
    CALC_REQUEST,
    FIRST_PERSON,
    DateMention,
    Extraction,
    Quantity,
    extract,
    find_word,
    month_range_length,
    negated_near,
)
from .schemas import VISITOR_WORDS, CalcRoute, CalculatorInputError, follow_up_question, label
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


# --- input extraction per kind ------------------------------------------------------------------------------

NEEDS = "_needs"  # extractor key: inputs that were mentioned but must be asked for precisely
_EXCLUDED_LENGTH_CONTEXT = re.compile(
    r"pripor|prekinit|prestal\w*|odsedel\w*|\bze\b|dopust|pocit|izobraz|obisk"
)


def _durations(ex: Extraction) -> list[Quantity]:
    return [q for q in ex.quantities if q.unit == "months"]


def _sentence_length(ex: Extraction) -> int | float | None:
    """Sentence length in months: the first duration not about pripor, interruption or time served."""
    for q in _durations(ex):
        before = ex.window(q.index, before=4, after=0)
        after_words = " ".join(t.text for t in ex.tokens[q.end : q.end + 1])
        if after_words == "pred" or re.search(r"\b(cez|zadnjih|zadnje|ze|pred)\s+\S*$", before):
            continue
        if _EXCLUDED_LENGTH_CONTEXT.search(before) and not re.search(r"kazen|obsojen|zapor", before):
            continue
        return _whole(q.value)
    return None


def _whole(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _days(ex: Extraction, pattern: str) -> int | float | None:
    """The first day-quantity whose clause mentions ``pattern``."""
    regex = re.compile(pattern)
    for q in ex.quantities:
        if q.unit == "day" and regex.search(ex.clause_text(q.clause)):
            return _whole(q.value)
    return None


_DATE_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("birth", re.compile(r"rodil\w*|rojen\w*|rojstv\w*")),
    (
        "last",
        re.compile(
            r"zadnji|iztec\w*|izteka|konec|koncam|koncala|konca|prestala bom|odpust\w*|odpuscen\w*|do|traja|"
            r"poteka|potece|tece"
        ),
    ),
    (
        "start",
        re.compile(
            r"nastop\w*|zacel\w*|zacetek|prisla|prispela|zglasil\w*|privedl\w*|sprejet\w*|zaprli|zapor\b|"
            r"\bod\b|prestajam"
        ),
    ),
    ("reference", re.compile(r"danes|\bna dan\b|referenc\w*|\bze\b|izpolnjujem|izpolnjen\w*")),
]


def _date_role(ex: Extraction, mention: DateMention) -> str | None:
    """Role of a date from the nearest keyword in its clause (before it, after it, or the clause before)."""
    tokens = ex.tokens
    clause = mention.clause
    best: tuple[int, str] | None = None
    for i in range(mention.index - 1, -1, -1):
        if tokens[i].clause != clause:
            break
        if tokens[i].kind == "date":
            break
        for role, pattern in _DATE_ROLES:
            if pattern.fullmatch(tokens[i].text) or (
                i > 0 and pattern.fullmatch(f"{tokens[i - 1].text} {tokens[i].text}")
            ):
                best = (mention.index - i, role)
                break
        if best:
            return best[1]
    for i in range(mention.index + 1, len(tokens)):
        if tokens[i].clause != clause or tokens[i].kind == "date":
            break
        for role, pattern in _DATE_ROLES:
            if pattern.fullmatch(tokens[i].text):
                return role
    # a date alone after a comma ("se izteče v nedeljo, 16. 3. 2025"): use the previous clause
    if clause > 0 and all(t.kind in ("date", "punct") for t in tokens if t.clause == clause):
        words = [t.text for t in tokens if t.clause == clause - 1]
        for word in reversed(words):
            for role, pattern in _DATE_ROLES:
                if pattern.fullmatch(word):
                    return role
    return None


def _assign_dates(ex: Extraction, roles: dict[str, str], fallback: list[str]) -> dict[str, str]:
    """Map dates to fields: ``roles`` maps a role to a field; dates without a role fill ``fallback``."""
    result: dict[str, str] = {}
    unassigned: list[DateMention] = []
    for mention in ex.dates:
        role = _date_role(ex, mention)
        target = roles.get(role) if role else None
        if target and target not in result:
            result[target] = mention.value
        else:
            unassigned.append(mention)
    for mention in unassigned:
        for target in fallback:
            if target not in result:
                result[target] = mention.value
                break
    return result


def _mentions(ex: Extraction, pattern: str) -> bool:
    return re.search(pattern, ex.text) is not None


def _flag(ex: Extraction, word_pattern: str) -> bool | None:
    """True if a word matching the pattern occurs un-negated, False if only negated, None if absent."""
    hits = find_word(ex, word_pattern)
    if not hits:
        return None
    return any(not negated_near(ex, i) for i in hits)


def _clause_flag(ex: Extraction, word_pattern: str) -> bool | None:
    """Like :func:`_flag`, but any negation in the clause counts ("Posebnih razlogov ni.")."""
    hits = find_word(ex, word_pattern)
    if not hits:
        return None
    negations = {"ni", "nimam", "nima", "ne", "brez", "nobenih", "nobenega", "niso", "nisem"}
    for i in hits:
        words = ex.clause_text(ex.tokens[i].clause).split()
        if not negations.intersection(words):
            return True
    return False


def _leave_days(ex: Extraction) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    hours_worked: list[float] = []
    for q in ex.quantities:
        if q.unit != "hour":
            continue
        context = ex.window(q.index, before=6, after=4)
        if re.search(r"obveznost|poln\w* (delovn\w* )?(cas\w*|urnik\w*)|polni cas|\bpolno\b", context):
            inputs.setdefault("monthly_full_time_hours", _whole(q.value))
            continue
        before = ex.tokens[q.index - 1].text if q.index > 0 else ""
        repeat = 1
        if before == "po":  # "3 mesece po 80 ur"
            months_before = [d for d in _durations(ex) if d.end == q.index - 1]
            if months_before and float(months_before[0].value).is_integer():
                repeat = int(months_before[0].value)
        hours_worked.extend([q.value] * repeat)
    if hours_worked:
        inputs["hours_worked_per_month"] = [_whole(h) for h in hours_worked]
    for q in _durations(ex):
        clause = ex.clause_text(q.clause)
        if hours_worked and not re.search(r"poln", clause):
            continue
        if re.search(r"pripor|dodat", ex.window(q.index, before=3, after=0)):
            continue
        inputs.setdefault("full_time_months", _whole(q.value))
    if (
        "full_time_months" not in inputs
        and not hours_worked
        and re.search(r"poln\w* delovn|delala|delam", ex.text)
    ):
        span = month_range_length(ex.text)
        if span is not None:
            inputs["full_time_months"] = span
    additional = _days(ex, r"dodat")
    if additional is not None:
        inputs["additional_days_proposed"] = additional
    if _mentions(ex, r"pripor"):
        from_pripor = _flag(ex, r"pripor\w*")
        if from_pripor:
            inputs["started_sentence_from_pripor"] = True
        for q in ex.quantities:
            if q.unit == "day" and not re.search(r"dodat", ex.clause_text(q.clause)):
                inputs["leave_days_computed_for_pripor_work"] = _whole(q.value)
                break
    return inputs


def _education(ex: Extraction) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    for q in _durations(ex):
        window = ex.window(q.index, before=5, after=4)
        words = set(window.split())
        if words & {"ne", "ni", "nisem", "niso"} or re.search(r"neuspes|padl", window):
            inputs.setdefault("months_not_successfully_completed", _whole(q.value))
        else:
            inputs.setdefault("months_successfully_completed", _whole(q.value))
    additional = _days(ex, r"dodat")
    if additional is not None:
        inputs["additional_days_proposed"] = additional
    return inputs


def _visits(ex: Extraction) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    if _mentions(ex, r"nenadzorovan\w*|brez nadzora"):
        inputs["visit_type"] = "nenadzorovan"
    elif _mentions(ex, r"nadzorovan\w*|pod nadzorom|steklen\w* pregrad\w*"):
        inputs["visit_type"] = "nadzorovan"
    if _mentions(ex, r"nocit\w*|prenoc\w*|cez noc|locen\w* (namensk\w* )?prostor\w*|namensk\w* prostor\w*"):
        inputs["location"] = "ločen namenski prostor z možnostjo nočitve"
    elif _mentions(ex, r"(zunaj|izven) (zavoda|zapora)"):
        inputs["location"] = "zunaj zavoda"
    elif _mentions(ex, r"\bv (prostorih )?(zavoda|zavodu|zaporu)|obiskovalnic\w*"):
        inputs["location"] = "v zavodu"
    for q in ex.quantities:
        if q.unit == "week":
            inputs["weeks"] = _whole(q.value)
            break
    for word in sorted(VISITOR_WORDS, key=len, reverse=True):
        if len(word) > 2 and re.search(rf"\b{re.escape(word)}\b", ex.text):
            inputs["visitor_category"] = VISITOR_WORDS[word]
            break
    return inputs


_REGIME_RE = re.compile(
    r"\bv\s+['\"«»„“”‚‘’]?([a-z]+)['\"«»„“”‚‘’]?\s+rezim\w*"
    r"|\brezim\w*\s+(?:je\s+|imam\s+)?((?:pol)?odprt\w*|zaprt\w*|strog\w*|posebn\w*|poostren\w*)"
)
_NOT_A_REGIME = frozenset(
    {"tem", "katerem", "mojem", "svojem", "istem", "drugem", "kaksnem", "nekem", "tistem"}
)


def _packages(ex: Extraction) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    named = [m.group(1) or m.group(2) for m in _REGIME_RE.finditer(ex.text)]
    named = [word for word in named if word not in _NOT_A_REGIME]
    if named:
        inputs["regime"] = named[0]
    else:
        bare = re.search(r"\b(polodprt|zaprt|odprt)(i|em|ega|a)?\b(?!\s+(kuvert|ovojnic|prostor))", ex.text)
        if bare:
            inputs["regime"] = bare.group(0)
    for q in ex.quantities:
        if q.unit == "week" and "period_weeks" not in inputs:
            inputs["period_weeks"] = _whole(q.value)
        elif q.unit == "months" and "period_months" not in inputs:
            inputs["period_months"] = _whole(q.value)
    if (
        "period_weeks" not in inputs
        and "period_months" not in inputs
        and _mentions(
            ex, r"\bna leto\b|\bletno\b|v (enem )?letu( dni)?\b|vsako leto|v (enem )?koledarskem letu"
        )
    ):
        inputs["period_months"] = 12
    if ex.dimensions:
        inputs["dimensions_cm"] = [_whole(v) for v in ex.dimensions[0]]
    return inputs


_MONEY_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("monthly_social_assistance_eur", re.compile(r"socialn\w*|pomoc\w*|dsp")),
    ("current_mandatory_savings_eur", re.compile(r"prihran\w*|privarcev\w*|zbran\w*|varcevan\w*|racun\w*")),
    (
        "monthly_pay_eur",
        re.compile(r"placil\w*|placa|placo|zasluz\w*|dobila|prejela|nagrad\w*|delo|dobim|prejmem"),
    ),
]


def _savings(ex: Extraction) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    unassigned: list[Quantity] = []
    for q in ex.quantities:
        if q.unit != "eur":
            continue
        clause_tokens = [(i, t.text) for i, t in enumerate(ex.tokens) if t.clause == q.clause]
        best: tuple[int, str] | None = None
        for i, word in clause_tokens:
            for role, pattern in _MONEY_ROLES:
                if role in inputs or not pattern.fullmatch(word):
                    continue
                distance = (q.index - i) if i < q.index else (i - q.index) + 50
                if best is None or distance < best[0]:
                    best = (distance, role)
        if best:
            inputs[best[1]] = _whole(q.value)
        else:
            unassigned.append(q)
    for q in unassigned:
        for role in ("monthly_pay_eur", "current_mandatory_savings_eur", "monthly_social_assistance_eur"):
            if role not in inputs:
                inputs[role] = _whole(q.value)
                break
    if "current_mandatory_savings_eur" not in inputs and re.search(
        r"prihran\w*[^.]*\b(nimam|nic|ni)\b|\b(nimam|nic)\b[^.]*prihran\w*|prazen prihran", ex.text
    ):
        inputs["current_mandatory_savings_eur"] = 0
    return inputs


def _sentence_dates(ex: Extraction, roles: dict[str, str], fallback: list[str]) -> dict[str, Any]:
    inputs: dict[str, Any] = dict(_assign_dates(ex, roles, fallback))
    length = _sentence_length(ex)
    if length is not None:
        inputs["sentence_length_months"] = length
    for name, pattern in (("credited_pripor_days", r"pripor"), ("interruption_days", r"prekin\w*")):
        days = _days(ex, pattern)
        if days is not None:
            inputs[name] = days
        elif any(
            q.unit in ("months", "week") and re.search(pattern, ex.window(q.index, before=5, after=3))
            for q in ex.quantities
        ):
            inputs.setdefault(NEEDS, []).append(name)  # stated in months or weeks: ask for the exact days
    return inputs


def _early_release(ex: Extraction) -> dict[str, Any]:
    return _sentence_dates(
        ex,
        {"start": "sentence_start_date", "last": "sentence_last_day", "reference": "reference_date"},
        ["sentence_start_date", "reference_date"],
    )


def _parole(ex: Extraction) -> dict[str, Any]:
    inputs = _sentence_dates(ex, {"start": "sentence_start_date"}, ["sentence_start_date"])
    if _flag(ex, r"dosmrtn\w*"):
        inputs["life_sentence"] = True
        inputs.pop("sentence_length_months", None)
    return inputs


def _release_day(ex: Extraction) -> dict[str, Any]:
    has_length = _sentence_length(ex) is not None
    fallback = ["sentence_start_date"] if has_length else ["last_day_of_sentence"]
    inputs = _sentence_dates(ex, {"start": "sentence_start_date", "last": "last_day_of_sentence"}, fallback)
    if "last_day_of_sentence" in inputs and "sentence_start_date" not in inputs:
        inputs.pop("sentence_length_months", None)
    return inputs


def _sentence_end(ex: Extraction) -> dict[str, Any]:
    inputs = _sentence_dates(ex, {"start": "sentence_start_date"}, ["sentence_start_date"])
    return inputs


def _extra_meal(ex: Extraction) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    hours = [q for q in ex.quantities if q.unit == "hour"]
    if hours:
        chosen = next((q for q in hours if q.per_day), hours[0])
        inputs["daily_work_or_work_therapy_hours"] = _whole(chosen.value)
    pregnant = _flag(ex, r"nosec\w*|dojim|doji|dojila|dojenje|dojec\w*|nosecnost\w*|nosecnic\w*")
    if pregnant is not None:
        inputs["pregnant_or_breastfeeding"] = pregnant
    return inputs


def _child_stay(ex: Extraction) -> dict[str, Any]:
    inputs: dict[str, Any] = dict(
        _assign_dates(
            ex,
            {"birth": "child_birth_date", "last": "mother_last_day_of_sentence"},
            ["child_birth_date", "mother_last_day_of_sentence"],
        )
    )
    special = _clause_flag(ex, r"posebn\w*|zdravstven\w*|socialn\w*")
    if special is not None and _mentions(ex, r"razlog\w*|potreb\w*|bolez\w*|bolan|bolna"):
        inputs["special_health_social_or_other_reasons"] = special
    return inputs


_COUNTRIES = {
    "sloveniji": "Slovenija", "republiki sloveniji": "Slovenija", "avstriji": "Avstrija",
    "italiji": "Italija",
    "hrvaski": "Hrvaška", "madzarski": "Madžarska", "nemciji": "Nemčija", "srbiji": "Srbija",
    "bosni in hercegovini": "Bosna in Hercegovina", "bosni": "Bosna in Hercegovina", "franciji": "Francija",
    "svici": "Švica", "spaniji": "Španija", "angliji": "Anglija", "veliki britaniji": "Velika Britanija",
    "belgiji": "Belgija", "nizozemski": "Nizozemska", "ceski": "Češka", "slovaski": "Slovaška",
    "poljski": "Poljska", "romuniji": "Romunija", "bolgariji": "Bolgarija", "grciji": "Grčija",
    "severni makedoniji": "Severna Makedonija", "makedoniji": "Severna Makedonija", "crni gori": "Črna gora",
    "kosovu": "Kosovo", "ukrajini": "Ukrajina", "ameriki": "ZDA", "tujini": "tujina",
}  # fmt: skip
_COUNTRY_RE = re.compile(r"\bv (" + "|".join(sorted(_COUNTRIES, key=len, reverse=True)) + r")\b")


def _weekend(ex: Extraction) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    length = _sentence_length(ex)
    if length is not None:
        inputs["sentence_months"] = length
    offence = _clause_flag(ex, r"spoln\w*|posilstv\w*")
    if offence is not None and _mentions(ex, r"spoln\w* (nedotakljiv|nasil|zlorab|napad)|posilstv"):
        inputs["offence_against_sexual_integrity"] = offence
    status_parts = []
    if _mentions(ex, r"samozaposlen"):
        status_parts.append("samozaposlena")
    elif _mentions(ex, r"nezaposlen|brezposeln|brez (zaposlitve|sluzbe|dela)|nisem zaposlen|ne delam"):
        status_parts.append("brezposelna")
    elif _mentions(ex, r"kmet\w*"):
        status_parts.append("samostojno opravlja kmetijsko dejavnost")
    elif _mentions(ex, r"\bzaposlen\w*|\bsluzb\w*|delovno razmerje|\bdelam\b|\bdelala\b"):
        status_parts.append("zaposlena")
    elif _mentions(ex, r"upokojen\w*"):
        status_parts.append("upokojenka")
    if _mentions(ex, r"dijak\w*|srednj\w* sol\w*"):
        irregular = _mentions(ex, r"neredn\w*|izredn\w*|ne hodim")
        status_parts.append("dijakinja, " + ("se ne šola redno" if irregular else "se redno šola"))
    elif _mentions(ex, r"student\w*|studij\w*|fakultet\w*"):
        failing = _mentions(ex, r"ne izpolnjuj\w*|neredno|ne opravljam")
        status_parts.append(
            "študentka, "
            + (
                "ne izpolnjuje redno študijskih obveznosti"
                if failing
                else "redno izpolnjuje študijske obveznosti"
            )
        )
    if status_parts:
        inputs["status"] = status_parts[0] if len(status_parts) == 1 else "; ".join(status_parts)
        match = _COUNTRY_RE.search(ex.text)
        if match:
            inputs["status_country"] = _COUNTRIES[match.group(1)]
        else:
            inputs["status_country"] = "Slovenija"
    return inputs


EXTRACTORS: dict[str, Callable[[Extraction], dict[str, Any]]] = {
    "leave_days": _leave_days,
    "education_rest_days": _education,
    "visits": _visits,
    "packages": _packages,
    "savings": _savings,
    "early_release": _early_release,
    "parole_eligibility": _parole,
    "release_day": _release_day,
    "sentence_end": _sentence_end,
    "extra_meal": _extra_meal,
    "child_stay": _child_stay,
    "weekend_prison_eligibility": _weekend,
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
