"""Two-part questions ("Koliko dni dobim za vsak mesec šole in ali jih lahko preživim doma?") are answered part
by part, so each part gets its own best passage. A part starts at a conjunction followed by a question word;
statements before the question ("Noseča sem.") are context for every part."""

from __future__ import annotations

import re

_QUESTION_WORDS = (
    "ali",
    "koliko",
    "kako",
    "kdaj",
    "kje",
    "kdo",
    "kaj",
    "zakaj",
    "kateri",
    "katera",
    "katere",
    "katero",
    "kam",
    "how",
    "what",
    "when",
    "where",
    "who",
    "can",
    "da li",
    "gdje",
    "kada",
)
_SPLIT = re.compile(r",?\s+(?:in|ter|pa|and|i)\s+(?=(?:" + "|".join(_QUESTION_WORDS) + r")\b)", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
MIN_PART_WORDS = 3


def split_question(question: str) -> list[str]:
    """The parts of a two-part question, each with the statements that precede it; ``[question]`` otherwise."""
    return [f"{context} {part}".strip() for context, part in question_parts(question)]


def question_parts(question: str) -> list[tuple[str, str]]:
    """(context, part) pairs of a two-part question; ``[("", question)]`` otherwise."""
    sentences = [s for s in _SENTENCE.split(question.strip()) if s]
    if not sentences:
        return [("", question)]
    context = " ".join(s for s in sentences[:-1] if not s.rstrip().endswith("?"))
    asked = [s for s in sentences if s.rstrip().endswith("?")] or sentences[-1:]
    parts: list[str] = []
    for sentence in asked:
        start = 0
        for match in _SPLIT.finditer(sentence):
            parts.append(sentence[start : match.start()].strip(" ,"))
            start = match.end()
        parts.append(sentence[start:].strip(" ,"))
    parts = [p for p in parts if len(p.split()) >= MIN_PART_WORDS]
    if len(parts) < 2:
        return [("", question)]
    return [(context, part) for part in parts]


def asked_part(question: str) -> str | None:
    """The question sentences of a message that tells a story first ("Officer X insulted me. How do I complain?"),
    without the story; None when there is no story before them."""
    sentences = [s for s in _SENTENCE.split(question.strip()) if s]
    asked = [s for s in sentences if s.rstrip().endswith("?")]
    if not asked or len(asked) == len(sentences):
        return None
    return " ".join(asked)


# words that ask wherever they stand, and words that ask when they open a sentence ("Lahko dobim …", "Can I …")
_ASKING = frozenset(
    "koliko kako kdaj kje zakaj kam kdo kateri katera katero katere kakšen kaksen kolk kok kolko how what when where "
    "why which who whom gdje gde kada kad zašto zasto šta sta što sto kome komu koji koja koje".split()
)
_OPENING = frozenset(
    "ali a al lahko smem moram je so bo can could may is are do does will would should mogu moze može smijem smem "
    "da li jel jeli ima imam".split()
)
_WORD = re.compile(r"\w+")


def asks_something(message: str) -> bool:
    """Whether a message asks anything (a question mark, a question word, or a sentence opening as a question):
    "Prijavila sem jih in zdaj mi grozijo." asks nothing, so it gets no ordinary answer beside the help."""
    if "?" in message:
        return True
    for sentence in _SENTENCE.split(message.strip()):
        words = [w.lower() for w in _WORD.findall(sentence)]
        if words and (words[0] in _OPENING or any(w in _ASKING for w in words)):
            return True
    return False
