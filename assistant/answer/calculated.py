"""Calculated answers: the calculator's figure, how it understood the question, and the rules it applied, cited."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from assistant.answer.messages import message
from assistant.answer.passages import Passages
from assistant.answer.resources import Resources
from assistant.calculator.schemas import CalcRoute
from assistant.text.normalize import collapse_whitespace
from assistant.types import Answer, AnswerSentence, Language

MAX_RULE_QUOTES = 3


class CalculatedAnswer:
    """Turns a calculator route (result, follow-up question or input error) into a cited answer."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources

    def run(self, question: str, lang: Language, route: CalcRoute) -> Answer:
        """The answer for a question the calculator recognised."""
        passages = Passages()
        citations: list[int] = []
        rules: list[tuple[int, str]] = []  # (citation number, the rule's quote)
        calculation: dict[str, Any] = {
            "kind": route.kind,
            "inputs": route.understood,
            "understood": route.understood_text,
        }
        sentences: list[AnswerSentence] = []
        if route.result is not None:
            result = route.result
            for citation in result.citations:
                try:
                    chunk = self.resources.chunk(citation.chunk_id)
                except KeyError:
                    continue
                n = passages.cite(chunk)
                citations.append(n)
                rules.append((n, citation.quote))
            calculation = {**result.to_dict(), "inputs": result.inputs}
            # plain first: the figure, then how the question was understood, then the rules
            sentences.append(AnswerSentence(result.summary, sorted(set(citations))))
            if result.understood:
                sentences.append(AnswerSentence(result.understood))
            sentences.extend(self._rule_quotes(rules, passages))
        elif route.error:
            calculation["error"] = route.error
            calculation["error_field"] = route.error_field
            sentences.append(AnswerSentence(route.understood_text or "", []))
            sentences.append(AnswerSentence(route.error))
        else:
            if route.understood_text:
                sentences.append(AnswerSentence(route.understood_text))
            sentences.append(AnswerSentence(route.follow_up or message("calc_missing", lang)))
        sentences = [s for s in sentences if s.text.strip()]
        note = message("calc_note", lang) if lang != "sl" or route.result is not None else None
        return Answer(
            question,
            lang,
            "calculator",
            sentences,
            passages.sources(citations),
            confidence=1.0,
            note=note,
            calculation=calculation,
            missing=list(route.missing),
            diagnostics={"calculator": route.to_dict()},
            plain=[route.result.summary] if route.result is not None else [],
        )

    def _rule_quotes(self, rules: list[tuple[int, str]], passages: Passages) -> list[AnswerSentence]:
        """The source sentences that state the applied rules, verbatim and cited (at most MAX_RULE_QUOTES)."""
        quotes: list[AnswerSentence] = []
        for n, quote in rules:
            wanted = collapse_whitespace(quote)
            text = next(
                (
                    s
                    for s in self.resources.scorer.sentences(passages.chunks[n].text)
                    if wanted in collapse_whitespace(s)
                ),
                wanted,
            )
            if all(q.text != text for q in quotes):
                quotes.append(AnswerSentence(text, [n]))
        return quotes[:MAX_RULE_QUOTES]

    @staticmethod
    def before(calculated: Answer, grounded: Answer) -> Answer:
        """A long message one part of which the calculator answers: its figure and how it understood the message
        (its first two lines, citing its rules) lead; then the answer to every part, its citations renumbered."""
        lead = calculated.sentences[:2]
        cited = sorted({n for s in lead for n in s.citations})
        sources = [source for source in calculated.sources if source.n in cited]
        offset = max((source.n for source in sources), default=0)
        moved = [AnswerSentence(s.text, [n + offset for n in s.citations]) for s in grounded.sentences]
        return replace(
            grounded,
            sentences=lead + moved,
            sources=sources + [replace(source, n=source.n + offset) for source in grounded.sources],
            calculation=calculated.calculation,
            plain=calculated.plain + grounded.plain,
            refused=False,
            mode="extractive" if grounded.mode == "refusal" else grounded.mode,
            diagnostics={**grounded.diagnostics, "calculator": calculated.diagnostics.get("calculator")},
        )
