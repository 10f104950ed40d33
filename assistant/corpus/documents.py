"""The corpus manifest: which documents exist, where they come from, and their normalised text."""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path
from typing import Any

from assistant.text.normalize import normalize_source_text
from assistant.types import Chunk, Document

MANIFEST_NAME = "manifest.toml"
_REQUIRED = ("id", "title", "kind", "file", "source_url", "version_date", "provenance")
_KINDS = ("handbook", "statute", "page")


class CorpusError(Exception):
    """The corpus (manifest or a source file) cannot be read; the message names the file and the problem."""


def read_manifest(corpus_dir: Path) -> list[dict[str, Any]]:
    """Read and validate ``corpus_dir/manifest.toml``."""
    path = corpus_dir / MANIFEST_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CorpusError(f"Manifest korpusa {path} ne obstaja.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"Manifesta korpusa {path} ni mogoče prebrati: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"Manifest korpusa {path} ni veljaven TOML: {exc}") from exc
    entries = data.get("documents")
    if not isinstance(entries, list) or not entries:
        raise CorpusError(f"Manifest {path} ne navaja nobenega dokumenta ([[documents]]).")
    seen: set[str] = set()
    for entry in entries:
        if not isinstance(entry, dict):
            raise CorpusError(f"Manifest {path}: vsak dokument mora biti tabela [[documents]], ne {entry!r}.")
        missing = [key for key in _REQUIRED if not entry.get(key)]
        if missing:
            raise CorpusError(f"Dokument {entry.get('id', '?')} v {path}: manjkajo polja {', '.join(missing)}.")
        if entry["kind"] not in _KINDS:
            raise CorpusError(
                f"Dokument {entry['id']} v {path}: neznana vrsta '{entry['kind']}' (handbook|statute|page)."
            )
        if entry["id"] in seen:
            raise CorpusError(f"Dokument {entry['id']} je v {path} naveden dvakrat.")
        seen.add(entry["id"])
    return list(entries)


def _read_source(corpus_dir: Path, entry: dict[str, Any]) -> str:
    path = corpus_dir / entry["file"]
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CorpusError(f"Datoteka korpusa {path} (dokument {entry['id']}) ne obstaja.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(f"Datoteke korpusa {path} (dokument {entry['id']}) ni mogoče prebrati: {exc}") from exc
    if entry["kind"] == "statute":
        return _render_statute(path, raw)
    return str(raw)


def _render_statute(path: Path, raw: str) -> str:
    """Render a statute JSON file (``{"short", "articles": [{"article", "title", "text"}]}``) as plain text."""
    try:
        data = json.loads(raw)
        parts = []
        for article in data["articles"]:
            number, text = str(article["article"]), article["text"]
            if not isinstance(text, str) or not number:
                raise TypeError(f"člen {number or '?'} nima besedila")
            cited = number if number[-1].isalpha() else f"{number}."
            parts.append(f"{cited} člen {article.get('title') or ''}".rstrip())
            parts.append(text.strip())
            parts.append("")
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise CorpusError(f"Datoteka zakona {path} nima pričakovane oblike (articles[].article/text): {exc}") from exc
    return "\n".join(parts)


def load_documents(corpus_dir: Path) -> list[Document]:
    """Load every document of the manifest with its normalised text."""
    documents = []
    for entry in read_manifest(corpus_dir):
        text = normalize_source_text(_read_source(corpus_dir, entry))
        documents.append(
            Document(
                id=entry["id"],
                title=entry["title"],
                short_title=entry.get("short_title", entry["title"]),
                kind=entry["kind"],
                file=entry["file"],
                source_url=entry["source_url"],
                version_date=str(entry["version_date"]),
                provenance=entry["provenance"],
                text=text,
            )
        )
    return documents


def corpus_hash(corpus_dir: Path) -> str:
    """SHA-256 over the manifest, every file it lists and the enrichment files: changes whenever the corpus changes."""
    digest = hashlib.sha256()
    manifest = corpus_dir / MANIFEST_NAME
    digest.update(manifest.read_bytes())
    for entry in read_manifest(corpus_dir):
        path = corpus_dir / entry["file"]
        try:
            digest.update(entry["file"].encode() + b"\0" + path.read_bytes())
        except OSError as exc:
            raise CorpusError(f"Datoteke korpusa {path} ni mogoče prebrati: {exc}") from exc
    from assistant.corpus.enrichment import enrichment_files

    for path in enrichment_files(corpus_dir):  # translations and question expansions are indexed too
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def load_corpus(corpus_dir: Path) -> tuple[list[Document], list[Chunk]]:
    """Documents and their chunks, in corpus order."""
    from assistant.corpus.chunking import chunk_documents

    documents = load_documents(corpus_dir)
    return documents, chunk_documents(documents)
