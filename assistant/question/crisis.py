"""Crisis detection: a person who wants to hurt herself, is being hurt, knows someone in danger, threatens to
hurt someone, or asks for the means to.

Designed for recall, in Slovenian (standard, colloquial, dialect, no diacritics, typos), English and
Croatian/Serbian/Bosnian, without depending on exact words:

* every language's vocabulary is tried on every message (short messages defeat language detection);
* the message is folded (lowercase ASCII), letters stretched for emphasis are collapsed ("umreeeeti"), and a
  misspelt word close to a key word is corrected to it (one letter dropped, doubled, swapped or wrong);
* patterns run on the words and on their lemmas (lemmagen3), so every inflection of a verb is covered;
* an optional statistical classifier over character n-grams (:mod:`assistant.question.crisis_model`) catches
  indirect messages and paraphrases the patterns miss;
* for English messages, an optional vote of the nearest exemplars by meaning with the packaged sentence embedder
  (:mod:`assistant.question.crisis_neighbours`).

The vocabulary is data: ``assistant/i18n/crisis/<language>.toml``. A "definite" match means help and no ordinary
answer; a "possible" match (indirect hopelessness, a classifier hit) means help AND the ordinary answer.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rapidfuzz.distance import DamerauLevenshtein

from assistant.protocols import Lemmatizer
from assistant.question.crisis_model import CrisisClassifier
from assistant.question.crisis_neighbours import CrisisNeighbours
from assistant.text.normalize import fold

KINDS = ("self_harm", "abuse", "third_party", "threat", "means")
HELP_KINDS = ("self_harm", "abuse", "third_party")  # the person (or someone) needs help
REFUSE_KINDS = ("threat", "means")  # never an ordinary answer
VOCABULARY_LANGUAGES = ("sl", "en", "bcs", "earlier")
TYPO_MIN_LENGTH = 6
_STRETCHED = re.compile(r"([a-z])\1{2,}")
_NOT_WORD = re.compile(r"[^a-z0-9'\s]+")
_CONDITIONAL = re.compile(r"\b(ce|if|ako|in\s+case|whether)\b")


@dataclass(frozen=True)
class Vocabulary:
    """Compiled crisis patterns of every language, and the key words misspellings are corrected to."""

    patterns: dict[tuple[str, str], list[tuple[str, re.Pattern[str]]]]  # (kind, strength) → (language, pattern)
    typo_words: tuple[str, ...]  # sorted: a misspelling near two key words is corrected the same way every run
    neutral: tuple[re.Pattern[str], ...] = ()  # ordinary uses of crisis words, removed before matching


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The packaged crisis vocabulary (``assistant/i18n/crisis/*.toml``)."""
    folder = resources.files("assistant.i18n").joinpath("crisis")
    patterns: dict[tuple[str, str], list[tuple[str, re.Pattern[str]]]] = {}
    typo: set[str] = set()
    for lang in VOCABULARY_LANGUAGES:
        data = tomllib.loads(folder.joinpath(f"{lang}.toml").read_text(encoding="utf-8"))
        typo.update(fold(w).lower() for w in data.get("typo", {}).get("words", []))
        legal = str(data.get("legal", "(?!)"))  # legal consequences: a threat of them is not abuse
        for kind in KINDS:
            for strength in ("definite", "possible"):
                for pattern in data.get(kind, {}).get(strength, []):
                    compiled = re.compile(fold(str(pattern).replace("{legal}", legal)))
                    patterns.setdefault((kind, strength), []).append((lang, compiled))
    neutral = tomllib.loads(folder.joinpath("neutral.toml").read_text(encoding="utf-8"))
    phrases = tuple(re.compile(str(p)) for p in neutral.get("phrases", []))
    return Vocabulary(patterns, tuple(sorted(w for w in typo if len(w) >= TYPO_MIN_LENGTH)), phrases)


def _ascii(text: str) -> str:
    """Lowercase, č/š/ž/ć/đ folded, other accents dropped (apostrophes kept for English contractions)."""
    text = fold(text.lower()).replace("’", "'")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _correct(word: str, keys: tuple[str, ...]) -> str:
    """``word`` or the key word it is a one-edit misspelling of (the first in ``keys`` order)."""
    if len(word) < TYPO_MIN_LENGTH or word in keys:
        return word
    for key in keys:
        if abs(len(key) - len(word)) <= 1 and DamerauLevenshtein.distance(word, key, score_cutoff=1) <= 1:
            return key
    return word


