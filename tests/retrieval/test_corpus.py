"""The corpus manifest: validation errors name the file, adding a document, the content hash."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.corpus.documents import CorpusError, corpus_hash, load_corpus, load_documents, read_manifest

ENTRY = {
    "id": "nov-dok",
    "title": "Nov testni priročnik",
    "short_title": "Testni priročnik",
    "kind": "handbook",
    "file": "nov.md",
    "source_url": "https://example.org/nov",
    "version_date": "2024-03-01",
    "provenance": "napisano za test",
}


def toml_entry(entry: dict[str, str]) -> str:
    lines = ["", "[[documents]]"] + [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in entry.items()]
    return "\n".join(lines) + "\n"


def write_manifest(corpus_dir: Path, *entries: dict[str, str]) -> Path:
    path = corpus_dir / "manifest.toml"
    path.write_text("".join(toml_entry(e) for e in entries), encoding="utf-8")
    return path


def add_entry(corpus_dir: Path, entry: dict[str, str]) -> Path:
    path = corpus_dir / "manifest.toml"
    with path.open("a", encoding="utf-8") as out:
        out.write(toml_entry(entry))
    return path


# --- the real manifest --------------------------------------------------------------------------------------
def test_real_manifest_is_valid(corpus_copy: Path) -> None:
    entries = read_manifest(corpus_copy)
    assert [e["id"] for e in entries] == ["prirocnik-zpkz-ig", "uiks-o-upravi", "kz1"]
    documents = load_documents(corpus_copy)
    assert [d.kind for d in documents] == ["handbook", "page", "statute"]
    assert documents[0].short_title == "Priročnik ZPKZ Ig"
    assert documents[0].version_date == "2022-05-01"
    assert all(d.text for d in documents)


# --- manifest validation ----------------------------------------------------------------------------------
@pytest.mark.parametrize("field", ["id", "title", "kind", "file", "source_url", "version_date", "provenance"])
def test_missing_field(tmp_path: Path, field: str) -> None:
    (tmp_path / "nov.md").write_text("# A\n\nB.\n", encoding="utf-8")
    manifest = write_manifest(tmp_path, {k: v for k, v in ENTRY.items() if k != field})
    with pytest.raises(CorpusError) as info:
        read_manifest(tmp_path)
    assert str(manifest) in str(info.value)
    assert field in str(info.value)


def test_empty_field_counts_as_missing(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path, {**ENTRY, "provenance": ""})
    with pytest.raises(CorpusError, match="provenance") as info:
        read_manifest(tmp_path)
    assert str(manifest) in str(info.value)


def test_unknown_kind(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path, {**ENTRY, "kind": "pdf"})
    with pytest.raises(CorpusError, match="'pdf'") as info:
        read_manifest(tmp_path)
    assert str(manifest) in str(info.value)


def test_duplicate_id(corpus_copy: Path) -> None:
    manifest = add_entry(corpus_copy, {**ENTRY, "id": "kz1"})
    with pytest.raises(CorpusError, match="kz1") as info:
        read_manifest(corpus_copy)
    assert str(manifest) in str(info.value)


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(CorpusError) as info:
        read_manifest(tmp_path)
    assert str(tmp_path / "manifest.toml") in str(info.value)


def test_manifest_not_toml(tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").write_text("[[documents]\nid = ", encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        read_manifest(tmp_path)
    assert str(tmp_path / "manifest.toml") in str(info.value)


def test_manifest_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").write_bytes(toml_entry(ENTRY).encode("utf-8") + b"# \xff\xfe\n")
    with pytest.raises(CorpusError) as info:
        read_manifest(tmp_path)
    assert str(tmp_path / "manifest.toml") in str(info.value)


def test_manifest_without_documents(tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").write_text("# nothing here\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=re.escape("[[documents]]")):
        read_manifest(tmp_path)


# --- source files -----------------------------------------------------------------------------------------
def test_missing_source_file(corpus_copy: Path) -> None:
    (corpus_copy / "prirocnik-zpkz-ig.md").unlink()
    with pytest.raises(CorpusError) as info:
        load_corpus(corpus_copy)
    assert str(corpus_copy / "prirocnik-zpkz-ig.md") in str(info.value)
    assert "prirocnik-zpkz-ig" in str(info.value)


def test_missing_source_file_in_corpus_hash(corpus_copy: Path) -> None:
    (corpus_copy / "uiks-o-upravi.md").unlink()
    with pytest.raises(CorpusError) as info:
        corpus_hash(corpus_copy)
    assert str(corpus_copy / "uiks-o-upravi.md") in str(info.value)


def test_source_file_not_utf8(corpus_copy: Path) -> None:
    path = corpus_copy / "prirocnik-zpkz-ig.md"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1250", errors="replace"))  # č/š/ž in a legacy code page
    with pytest.raises(CorpusError) as info:
        load_corpus(corpus_copy)
    assert str(path) in str(info.value)


def test_source_file_is_a_directory(corpus_copy: Path) -> None:
    path = corpus_copy / "uiks-o-upravi.md"
    path.unlink()
    path.mkdir()
    with pytest.raises(CorpusError) as info:
        load_corpus(corpus_copy)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps({"short": "KZ-1"}),  # no articles
        json.dumps({"articles": [{"title": "(X)", "text": "(1) Besedilo."}]}),  # no article number
        json.dumps({"articles": [{"article": "1", "title": "(X)"}]}),  # no text
        json.dumps({"articles": "niz"}),
        json.dumps(["seznam"]),
    ],
)
def test_invalid_statute_json(corpus_copy: Path, content: str) -> None:
    path = corpus_copy / "kz1.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        load_corpus(corpus_copy)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("text", [None, 5])
def test_statute_text_of_wrong_type(corpus_copy: Path, text: object) -> None:
    path = corpus_copy / "kz1.json"
    path.write_text(json.dumps({"articles": [{"article": "1", "text": text}]}), encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        load_corpus(corpus_copy)
    assert str(path) in str(info.value)


def test_documents_entries_must_be_tables(tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").write_text('documents = ["nov.md"]\n', encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        read_manifest(tmp_path)
    assert str(tmp_path / "manifest.toml") in str(info.value)


# --- adding a document --------------------------------------------------------------------------------------
NEW_HANDBOOK = """# Testni priročnik

