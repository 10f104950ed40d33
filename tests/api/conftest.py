"""Fixtures for the API tests: settings in a temporary directory, fakes, and apps built from them."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.api.auth import hash_password
from assistant.config import Settings
from tests.api.fakes import FakeAssistant, FakeCalculator

STAFF_USER = "ana"
STAFF_PASSWORD = "Varno-geslo-1"
STAFF_TOKEN = "token-for-tests-0123456789"


def basic(user: str = STAFF_USER, password: str = STAFF_PASSWORD) -> dict[str, str]:
    """An HTTP Basic Authorization header."""
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def bearer(token: str = STAFF_TOKEN) -> dict[str, str]:
    """A bearer Authorization header."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def settings_factory(tmp_path: Path) -> Callable[..., Settings]:
    """Settings with every path in ``tmp_path``; keyword arguments override."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "feedback_db": tmp_path / "var" / "feedback.sqlite3",
            "eval_report_dir": tmp_path / "eval-run",
            "staff_users": {STAFF_USER: hash_password(STAFF_PASSWORD, iterations=1000)},
            "staff_tokens": [STAFF_TOKEN],
            "request_timeout_s": 5.0,
            "queue_size": 4,
        }
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
def settings(settings_factory: Callable[..., Settings]) -> Settings:
    """Default test settings."""
    return settings_factory()


@pytest.fixture
def fake() -> FakeAssistant:
    """A fresh fake assistant."""
    return FakeAssistant()


@pytest.fixture
def calculator() -> FakeCalculator:
    """A fake calculator."""
    return FakeCalculator()


@pytest.fixture
def app(settings: Settings, fake: FakeAssistant, calculator: FakeCalculator) -> FastAPI:
    """The app with the fakes."""
    return create_app(settings, assistant=fake, calculator=calculator)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A test client with the app's lifespan running."""
    with TestClient(app) as test_client:
        yield test_client
