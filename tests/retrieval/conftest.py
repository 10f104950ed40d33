"""Fakes and shared fixtures for the retrieval tests.

Unit tests never load a model: they use :class:`FakeLemmatizer` (a few deterministic suffix rules) and
``assistant.retrieval.dense.HashEmbedder``. Only tests marked ``integration`` may import lemmagen3 or
sentence-transformers; the autouse guard below fails any other test that does.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.retrieval.dense import HashEmbedder
from assistant.text.analyze import Analyzer
from assistant.text.lexicons import load_lexicons
from tests.fakes import FakeLemmatizer, guard_against_models

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = PROJECT_ROOT / "corpus"
HANDBOOK = CORPUS_DIR / "prirocnik-zpkz-ig.md"


@pytest.fixture(autouse=True)
def _no_models_in_unit_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    yield from guard_against_models(request)


# --- fakes -------------------------------------------------------------------------------------------------
@pytest.fixture
def fake_lemmatizer() -> FakeLemmatizer:
    return FakeLemmatizer()


@pytest.fixture(scope="session")
def fake_analyzer() -> Analyzer:
    """The real analyzer (real lexicons, real obeliks tokenizer) around the fake lemmatizer."""
    return Analyzer(FakeLemmatizer(), load_lexicons())


@pytest.fixture(scope="session")
def hash_embedder() -> HashEmbedder:
    return HashEmbedder()


# --- corpus -------------------------------------------------------------------------------------------------
def copy_corpus(target: Path) -> Path:
    """A private, writable copy of the real corpus folder (tests mutate copies, never ``corpus/``).

    ``copyfile`` rather than ``copy2``: the source files are read-only and their mode must not be copied.
    """
    shutil.copytree(CORPUS_DIR, target, copy_function=shutil.copyfile)
    return target


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    return copy_corpus(tmp_path / "corpus")


@pytest.fixture(scope="session")
def real_corpus() -> tuple[list[Any], list[Any]]:
    """(documents, chunks) of the real corpus (pure Python, no models)."""
    from assistant.corpus.documents import load_corpus

    return load_corpus(CORPUS_DIR)


# --- a fake-stack index built once per session --------------------------------------------------------------
@pytest.fixture(scope="session")
def built_index(
    tmp_path_factory: pytest.TempPathFactory, fake_analyzer: Analyzer, hash_embedder: HashEmbedder
) -> dict[str, Any]:
    """Index of a copy of the real corpus built with FakeLemmatizer + HashEmbedder.

    Returns ``{"corpus_dir", "index_dir", "manifest"}``; tests that damage an index copy it first
    (:func:`copy_built_index`).
    """
    from assistant.retrieval.index import build_index

    root = tmp_path_factory.mktemp("fake-index")
    corpus_dir = copy_corpus(root / "corpus")
    index_dir = root / "index"
    manifest = build_index(corpus_dir, index_dir, fake_analyzer, hash_embedder)
    return {"corpus_dir": corpus_dir, "index_dir": index_dir, "manifest": manifest}


def copy_built_index(built: dict[str, Any], target: Path) -> tuple[Path, Path]:
    """(corpus_dir, index_dir) copies of the session index, safe to modify."""
    corpus_dir, index_dir = target / "corpus", target / "index"
    shutil.copytree(built["corpus_dir"], corpus_dir, copy_function=shutil.copyfile)
    shutil.copytree(built["index_dir"], index_dir, copy_function=shutil.copyfile)
    return corpus_dir, index_dir


@pytest.fixture
def index_copy(built_index: dict[str, Any], tmp_path: Path) -> tuple[Path, Path]:
    return copy_built_index(built_index, tmp_path)


@pytest.fixture(scope="session")
def fake_store(built_index: dict[str, Any], fake_analyzer: Analyzer, hash_embedder: HashEmbedder) -> Any:
    from assistant.retrieval.index import load_index

    return load_index(
        built_index["index_dir"], built_index["corpus_dir"], fake_analyzer.lemmatizer.name, hash_embedder.id
    )


@pytest.fixture(scope="session")
def fake_retriever(fake_store: Any, fake_analyzer: Analyzer, hash_embedder: HashEmbedder) -> Any:
    from assistant.retrieval.retriever import Retriever

    return Retriever(fake_store, fake_analyzer, hash_embedder)
