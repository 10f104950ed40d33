"""User-facing service messages in Slovenian, English and Croatian/Serbian/Bosnian.

Every error the kiosk can show comes from here, so the exact wording is asserted in the tests.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Literal

from assistant.question.language import detect_language

Lang = Literal["sl", "en", "bcs"]
LANGS: tuple[Lang, ...] = ("sl", "en", "bcs")

# Aliases accepted wherever a language is given: the kiosk speaks of "hr", the pipeline of "bcs".
_ALIASES = {
    "sl": "sl",
    "si": "sl",
    "slv": "sl",
    "en": "en",
    "eng": "en",
    "bcs": "bcs",
    "hr": "bcs",
    "hrv": "bcs",
    "sr": "bcs",
    "srp": "bcs",
    "bs": "bcs",
    "bos": "bcs",
    "sh": "bcs",
    "cnr": "bcs",
}

logger = logging.getLogger(__name__)

MESSAGES: dict[str, dict[Lang, str]] = {
    "question_empty": {
        "sl": "Vprašanje je prazno. Napišite vprašanje.",
        "en": "The question is empty. Please type a question.",
        "bcs": "Pitanje je prazno. Napišite pitanje.",
    },
    "question_too_long": {
        "sl": "Vprašanje je predolgo. Največ {limit} znakov.",
        "en": "The question is too long. At most {limit} characters.",
        "bcs": "Pitanje je predugo. Najviše {limit} znakova.",
    },
    "body_too_large": {
        "sl": "Zahteva je prevelika. Največ {limit} bajtov.",
        "en": "The request is too large. At most {limit} bytes.",
        "bcs": "Zahtjev je prevelik. Najviše {limit} bajtova.",
    },
    "invalid_json": {
        "sl": "Zahteva ni veljaven JSON.",
        "en": "The request is not valid JSON.",
        "bcs": "Zahtjev nije valjan JSON.",
    },
    "invalid_field": {
        "sl": "Neveljavna vrednost v polju »{field}«.",
        "en": 'Invalid value in the field "{field}".',
        "bcs": 'Neispravna vrijednost u polju "{field}".',
    },
    "missing_field": {
        "sl": "Manjka polje »{field}«.",
        "en": 'The field "{field}" is missing.',
        "bcs": 'Nedostaje polje "{field}".',
    },
    "body_not_object": {
        "sl": "Telo zahteve mora biti objekt JSON.",
        "en": "The request body must be a JSON object.",
        "bcs": "Tijelo zahtjeva mora biti JSON objekt.",
    },
    "busy": {
        "sl": "Pomočnik je trenutno zaseden. Poskusite znova čez nekaj sekund.",
        "en": "The assistant is busy right now. Please try again in a few seconds.",
        "bcs": "Pomoćnik je trenutno zauzet. Pokušajte ponovno za nekoliko sekundi.",
    },
    "starting": {
        "sl": "Pomočnik se še pripravlja. Poskusite znova čez minuto.",
        "en": "The assistant is still starting. Please try again in a minute.",
        "bcs": "Pomoćnik se još priprema. Pokušajte ponovno za minutu.",
    },
    "timeout": {
        "sl": "Odgovor je trajal predolgo. Poskusite znova ali vprašajte osebje.",
        "en": "The answer took too long. Please try again or ask the staff.",
        "bcs": "Odgovor je trajao predugo. Pokušajte ponovno ili pitajte osoblje.",
    },
    "assistant_failed": {
        "sl": "Pri odgovarjanju je prišlo do napake. Vprašajte osebje.",
        "en": "Something went wrong while answering. Please ask the staff.",
        "bcs": "Došlo je do greške pri odgovaranju. Pitajte osoblje.",
    },
    "source_not_found": {
        "sl": "Vir »{chunk_id}« ne obstaja.",
        "en": 'The source "{chunk_id}" does not exist.',
        "bcs": 'Izvor "{chunk_id}" ne postoji.',
    },
    "calc_unknown_kind": {
        "sl": "Izračun »{kind}« ne obstaja.",
        "en": 'The calculation "{kind}" does not exist.',
        "bcs": 'Izračun "{kind}" ne postoji.',
    },
    "calc_invalid": {
        "sl": "Podatki za izračun niso veljavni.",
        "en": "The data for the calculation is not valid.",
        "bcs": "Podaci za izračun nisu valjani.",
    },
    "calc_unavailable": {
        "sl": "Izračuni trenutno niso na voljo.",
        "en": "Calculations are not available right now.",
        "bcs": "Izračuni trenutno nisu dostupni.",
    },
    "session_not_found": {
        "sl": "Pogovor ne obstaja ali je potekel.",
        "en": "The conversation does not exist or has expired.",
        "bcs": "Razgovor ne postoji ili je istekao.",
    },
    "not_found": {
        "sl": "Strani ni mogoče najti.",
        "en": "The page was not found.",
        "bcs": "Stranica nije pronađena.",
    },
    "method_not_allowed": {
        "sl": "Ta metoda ni dovoljena.",
        "en": "This method is not allowed.",
        "bcs": "Ova metoda nije dozvoljena.",
    },
    "internal_error": {
        "sl": "Prišlo je do notranje napake. Vprašajte osebje.",
        "en": "An internal error occurred. Please ask the staff.",
        "bcs": "Došlo je do interne greške. Pitajte osoblje.",
    },
    "unauthorized": {
        "sl": "Potrebna je prijava osebja.",
        "en": "Staff login is required.",
        "bcs": "Potrebna je prijava osoblja.",
    },
}


def normalise_language(value: Any) -> Lang | None:
    """Map "hr", "sr", "bs", "sl-SI", "en-GB", ... to one of the pipeline's languages; None if unknown."""
    if not isinstance(value, str) or not value.strip():
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    found = _ALIASES.get(code)
    return found  # type: ignore[return-value]


def language_from_accept(header: str | None) -> Lang | None:
    """The first supported language of an ``Accept-Language`` header (weights are taken in order given)."""
    if not header:
        return None
    for part in header.split(","):
        lang = normalise_language(part.split(";")[0])
        if lang:
            return lang
    return None


def detect(text: str) -> Lang:
    """Language of a question, via the pipeline's detector (falls back to Slovenian)."""
    try:
        lang = normalise_language(detect_language(text))
    except Exception:  # a detector failure must never turn an error message into a 500
        logger.warning("language detection failed")
        return "sl"
    return lang or "sl"


def message(key: str, lang: Lang | None = None, **values: Any) -> str:
    """The message ``key`` in ``lang`` (Slovenian when unknown), formatted with ``values``."""
    table: Mapping[Lang, str] = MESSAGES[key]
    return table.get(lang or "sl", table["sl"]).format(**values)
