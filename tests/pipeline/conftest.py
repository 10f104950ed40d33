"""Fixtures for the answer-pipeline tests.

Unit tests never load a model: the index is built once per session from a private copy of the real corpus with
:class:`FakeLemmatizer` (a few deterministic suffix rules, copied from ``tests/retrieval/conftest.py``) and
``assistant.retrieval.dense.HashEmbedder``. Tests marked ``integration`` use the real stack (see
``test_pipeline_integration.py``); the autouse guard fails any other test that imports a heavy model library.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.retrieval.dense import HashEmbedder
from assistant.text.analyze import Analyzer
from assistant.text.lexicons import load_lexicons
from tests.fakes import FakeLemmatizer, guard_against_models

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = PROJECT_ROOT / "corpus"
PROMPTS_DIR = PROJECT_ROOT / "assistant" / "generate" / "prompts"


@pytest.fixture(autouse=True)
def _no_models_in_unit_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    yield from guard_against_models(request)


# --- fakes -------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def fake_analyzer() -> Analyzer:
    """The real analyzer (real lexicons, real obeliks tokenizer) around the fake lemmatizer."""
    return Analyzer(FakeLemmatizer(), load_lexicons())


@pytest.fixture(scope="session")
def hash_embedder() -> HashEmbedder:
    return HashEmbedder()


def copy_corpus(target: Path) -> Path:
    """A private, writable copy of the real corpus folder (``copyfile``: the sources are read-only)."""
    shutil.copytree(CORPUS_DIR, target, copy_function=shutil.copyfile)
    return target


@pytest.fixture(scope="session")
def built_index(
    tmp_path_factory: pytest.TempPathFactory, fake_analyzer: Analyzer, hash_embedder: HashEmbedder
) -> dict[str, Path]:
    """Index of a copy of the real corpus built with FakeLemmatizer + HashEmbedder (once per session)."""
    from assistant.retrieval.index import build_index

    root = tmp_path_factory.mktemp("pipeline-index")
    corpus_dir = copy_corpus(root / "corpus")
    index_dir = root / "index"
    build_index(corpus_dir, index_dir, fake_analyzer, hash_embedder)
    return {"corpus_dir": corpus_dir, "index_dir": index_dir}


@pytest.fixture(scope="session")
def fake_retriever(built_index: dict[str, Path], fake_analyzer: Analyzer, hash_embedder: HashEmbedder) -> Any:
    from assistant.retrieval.index import load_index
    from assistant.retrieval.retriever import Retriever

    store = load_index(
        built_index["index_dir"], built_index["corpus_dir"], fake_analyzer.lemmatizer.name, hash_embedder.id
    )
    return Retriever(store, fake_analyzer, hash_embedder)


@pytest.fixture(scope="session")
def settings(built_index: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for the session's fake index; extractive (no LLM) unless a test injects a generator."""
    return Settings(
        index_dir=built_index["index_dir"],
        corpus_dir=built_index["corpus_dir"],
        embedder="hash",
        generator="extractive",
        cache_dir=tmp_path_factory.mktemp("cache"),
    )


@pytest.fixture(scope="session")
def calculator() -> Any:
    from assistant.calculator import Calculator

    return Calculator()


@pytest.fixture(scope="session")
def extractive_assistant(settings: Settings, fake_retriever: Any, calculator: Any) -> Any:
    """The extractive assistant (no generator) over the fake index; shared: it keeps no per-question state."""
    from assistant.answer.assistant import Assistant

    return Assistant(settings, retriever=fake_retriever, generator=None, calculator=calculator)


@pytest.fixture
def make_assistant(settings: Settings, fake_retriever: Any, calculator: Any) -> Callable[..., Any]:
    """``make_assistant(generator)``: a fresh Assistant over the fake index with ``generator`` injected."""
    from assistant.answer.assistant import Assistant

    def make(generator: Any = None, **overrides: Any) -> Any:
        s = settings.model_copy(update=overrides) if overrides else settings
        return Assistant(s, retriever=fake_retriever, generator=generator, calculator=calculator)

    return make


@pytest.fixture(scope="session")
def verifier(fake_analyzer: Analyzer) -> Any:
    """A Verifier over the fake analyzer with an empty vocabulary (no typo/glossary guesses)."""
    from assistant.answer.verify import Verifier
    from assistant.text.analyze import Vocabulary

    return Verifier(fake_analyzer, Vocabulary(), 0.5)


@pytest.fixture(scope="session")
def prompt_texts() -> dict[str, str]:
    """The prompt files the generator is given (must never leak to a user)."""
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(PROMPTS_DIR.glob("*.txt"))}
