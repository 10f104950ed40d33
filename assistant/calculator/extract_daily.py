"""Inputs for daily life from a question: visits, parcels, meals, a child with the mother, weekend prison."""

from __future__ import annotations

import re
from typing import Any

from .extract_common import assign_dates, clause_flag, flag, mentions, sentence_length, whole
from .parse import Extraction
from .words import VISITOR_WORDS


def visits_inputs(ex: Extraction) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    if mentions(ex, r"nenadzorovan\w*|brez nadzora"):
        inputs["visit_type"] = "nenadzorovan"
    elif mentions(ex, r"nadzorovan\w*|pod nadzorom|steklen\w* pregrad\w*"):
        inputs["visit_type"] = "nadzorovan"
    if mentions(ex, r"nocit\w*|prenoc\w*|cez noc|locen\w* (namensk\w* )?prostor\w*|namensk\w* prostor\w*"):
        inputs["location"] = "ločen namenski prostor z možnostjo nočitve"
    elif mentions(ex, r"(zunaj|izven) (zavoda|zapora)"):
        inputs["location"] = "zunaj zavoda"
    elif mentions(ex, r"\bv (prostorih )?(zavoda|zavodu|zaporu)|obiskovalnic\w*"):
        inputs["location"] = "v zavodu"
    for q in ex.quantities:
        if q.unit == "week":
            inputs["weeks"] = whole(q.value)
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
_NOT_A_REGIME = frozenset({"tem", "katerem", "mojem", "svojem", "istem", "drugem", "kaksnem", "nekem", "tistem"})


def packages_inputs(ex: Extraction) -> dict[str, Any]:
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
            inputs["period_weeks"] = whole(q.value)
        elif q.unit == "months" and "period_months" not in inputs:
            inputs["period_months"] = whole(q.value)
    if (
        "period_weeks" not in inputs
        and "period_months" not in inputs
        and mentions(ex, r"\bna leto\b|\bletno\b|v (enem )?letu( dni)?\b|vsako leto|v (enem )?koledarskem letu")
    ):
        inputs["period_months"] = 12
    if ex.dimensions:
        inputs["dimensions_cm"] = [whole(v) for v in ex.dimensions[0]]
    return inputs


def extra_meal_inputs(ex: Extraction) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    hours = [q for q in ex.quantities if q.unit == "hour"]
    if hours:
        chosen = next((q for q in hours if q.per_day), hours[0])
        inputs["daily_work_or_work_therapy_hours"] = whole(chosen.value)
    pregnant = flag(ex, r"nosec\w*|dojim|doji|dojila|dojenje|dojec\w*|nosecnost\w*|nosecnic\w*")
    if pregnant is not None:
        inputs["pregnant_or_breastfeeding"] = pregnant
    return inputs


def child_stay_inputs(ex: Extraction) -> dict[str, Any]:
    inputs: dict[str, Any] = dict(
        assign_dates(
            ex,
            {"birth": "child_birth_date", "last": "mother_last_day_of_sentence"},
            ["child_birth_date", "mother_last_day_of_sentence"],
        )
    )
    special = clause_flag(ex, r"posebn\w*|zdravstven\w*|socialn\w*")
    if special is not None and mentions(ex, r"razlog\w*|potreb\w*|bolez\w*|bolan|bolna"):
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


def weekend_inputs(ex: Extraction) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    length = sentence_length(ex)
    if length is not None:
        inputs["sentence_months"] = length
    offence = clause_flag(ex, r"spoln\w*|posilstv\w*")
    if offence is not None and mentions(ex, r"spoln\w* (nedotakljiv|nasil|zlorab|napad)|posilstv"):
        inputs["offence_against_sexual_integrity"] = offence
    status_parts = []
    if mentions(ex, r"samozaposlen"):
        status_parts.append("samozaposlena")
    elif mentions(ex, r"nezaposlen|brezposeln|brez (zaposlitve|sluzbe|dela)|nisem zaposlen|ne delam"):
        status_parts.append("brezposelna")
    elif mentions(ex, r"kmet\w*"):
        status_parts.append("samostojno opravlja kmetijsko dejavnost")
    elif mentions(ex, r"\bzaposlen\w*|\bsluzb\w*|delovno razmerje|\bdelam\b|\bdelala\b"):
        status_parts.append("zaposlena")
    elif mentions(ex, r"upokojen\w*"):
        status_parts.append("upokojenka")
    if mentions(ex, r"dijak\w*|srednj\w* sol\w*"):
        irregular = mentions(ex, r"neredn\w*|izredn\w*|ne hodim")
        status_parts.append("dijakinja, " + ("se ne šola redno" if irregular else "se redno šola"))
    elif mentions(ex, r"student\w*|studij\w*|fakultet\w*"):
        failing = mentions(ex, r"ne izpolnjuj\w*|neredno|ne opravljam")
        status_parts.append(
            "študentka, "
            + ("ne izpolnjuje redno študijskih obveznosti" if failing else "redno izpolnjuje študijske obveznosti")
        )
    if status_parts:
        inputs["status"] = status_parts[0] if len(status_parts) == 1 else "; ".join(status_parts)
        match = _COUNTRY_RE.search(ex.text)
        if match:
            inputs["status_country"] = _COUNTRIES[match.group(1)]
        else:
            inputs["status_country"] = "Slovenija"
    return inputs
