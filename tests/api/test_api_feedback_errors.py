"""Honest errors: an unusable feedback database or a damaged index is 503 with the fix, never 500; no user text
and no exception message in the logs; /metrics needs a staff login."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.api.feedback import FeedbackStore, FeedbackUnavailable
from assistant.config import Settings
from assistant.retrieval.index import IndexNotReady
from assistant.types import Answer, AnswerSentence, Turn
from tests.api.conftest import basic, bearer
from tests.api.fakes import FakeAssistant, FakeCalculator

SECRET = "Zasebno besedilo 7319"
FEEDBACK_503 = (
    "Baze odzivov trenutno ni mogoče uporabiti (zaklenjena, samo za branje ali poškodovana). "
    "Poskusite znova čez nekaj sekund; če se ponavlja, obvestite skrbnika sistema."
)
INDEX_503 = (
    "Iskalni indeks manjka ali je poškodovan, zato pomočnik zdaj ne more odgovarjati. "
    "Osebje naj zažene `assistant index build`."
)
INDEX_DIR = "/srv/indexes"  # in exception messages only (tracebacks show source lines, not this value)
SQLITE_MESSAGES = ("database is locked", "readonly database", "not a database", "unable to open")


def server_log(caplog: pytest.LogCaptureFixture) -> str:
    """Everything the service logged (not the test client's own HTTP library)."""
    return "\n".join(
        r.getMessage() + (r.exc_text or "") for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))
    )


@pytest.fixture
def staff_client(client: TestClient) -> TestClient:
    """The test client, with a first feedback entry stored (so the database exists)."""
    assert client.post("/api/feedback", json={"rating": "up"}, headers=basic()).status_code == 201
    return client


# --- feedback database --------------------------------------------------------------------------------------


