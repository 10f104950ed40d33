"""Follow-up questions ("pa ob vikendih?", "in za tujke?", "what about parcels?") become self-contained
retrieval queries by carrying over the previous turn's topic."""

from __future__ import annotations

import re

from assistant.text.normalize import fold
from assistant.types import Turn

_MARKERS = re.compile(
    r"^(pa|in|kaj pa|kako pa|a pa|ampak|what about|how about|and|also|a sto|a sta|a za|pa za|in za|"
    r"in kaj|pa kaj|kaj ce|kaj pa ce|sto ako|a ako)\b"
)
MAX_FOLLOWUP_WORDS = 6


def is_followup(question: str) -> bool:
    """A short question that opens like a continuation."""
    text = fold(question.strip())
    words = re.findall(r"\w+", text)
    return 0 < len(words) <= MAX_FOLLOWUP_WORDS and bool(_MARKERS.match(text))


def rewrite_query(question: str, history: list[Turn] | None) -> str:
    """The retrieval query: the question itself, or for a follow-up, the previous topic plus the question."""
    if not history or not is_followup(question):
        return question
    previous = history[-1]
    topic = previous.retrieval_query or previous.question
    return f"{topic} {question}"
