"""Routing of messages that must not be answered normally: crisis, refusals, and questions the handbook
can never answer (sentence predictions, staff names). Patterns are data (``i18n/safety.toml``)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from assistant.text.normalize import fold


@dataclass(frozen=True)
class SafetyVerdict:
    """What kind of special handling a message needs."""

    group: str  # "crisis" | "refuse" | "unanswerable"
    kind: str  # e.g. "self_harm", "prompt_injection", "staff_names"
    pattern: str

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of help this message needs."""
        return (self.kind,)


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, str, re.Pattern[str]]]:
    text = resources.files("assistant.i18n").joinpath("safety.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    compiled: list[tuple[str, str, re.Pattern[str]]] = []
    for group in ("crisis", "refuse", "unanswerable"):  # order = priority
        for kind, patterns in data[group].items():
            compiled.extend((group, kind, re.compile(pattern)) for pattern in patterns)
    return compiled


def classify(message: str) -> SafetyVerdict | None:
    """The first matching special case (crisis before refusals before unanswerable), or None."""
    text = fold(" ".join(message.split()))
    for group, kind, pattern in _patterns():
        if pattern.search(text):
            return SafetyVerdict(group, kind, pattern.pattern)
    return None
