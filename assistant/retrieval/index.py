"""Build, save, load and verify the indexes (``indexes/``): chunks, BM25 over lemmas, faiss over embeddings.

``manifest.json`` records the corpus content hash, the lemmatizer and stopwords, the embedder id and dimension,
the build time and a checksum of every file. Loading checks all of them against the current corpus and configuration:
any mismatch or damage is an :class:`IndexNotReady` naming the fix, never a silently stale answer.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from assistant.corpus.documents import corpus_hash, load_corpus
from assistant.corpus.enrichment import Enrichment, EnrichmentLanguage, load_enrichment
from assistant.retrieval.dense import Embedder
from assistant.retrieval.lexical import LexicalIndex
from assistant.text.analyze import Analyzer
from assistant.types import Chunk, Matrix

FORMAT_VERSION = 2  # 2: enrichment (questions, translations) indexed
FIX = "Zaženite `assistant index build`."
FILES = ("chunks.jsonl", "lexical.json", "questions.json", "foreign.json", "dense.faiss")
FOREIGN_LANGUAGES: tuple[EnrichmentLanguage, ...] = ("en", "hr")


class IndexNotReady(Exception):
    """The index is missing, damaged or does not match the corpus/configuration."""


@dataclass
class IndexStore:
    """Everything retrieval needs, loaded from ``indexes/``."""

    chunks: list[Chunk]
    lexical: LexicalIndex
    dense: Any  # faiss.Index
    manifest: dict[str, Any]
    foreign: LexicalIndex | None = None  # English and Croatian translations and questions
    questions: LexicalIndex | None = None  # Slovenian question expansions

    def __post_init__(self) -> None:
        self.by_id = {chunk.id: i for i, chunk in enumerate(self.chunks)}


def lexical_text(chunk: Chunk) -> str:
    """What the Slovenian BM25 index holds for a chunk: its headings (section, sub-heading, article title) and its
    text."""
    headings = " ".join(dict.fromkeys((*chunk.heading_path[1:], chunk.section)))
    return f"{headings}. {headings}. {chunk.text}"  # headings count twice: they name the topic


def questions_text(chunk: Chunk, enrichment: Enrichment | None) -> str:
    """What the question-expansion BM25 index holds for a chunk: the Slovenian questions it answers, as people
    ask them (everyday words, colloquial, without diacritics)."""
    entry = enrichment.get(chunk.id, "sl") if enrichment is not None else None
    return " ".join(entry.questions) if entry is not None else ""


def foreign_text(chunk: Chunk, enrichment: Enrichment | None) -> str:
    """What the foreign-language BM25 index holds for a chunk: its English and Croatian translations (headings
    twice) and the English and BCS questions it answers. Searched for English and BCS questions only."""
    parts: list[str] = []
    for language in FOREIGN_LANGUAGES:
        entry = enrichment.get(chunk.id, language) if enrichment is not None else None
        if entry is not None:
            parts.extend([entry.heading, entry.heading, entry.text, *entry.questions])
    return " ".join(part for part in parts if part)


def dense_text(chunk: Chunk, enrichment: Enrichment | None = None) -> str:
    """What the embedder sees for a chunk: the English translation when there is one (the packaged embedder is an
    English model), else the Slovenian text."""
    entry = enrichment.get(chunk.id, "en") if enrichment is not None else None
    if entry is not None and entry.text:
        return f"{entry.heading}: {entry.text}"
    return f"{chunk.section}: {chunk.text}"


def _lexical_index(texts: list[str], analyzer: Analyzer) -> LexicalIndex:
    """BM25 over the lemmas of ``texts`` (stopwords dropped), with the surface forms each lemma came from."""
    surface: dict[str, list[str]] = {}
    documents = []
    for text in texts:
        pairs = analyzer.lemma_pairs(text)
        for word, lemma in pairs:
            lemmas = surface.setdefault(word, [])
            if lemma not in lemmas:
                lemmas.append(lemma)
        documents.append([lemma for _, lemma in pairs if not analyzer.is_stopword(lemma)])
    return LexicalIndex.build(documents, surface)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_index(corpus_dir: Path, index_dir: Path, analyzer: Analyzer, embedder: Embedder) -> dict[str, Any]:
    """Build all indexes from the corpus and write them atomically-enough (manifest last)."""
    import faiss

    started = time.perf_counter()
    _, chunks = load_corpus(corpus_dir)
    enrichment = load_enrichment(corpus_dir, chunks)
    lexical = _lexical_index([lexical_text(chunk) for chunk in chunks], analyzer)
    questions = _lexical_index([questions_text(chunk, enrichment) for chunk in chunks], analyzer)
    foreign = _lexical_index([foreign_text(chunk, enrichment) for chunk in chunks], analyzer)
    vectors = embedder.encode([dense_text(chunk, enrichment) for chunk in chunks])
    dense = faiss.IndexFlatIP(vectors.shape[1])
    dense.add(vectors)

    index_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = index_dir / "manifest.json"
    manifest_path.unlink(missing_ok=True)  # a half-written index never looks valid
    with (index_dir / "chunks.jsonl").open("w", encoding="utf-8") as out:
        for chunk in chunks:
            out.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
    (index_dir / "lexical.json").write_text(json.dumps(lexical.to_json(), ensure_ascii=False), encoding="utf-8")
    (index_dir / "questions.json").write_text(json.dumps(questions.to_json(), ensure_ascii=False), encoding="utf-8")
    (index_dir / "foreign.json").write_text(json.dumps(foreign.to_json(), ensure_ascii=False), encoding="utf-8")
    faiss.write_index(dense, str(index_dir / "dense.faiss"))
    manifest = {
        "format_version": FORMAT_VERSION,
        "corpus_hash": corpus_hash(corpus_dir),
        "lemmatizer": analyzer.lemmatizer.name,
        "analyzer": analyzer.fingerprint,
        "embedder": embedder.id,
        "dimension": int(vectors.shape[1]),
        "chunk_count": len(chunks),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - started, 2),
        "files": {name: _sha256(index_dir / name) for name in FILES},
    }
    manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def read_manifest(index_dir: Path) -> dict[str, Any]:
    """The index manifest, or IndexNotReady."""
    path = index_dir / "manifest.json"
    if not path.is_file():
        raise IndexNotReady(f"Indeksa v {index_dir} ni (manjka manifest.json). {FIX}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IndexNotReady(f"Manifest indeksa {path} je poškodovan ({exc}). {FIX}") from exc
    if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
        raise IndexNotReady(f"Indeks v {index_dir} je v starejši ali neznani obliki. {FIX}")
    return manifest


def verify_index(
    index_dir: Path, corpus_dir: Path, lemmatizer_name: str, embedder_id: str, analyzer_fingerprint: str | None = None
) -> dict[str, Any]:
    """Check the manifest against the corpus, the configured models, the analyzer (when its fingerprint is given)
    and the files; return it if all match."""
    manifest = read_manifest(index_dir)
    problems = []
    if manifest.get("corpus_hash") != corpus_hash(corpus_dir):
        problems.append("korpus se je spremenil po gradnji indeksa")
    if manifest.get("lemmatizer") != lemmatizer_name:
        problems.append(
            f"indeks je zgrajen z lematizatorjem {manifest.get('lemmatizer')}, nastavljen je {lemmatizer_name}"
        )
    elif analyzer_fingerprint is not None and manifest.get("analyzer") != analyzer_fingerprint:
        problems.append("seznam neuporabnih besed (stopwords) se je spremenil po gradnji indeksa")
    if manifest.get("embedder") != embedder_id:
        problems.append(f"indeks je zgrajen z modelom {manifest.get('embedder')}, nastavljen je {embedder_id}")
    for name in FILES:
        path = index_dir / name
        if not path.is_file():
            problems.append(f"manjka datoteka {name}")
        elif _sha256(path) != manifest.get("files", {}).get(name):
            problems.append(f"datoteka {name} je poškodovana ali spremenjena")
    if problems:
        raise IndexNotReady(f"Indeks v {index_dir} ni uporaben: {'; '.join(problems)}. {FIX}")
    return manifest


def load_index(
    index_dir: Path, corpus_dir: Path, lemmatizer_name: str, embedder_id: str, analyzer_fingerprint: str | None = None
) -> IndexStore:
    """Verify, then load the index files."""
    import faiss

    manifest = verify_index(index_dir, corpus_dir, lemmatizer_name, embedder_id, analyzer_fingerprint)
    try:
        with (index_dir / "chunks.jsonl").open(encoding="utf-8") as lines:
            chunks = [Chunk.from_dict(json.loads(line)) for line in lines if line.strip()]
        lexical = LexicalIndex.from_json(json.loads((index_dir / "lexical.json").read_text(encoding="utf-8")))
        foreign = LexicalIndex.from_json(json.loads((index_dir / "foreign.json").read_text(encoding="utf-8")))
        questions = LexicalIndex.from_json(json.loads((index_dir / "questions.json").read_text(encoding="utf-8")))
        dense = faiss.read_index(str(index_dir / "dense.faiss"))
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, UnicodeDecodeError) as exc:
        raise IndexNotReady(f"Indeksa v {index_dir} ni mogoče prebrati ({exc}). {FIX}") from exc
    if len(chunks) != manifest["chunk_count"] or dense.ntotal != len(chunks) or dense.d != manifest["dimension"]:
        raise IndexNotReady(f"Indeks v {index_dir} ni skladen (število odstavkov ali dimenzija). {FIX}")
    return IndexStore(chunks, lexical, dense, manifest, foreign, questions)


def dense_search(store: IndexStore, vector: Matrix, k: int) -> tuple[Matrix, Matrix]:
    """Top-k (scores, chunk indices) by inner product of normalised vectors."""
    scores, indices = store.dense.search(vector.reshape(1, -1).astype(np.float32), min(k, len(store.chunks)))
    return scores[0], indices[0]
