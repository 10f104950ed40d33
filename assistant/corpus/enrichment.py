"""The enrichment layer: per chunk, an English and a Croatian translation, easy-read lines (sl/en/hr) and the
questions the paragraph answers, stored beside the corpus as ``corpus/enrichment/<document>.<language>.json``.

Each entry is keyed by chunk id and carries the SHA-256 (first 16 hex digits) of the chunk text it was written
from; an entry whose source changed is *stale*: it is reported by ``assistant corpus check`` and never shown.
Without an entry a chunk keeps its plain behaviour (Slovenian text only).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from assistant.types import Chunk, Language

EnrichmentLanguage = Literal["sl", "en", "hr"]
ENRICHMENT_LANGUAGES: tuple[EnrichmentLanguage, ...] = ("sl", "en", "hr")
ENRICHMENT_DIR = "enrichment"


def enrichment_language(language: Language) -> EnrichmentLanguage:
    """The enrichment language a reader of ``language`` gets (BCS readers get the Croatian text)."""
    return "hr" if language == "bcs" else language


def source_hash(text: str) -> str:
    """The hash an entry is keyed by."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Entry:
    """One chunk's enrichment in one language (``heading`` and ``text`` are empty for Slovenian)."""

    chunk_id: str
    language: EnrichmentLanguage
    source_sha256: str
    easy: str
    questions: tuple[str, ...]
    heading: str = ""
    text: str = ""


@dataclass
class Enrichment:
    """Every entry, by (chunk id, language); stale entries are kept apart and never returned by :meth:`get`."""

    entries: dict[tuple[str, EnrichmentLanguage], Entry] = field(default_factory=dict)
    stale: list[Entry] = field(default_factory=list)
    unknown: list[Entry] = field(default_factory=list)  # entries for chunk ids the corpus does not have

    def get(self, chunk_id: str, language: EnrichmentLanguage) -> Entry | None:
        """The current entry, or None (missing or stale)."""
        return self.entries.get((chunk_id, language))

    def questions(self, chunk_id: str) -> list[str]:
        """Every question expansion of the chunk, in all languages."""
        return [q for lang in ENRICHMENT_LANGUAGES if (e := self.get(chunk_id, lang)) for q in e.questions]


def enrichment_files(corpus_dir: Path) -> list[Path]:
    """The enrichment files, sorted (part of the corpus hash)."""
    folder = corpus_dir / ENRICHMENT_DIR
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def _entry(chunk_id: str, language: EnrichmentLanguage, data: dict[str, object]) -> Entry:
    questions = data.get("questions", [])
    return Entry(
        chunk_id,
        language,
        str(data.get("source_sha256", "")),
        str(data.get("easy", "")),
        tuple(str(q) for q in questions) if isinstance(questions, list) else (),
        str(data.get("heading", "")),
        str(data.get("text", "")),
    )


def load_enrichment(corpus_dir: Path, chunks: list[Chunk]) -> Enrichment:
    """Read every enrichment file and sort entries into current, stale and unknown."""
    by_id = {chunk.id: chunk for chunk in chunks}
    hashes = {chunk.id: source_hash(chunk.text) for chunk in chunks}
    result = Enrichment()
    for path in enrichment_files(corpus_dir):
        data = json.loads(path.read_text(encoding="utf-8"))
        language = data.get("language")
        if language not in ENRICHMENT_LANGUAGES:
            continue
        for chunk_id, raw in data.get("chunks", {}).items():
            entry = _entry(chunk_id, language, raw)
            if chunk_id not in by_id:
                result.unknown.append(entry)
            elif entry.source_sha256 != hashes[chunk_id]:
                result.stale.append(entry)
            else:
                result.entries[(chunk_id, language)] = entry
    return result


def write_entries(corpus_dir: Path, document: str, language: EnrichmentLanguage, entries: list[Entry]) -> Path:
    """Merge ``entries`` into ``<document>.<language>.json`` (other chunks' entries are kept)."""
    path = corpus_dir / ENRICHMENT_DIR / f"{document}.{language}.json"
    data: dict[str, Any] = (
        json.loads(path.read_text(encoding="utf-8"))
        if path.exists()
        else {"document": document, "language": language, "chunks": {}}
    )
    for entry in entries:
        record: dict[str, object] = {"source_sha256": entry.source_sha256}
        if language != "sl":
            record.update(heading=entry.heading, text=entry.text)
        record.update(easy=entry.easy, questions=list(entry.questions))
        data["chunks"][entry.chunk_id] = record
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
