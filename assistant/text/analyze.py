"""Text → index terms (folded lemmas), and question → weighted query terms.

Documents: obeliks tokens → lemmas → lowercased, diacritics folded → stopwords dropped.
Questions go through the same steps plus what kiosk users need: colloquial forms (``kok`` → ``koliko``),
diacritic restoration through the corpus' own word forms (``placa`` → ``plača``), typo tolerance against the
index vocabulary, domain synonyms (``vikend`` → ``konec tedna``) and the English/BCS glossaries.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from assistant.text.lemmatize import Lemmatizer
from assistant.text.lexicons import Lexicons, load_lexicons
from assistant.text.normalize import fold
from assistant.text.tokenize import tokenize

WEIGHT_EXACT = 1.0
WEIGHT_GLOSSARY = 1.0
WEIGHT_TYPO = 0.8
WEIGHT_SYNONYM = 0.6
WEIGHT_VARIANT = 0.5
WEIGHT_DERIVED = 0.8
# Endings of one stem that the lemmatizer keeps as separate lemmas:
# adjective ↔ adverb ("brezplačen" ↔ "brezplačno", "tedenski" ↔ "tedensko"), so "brezplačna pomoč" finds
# "brezplačno pomoč"; verb ↔ past participle ("odvzeti" ↔ "odvzet", "omejiti" ↔ "omejen", "poslati" ↔ "poslan"),
# so "ali mi lahko odvzamejo pravice" finds "pravice, ki so odvzete".
DERIVED_ENDINGS = (
    ("en", "no"),
    ("no", "en"),
    ("ski", "sko"),
    ("sko", "ski"),
    ("ni", "no"),
    ("ti", "t"),
    ("t", "ti"),
    ("iti", "en"),
    ("en", "iti"),
    ("ati", "an"),
    ("an", "ati"),
)
VARIANT_MIN_LENGTH = 9  # long index terms also match their one-edit variants (source typos like "Posteljina")


QUERY_CACHE_SIZE = 4096  # questions whose query terms are kept (oldest dropped first)


@dataclass(frozen=True)
class QueryTerm:
    """A weighted index term derived from a question word, and how it was derived."""

    term: str
    weight: float
    source: str  # lemma | surface | colloquial | glossary | typo | synonym | variant | derived
    word: str
    base: str = ""  # for "derived": the term it stands in for (a passage with both counts once)


@dataclass
class Vocabulary:
    """What the index knows: its terms, and each folded surface form's lemmas (for diacritic-less input)."""

    terms: set[str] = field(default_factory=set)
    surface: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._surface_keys = sorted(self.surface)
        self._term_keys = sorted(self.terms)

    def fuzzy_terms(self, term: str, max_distance: int) -> list[str]:
        """Index terms within ``max_distance`` edits of ``term`` (excluding itself)."""
        matches = process.extract(term, self._term_keys, scorer=OSA.distance, score_cutoff=max_distance, limit=5)
        return [match for match, _, _ in matches if match != term]

    def fuzzy_surface(self, word: str, max_distance: int) -> list[str]:
        """Lemmas of the corpus word forms within ``max_distance`` edits (OSA) of ``word``, best first."""
        matches = process.extract(word, self._surface_keys, scorer=OSA.distance, score_cutoff=max_distance, limit=3)
        if not matches:
            return []
        best = min(score for _, score, _ in matches)
        lemmas: list[str] = []
        for surface, score, _ in matches:
            if score == best:
                lemmas.extend(lemma for lemma in self.surface[surface] if lemma not in lemmas)
        return lemmas


def derived_partners(term: str) -> list[str]:
    """The adjective/adverb forms of ``term``'s stem (``brezplacen`` → ``brezplacno``), by ending only."""
    return [term[: -len(old)] + new for old, new in DERIVED_ENDINGS if term.endswith(old) and len(term) > len(old) + 3]


