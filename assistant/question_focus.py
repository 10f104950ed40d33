"""What kind of answer a question wants, beyond its topic words (package data ``i18n/question_focus.toml``).

"Kako dolgo lahko traja obisk?" is about visits and wants a quantity: the sentence that answers it states one
("do tri ure"). The interrogative words ("kako dolgo", "kok časa", "how often") are not looked for in the sources.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from assistant.text.normalize import collapse_whitespace, fold


@dataclass(frozen=True)
class QuestionFocus:
    """The answer kind a question asks for, and the question without its interrogative filler words."""

    wants_quantity: bool
    topic_text: str


@lru_cache(maxsize=1)
def _patterns() -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
    data = tomllib.loads(resources.files("assistant.i18n").joinpath("question_focus.toml").read_text("utf-8"))
    return ([re.compile(p) for p in data["quantity"]["question"]],
            [re.compile(p) for p in data["filler"]["phrases"]])


def question_focus(question: str) -> QuestionFocus:
    """Does ``question`` ask for a quantity, and what is left of it without interrogative filler words?

    Patterns match the folded text; the filler spans are cut from the original, so its diacritics stay.
    """
    quantity, filler = _patterns()
    folded_chars = [fold(ch) for ch in question]
    aligned = all(len(ch) == 1 for ch in folded_chars)  # fold keeps one character per character (almost always)
    text = "".join(folded_chars) if aligned else fold(question)
    source = question if aligned else text
    wants_quantity = any(p.search(text) for p in quantity)
    spans = sorted(m.span() for pattern in filler for m in pattern.finditer(text))
    kept: list[str] = []
    position = 0
    for start, end in spans:
        if start >= position:
            kept.append(source[position:start])
            position = end
    kept.append(source[position:])
    return QuestionFocus(wants_quantity, collapse_whitespace(" ".join(kept)))
