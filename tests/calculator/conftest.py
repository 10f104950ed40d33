"""Shared fixtures for the calculator tests."""

from __future__ import annotations

import pytest

from assistant.calculator import Calculator


@pytest.fixture(scope="session")
def calc() -> Calculator:
    """One calculator with the packaged rules."""
    return Calculator()