class Analyzer:
    """Turns text into index terms and questions into weighted query terms."""

    def __init__(
        self,
        lemmatizer: Lemmatizer,
        lexicons: Lexicons | None = None,
        typo_max_distance: int = 2,
        typo_min_length: int = 5,
    ) -> None:
        self.lemmatizer = lemmatizer
        self.lexicons = lexicons or load_lexicons()
        self.typo_max_distance = typo_max_distance
        self.typo_min_length = typo_min_length
        # bounded: a long-running server sees new questions and model sentences all the time
        self.term_set = lru_cache(maxsize=16384)(self._term_set)
        self._query_cache: dict[tuple[str, int], tuple[Vocabulary, tuple[QueryTerm, ...]]] = {}
        self._query_lock = threading.Lock()

    # --- documents ---------------------------------------------------------------------------------
    def words(self, text: str) -> list[str]:
        """Word tokens of ``text`` (obeliks), punctuation dropped."""
        return [token.text for token in tokenize(text) if token.is_word]

    def lemma_pairs(self, text: str) -> list[tuple[str, str]]:
        """(folded surface form, folded lemma) for every word of ``text``, stopwords included."""
        words = self.words(text)
        lemmas = self.lemmatizer.lemmatize([word.lower() for word in words])  # lemmagen3 is case-sensitive
        return [(fold(word), fold(lemma)) for word, lemma in zip(words, lemmas, strict=True)]

    def document_terms(self, text: str) -> list[str]:
        """Index terms of a passage: folded lemmas without stopwords."""
        return [lemma for _, lemma in self.lemma_pairs(text) if not self.is_stopword(lemma)]

    def _term_set(self, text: str) -> frozenset[str]:
        """The index terms of ``text`` as a set (cached per text in :attr:`term_set`)."""
        return frozenset(self.document_terms(text))

    def similar(self, a: str, b: str, threshold: float = 0.7) -> bool:
        """Do two texts use nearly the same content words (Jaccard of their terms ≥ ``threshold``)?"""
        mine, theirs = self.term_set(a), self.term_set(b)
        union = mine | theirs
        return bool(union) and len(mine & theirs) / len(union) >= threshold

    @cached_property
    def fingerprint(self) -> str:
        """What shapes document terms: the lemmatizer and the stopword list (recorded in the index manifest, so
        an index built with other stopwords is reported stale instead of silently missing or adding terms)."""
        digest = hashlib.sha256("\n".join(sorted(self.lexicons.stopwords)).encode("utf-8")).hexdigest()[:16]
        return f"{self.lemmatizer.name}+stopwords:{digest}"

    def is_stopword(self, term: str) -> bool:
        """True for function words (compared folded)."""
        return term in self.lexicons.stopwords

    # --- questions ---------------------------------------------------------------------------------
    def query_terms(self, question: str, vocabulary: Vocabulary) -> list[QueryTerm]:
        """Weighted query terms; one term keeps the highest weight any derivation gave it. Cached per question and
        vocabulary (answering asks for the same question's terms several times)."""
        key = (question, id(vocabulary))
        cached = self._query_cache.get(key)
        if cached is not None and cached[0] is vocabulary:
            return list(cached[1])
        found = self._query_terms(question, vocabulary)
        with self._query_lock:
            if len(self._query_cache) >= QUERY_CACHE_SIZE:
                self._query_cache.pop(next(iter(self._query_cache)))
            self._query_cache[key] = (vocabulary, tuple(found))
        return found

    def _query_terms(self, question: str, vocabulary: Vocabulary) -> list[QueryTerm]:
        terms: dict[str, QueryTerm] = {}

        def add(term: str, weight: float, source: str, word: str, base: str = "") -> None:
            if not term or self.is_stopword(term):
                return
            current = terms.get(term)
            if current is None or current.weight < weight:
                terms[term] = QueryTerm(term, weight, source, word, base)

        def add_derived(term: str, weight: float, word: str) -> None:
            for partner in derived_partners(term):
                if partner in vocabulary.terms:
                    add(partner, weight * WEIGHT_DERIVED, "derived", word, base=term)

        for word in self._expand_colloquial(self.words(question)):
            resolved = self._resolve(word, vocabulary)
            for term, weight, source in resolved:
                add(term, weight, source, word)
                if len(term) >= VARIANT_MIN_LENGTH and term in vocabulary.terms:
                    for variant in vocabulary.fuzzy_terms(term, 1):
                        add(variant, weight * WEIGHT_VARIANT, "variant", word)
                add_derived(term, weight, word)
            for key in {fold(word), *(term for term, _, _ in resolved)}:
                synonym = self.lexicons.synonyms.get(key)
                if synonym:
                    for term in self.document_terms(synonym):
                        add(term, WEIGHT_SYNONYM, "synonym", word)
                        add_derived(term, WEIGHT_SYNONYM, word)
        return list(terms.values())

    def _expand_colloquial(self, words: Iterable[str]) -> list[str]:
        expanded: list[str] = []
        for word in words:
            standard = self.lexicons.colloquial.get(fold(word))
            expanded.extend(standard.split() if standard else [word])
        return expanded

    def _resolve(self, word: str, vocabulary: Vocabulary) -> list[tuple[str, float, str]]:
        folded = fold(word)
        if folded in self.lexicons.stopwords:
            return []
        if folded in vocabulary.surface:
            return [(lemma, WEIGHT_EXACT, "surface") for lemma in vocabulary.surface[folded]]
        lemma = fold(self.lemmatizer.lemmatize([word.lower()])[0])
        if self.is_stopword(lemma):
            return []
        if (
            lemma in vocabulary.terms
            or folded.isdigit()
            or lemma in self.lexicons.synonyms
            or folded in self.lexicons.synonyms
        ):
            return [(lemma, WEIGHT_EXACT, "lemma")]
        if folded + "i" in vocabulary.surface:  # colloquial short infinitive: "delat", "štet"
            return [(term, WEIGHT_EXACT, "colloquial") for term in vocabulary.surface[folded + "i"]]
        glossary = self.lexicons.glossary_lookup(folded)
        if glossary:
            return [(term, WEIGHT_GLOSSARY, "glossary") for term in self.document_terms(glossary)]
        # Typo tolerance, but not for forms the lemmatizer recognised as verb forms ("naredila" → "narediti"):
        # those are real words the corpus happens not to use, and "correcting" them invents matches.
        recognised_verb = lemma != folded and lemma.endswith(("ti", "ci"))
        if len(folded) >= self.typo_min_length and self.typo_max_distance > 0 and not recognised_verb:
            distance = 1 if len(folded) < 10 else self.typo_max_distance
            lemmas = vocabulary.fuzzy_surface(folded, distance)
            if not lemmas and len(lemma) >= self.typo_min_length:
                lemmas = vocabulary.fuzzy_terms(lemma, distance)[:2]
            if lemmas:
                return [(candidate, WEIGHT_TYPO, "typo") for candidate in lemmas]
        return [(lemma, WEIGHT_EXACT, "lemma")]
