"""The one catalogue of user-facing texts (``i18n/messages.toml``), read by answers, the API, the CLI and the kiosk."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from assistant.types import Language


@lru_cache(maxsize=1)
def messages() -> dict[str, Any]:
    """User-facing texts in sl/en/bcs (package data)."""
    return tomllib.loads(resources.files("assistant.i18n").joinpath("messages.toml").read_text(encoding="utf-8"))


def message(key: str, language: Language) -> str:
    """One user-facing text in ``language`` (Slovenian if that language lacks it)."""
    entry = messages()[key]
    return str(entry.get(language) or entry["sl"])
