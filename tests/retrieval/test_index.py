"""Index build/load with FakeLemmatizer + HashEmbedder, and every way a stale or damaged index is refused."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from assistant.corpus.documents import corpus_hash, load_corpus
from assistant.retrieval.dense import HashEmbedder
from assistant.retrieval.index import (
    FILES,
    IndexNotReady,
    build_index,
    dense_text,
    lexical_text,
    load_index,
    read_manifest,
    verify_index,
)
from assistant.retrieval.lexical import LexicalIndex
from assistant.types import Chunk

FIX = "assistant index build"
LEMMATIZER = "fake-lemmatizer"
EMBEDDER = HashEmbedder().id


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load(corpus_dir: Path, index_dir: Path, lemmatizer: str = LEMMATIZER, embedder: str = EMBEDDER):
    return load_index(index_dir, corpus_dir, lemmatizer, embedder)


def refused(corpus_dir: Path, index_dir: Path, *, lemmatizer: str = LEMMATIZER, embedder: str = EMBEDDER) -> str:
    """The IndexNotReady message of loading this index (fails the test if it loads)."""
    with pytest.raises(IndexNotReady) as info:
        load(corpus_dir, index_dir, lemmatizer, embedder)
    message = str(info.value)
    assert FIX in message
    return message


def rewrite_manifest(index_dir: Path, **changes: Any) -> None:
    path = index_dir / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(changes)
    path.write_text(json.dumps(manifest), encoding="utf-8")


def refresh_checksums(index_dir: Path) -> None:
    """Make the manifest agree with tampered files, to reach the checks behind the checksum."""
    rewrite_manifest(index_dir, files={name: sha256(index_dir / name) for name in FILES})


# --- build --------------------------------------------------------------------------------------------------
def test_build_writes_all_files(built_index: dict[str, Any]) -> None:
    index_dir = built_index["index_dir"]
    assert sorted(p.name for p in index_dir.iterdir()) == [
        "chunks.jsonl",
        "dense.faiss",
        "foreign.json",
        "lexical.json",
        "manifest.json",
        "questions.json",
    ]


def test_manifest_records_corpus_models_and_checksums(built_index: dict[str, Any]) -> None:
    corpus_dir, index_dir = built_index["corpus_dir"], built_index["index_dir"]
    manifest = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest == built_index["manifest"]
    assert manifest["format_version"] == 2
    assert manifest["corpus_hash"] == corpus_hash(corpus_dir)
    assert manifest["lemmatizer"] == LEMMATIZER
    assert manifest["embedder"] == "hash-trigram:256"
    assert manifest["dimension"] == 256
    assert manifest["chunk_count"] == len(load_corpus(corpus_dir)[1])
    built_at = datetime.fromisoformat(manifest["built_at"])
    assert built_at.tzinfo is not None
    assert manifest["build_seconds"] >= 0
    assert manifest["files"] == {name: sha256(index_dir / name) for name in FILES}


def test_chunks_file_holds_the_corpus_chunks(built_index: dict[str, Any]) -> None:
    _, chunks = load_corpus(built_index["corpus_dir"])
    lines = (built_index["index_dir"] / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
    assert [Chunk.from_dict(json.loads(line)) for line in lines] == chunks
    raw = "".join(lines)
    assert "č" in raw and "\\u" not in raw  # written as UTF-8, not \u escapes


def test_lexical_index_covers_every_chunk(built_index: dict[str, Any], fake_analyzer) -> None:
    _, chunks = load_corpus(built_index["corpus_dir"])
    data = json.loads((built_index["index_dir"] / "lexical.json").read_text(encoding="utf-8"))
    lexical = LexicalIndex.from_json(data)
    assert lexical.n_docs == len(chunks)
    # the "Obiski" chunks contain the term of their own heading (headings are indexed with the text)
    obiski = [i for i, c in enumerate(chunks) if c.section == "Obiski"]
    assert set(obiski) <= set(lexical.postings["obisk"])
    # surface forms are folded and map to folded lemmas
    assert lexical.surface["obiski"] == ["obisk"]
    assert all(key == key.lower() for key in lexical.surface)
    assert LexicalIndex.from_json(json.loads(json.dumps(lexical.to_json()))).postings == lexical.postings


def test_lexical_and_dense_texts_include_headings(real_corpus) -> None:
    chunk = next(c for c in real_corpus[1] if c.section == "Naslov in kontakt:" and c.paragraph == 2)
    headings = "Naslov in kontakt: Predpisi, ki urejajo izvrševanje kazenskih sankcij"
    assert lexical_text(chunk) == f"{headings}. {headings}. {chunk.text}"  # headings weigh double
    assert dense_text(chunk) == f"Naslov in kontakt:: {chunk.text}"
    statute = next(c for c in real_corpus[1] if c.id == "kz1:88:2")
    assert "(Pogojni odpust)" in lexical_text(statute)


def test_load_index(fake_store, built_index: dict[str, Any]) -> None:
    _, chunks = load_corpus(built_index["corpus_dir"])
    assert fake_store.chunks == chunks
    assert fake_store.dense.ntotal == len(chunks)
    assert fake_store.dense.d == 256
    assert fake_store.by_id["kz1:88:2"] == next(i for i, c in enumerate(chunks) if c.id == "kz1:88:2")
    assert fake_store.manifest["lemmatizer"] == LEMMATIZER


def test_index_can_be_moved_with_its_corpus(index_copy: tuple[Path, Path]) -> None:
    corpus_dir, index_dir = index_copy
    assert load(corpus_dir, index_dir).manifest["chunk_count"] > 200


TINY_MANIFEST = """[[documents]]
id = "mini"
title = "Mini priročnik"
kind = "handbook"
file = "mini.md"
source_url = "https://example.org"
version_date = "2024-01-01"
provenance = "test"
"""
TINY_HANDBOOK = """# Mini priročnik

