"""What the corpus covers: the handbook describes ZPKZ Ig. A question about another institution is answered with the
Ig rule, marked as such (patterns in ``i18n/scope.toml``)."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

from assistant.text.normalize import fold


@lru_cache(maxsize=1)
def _other_institution() -> list[re.Pattern[str]]:
    data = tomllib.loads(resources.files("assistant.i18n").joinpath("scope.toml").read_text(encoding="utf-8"))
    return [re.compile(fold(p)) for p in data["other_institution"]]


def mentions_other_institution(question: str) -> bool:
    """Does the question ask about a prison other than ZPKZ Ig?"""
    text = fold(" ".join(question.lower().split()))
    return any(p.search(text) for p in _other_institution())
