"""What kind of answer a question wants, beyond its topic words (package data ``i18n/question_focus.toml``).

"Kako dolgo lahko traja obisk?" is about visits and wants a quantity: the sentence that answers it states one
("do tri ure"). "Kdo so ožji družinski člani?" wants a definition: the sentence whose subject is "ožji družinski
člani". The interrogative words ("kako dolgo", "kok časa", "how often") are not looked for in the sources.
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
    wants_definition: bool = False


@dataclass(frozen=True)
class _Patterns:
    quantity: list[re.Pattern[str]]
    quantity_sentence: re.Pattern[str]
    definition: list[re.Pattern[str]]
    defining_sentence: re.Pattern[str]
    filler: list[re.Pattern[str]]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    data = tomllib.loads(resources.files("assistant.i18n").joinpath("question_focus.toml").read_text("utf-8"))
    return _Patterns(
        [re.compile(p) for p in data["quantity"]["question"]],
        re.compile(data["quantity"]["sentence"]),
        [re.compile(p) for p in data["definition"]["question"]],
        re.compile(data["definition"]["sentence"]),
        [re.compile(p) for p in data["filler"]["phrases"]],
    )


def states_quantity_in_words(sentence: str) -> bool:
    """Does ``sentence`` state a quantity without a number ("neomejeno", "dnevno", "brez omejitve")?"""
    return _patterns().quantity_sentence.search(fold(sentence)) is not None


def defined_subject(sentence: str) -> str | None:
    """The subject of a defining sentence ("Ožji družinski člani so: …" → "ozji druzinski clani"), folded."""
    match = _patterns().defining_sentence.match(fold(sentence).strip())
    return match.group("subject") if match else None


def question_focus(question: str) -> QuestionFocus:
    """Does ``question`` ask for a quantity, and what is left of it without interrogative filler words?

    Patterns match the folded text; the filler spans are cut from the original, so its diacritics stay.
    """
    patterns = _patterns()
    folded_chars = [fold(ch) for ch in question]
    aligned = all(len(ch) == 1 for ch in folded_chars)  # fold keeps one character per character (almost always)
    text = "".join(folded_chars) if aligned else fold(question)
    source = question if aligned else text
    wants_quantity = any(p.search(text) for p in patterns.quantity)
    wants_definition = any(p.search(text) for p in patterns.definition)
    spans = sorted(m.span() for pattern in patterns.filler for m in pattern.finditer(text))
    kept: list[str] = []
    position = 0
    for start, end in spans:
        if start >= position:
            kept.append(source[position:start])
            position = end
    kept.append(source[position:])
    return QuestionFocus(wants_quantity, collapse_whitespace(" ".join(kept)), wants_definition)
