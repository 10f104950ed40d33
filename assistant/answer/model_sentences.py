"""Sentences from the language model, kept only when the verifier finds them in the cited passages."""

from __future__ import annotations

import time
from collections.abc import Generator
from typing import Any

from assistant.answer.passages import Passages
from assistant.answer.resources import Resources
from assistant.answer.verify import Verdict
from assistant.generate.base import GenerationRequest, GeneratorUnavailable, Passage
from assistant.timing import elapsed_ms
from assistant.types import AnswerSentence, Language, SearchResult


class ModelSentences:
    """Streams verified, non-repeating model sentences."""

    def __init__(self, resources: Resources) -> None:
        self.resources = resources

    def stream(
        self,
        question: str,
        lang: Language,
        passages: Passages,
        result: SearchResult,
        timings: dict[str, float],
        diagnostics: dict[str, Any],
        shown: list[AnswerSentence] | None = None,
    ) -> Generator[AnswerSentence, None, list[AnswerSentence]]:
        """Stream the model's sentences that pass verification and do not repeat what is ``shown`` already.
        Without ``shown``, nothing is streamed until what passed answers the question (see :meth:`answers`), so a
        stream never shows sentences the final answer drops."""
        res = self.resources
        settings = res.settings
        generator = res.generator
        shown = shown or []
        kept: list[AnswerSentence] = []
        if generator is None:
            return kept
        # after quotes, the model may only add to their topic: its citations must be in the quoted sections
        topics = {passages.chunks[n].section for s in shown for n in s.citations if n in passages.chunks}
        in_prompt = {n: c for n, c in passages.chunks.items() if n <= settings.passages_in_prompt}
        request = GenerationRequest(question, lang, [Passage(n, c.label, c.text) for n, c in in_prompt.items()])
        texts = {n: c.text for n, c in in_prompt.items()}
        verdicts: list[Verdict] = []
        if not res.generator_lock.acquire(blocking=settings.llm_when_busy == "wait"):
            diagnostics["generator_busy"] = True  # another question holds the model: answer from the sources
            return kept
        started = time.perf_counter()
        streamed = 0
        try:
            for generated in generator.stream(request):
                verdict = res.verifier.check(generated.text, list(generated.citations), texts, question=question)
                verdicts.append(verdict)
                if not verdict.supported:
                    continue
                sentence = AnswerSentence(generated.text.strip(), sorted(set(generated.citations)))
                if topics and any(passages.chunks[n].section not in topics for n in sentence.citations):
                    verdict.supported = False
                    verdict.reasons.append("navaja vir z druge teme kot citati")
                    continue
                if self.repeats(sentence, shown + kept):
                    verdict.supported = False
                    verdict.reasons.append("ponavlja že prikazani stavek")
                    continue
                kept.append(sentence)
                if shown or streamed or self.answers(kept, result):
                    if not streamed and not shown:
                        timings["first_sentence_ms"] = elapsed_ms(started)
                    yield from kept[streamed:]
                    streamed = len(kept)
                if len(kept) >= settings.llm_max_sentences:
                    break
        except GeneratorUnavailable as exc:
            diagnostics["generator_error"] = str(exc)
        except Exception as exc:  # a broken model must not break the answer: the sources are quoted instead
            diagnostics["generator_error"] = f"{type(exc).__name__}: {exc}"
        finally:
            res.generator_lock.release()
        timings["generation_ms"] = elapsed_ms(started)
        diagnostics["verdicts"] = [vars(v) for v in verdicts]
        diagnostics["llm_sentences"] = len(verdicts)
        diagnostics["llm_supported"] = len(kept)
        return kept

    def repeats(self, sentence: AnswerSentence, others: list[AnswerSentence]) -> bool:
        """Does ``sentence`` say nearly the same words as one already in the answer?"""
        return any(self.resources.retriever.analyzer.similar(sentence.text, other.text) for other in others)

    def answers(self, sentences: list[AnswerSentence], result: SearchResult) -> bool:
        """Does what survived verification answer the question (shares content with it)?"""
        if not sentences:
            return False
        terms = {t.term for t in self.resources.retriever.query_terms(result.query)}
        return any(terms & self.resources.verifier.passage_terms(s.text) for s in sentences)
