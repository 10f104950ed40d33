"""The comparison baseline for evaluation: dense top-3 passages straight into the model, no verifier, no routing."""

from __future__ import annotations

import time

from assistant.answer.assistant import Assistant
from assistant.answer.passages import Passages
from assistant.generate.base import GenerationRequest, Passage
from assistant.question.language import detect_language
from assistant.timing import elapsed_ms
from assistant.types import Answer, AnswerSentence


def naive_answer(assistant: Assistant, question: str) -> Answer:
    """The naive answer to ``question``."""
    started = time.perf_counter()
    lang = detect_language(question)
    result = assistant.retriever.search(question, k=3, mode="dense")
    passages = Passages()
    for hit in result.hits[:3]:
        passages.cite(hit.chunk)
    sentences: list[AnswerSentence] = []
    if assistant.generator is not None:
        generated = assistant.generator.generate(
            GenerationRequest(question, lang, [Passage(n, c.label, c.text) for n, c in passages.chunks.items()])
        )
        sentences = [AnswerSentence(s.text, list(s.citations)) for s in generated.sentences]
    cited = sorted({n for s in sentences for n in s.citations})
    answer = Answer(
        question, lang, "llm", sentences, passages.sources(cited), result.confidence, retrieval_query=question
    )
    answer.timings["total_ms"] = elapsed_ms(started)
    return answer