## Obiski

Obiski trajajo eno uro. Obiskovalci se prijavijo pri vratarju.

## Paketi

Obsojenka lahko prejme paket enkrat na mesec.
"""


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """A two-section corpus: rebuilding it takes milliseconds, not the real corpus' second and a half."""
    corpus_dir = tmp_path / "tiny"
    corpus_dir.mkdir()
    (corpus_dir / "manifest.toml").write_text(TINY_MANIFEST, encoding="utf-8")
    (corpus_dir / "mini.md").write_text(TINY_HANDBOOK, encoding="utf-8")
    return corpus_dir


def test_build_is_deterministic(tiny_corpus: Path, tmp_path: Path, fake_analyzer, hash_embedder) -> None:
    first = build_index(tiny_corpus, tmp_path / "one", fake_analyzer, hash_embedder)
    second = build_index(tiny_corpus, tmp_path / "two", fake_analyzer, hash_embedder)
    assert first["files"] == second["files"]
    assert first["chunk_count"] == 2
    assert load(tiny_corpus, tmp_path / "two").chunks[0].id == "mini:obiski:1"


def test_rebuild_after_a_corpus_change_makes_the_index_valid_again(
    tiny_corpus: Path, tmp_path: Path, fake_analyzer, hash_embedder
) -> None:
    index_dir = tmp_path / "index"
    build_index(tiny_corpus, index_dir, fake_analyzer, hash_embedder)
    (tiny_corpus / "mini.md").write_text(TINY_HANDBOOK + "\nNov odstavek o paketih.\n", encoding="utf-8")
    refused(tiny_corpus, index_dir)
    build_index(tiny_corpus, index_dir, fake_analyzer, hash_embedder)
    assert load(tiny_corpus, index_dir).chunks[-1].text == "Nov odstavek o paketih."