## Knjižnica

Obsojenke si lahko vsak torek izposodijo knjige v zavodski knjižnici.

Izposoja traja največ tri tedne.

## Šport

Telovadnica je odprta vsak dan od 16. do 18. ure.
"""


def test_adding_a_document_is_a_file_and_a_manifest_entry(corpus_copy: Path) -> None:
    _, before = load_corpus(corpus_copy)
    (corpus_copy / "nov.md").write_text(NEW_HANDBOOK, encoding="utf-8")
    add_entry(corpus_copy, ENTRY)
    documents, chunks = load_corpus(corpus_copy)
    assert documents[-1].id == "nov-dok"
    new = [c for c in chunks if c.doc_id == "nov-dok"]
    assert [(c.id, c.section, c.label) for c in new] == [
        ("nov-dok:knjiznica:1", "Knjižnica", "Testni priročnik › Knjižnica, odst. 1"),
        ("nov-dok:knjiznica:2", "Knjižnica", "Testni priročnik › Knjižnica, odst. 2"),
        ("nov-dok:sport:1", "Šport", "Testni priročnik › Šport, odst. 1"),
    ]
    assert new[0].heading_path == ("Testni priročnik", "Knjižnica")
    assert new[2].text == "Telovadnica je odprta vsak dan od 16. do 18. ure."
    # the existing chunks are untouched
    assert [c.to_dict() for c in chunks[: len(before)]] == [c.to_dict() for c in before]


def test_short_title_defaults_to_title(corpus_copy: Path) -> None:
    (corpus_copy / "nov.md").write_text(NEW_HANDBOOK, encoding="utf-8")
    add_entry(corpus_copy, {k: v for k, v in ENTRY.items() if k != "short_title"})
    documents, chunks = load_corpus(corpus_copy)
    assert documents[-1].short_title == "Nov testni priročnik"
    assert chunks[-1].label == "Nov testni priročnik › Šport, odst. 1"


# --- corpus hash --------------------------------------------------------------------------------------------
def test_corpus_hash_is_deterministic_and_location_independent(corpus_copy: Path, tmp_path: Path) -> None:
    from shutil import copytree

    other = copytree(corpus_copy, tmp_path / "other")
    assert corpus_hash(corpus_copy) == corpus_hash(corpus_copy) == corpus_hash(other)
    assert re.fullmatch(r"[0-9a-f]{64}", corpus_hash(corpus_copy))


@pytest.mark.parametrize("name", ["prirocnik-zpkz-ig.md", "uiks-o-upravi.md", "kz1.json", "manifest.toml"])
def test_corpus_hash_changes_when_a_file_changes(corpus_copy: Path, name: str) -> None:
    before = corpus_hash(corpus_copy)
    path = corpus_copy / name
    path.write_bytes(path.read_bytes() + b"\n")  # even a whitespace-only change counts
    assert corpus_hash(corpus_copy) != before


def test_corpus_hash_changes_when_a_document_is_added(corpus_copy: Path) -> None:
    before = corpus_hash(corpus_copy)
    (corpus_copy / "nov.md").write_text(NEW_HANDBOOK, encoding="utf-8")
    assert corpus_hash(corpus_copy) == before  # a file not in the manifest is not part of the corpus
    add_entry(corpus_copy, ENTRY)
    assert corpus_hash(corpus_copy) != before
