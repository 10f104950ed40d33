"""Plain first, proof second: the easy-read line(s) of the cited passages in the reader's language, then the
cited text — verbatim Slovenian quotes for Slovenian readers; for English and BCS readers the whole paragraph in
their language (an unofficial translation from the enrichment layer; the Slovenian original stays in the source).

Easy-read lines and translations are written per paragraph and checked by ``assistant corpus check`` to keep every
figure and bound of the source; a paragraph without (current) enrichment is quoted as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.answer.passages import Passages
from assistant.corpus.enrichment import Enrichment, enrichment_language
from assistant.types import AnswerSentence, Language

MAX_PLAIN_LINES = 2


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
        self, quotes: list[AnswerSentence], passages: Passages, language: Language, already: list[str] | None = None
    ) -> Presented:
        """The plain lines and the body for ``quotes`` chosen from ``passages``; ``already``: chunk ids shown in
        translation earlier in the same answer (not repeated)."""
        if self.enrichment is None or not quotes:
            return Presented(body=list(quotes))
        wanted = enrichment_language(language)
        cited: list[int] = list(dict.fromkeys(n for q in quotes for n in q.citations if n in passages.chunks))
        presented = Presented()
        for n in cited:
            entry = self.enrichment.get(passages.chunks[n].id, wanted)
            if entry is not None and entry.easy and len(presented.plain) < MAX_PLAIN_LINES:
                presented.plain.append(AnswerSentence(entry.easy, [n]))
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
