"""`assistant` CLI exit codes for bad input, run in-process (no model is loaded for any of them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import EXIT_CORPUS, EXIT_INDEX, EXIT_INPUT, main

CORPUS_DIR = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's ASSISTANT_* variables must not change what these tests see."""
    import os

    for name in list(os.environ):
        if name.startswith("ASSISTANT_"):
            monkeypatch.delenv(name)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_sentence(err: str) -> None:
    assert err.startswith("Napaka: ")
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


# --- exit 2: bad input --------------------------------------------------------------------------------------
@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_empty_search_query(capsys: pytest.CaptureFixture[str], tmp_path: Path, query: str) -> None:
    code, out, err = run(capsys, "search", query, "--index-dir", str(tmp_path))
    assert code == EXIT_INPUT == 2
    assert_one_sentence(err)
    assert "Vprašanje je prazno" in err
    assert out == ""


def test_eval_with_a_bad_question_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    questions = tmp_path / "bad.jsonl"
    questions.write_text(
        '{"id": "q1", "question": "x", "style": "formal", "answerable": true}\n{nope\n', encoding="utf-8"
    )
    code, _, err = run(
        capsys,
        "eval",
        "--questions",
        str(questions),
        "--out",
        str(tmp_path / "out"),
        "--index-dir",
        str(tmp_path / "no-index"),
        "--embedder",
        "hash",
    )
    assert code == EXIT_INPUT
    assert_one_sentence(err)
    assert "vrstica 2" in err and str(questions) in err


def test_eval_with_a_missing_question_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(
        capsys,
        "eval",
        "--questions",
        str(tmp_path / "missing.jsonl"),
        "--only",
        "retrieval",
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 2
    assert_one_sentence(err)


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["search"], ["search", "x", "--mode", "fuzzy"], ["nonsense"], []):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
    capsys.readouterr()