def _assert_feedback_503(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    r = client.post("/api/feedback", json={"rating": "down", "comment": SECRET}, headers=basic())
    assert r.status_code == 503, r.text
    assert r.json() == {"detail": FEEDBACK_503, "field": None}
    assert int(r.headers["retry-after"]) > 0
    r = client.get("/staff/feedback.csv", headers=basic())
    assert r.status_code == 503 and r.json()["detail"] == FEEDBACK_503
    text = server_log(caplog)
    assert "FeedbackUnavailable" in text  # logged ...
    assert SECRET not in text  # ... without what the staff member wrote
    for sqlite_message in SQLITE_MESSAGES:  # ... and without SQLite's message
        assert sqlite_message not in text


def test_locked_database_is_503_after_a_bounded_wait(
    staff_client: TestClient, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    holder = sqlite3.connect(settings.feedback_db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        started = time.monotonic()
        r = staff_client.post("/api/feedback", json={"rating": "down", "comment": SECRET}, headers=basic())
        waited = time.monotonic() - started
        assert r.status_code == 503
        assert r.json() == {"detail": FEEDBACK_503, "field": None}
        assert r.headers["retry-after"] == "5"
        assert 1.5 <= waited < 5  # the 2 s busy timeout, not 10 s
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert SECRET not in server_log(caplog) and "database is locked" not in server_log(caplog)
    # once the lock is gone, feedback works again
    assert staff_client.post("/api/feedback", json={"rating": "up"}, headers=basic()).status_code == 201


def test_read_only_database_is_503(
    staff_client: TestClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store: FeedbackStore = app.state.services.feedback
    # opened read-only (a read-only mount or file; tests run as root, where file modes do not stop writes)
    monkeypatch.setattr(store, "_open", lambda: sqlite3.connect(f"file:{store.path}?mode=ro", uri=True, timeout=0.1))
    r = staff_client.post("/api/feedback", json={"rating": "down", "comment": SECRET}, headers=basic())
    assert r.status_code == 503 and r.json()["detail"] == FEEDBACK_503
    assert r.headers["retry-after"] == "30"
    assert staff_client.get("/staff/feedback.csv", headers=basic()).status_code == 200  # reading still works
    assert SECRET not in server_log(caplog) and "readonly database" not in server_log(caplog)


def test_corrupt_database_is_503(
    settings_factory: Callable[..., Settings], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    db = tmp_path / "broken" / "feedback.sqlite3"
    db.parent.mkdir()
    db.write_bytes(b"this is not a database " * 200)
    app = create_app(settings_factory(feedback_db=db), assistant=FakeAssistant(), calculator=FakeCalculator())
    with TestClient(app) as client:
        _assert_feedback_503(client, caplog)


def test_unwritable_directory_is_503(
    settings_factory: Callable[..., Settings], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    app = create_app(
        settings_factory(feedback_db=blocker / "feedback.sqlite3"),
        assistant=FakeAssistant(),
        calculator=FakeCalculator(),
    )
    with TestClient(app) as client:
        _assert_feedback_503(client, caplog)


def test_store_failure_kinds(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"x" * 4096)
    with pytest.raises(FeedbackUnavailable) as info:
        FeedbackStore(corrupt).add(staff_user="ana", rating="up")
    assert info.value.kind == "corrupt"
    assert info.value.__cause__ is None and info.value.__suppress_context__  # the SQLite message stays behind
    store = FeedbackStore(tmp_path / "ok.sqlite3", busy_timeout_s=0.2)
    store.add(staff_user="ana", rating="up")
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    with pytest.raises(FeedbackUnavailable) as info:
        store.add(staff_user="ana", rating="up")
    assert info.value.kind == "locked" and time.monotonic() - started < 2
    holder.execute("ROLLBACK")
    holder.close()


def test_feedback_503_is_in_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, method in [("/api/feedback", "post"), ("/staff/feedback.csv", "get")]:
        doc = paths[path][method]["responses"]["503"]
        assert doc["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
        assert "Retry-After" in doc["headers"]
        assert "429" in paths[path][method]["responses"]


# --- damaged index ------------------------------------------------------------------------------------------


class BrokenIndex(FakeAssistant):
    """An assistant whose index turned out to be damaged when it was needed."""

    def answer(self, question: str, history: list[Turn] | None = None, language: str | None = None) -> Answer:
        raise IndexNotReady(f"Indeks v {INDEX_DIR} ni uporaben ({question}). Zaženite `assistant index build`.")

    def iter_answer(
        self, question: str, history: list[Turn] | None = None, language: str | None = None
    ) -> Iterator[AnswerSentence | Answer]:
        raise IndexNotReady(f"Indeks je poškodovan ({question}).")

    def get_chunk(self, chunk_id: str) -> Any:
        raise IndexNotReady("Indeks je poškodovan.")

    def help_answer(self, language: str | None = None, kind: str = "self_harm") -> Answer:
        raise IndexNotReady("Indeks je poškodovan.")


ANSWERING = [
    ("POST", "/api/ask", {}),
    ("POST", "/api/ask/stream", {}),
    ("POST", "/staff/api/ask", basic()),
    ("POST", "/staff/api/ask/stream", basic()),
    ("GET", "/api/sources/prirocnik-zpkz-ig:obiski:1", {}),
    ("GET", "/api/help", {}),
]


def _assert_index_503(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    for method, path, headers in ANSWERING:
        r = client.request(method, path, json={"question": SECRET}, headers=headers)
        assert r.status_code == 503, (path, r.text)
        assert r.json() == {"detail": INDEX_503, "field": None}, path
        assert r.headers["retry-after"] == "30", path
    r = client.post("/api/ask", json={"question": "How long can a visit last?", "language": "en"})
    assert r.status_code == 503
    assert r.json()["detail"] == (
        "The search index is missing or damaged, so the assistant cannot answer now. "
        "Staff: run `assistant index build`."
    )
    text = server_log(caplog)
    assert "IndexNotReady" in text
    assert SECRET not in text and INDEX_DIR not in text


def test_damaged_index_is_503_with_the_fix_on_every_answering_route(
    settings_factory: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app = create_app(settings_factory(), assistant=BrokenIndex(), calculator=FakeCalculator())
    with TestClient(app) as client:
        _assert_index_503(client, caplog)
        # the calculator does not need the index
        assert client.post("/api/calc/leave_days", json={"full_time_months": 2}).status_code == 200


def test_index_that_fails_to_load_is_503_on_every_answering_route(
    settings_factory: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    """The real failure: the index is found damaged while the assistant warms up (and on every retry)."""
    caplog.set_level(logging.DEBUG)

    class DamagedAtLoad(FakeAssistant):
        def warm_up(self) -> None:
            raise IndexNotReady(f"Manifest indeksa {INDEX_DIR}/manifest.json je poškodovan.")

    app = create_app(settings_factory(), calculator=FakeCalculator())
    app.state.services.assistant._factory = lambda: DamagedAtLoad(ready=False)
    with TestClient(app) as client:
        holder = app.state.services.assistant
        deadline = time.monotonic() + 5
        while holder.error is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert client.get("/readyz").status_code == 503
        _assert_index_503(client, caplog)


def test_index_damage_mid_stream_is_an_error_event_with_the_fix(
    settings_factory: Callable[..., Settings],
) -> None:
    class BreaksAfterOneSentence(FakeAssistant):
        def iter_answer(self, *args: Any, **kwargs: Any) -> Iterator[AnswerSentence | Answer]:
            yield AnswerSentence("Nadzorovani obiski trajajo do dve uri.", [1])
            raise IndexNotReady("Indeks je poškodovan.")

    app = create_app(settings_factory(), assistant=BreaksAfterOneSentence(), calculator=FakeCalculator())
    with TestClient(app) as client:
        r = client.post("/api/ask/stream", json={"question": "Obiski?"})
    assert r.status_code == 200
    assert "event: error" in r.text and "assistant index build" in r.text
    assert r.text.rstrip().endswith("data: [DONE]")


# --- nothing the user typed in the logs ---------------------------------------------------------------------


def test_no_user_text_or_exception_message_in_logs(
    settings_factory: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    class Leaky(FakeAssistant):
        """Fails in ways whose exception messages quote the question."""

        def get_chunk(self, chunk_id: str) -> Any:
            raise RuntimeError(f"unexpected failure for {chunk_id}")

        def iter_answer(self, question: str, *args: Any, **kwargs: Any) -> Iterator[AnswerSentence | Answer]:
            if "stream" in question:
                yield AnswerSentence("Prvi stavek.", [])
            raise ValueError(f"cannot answer {question!r}")

    fake = Leaky()
    app = create_app(settings_factory(), assistant=fake, calculator=FakeCalculator())
    with TestClient(app) as client:  # raise_server_exceptions: an exception escaping the app would fail here
        assert client.post("/api/ask", json={"question": SECRET}).status_code == 200
        fake.fail = True
        assert client.post("/api/ask", json={"question": SECRET}).status_code == 500
        assert client.post("/api/ask/stream", json={"question": SECRET}).status_code == 500
        r = client.post("/api/ask/stream", json={"question": SECRET + " stream"})
        assert "event: error" in r.text
        r = client.get(f"/api/sources/{SECRET.replace(' ', '-')}?window=2")  # escapes the route: a plain 500
        assert r.status_code == 500 and r.json()["field"] is None
        client.post("/api/ask", json={"question": SECRET, "session_id": SECRET})
        client.post("/api/ask", json={"question": "", "language": SECRET})
        client.post("/api/ask", content=b'{"question": "' + SECRET.encode() + b'"')
        client.post("/api/feedback", json={"rating": "up", "comment": SECRET}, headers=basic())
        client.post("/api/feedback", json={"rating": SECRET}, headers=basic())
        client.get("/staff", headers=basic(password=SECRET))
        client.get("/api/help", params={"lang": SECRET})
        client.post("/api/calc/leave_days", json={"full_time_months": SECRET})
    text = server_log(caplog)
    assert "ValueError" in text and "RuntimeError" in text  # failures are logged ...
    assert "7319" not in text  # ... but nothing the user typed, and no exception message (which quotes it)


# --- /metrics is for staff ----------------------------------------------------------------------------------


def test_metrics_need_a_staff_login(client: TestClient) -> None:
    r = client.get("/metrics")
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Basic")
    assert client.get("/metrics", headers=basic(password="narobe")).status_code == 401
    assert client.get("/metrics", headers=bearer()).status_code == 200  # Prometheus: bearer_token
    assert client.get("/metrics", headers=basic()).status_code == 200
    doc = client.get("/openapi.json").json()["paths"]["/metrics"]["get"]["responses"]
    assert {"200", "401", "429"} <= set(doc)


def test_every_503_carries_retry_after(settings_factory: Callable[..., Settings]) -> None:
    fake = FakeAssistant(ready=False)
    app = create_app(settings_factory(), assistant=fake, calculator=FakeCalculator())
    with TestClient(app) as client:
        r = client.get("/readyz")
        assert r.status_code == 503 and int(r.headers["retry-after"]) > 0
    app = create_app(settings_factory(), assistant=FakeAssistant())
    app.state.services.calculator._factory = lambda: (_ for _ in ()).throw(RuntimeError("no rules"))
    with TestClient(app) as client:
        r = client.get("/api/calc")
        assert r.status_code == 503 and int(r.headers["retry-after"]) > 0


def test_many_failures_at_once_are_all_answered(settings_factory: Callable[..., Settings]) -> None:
    """Concurrent 503s from a damaged index: every one answered, none a 500."""
    app = create_app(settings_factory(queue_size=8), assistant=BrokenIndex(), calculator=FakeCalculator())
    statuses: list[int] = []
    with TestClient(app) as client:
        threads = [
            threading.Thread(
                target=lambda: statuses.append(client.post("/api/ask", json={"question": "x"}).status_code)
            )
            for _ in range(12)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
    assert len(statuses) == 12 and set(statuses) == {503}
