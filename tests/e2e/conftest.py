"""Fixtures of the browser tests: one Chromium for the session, one live server per module."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assistant.api.app import create_app
from assistant.api.auth import hash_password
from assistant.config import Settings
from tests.e2e.kiosk_support import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE_SECONDS,
    STAFF,
    LiveServer,
    PlainFakeAssistant,
    real_calculator,
)


def _require_browser() -> Any:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is missing (pip install playwright)")
    return sync_playwright


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real app with the fake assistant (answers in the pipeline's shape) and the real calculator."""
    tmp = tmp_path_factory.mktemp("e2e")
    settings = Settings(
        idle_reset_seconds=IDLE_SECONDS,
        feedback_db=tmp / "var" / "feedback.sqlite3",
        eval_report_dir=tmp / "eval",
        staff_users={STAFF[0]: hash_password(STAFF[1], iterations=1000)},
        staff_tokens=[],
        generator="extractive",
    )
    app = create_app(settings, assistant=PlainFakeAssistant(sentence_delay=0.15), calculator=real_calculator())
    with LiveServer(app) as live:
        yield live


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright."""
    sync_playwright = _require_browser()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