# --- exit 3: index missing or stale -------------------------------------------------------------------------
@pytest.mark.parametrize("embedder", [[], ["--embedder", "hash"]])
def test_search_without_an_index(capsys: pytest.CaptureFixture[str], tmp_path: Path, embedder: list[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run(capsys, "search", "obisk", "--index-dir", str(empty), *embedder)
    assert code == EXIT_INDEX == 3
    assert_one_sentence(err)
    assert "assistant index build" in err
    assert out == ""


def test_verify_without_an_index(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "index", "verify", "--index-dir", str(tmp_path), "--embedder", "hash")
    assert code == 3
    assert "assistant index build" in err


def test_verify_an_index_built_with_another_lemmatizer(
    capsys: pytest.CaptureFixture[str], index_copy: tuple[Path, Path]
) -> None:
    corpus_dir, index_dir = index_copy  # built with the fake lemmatizer; the CLI is configured for lemmagen3
    code, _, err = run(
        capsys,
        "index",
        "verify",
        "--corpus-dir",
        str(corpus_dir),
        "--index-dir",
        str(index_dir),
        "--embedder",
        "hash",
    )
    assert code == 3
    assert "fake-lemmatizer" in err and "lemmagen3-sl" in err and "assistant index build" in err


def test_search_after_the_corpus_changed(capsys: pytest.CaptureFixture[str], index_copy: tuple[Path, Path]) -> None:
    corpus_dir, index_dir = index_copy
    page = corpus_dir / "uiks-o-upravi.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nDodan odstavek.\n", encoding="utf-8")
    code, _, err = run(
        capsys,
        "search",
        "obisk",
        "--corpus-dir",
        str(corpus_dir),
        "--index-dir",
        str(index_dir),
        "--embedder",
        "hash",
    )
    assert code == 3
    assert "korpus se je spremenil" in err


# --- exit 4: corpus or configuration unreadable -------------------------------------------------------------
def test_build_with_a_missing_corpus_file(
    capsys: pytest.CaptureFixture[str], corpus_copy: Path, tmp_path: Path
) -> None:
    (corpus_copy / "prirocnik-zpkz-ig.md").unlink()
    index_dir = tmp_path / "index"
    code, out, err = run(
        capsys,
        "index",
        "build",
        "--embedder",
        "hash",
        "--corpus-dir",
        str(corpus_copy),
        "--index-dir",
        str(index_dir),
    )
    assert code == EXIT_CORPUS == 4
    assert_one_sentence(err)
    assert "prirocnik-zpkz-ig.md" in err
    assert not (index_dir / "manifest.json").exists()


def test_build_with_a_corpus_file_that_is_not_utf8(
    capsys: pytest.CaptureFixture[str], corpus_copy: Path, tmp_path: Path
) -> None:
    handbook = corpus_copy / "prirocnik-zpkz-ig.md"
    handbook.write_bytes(handbook.read_bytes().replace("č".encode(), b"\xe8"))  # cp1250 "č"
    code, _, err = run(
        capsys,
        "index",
        "build",
        "--embedder",
        "hash",
        "--corpus-dir",
        str(corpus_copy),
        "--index-dir",
        str(tmp_path / "index"),
    )
    assert code == 4
    assert_one_sentence(err)
    assert str(handbook) in err


def test_build_with_a_broken_manifest(capsys: pytest.CaptureFixture[str], corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "manifest.toml").write_text('[[documents]]\nid = "x"\n', encoding="utf-8")
    code, _, err = run(
        capsys,
        "index",
        "build",
        "--embedder",
        "hash",
        "--corpus-dir",
        str(corpus_copy),
        "--index-dir",
        str(tmp_path / "index"),
    )
    assert code == 4
    assert "manifest.toml" in err


def test_search_with_a_missing_corpus_file(capsys: pytest.CaptureFixture[str], index_copy: tuple[Path, Path]) -> None:
    corpus_dir, index_dir = index_copy
    (corpus_dir / "kz1.json").unlink()
    code, _, err = run(
        capsys,
        "search",
        "obisk",
        "--corpus-dir",
        str(corpus_dir),
        "--index-dir",
        str(index_dir),
        "--embedder",
        "hash",
    )
    assert code == 4
    assert "kz1.json" in err


def test_missing_config_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "search", "obisk", "--config", str(tmp_path / "nope.toml"))
    assert code == 4
    assert_one_sentence(err)


def test_invalid_config_value(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("top_k = 0\n", encoding="utf-8")
    code, _, err = run(capsys, "search", "obisk", "--config", str(config))
    assert code == 4
    assert err.startswith("Napaka: Neveljavna nastavitev")


# --- end to end (needs lemmagen3: the CLI has no fake lemmatizer) -------------------------------------------
@pytest.mark.integration
def test_build_then_search_with_the_hash_embedder(
    capsys: pytest.CaptureFixture[str], corpus_copy: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    common = ["--embedder", "hash", "--corpus-dir", str(corpus_copy), "--index-dir", str(index_dir)]
    code, out, err = run(capsys, "index", "build", *common)
    assert code == 0, err
    assert "Indeks zgrajen" in out and "lemmagen3-sl" in out and "hash-trigram:256" in out
    assert (index_dir / "manifest.json").is_file()

    code, out, err = run(capsys, "index", "verify", *common)
    assert code == 0, err

    code, out, err = run(capsys, "search", "koliko časa trajajo nenadzorovani obiski", "-k", "3", "--json", *common)
    assert code == 0, err
    data = json.loads(out)
    assert data["query"] == "koliko časa trajajo nenadzorovani obiski"
    assert len(data["hits"]) == 3
    assert data["hits"][0]["section"] == "Obiski"
    assert 0.0 <= data["confidence"] <= 1.0

    code, out, err = run(capsys, "search", "pogojni odpust", "--mode", "lexical", *common)
    assert code == 0, err
    assert "zaupanje" in out and "Pogojni odpust" in out
