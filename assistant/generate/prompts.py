"""Prompt building from the package-data templates in ``assistant/generate/prompts/``.

* ``system_sl.txt`` – the rules (Slovenian), used as the system message of chat prompts.
* ``fewshot_sl.txt`` – one worked example (question, passages, the answer in the exact JSON format) and the
  short instruction that opens a raw completion prompt for a base model (a long rule list only distracts a
  270M base model; it continues patterns rather than following instructions).
* ``user.txt`` – the template for passages + question; the example is rendered with it too, so the example
  and the real request look exactly alike (this matters for a small base model continuing a pattern).

Passages are shortened, never reordered, so that prompt + ``max_tokens`` fits the context window; token
counts come from a ``count_tokens`` callable (the model's tokenizer, or an estimate for remote servers).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files
from typing import Literal

from assistant.generate.base import GenerationRequest, Passage
from assistant.types import Language

PromptStyle = Literal["completion", "chat"]
TokenCounter = Callable[[str], int]

LANGUAGE_NAMES: dict[str, str] = {
    "sl": "slovenščina",
    "en": "angleščina (English)",
    "bcs": "hrvaščina, srbščina ali bosanščina (hrvatski / srpski / bosanski)",
}
ELLIPSIS = " …"
MIN_PASSAGE_TOKENS = 8
CHAT_TEMPLATE_OVERHEAD = 48  # role markers and turn separators added by a chat template


@cache
def load_prompt(name: str) -> str:
    """The text of a prompt file in ``assistant/generate/prompts/`` (UTF-8, trailing newline removed)."""
    return files("assistant.generate").joinpath("prompts", name).read_text(encoding="utf-8").rstrip("\n")


@dataclass(frozen=True)
class FewShot:
    """The worked example from ``fewshot_sl.txt``."""

    instruction: str
    question: str
    language: Language
    passages: tuple[Passage, ...]
    answer: str


@cache
def load_fewshot() -> FewShot:
    """Parse ``fewshot_sl.txt`` (``INSTRUCTION:``, ``QUESTION:``, ``LANGUAGE:``, ``[n] label: text`` lines,
    ``ANSWER:``)."""
    instruction = question = answer = ""
    language = "sl"
    passages: list[Passage] = []
    for line in load_prompt("fewshot_sl.txt").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("INSTRUCTION:"):
            instruction = line.removeprefix("INSTRUCTION:").strip()
        elif line.startswith("QUESTION:"):
            question = line.removeprefix("QUESTION:").strip()
        elif line.startswith("LANGUAGE:"):
            language = line.removeprefix("LANGUAGE:").strip()
        elif line.startswith("ANSWER:"):
            answer = line.removeprefix("ANSWER:").strip()
        elif line.startswith("["):
            number, _, rest = line[1:].partition("] ")
            label, _, text = rest.partition(": ")
            passages.append(Passage(n=int(number), label=label.strip(), text=text.strip()))
        else:
            raise ValueError(f"fewshot_sl.txt: unexpected line {line!r}")
    if not (instruction and question and answer and passages) or language not in LANGUAGE_NAMES:
        raise ValueError("fewshot_sl.txt needs INSTRUCTION, QUESTION, LANGUAGE, passages and ANSWER")
    return FewShot(
        instruction=instruction,
        question=question,
        language=language,  # type: ignore[arg-type]
        passages=tuple(passages),
        answer=answer,
    )


def one_line(text: str) -> str:
    """Collapse all whitespace (newlines included) to single spaces."""
    return " ".join(text.split())


def format_passages(passages: Sequence[Passage]) -> str:
    """One ``[n] label: text`` line per passage."""
    return "\n".join(f"[{p.n}] {one_line(p.label)}: {one_line(p.text)}" for p in passages)


def render_user(
    question: str, language: str, passages: Sequence[Passage], calculator_summary: str | None = None
) -> str:
    """The user part of the prompt: numbered passages, optional calculator result, language, question."""
    calculator = f"Izračun: {one_line(calculator_summary)}\n" if calculator_summary else ""
    return load_prompt("user.txt").format(
        passages=format_passages(passages),
        calculator=calculator,
        language_name=LANGUAGE_NAMES.get(language, language),
        question=one_line(question),
    )


@dataclass(frozen=True)
class Prompt:
    """A built prompt: the parts, and the passages as they were put in (possibly shortened)."""

    system: str
    instruction: str
    example_user: str
    example_answer: str
    user: str
    passages: tuple[Passage, ...]
    truncated: bool = False

    def completion_text(self) -> str:
        """Raw completion prompt for a base model: short instruction, the example, then the request.

        It ends with a newline after ``Odgovor:`` so that the first generated character is the ``{`` of the
        JSON, as in the example (no token boundary is left dangling)."""
        return f"{self.instruction}\n\n{self.example_user}\n{self.example_answer}\n\n{self.user}\n"

    def chat_messages(self) -> list[dict[str, str]]:
        """Chat messages for an instruct model: rules, the example as a user/assistant turn, the request."""
        return [
            {"role": "system", "content": self.system},
            {"role": "user", "content": self.example_user},
            {"role": "assistant", "content": self.example_answer},
            {"role": "user", "content": self.user},
        ]

    def size(self, count_tokens: TokenCounter, style: PromptStyle) -> int:
        """Tokens this prompt takes in the given style."""
        if style == "completion":
            return count_tokens(self.completion_text())
        return sum(count_tokens(m["content"]) for m in self.chat_messages()) + CHAT_TEMPLATE_OVERHEAD


def _make(request: GenerationRequest, passages: Sequence[Passage], truncated: bool) -> Prompt:
    example = load_fewshot()
    return Prompt(
        system=load_prompt("system_sl.txt"),
        instruction=example.instruction,
        example_user=render_user(example.question, example.language, example.passages),
        example_answer=example.answer,
        user=render_user(request.question, request.language, passages, request.calculator_summary),
        passages=tuple(passages),
        truncated=truncated,
    )


def truncate_to_tokens(text: str, max_tokens: int, count_tokens: TokenCounter) -> str:
    """The longest word prefix of ``text`` that, with ``" …"`` appended, fits in ``max_tokens`` tokens."""
    text = one_line(text)
    if count_tokens(text) <= max_tokens:
        return text
    words = text.split(" ")
    lo, hi = 0, len(words) - 1  # invariant: prefix of lo words fits (0 words always "fits")
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count_tokens(" ".join(words[:mid]) + ELLIPSIS) <= max_tokens:
            lo = mid
        else:
            hi = mid - 1
    return (" ".join(words[:lo]) + ELLIPSIS).strip()


def _caps(sizes: list[int], available: int) -> list[int]:
    """Split ``available`` tokens over passages of the given sizes: short ones keep everything, long ones
    share what is left equally (water-filling)."""
    caps = [0] * len(sizes)
    remaining = available
    order = sorted(range(len(sizes)), key=lambda i: sizes[i])
    for done, i in enumerate(order):
        share = remaining // (len(sizes) - done)
        caps[i] = min(sizes[i], share)
        remaining -= caps[i]
    return caps


def build_prompt(
    request: GenerationRequest,
    count_tokens: TokenCounter | None = None,
    budget: int | None = None,
    style: PromptStyle = "completion",
) -> Prompt:
    """Build the prompt for ``request``, shortening passages so that it takes at most ``budget`` tokens.

    Without ``count_tokens`` or ``budget`` nothing is shortened. Passages keep their numbers; long ones are
    cut at a word boundary (marked with ``…``) before short ones; if even ``MIN_PASSAGE_TOKENS`` per passage
    does not fit, the last passages are left out (the first always stays).
    """
    passages = list(request.passages)
    prompt = _make(request, passages, truncated=False)
    if count_tokens is None or budget is None or prompt.size(count_tokens, style) <= budget:
        return prompt
    while True:
        empty = [replace(p, text="") for p in passages]
        overhead = _make(request, empty, truncated=True).size(count_tokens, style) + count_tokens(ELLIPSIS)
        available = budget - overhead
        if available < MIN_PASSAGE_TOKENS * len(passages) and len(passages) > 1:
            passages.pop()
            continue
        sizes = [count_tokens(one_line(p.text)) for p in passages]
        for _ in range(6):
            caps = _caps(sizes, max(available, 0))
            shortened = [
                p if cap >= size else replace(p, text=truncate_to_tokens(p.text, cap, count_tokens))
                for p, cap, size in zip(passages, caps, sizes, strict=True)
            ]
            prompt = _make(request, shortened, truncated=True)
            excess = prompt.size(count_tokens, style) - budget
            if excess <= 0:
                return prompt
            available -= max(excess, math.ceil(0.05 * max(available, 1)))
        if len(passages) == 1:
            return prompt  # cannot shrink further; the backend reports the overflow
        passages.pop()
