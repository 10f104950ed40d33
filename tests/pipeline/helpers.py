"""Small helpers shared by the pipeline tests (imported as ``tests.pipeline.helpers``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from assistant.generate import GeneratedSentence, GenerationRequest
from assistant.types import Answer

WINDOW = 30


def passage_with(request: GenerationRequest, needle: str) -> int:
    """The number of the prompt passage that contains ``needle`` (fails the test if none does)."""
    for passage in request.passages:
        if needle in passage.text:
            return passage.n
    raise AssertionError(f"no prompt passage contains {needle!r}: {[p.text[:60] for p in request.passages]}")


def citing(*pairs: tuple[str, str]) -> Callable[[GenerationRequest], list[GeneratedSentence]]:
    """A ScriptedGenerator script: each ``(sentence, needle)`` cites the prompt passage containing ``needle``.

    Resolving the citation number at request time keeps the tests independent of the retrieval order.
    """

    def script(request: GenerationRequest) -> list[GeneratedSentence]:
        return [GeneratedSentence(text, [passage_with(request, needle)]) for text, needle in pairs]

    return script


def leaked_windows(text: str, prompts: dict[str, str], allowed: Iterable[str] = (), width: int = WINDOW) -> list[str]:
    """Every ``width``-character substring of a prompt file that appears in ``text``.

    Windows that also occur in one of ``allowed`` (e.g. the corpus: the few-shot example quotes the handbook)
    are not leaks and are skipped.
    """
    allowed = list(allowed)
    leaks: list[str] = []
    for content in prompts.values():
        for start in range(0, max(0, len(content) - width) + 1):
            window = content[start : start + width]
            if window in text and not any(window.strip() in source for source in allowed):
                leaks.append(window)
    return leaks


def shown_text(answer: Answer) -> str:
    """Everything a user sees of an answer: sentences, citation marks, the note and the quoted sources."""
    return answer.text + "\n" + "\n".join(source.text for source in answer.sources)


def ungrounded(answer: Answer) -> list[str]:
    """``answer_eval.ungrounded_numbers`` (imported lazily: answer_eval pulls in the evaluation module)."""
    from assistant.evaluation.answers import ungrounded_numbers

    return ungrounded_numbers(answer)
