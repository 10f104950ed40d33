"""User-facing service messages in Slovenian, English and Croatian/Serbian/Bosnian.

Every error the kiosk can show comes from here, so the exact wording is asserted in the tests.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from assistant.answer.messages import messages
from assistant.question.language import detect_language
from assistant.types import Language

LANGS: tuple[Language, ...] = ("sl", "en", "bcs")

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

# One catalogue for every user-facing text (assistant/i18n/messages.toml): the service's own under [service.*].
MESSAGES: dict[str, dict[Language, str]] = {key: dict(texts) for key, texts in messages()["service"].items()}


def normalise_language(value: Any) -> Language | None:
    """Map "hr", "sr", "bs", "sl-SI", "en-GB", ... to one of the pipeline's languages; None if unknown."""
    if not isinstance(value, str) or not value.strip():
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    found = _ALIASES.get(code)
    return found  # type: ignore[return-value]


def language_from_accept(header: str | None) -> Language | None:
    """The first supported language of an ``Accept-Language`` header (weights are taken in order given)."""
    if not header:
        return None
    for part in header.split(","):
        lang = normalise_language(part.split(";")[0])
        if lang:
            return lang
    return None


def detect(text: str) -> Language:
    """Language of a question, via the pipeline's detector (falls back to Slovenian)."""
    try:
        lang = normalise_language(detect_language(text))
    except Exception:  # a detector failure must never turn an error message into a 500
        logger.warning("language detection failed")
        return "sl"
    return lang or "sl"


def message(key: str, lang: Language | None = None, **values: Any) -> str:
    """The message ``key`` in ``lang`` (Slovenian when unknown), formatted with ``values``."""
    table: Mapping[Language, str] = MESSAGES[key]
    return table.get(lang or "sl", table["sl"]).format(**values)
