"""Fixtures for the generator tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.config import PROJECT_ROOT, Settings
from tests.generate.fakes import FakeOpenAIServer


@pytest.fixture
def fake_server() -> Iterator[FakeOpenAIServer]:
    """A local OpenAI-compatible server on 127.0.0.1 (random port)."""
    server = FakeOpenAIServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a private cache directory and a short timeout."""
    return Settings(cache_dir=tmp_path / "cache", llm_timeout_s=5.0)


@pytest.fixture(scope="session")
def corpus_retriever(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A retriever over a copy of the real corpus, indexed with the fake lemmatizer and the hash embedder (no
    model), for tests that run the real answering pipeline around a generator."""
    from assistant.retrieval.dense import HashEmbedder
    from assistant.retrieval.index import build_index, load_index
    from assistant.retrieval.retriever import Retriever
    from assistant.text.analyze import Analyzer
    from assistant.text.lexicons import load_lexicons
    from tests.fakes import FakeLemmatizer

    root = tmp_path_factory.mktemp("generate-index")
    corpus = root / "corpus"
    shutil.copytree(PROJECT_ROOT / "corpus", corpus, copy_function=shutil.copyfile)
    analyzer, embedder = Analyzer(FakeLemmatizer(), load_lexicons()), HashEmbedder()
    build_index(corpus, root / "index", analyzer, embedder)
    store = load_index(root / "index", corpus, analyzer.lemmatizer.name, embedder.id)
    return Retriever(store, analyzer, embedder)
