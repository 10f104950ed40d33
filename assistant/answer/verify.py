"""The verifier: a generated sentence reaches the user only if the passages it cites support it.

A sentence is supported when
1. it cites at least one passage and every citation is a passage that was retrieved and shown (``[n]`` in range);
2. every number or quantity in it (digits, number words, fractions) occurs in a cited passage or in the
   calculator result, with the same bound: "do dve uri" in the source is not "dve uri", and "najmanj dvakrat"
   is neither "dvakrat" nor "največ dvakrat";
3. enough of its content words are found in the cited passages (lemmas; English/BCS words through the
   glossaries), at least ``min_overlap``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.text.analyze import Analyzer, Vocabulary
from assistant.text.numbers import Quantity, quantities


@dataclass
class Verdict:
    """The verifier's decision on one sentence, with its reasons (shown to staff and in eval results)."""

    text: str
    citations: list[int]
    supported: bool
    overlap: float = 0.0
    reasons: list[str] = field(default_factory=list)


class Verifier:
    """Checks sentences against numbered passages."""

    def __init__(self, analyzer: Analyzer, vocabulary: Vocabulary, min_overlap: float = 0.5) -> None:
        self.analyzer = analyzer
        self.vocabulary = vocabulary
        self.min_overlap = min_overlap

    def passage_terms(self, text: str) -> frozenset[str]:
        """Index terms of a passage or sentence (cached by the analyzer)."""
        return self.analyzer.term_set(text)

    def overlap(self, sentence: str, passage_texts: list[str]) -> float:
        """Share of the sentence's content words found in the passages (0..1; 1.0 when it has none)."""
        available = frozenset().union(*(self.passage_terms(text) for text in passage_texts))
        by_word: dict[str, bool] = {}
        for term in self.analyzer.query_terms(sentence, self.vocabulary):
            if term.source == "synonym" and term.word in by_word:
                continue
            by_word[term.word] = by_word.get(term.word, False) or term.term in available
        if not by_word:
            return 1.0
        return sum(by_word.values()) / len(by_word)

    def check(
        self,
        text: str,
        citations: list[int],
        passages: dict[int, str],
        calculator_text: str | None = None,
        question: str | None = None,
    ) -> Verdict:
        """Verify one sentence citing ``citations`` among ``passages`` (number → text); a sentence that is a
        question, or repeats the user's ``question``, is not an answer."""
        verdict = Verdict(text, list(citations), supported=True)
        if not text.strip():
            verdict.supported = False
            verdict.reasons.append("prazen stavek")
            return verdict
        if text.rstrip().endswith("?") or (question is not None and self.analyzer.similar(text, question)):
            verdict.supported = False
            verdict.reasons.append("stavek ponavlja vprašanje namesto odgovora")
        if not citations:
            verdict.supported = False
            verdict.reasons.append("stavek nima navedbe vira")
        invalid = [n for n in citations if n not in passages]
        if invalid:
            verdict.supported = False
            verdict.reasons.append(f"navedba vira zunaj obsega: {invalid}")
        cited = [passages[n] for n in citations if n in passages]
        computed = {q.value for q in quantities(calculator_text)} if calculator_text else set()
        for quantity in quantities(text):
            if quantity.value in computed:
                continue  # the calculator's own figure: exact, its rule is cited with it
            problem = self._number_problem(quantity, cited)
            if problem:
                verdict.supported = False
                verdict.reasons.append(problem)
        if cited:
            verdict.overlap = round(self.overlap(text, cited), 3)
            if verdict.overlap < self.min_overlap:
                verdict.supported = False
                verdict.reasons.append(f"premalo prekrivanja z viri ({verdict.overlap:.2f} < {self.min_overlap})")
        return verdict

    @staticmethod
    def _number_problem(quantity: Quantity, sources: list[str]) -> str | None:
        matches = [q for source in sources for q in quantities(source) if q.value == quantity.value]
        if not matches:
            return f"število {quantity.text} ni v navedenih virih"
        if any(match.bound == quantity.bound for match in matches):
            return None
        source_bounds = {match.bound for match in matches}
        if quantity.bound is None:
            return f"pri številu {quantity.text} manjka meja iz vira (najmanj/največ/do)"
        if source_bounds == {None}:
            return f"meja pri številu {quantity.text} ni v viru"
        return f"napačna meja pri številu {quantity.text}"