# --- refusals -----------------------------------------------------------------------------------------------
def test_empty_index_dir(tmp_path: Path, corpus_copy: Path) -> None:
    (tmp_path / "empty").mkdir()
    message = refused(corpus_copy, tmp_path / "empty")
    assert "manifest.json" in message


def test_index_dir_that_does_not_exist(tmp_path: Path, corpus_copy: Path) -> None:
    refused(corpus_copy, tmp_path / "nowhere")


def test_corpus_file_changed_after_the_build(index_copy: tuple[Path, Path]) -> None:
    corpus_dir, index_dir = index_copy
    handbook = corpus_dir / "prirocnik-zpkz-ig.md"
    handbook.write_text(handbook.read_text(encoding="utf-8") + "\nNov odstavek.\n", encoding="utf-8")
    assert "korpus se je spremenil" in refused(corpus_dir, index_dir)


def test_statute_changed_after_the_build(index_copy: tuple[Path, Path]) -> None:
    corpus_dir, index_dir = index_copy
    statute = corpus_dir / "kz1.json"
    data = json.loads(statute.read_text(encoding="utf-8"))
    data["articles"][0]["text"] += " Sprememba."
    statute.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refused(corpus_dir, index_dir)


def test_different_lemmatizer(index_copy: tuple[Path, Path]) -> None:
    message = refused(*index_copy, lemmatizer="lemmagen3-sl")
    assert "fake-lemmatizer" in message and "lemmagen3-sl" in message


def test_different_embedder(index_copy: tuple[Path, Path]) -> None:
    message = refused(*index_copy, embedder=HashEmbedder(dim=128).id)
    assert "hash-trigram:256" in message and "hash-trigram:128" in message


def test_corrupted_dense_index(index_copy: tuple[Path, Path]) -> None:
    corpus_dir, index_dir = index_copy
    path = index_dir / "dense.faiss"
    data = bytearray(path.read_bytes())
    data[100:140] = b"\xff" * 40  # overwrite bytes in the middle
    path.write_bytes(bytes(data))
    assert "dense.faiss" in refused(corpus_dir, index_dir)


def test_garbage_dense_index_behind_a_matching_checksum(index_copy: tuple[Path, Path]) -> None:
    corpus_dir, index_dir = index_copy
    (index_dir / "dense.faiss").write_bytes(b"garbage" * 20)
    refresh_checksums(index_dir)
    refused(corpus_dir, index_dir)  # faiss cannot read it: still IndexNotReady, not a RuntimeError


def test_missing_lexical_index(index_copy: tuple[Path, Path]) -> None:
    corpus_dir, index_dir = index_copy
    (index_dir / "lexical.json").unlink()
    assert "lexical.json" in refused(corpus_dir, index_dir)


def test_missing_chunks_file(index_copy: tuple[Path, Path]) -> None:
    corpus_dir, index_dir = index_copy
    (index_dir / "chunks.jsonl").unlink()
    assert "chunks.jsonl" in refused(corpus_dir, index_dir)


@pytest.mark.parametrize("keep", [0, 1, 40])
def test_truncated_manifest(index_copy: tuple[Path, Path], keep: int) -> None:
    corpus_dir, index_dir = index_copy
    path = index_dir / "manifest.json"
    path.write_bytes(path.read_bytes()[:keep])
    refused(corpus_dir, index_dir)


@pytest.mark.parametrize("content", ["[]", "null", '"text"', "{}", '{"format_version": 99}'])
def test_manifest_of_the_wrong_shape(index_copy: tuple[Path, Path], content: str) -> None:
    corpus_dir, index_dir = index_copy
    (index_dir / "manifest.json").write_text(content, encoding="utf-8")
    refused(corpus_dir, index_dir)


def test_manifest_not_utf8(index_copy: tuple[Path, Path]) -> None:
    corpus_dir, index_dir = index_copy
    (index_dir / "manifest.json").write_bytes(b"\xff\xfe{}")
    refused(corpus_dir, index_dir)


