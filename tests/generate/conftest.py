"""Fixtures for the generator tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings
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
