"""The reviewed data files of lexical retrieval: stopwords, colloquial forms, synonyms, EN/BCS glossaries."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from assistant.text.normalize import fold


@dataclass(frozen=True)
class Lexicons:
    """All word lists, keys folded (lowercase, no diacritics)."""

    stopwords: frozenset[str]
    colloquial: dict[str, str]
    synonyms: dict[str, str]
    glossary: dict[str, str]  # English and BCS stems → Slovenian text

    def glossary_lookup(self, word: str) -> str | None:
        """Slovenian text for a foreign word: exact key, else the longest key (4+ letters) it starts with."""
        folded = fold(word)
        if folded in self.glossary:
            return self.glossary[folded]
        for length in range(len(folded) - 1, 3, -1):
            hit = self.glossary.get(folded[:length])
            if hit is not None:
                return hit
        return None


def _table(name: str, key: str) -> dict[str, str]:
    text = resources.files("assistant.text").joinpath("lexicons", name).read_text(encoding="utf-8")
    return {fold(k): v for k, v in tomllib.loads(text)[key].items()}


@lru_cache(maxsize=1)
def load_lexicons() -> Lexicons:
    """Load the packaged lexicons once."""
    stop_text = resources.files("assistant.text").joinpath("lexicons", "stopwords_sl.txt").read_text("utf-8")
    stopwords = frozenset(
        fold(line.strip()) for line in stop_text.splitlines() if line.strip() and not line.startswith("#")
    )
    glossary = {**_table("glossary_bcs.toml", "terms"), **_table("glossary_en.toml", "terms")}
    return Lexicons(
        stopwords=stopwords,
        colloquial=_table("colloquial_sl.toml", "forms"),
        synonyms=_table("synonyms_sl.toml", "synonyms"),
        glossary=glossary,
    )