def test_manifest_is_a_directory(index_copy: tuple[Path, Path]) -> None:
    corpus_dir, index_dir = index_copy
    (index_dir / "manifest.json").unlink()
    (index_dir / "manifest.json").mkdir()
    refused(corpus_dir, index_dir)


def test_tampered_lexical_index_is_detected_by_its_checksum(index_copy: tuple[Path, Path]) -> None:
    corpus_dir, index_dir = index_copy
    path = index_dir / "lexical.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"k1": 1.2', '"k1": 2.0'), encoding="utf-8")
    assert "lexical.json" in refused(corpus_dir, index_dir)


def test_unreadable_chunks_behind_a_matching_checksum(index_copy: tuple[Path, Path]) -> None:
    corpus_dir, index_dir = index_copy
    (index_dir / "chunks.jsonl").write_text('{"id": "x"}\n', encoding="utf-8")
    refresh_checksums(index_dir)
    refused(corpus_dir, index_dir)


def test_chunk_count_mismatch_behind_a_matching_checksum(index_copy: tuple[Path, Path]) -> None:
    corpus_dir, index_dir = index_copy
    path = index_dir / "chunks.jsonl"
    path.write_text("".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:-1]), encoding="utf-8")
    refresh_checksums(index_dir)
    assert "ni skladen" in refused(corpus_dir, index_dir)


def test_all_problems_are_listed(index_copy: tuple[Path, Path]) -> None:
    corpus_dir, index_dir = index_copy
    (index_dir / "lexical.json").unlink()
    message = refused(corpus_dir, index_dir, lemmatizer="classla-sl", embedder="st:other:0")
    assert "classla-sl" in message and "st:other:0" in message and "lexical.json" in message


def test_other_stopwords_make_the_index_stale(index_copy: tuple[Path, Path], fake_analyzer) -> None:
    from dataclasses import replace

    from assistant.text.analyze import Analyzer

    corpus_dir, index_dir = index_copy
    fingerprint = read_manifest(index_dir)["analyzer"]
    assert fingerprint == fake_analyzer.fingerprint
    assert verify_index(index_dir, corpus_dir, LEMMATIZER, EMBEDDER, fingerprint)
    fewer = replace(fake_analyzer.lexicons, stopwords=fake_analyzer.lexicons.stopwords - {"tudi"})
    changed = Analyzer(fake_analyzer.lemmatizer, fewer).fingerprint
    assert changed != fingerprint
    with pytest.raises(IndexNotReady) as info:
        verify_index(index_dir, corpus_dir, LEMMATIZER, EMBEDDER, changed)
    assert "stopwords" in str(info.value) and FIX in str(info.value)


def test_verify_without_loading(index_copy: tuple[Path, Path]) -> None:
    corpus_dir, index_dir = index_copy
    assert verify_index(index_dir, corpus_dir, LEMMATIZER, EMBEDDER) == read_manifest(index_dir)


def test_broken_corpus_at_load_time_is_a_corpus_error(index_copy: tuple[Path, Path]) -> None:
    from assistant.corpus.documents import CorpusError

    corpus_dir, index_dir = index_copy
    (corpus_dir / "uiks-o-upravi.md").unlink()
    with pytest.raises(CorpusError):
        load(corpus_dir, index_dir)


def test_a_failed_rebuild_never_leaves_a_valid_looking_index(
    tiny_corpus: Path, tmp_path: Path, fake_analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import faiss

    index_dir = tmp_path / "index"
    build_index(tiny_corpus, index_dir, fake_analyzer, HashEmbedder())
    load(tiny_corpus, index_dir)

    def broken_write(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(faiss, "write_index", broken_write)
    with pytest.raises(OSError):
        build_index(tiny_corpus, index_dir, fake_analyzer, HashEmbedder())
    refused(tiny_corpus, index_dir)
