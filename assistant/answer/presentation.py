"""Plain first, proof second: the easy-read line(s) of the cited passages in the reader's language, then the
cited text — verbatim Slovenian quotes for Slovenian readers; for English and BCS readers the whole paragraph in
their language (an unofficial translation from the enrichment layer; the Slovenian original stays in the source).

Easy-read lines and translations are written per paragraph and checked by ``assistant corpus check`` to keep every
figure and bound of the source; a paragraph without (current) enrichment is quoted as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answer.passages import Passages
from assistant.corpus.enrichment import Enrichment, enrichment_language
from assistant.question.focus import question_focus
from assistant.text.normalize import fold
from assistant.text.numbers import quantities
from assistant.types import AnswerSentence, Language

MAX_PLAIN_LINES = 2
STEM = 4  # "obrokov" / "obroke" / "obrok": the first letters name the counted thing in any inflection
_WORD = re.compile(r"[^\W\d_]+")


def _stems(text: str) -> set[str]:
    return {w[:STEM] for w in _WORD.findall(fold(text).lower()) if len(w) >= STEM}


def figure_rank(line: str, asked: set[str]) -> int:
    """How well ``line`` states the figure a question asks for: 2 when a number in it counts a thing the question
    names (``asked``: the stems of its topic words; "3 obroke" for "koliko obrokov"), 1 for any number, 0 for none."""
    found = quantities(line)
    if not found:
        return 0
    for quantity in found:
        following = _WORD.findall(line[quantity.start + len(quantity.text) :])[:2]
        if any(fold(word).lower()[:STEM] in asked for word in following if len(word) >= STEM):
            return 2
    return 1


def figure_first(lines: list[AnswerSentence], question: str) -> list[AnswerSentence]:
    """Plain first: when ``question`` asks how many / how long / how often, the line that states that figure leads
    (a stable sort; otherwise the order is kept)."""
    if len(lines) < 2:
        return lines
    focus = question_focus(question)
    if not focus.wants_quantity:
        return lines
    asked = _stems(focus.topic_text)
    return sorted(lines, key=lambda line: -figure_rank(line.text, asked))


@dataclass
class Presented:
    """What the reader sees of a grounded answer."""

    plain: list[AnswerSentence] = field(default_factory=list)  # easy-read lines, cited
    body: list[AnswerSentence] = field(default_factory=list)  # quotes or translated paragraphs, cited
    translated: list[str] = field(default_factory=list)  # chunk ids shown in translation

    @property
    def sentences(self) -> list[AnswerSentence]:
        """Plain lines first, then the body."""
        return self.plain + self.body


class Presenter:
    """Turns chosen quotes into the reader's answer."""

    def __init__(self, enrichment: Enrichment | None) -> None:
        self.enrichment = enrichment

    def present(
        self,
        quotes: list[AnswerSentence],
        passages: Passages,
        language: Language,
        already: list[str] | None = None,
        question: str = "",
    ) -> Presented:
        """The plain lines and the body for ``quotes`` chosen from ``passages``; ``already``: chunk ids shown in
        translation earlier in the same answer (not repeated); ``question``: the line with the figure it asks for
        leads."""
        if self.enrichment is None or not quotes:
            return Presented(body=list(quotes))
        wanted = enrichment_language(language)
        cited: list[int] = list(dict.fromkeys(n for q in quotes for n in q.citations if n in passages.chunks))
        presented = Presented()
        plain: list[AnswerSentence] = []
        for n in cited:
            entry = self.enrichment.get(passages.chunks[n].id, wanted)
            if entry is not None and entry.easy:
                plain.append(AnswerSentence(entry.easy, [n]))
        presented.plain = figure_first(plain, question)[:MAX_PLAIN_LINES]
        if language == "sl":
            presented.body = list(quotes)
            return presented
        for quote in quotes:  # the quoted paragraphs, each once, in the reader's language where translated
            chunk = passages.chunks.get(quote.citations[0]) if quote.citations else None
            entry = self.enrichment.get(chunk.id, wanted) if chunk is not None else None
            if entry is None or not entry.text:
                presented.body.append(quote)
            elif chunk is not None and chunk.id not in presented.translated and chunk.id not in (already or []):
                presented.translated.append(chunk.id)
                presented.body.append(AnswerSentence(entry.text, list(quote.citations)))
        return presented