@dataclass(frozen=True)
class CrisisSignal:
    """What the detector found: the kinds, whether it is definite, and the evidence (pattern texts)."""

    kinds: tuple[str, ...]
    definite: bool
    evidence: tuple[str, ...] = field(default=())
    languages: frozenset[str] = frozenset()  # vocabularies that matched (a hint when detection is unsure)

    @property
    def needs_help(self) -> bool:
        """Show the help text (someone may be in danger)."""
        return any(kind in HELP_KINDS for kind in self.kinds)

    @property
    def refuse(self) -> bool:
        """A threat or a request for means: no ordinary answer."""
        return any(kind in REFUSE_KINDS for kind in self.kinds)


class CrisisDetector:
    """Finds crisis signals in a message. Collaborators are optional: without a lemmatizer only word forms are
    matched, without a (fitted) classifier only the patterns decide."""

    def __init__(
        self,
        lemmatizer: Lemmatizer | None = None,
        classifier: CrisisClassifier | None = None,
        neighbours: CrisisNeighbours | None = None,
    ) -> None:
        self.lemmatizer = lemmatizer
        self.classifier = classifier
        self.neighbours = neighbours  # English nearest-exemplar vote (see crisis_neighbours), set at warm-up

    def words(self, message: str) -> list[str]:
        """The message's words: folded, stretched letters collapsed, misspelt key words corrected, and phrases that
        use crisis words in an ordinary sense ("kill time", "kaj mi grozi") removed."""
        text = _STRETCHED.sub(r"\1", _NOT_WORD.sub(" ", _ascii(message)))
        keys = vocabulary().typo_words
        text = " ".join(_correct(word, keys) for word in text.split())
        for phrase in vocabulary().neutral:
            text = phrase.sub(" ", text)
        return text.split()

    def views(self, message: str) -> str:
        """The text the patterns run on: corrected words, then " || ", then their lemmas."""
        words = self.words(message)
        view = " ".join(words)
        if self.lemmatizer is not None and words:
            view += " || " + " ".join(_ascii(lemma) for lemma in self.lemmatizer.lemmatize(words))
        return view

    def detect(self, message: str) -> CrisisSignal | None:
        """The crisis signal in ``message``, or None."""
        view = self.views(message)
        found: dict[str, bool] = {}
        evidence: list[str] = []
        languages: set[str] = set()
        for (kind, strength), patterns in vocabulary().patterns.items():
            matches = [(lang, match) for lang, pattern in patterns if (match := pattern.search(view))]
            matched = [(lang, match.re) for lang, match in matches]
            if matched:
                # "kam se pritožim, če me pretepajo?": a condition asks about the rule; help AND the answer
                asserted = any(not _CONDITIONAL.search(view[max(0, m.start() - 25) : m.start()]) for _, m in matches)
                definite = strength == "definite" and (asserted or kind in REFUSE_KINDS)
                found[kind] = found.get(kind, False) or definite
                evidence.append(f"{kind}/{strength}: {matched[0][1].pattern[:60]}")
                languages.update(lang for lang, _ in matched)
        if not any(found.values()) and self.classifier is not None:
            predicted = self.classifier.predict(message)
            if predicted is not None:
                kind, probability = predicted
                found.setdefault(kind, False)
                evidence.append(f"{kind}/classifier: {probability:.2f}")
                if kind in REFUSE_KINDS:  # a guessed threat may be despair: show the help too when it is likely
                    help_kind = self.classifier.likely_help_kind(message)
                    if help_kind is not None:
                        found.setdefault(help_kind, False)
                        evidence.append(f"{help_kind}/classifier")
        if not found and self.neighbours is not None:
            voted = self.neighbours.predict(message)
            if voted is not None:
                found.setdefault(voted[0], False)
                evidence.append(f"{voted[0]}/neighbours: {voted[1]:.2f}")
        if not found:
            return None
        kinds = tuple(kind for kind in KINDS if kind in found)
        return CrisisSignal(kinds, any(found.values()), tuple(evidence), frozenset(languages - {"earlier"}))

    def fit(self, ordinary_extra: list[str]) -> None:
        """Train the classifier (if any) on the packaged exemplars plus ``ordinary_extra`` ordinary questions."""
        from assistant.question.crisis_model import training_exemplars

        if self.classifier is not None:
            self.classifier.fit(training_exemplars(), ordinary_extra, normalise=lambda t: " ".join(self.words(t)))
        if self.neighbours is not None:
            self.neighbours.fit(training_exemplars(), ordinary_extra)
