"""The kind of fact a question asks for (a price, a date …) when no passage can contain it.

Patterns are data: ``i18n/answer_types.toml``."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

from assistant.text.normalize import fold


@lru_cache(maxsize=1)
def _answer_types() -> list[tuple[str, list[re.Pattern[str]], re.Pattern[str]]]:
    data = tomllib.loads(resources.files("assistant.i18n").joinpath("answer_types.toml").read_text("utf-8"))
    return [(t["name"], [re.compile(p) for p in t["question"]], re.compile(t["answer"])) for t in data["types"]]


def unmet_answer_type(question: str, passages: list[str], on_topic: Callable[[str], bool] | None = None) -> str | None:
    """The kind of fact the question asks for (price, date) when no passage contains one, else None. With
    ``on_topic``, a passage counts only if it is about the question's own topic (a fine in the Criminal Code does
    not state the price of coffee)."""
    text = fold(question)
    relevant = [p for p in passages if on_topic is None or on_topic(p)]
    for name, question_patterns, answer_pattern in _answer_types():
        if any(p.search(text) for p in question_patterns) and not any(answer_pattern.search(fold(p)) for p in relevant):
            return name
    return None
