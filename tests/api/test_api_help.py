"""The help button's route: ``GET /api/help?lang=sl|en|bcs``."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.api.schemas import AnswerResponse
from assistant.config import Settings
from tests.api.fakes import FakeAssistant, FakeCalculator


@pytest.mark.parametrize("lang", ["sl", "en", "bcs"])
def test_help_in_each_language(client: TestClient, fake: FakeAssistant, lang: str) -> None:
    r = client.get("/api/help", params={"lang": lang})
    assert r.status_code == 200
    body = r.json()
    AnswerResponse.model_validate(body)  # the same shape as /api/ask
    assert body["mode"] == "crisis"
    assert body["language"] == lang
    assert body["question"] == ""
    assert body["session_id"] == ""
    assert "080 15 30" in body["answer"] and "112" in body["answer"]
    assert any("080 15 30" in s["text"] and "112" in s["text"] for s in body["sentences"])
    cited = {n for s in body["sentences"] for n in s["citations"]}
    assert cited and cited <= {s["n"] for s in body["sources"]}
    assert "080 15 30" in body["sources"][0]["text"]
    assert fake.help_calls == [lang]


def test_help_language_aliases_and_default(client: TestClient, fake: FakeAssistant) -> None:
    for alias in ("hr", "sr", "bs", "BCS"):
        assert client.get("/api/help", params={"lang": alias}).json()["language"] == "bcs"
    assert client.get("/api/help").json()["language"] == "sl"
    r = client.get("/api/help", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert r.json()["language"] == "en"


@pytest.mark.parametrize("query", ["lang=de", "lang=", "lang=xx-YY", "lang=" + "s" * 30])
def test_help_bad_language_is_422(client: TestClient, query: str) -> None:
    r = client.get("/api/help?" + query)
    assert r.status_code == 422
    assert r.json() == {"detail": "Neveljavna vrednost v polju »lang«. (sl, en, bcs)", "field": "lang"}


def test_help_repeated_language_is_422(client: TestClient) -> None:
    r = client.get("/api/help?lang=sl&lang=en")
    assert r.status_code == 422
    assert r.json()["field"] == "lang" and r.json()["detail"].endswith("(sl, en, bcs)")


def test_help_bad_language_message_follows_accept_language(client: TestClient) -> None:
    r = client.get("/api/help?lang=fr", headers={"Accept-Language": "en"})
    assert r.status_code == 422
    assert r.json()["detail"] == 'Invalid value in the field "lang". (sl, en, bcs)'


def test_help_is_not_a_conversation_turn(client: TestClient) -> None:
    sessions = client.app.state.services.sessions  # type: ignore[attr-defined]
    client.get("/api/help?lang=sl")
    assert len(sessions) == 0


def test_help_skips_the_full_queue(settings_factory: Callable[..., Settings]) -> None:
    """A person pressing the help button is never told that the assistant is busy."""
    gate = threading.Event()
    fake = FakeAssistant(gate=gate)
    app = create_app(settings_factory(queue_size=1), assistant=fake, calculator=FakeCalculator())
    with TestClient(app) as client:
        worker = threading.Thread(target=lambda: client.post("/api/ask", json={"question": "kdaj so obiski"}))
        worker.start()
        assert fake.started.wait(5)
        assert client.post("/api/ask", json={"question": "kdaj so obiski"}).status_code == 503
        r = client.get("/api/help?lang=sl")
        assert r.status_code == 200 and "112" in r.json()["answer"]
        gate.set()
        worker.join(10)


def test_help_failure_is_500(settings_factory: Callable[..., Settings]) -> None:
    app = create_app(settings_factory(), assistant=FakeAssistant(fail=True), calculator=FakeCalculator())
    with TestClient(app) as client:
        r = client.get("/api/help?lang=en")
        assert r.status_code == 500
        assert r.json()["detail"] == "Something went wrong while answering. Please ask the staff."


def test_help_is_documented(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/help"]["get"]
    assert "200" in operation["responses"] and "422" in operation["responses"]
    assert operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
