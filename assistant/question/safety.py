"""Safety triage: messages that must not be answered normally.

In order of priority:

1. crisis signals (:mod:`assistant.question.crisis`): a threat to hurt someone or a request for means
   (group ``threat``: a short refusal, plus help when the message also shows distress), a definite crisis
   (``crisis``: help, no ordinary answer), an indirect or uncertain one (``possible_crisis``: help AND the
   ordinary answer);
2. refusals (prompt injection, misuse, abuse of others, privacy, off-topic) and questions the handbook can never
   answer (sentence predictions, staff names): patterns in ``i18n/safety.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from assistant.question.crisis import CrisisDetector, CrisisSignal
from assistant.text.normalize import fold

_PLAIN_DETECTOR = CrisisDetector()


@dataclass(frozen=True)
class SafetyVerdict:
    """What kind of special handling a message needs."""

    group: str  # "crisis" | "possible_crisis" | "threat" | "refuse" | "unanswerable"
    kind: str  # the main kind, e.g. "self_harm", "threat", "prompt_injection", "staff_names"
    pattern: str
    kinds: tuple[str, ...] = field(default=())
    languages: frozenset[str] = frozenset()  # crisis vocabularies that matched

    @property
    def help_kinds(self) -> set[str]:
        """The crisis kinds whose help text this message gets (empty for refusals)."""
        return {k for k in (self.kinds or (self.kind,)) if k in ("self_harm", "abuse", "third_party")}


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, str, re.Pattern[str]]]:
    text = resources.files("assistant.i18n").joinpath("safety.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    compiled: list[tuple[str, str, re.Pattern[str]]] = []
    for group in ("refuse", "unanswerable"):  # order = priority
        for kind, patterns in data[group].items():
            compiled.extend((group, kind, re.compile(pattern)) for pattern in patterns)
    return compiled


def crisis_verdict(signal: CrisisSignal) -> SafetyVerdict:
    """The verdict for a crisis signal."""
    evidence = "; ".join(signal.evidence)
    if signal.refuse:
        main = next(k for k in signal.kinds if k in ("threat", "means"))
        return SafetyVerdict("threat", main, evidence, signal.kinds, signal.languages)
    group = "crisis" if signal.definite else "possible_crisis"
    return SafetyVerdict(group, signal.kinds[0], evidence, signal.kinds, signal.languages)


def classify(message: str, detector: CrisisDetector | None = None, crisis: bool = True) -> SafetyVerdict | None:
    """The first matching special case (crisis before refusals before unanswerable), or None. ``crisis=False``
    skips the crisis check (it has run already)."""
    signal = (detector or _PLAIN_DETECTOR).detect(message) if crisis else None
    if signal is not None:
        return crisis_verdict(signal)
    text = fold(" ".join(message.split()))
    for group, kind, pattern in _patterns():
        if pattern.search(text):
            return SafetyVerdict(group, kind, pattern.pattern, (kind,))
    return None
