"""Asking: JSON and SSE answers, conversations, limits, queue, timeouts and failures."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.config import Settings
from tests.api.conftest import bearer
from tests.api.fakes import FakeAssistant, FakeCalculator


def parse_sse(text: str) -> list[tuple[str | None, str]]:
    """(event, data) pairs of an SSE body."""
    events = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        event, data = None, []
        for line in block.split("\n"):
            if line.startswith("event: "):
                event = line[len("event: ") :]
            elif line.startswith("data: "):
                data.append(line[len("data: ") :])
        events.append((event, "\n".join(data)))
    return events


# --- answers ------------------------------------------------------------------------------------------------


def test_ask_returns_the_full_answer(client: TestClient, fake: FakeAssistant) -> None:
    r = client.post("/api/ask", json={"question": "  Kolikokrat me lahko obiščejo?  "})
    assert r.status_code == 200
    body = r.json()
    assert body["mode"] == "llm"
    assert body["sentences"][0] == {
        "text": "Ožji družinski člani vas lahko obiščejo najmanj dvakrat tedensko.",
        "citations": [1],
    }
    assert [s["n"] for s in body["sources"]] == [1, 2]
    assert body["sources"][0]["label"] == "Priročnik ZPKZ Ig › Obiski, odst. 1"
    assert body["sources"][0]["text"].startswith("Obsojenki je omogočeno")
    assert body["answer"].endswith("[2]")
    assert body["timings"] == {"retrieve_ms": 3.0, "generate_ms": 20.0}
    assert body["confidence"] == 0.8
    assert len(body["session_id"]) >= 32
    assert "diagnostics" not in body and "retrieval_query" not in body  # staff-only
    assert fake.calls[0].question == "Kolikokrat me lahko obiščejo?"  # trimmed
    assert fake.calls[0].history is None
    assert r.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("question", "mode"),
    [
        ("Ali bo jutri lepo vreme?", "refusal"),
        ("Ne zdržim več, hočem umreti.", "crisis"),
        ("Koliko dni dopusta imam?", "calculator"),
    ],
)
def test_every_mode_passes_through(client: TestClient, question: str, mode: str) -> None:
    body = client.post("/api/ask", json={"question": question}).json()
    assert body["mode"] == mode
    if mode == "refusal":
        assert body["refused"] is True and body["sources"] == []
    if mode == "calculator":
        assert body["missing"] == ["full_time_months"]
        assert body["calculation"]["kind"] == "leave_days"
        assert body["calculation"]["inputs"] == {}


def test_language_is_passed_and_hr_means_bcs(client: TestClient, fake: FakeAssistant) -> None:
    client.post("/api/ask", json={"question": "Koliko puta tjedno me mogu posjetiti?", "language": "hr"})
    client.post("/api/ask", json={"question": "How often can they visit?", "language": "en"})
    client.post("/api/ask", json={"question": "Obiski?"})
    assert [c.language for c in fake.calls] == ["bcs", "en", None]


@pytest.mark.parametrize("language", ["de", "", 5])
def test_unknown_language_is_a_422(client: TestClient, language: object) -> None:
    r = client.post("/api/ask", json={"question": "Obiski?", "language": language})
    assert r.status_code == 422
    assert r.json() == {"detail": "Neveljavna vrednost v polju »language«.", "field": "language"}


def test_undecodable_body_is_422(client: TestClient) -> None:
    r = client.post("/api/ask", content=b"\xff\xfe\x02i", headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json() == {"detail": "Zahteva ni veljaven JSON.", "field": None}


# --- conversations ------------------------------------------------------------------------------------------


def test_session_keeps_history(client: TestClient, fake: FakeAssistant) -> None:
    first = client.post("/api/ask", json={"question": "Kolikokrat me lahko obiščejo?"}).json()
    second = client.post("/api/ask", json={"question": "In koliko časa?", "session_id": first["session_id"]}).json()
    assert second["session_id"] == first["session_id"]
    history = fake.calls[1].history
    assert history is not None and len(history) == 1
    assert history[0].question == "Kolikokrat me lahko obiščejo?"
    assert history[0].answer.startswith("Ožji družinski člani")
    assert history[0].retrieval_query == "obisk tedensko"


def test_sessions_expire_after_the_ttl(settings_factory: Callable[..., Settings], fake: FakeAssistant) -> None:
    now = [1000.0]
    app = create_app(
        settings_factory(session_ttl_seconds=60),
        assistant=fake,
        calculator=FakeCalculator(),
        clock=lambda: now[0],
    )
    with TestClient(app) as client:
        sid = client.post("/api/ask", json={"question": "Obiski?"}).json()["session_id"]
        now[0] += 59
        assert client.post("/api/ask", json={"question": "Še?", "session_id": sid}).json()["session_id"] == sid
        now[0] += 61  # idle for longer than the TTL since the last use
        again = client.post("/api/ask", json={"question": "In zdaj?", "session_id": sid}).json()
        assert again["session_id"] != sid
        assert fake.calls[-1].history is None
        assert app.state.services.sessions.get(sid) is None


def test_unknown_session_id_starts_a_new_conversation(client: TestClient, fake: FakeAssistant) -> None:
    body = client.post("/api/ask", json={"question": "Obiski?", "session_id": "made-up"}).json()
    assert body["session_id"] != "made-up"
    assert fake.calls[0].history is None


def test_session_can_be_dropped(client: TestClient, fake: FakeAssistant) -> None:
    sid = client.post("/api/ask", json={"question": "Obiski?"}).json()["session_id"]
    assert client.delete(f"/api/sessions/{sid}").json() == {"dropped": True}
    assert client.delete(f"/api/sessions/{sid}").json() == {"dropped": False}
    client.post("/api/ask", json={"question": "Še?", "session_id": sid})
    assert fake.calls[-1].history is None


# --- limits and bad requests --------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", [{"question": ""}, {"question": "   \n "}, {}])
def test_empty_question_is_422(client: TestClient, payload: dict[str, Any]) -> None:
    r = client.post("/api/ask", json=payload)
    assert r.status_code == 422
    assert r.json() == {"detail": "Vprašanje je prazno. Napišite vprašanje.", "field": "question"}


def test_empty_question_in_english(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": " ", "language": "en"})
    assert r.json()["detail"] == "The question is empty. Please type a question."


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        (None, "Vprašanje je predolgo. Največ 40 znakov."),
        ("sl", "Vprašanje je predolgo. Največ 40 znakov."),
        ("en", "The question is too long. At most 40 characters."),
        ("bcs", "Pitanje je predugo. Najviše 40 znakova."),
    ],
)
def test_question_length_limit(settings_factory: Callable[..., Settings], language: str | None, detail: str) -> None:
    fake = FakeAssistant()
    app = create_app(settings_factory(max_question_chars=40), assistant=fake, calculator=FakeCalculator())
    with TestClient(app) as client:
        r = client.post("/api/ask", json={"question": "x" * 41, "language": language})
        assert r.status_code == 422
        assert r.json() == {"detail": detail, "field": "question"}
        assert client.post("/api/ask", json={"question": "x" * 40, "language": language}).status_code == 200
        r = client.post("/api/ask/stream", json={"question": "x" * 41, "language": language})
        assert r.status_code == 422 and r.json()["detail"] == detail
    assert len(fake.calls) == 1


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "Zahteva je prevelika. Največ 1024 bajtov."),
        ({"Accept-Language": "en-GB,en;q=0.8"}, "The request is too large. At most 1024 bytes."),
        ({"Accept-Language": "hr"}, "Zahtjev je prevelik. Najviše 1024 bajtova."),
    ],
)
def test_body_size_limit_is_422(
    settings_factory: Callable[..., Settings], headers: dict[str, str], detail: str
) -> None:
    app = create_app(
        settings_factory(max_body_bytes=1024, max_question_chars=5000),
        assistant=FakeAssistant(),
        calculator=FakeCalculator(),
    )
    with TestClient(app) as client:
        r = client.post("/api/ask", json={"question": "a" * 2000}, headers=headers)
        assert r.status_code == 422
        assert r.json() == {"detail": detail, "field": None}


def test_chunked_body_over_the_limit_is_422(settings_factory: Callable[..., Settings]) -> None:
    app = create_app(settings_factory(max_body_bytes=1024), assistant=FakeAssistant(), calculator=FakeCalculator())

    def chunks():  # no Content-Length: the limit must hold while reading
        for _ in range(10):
            yield b'{"question": "' + b"a" * 200

    with TestClient(app) as client:
        r = client.post("/api/ask", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json()["detail"] == "Zahteva je prevelika. Največ 1024 bajtov."


@pytest.mark.parametrize(
    ("content", "detail", "field"),
    [
        (b"{not json", "Zahteva ni veljaven JSON.", None),
        (b'["a list"]', "Telo zahteve mora biti objekt JSON.", None),
        (b'{"question": 5}', "Neveljavna vrednost v polju »question«.", "question"),
        (
            b'{"question": "ok", "session_id": ' + b'"' + b"s" * 300 + b'"}',
            "Neveljavna vrednost v polju »session_id«.",
            "session_id",
        ),
    ],
)
def test_bad_json_is_a_clear_422(client: TestClient, content: bytes, detail: str, field: str | None) -> None:
    r = client.post("/api/ask", content=content, headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json() == {"detail": detail, "field": field}
    assert "Traceback" not in r.text


def test_bad_json_message_follows_accept_language(client: TestClient) -> None:
    r = client.post("/api/ask", content=b"{oops", headers={"Content-Type": "application/json", "Accept-Language": "en"})
    assert r.json()["detail"] == "The request is not valid JSON."


def test_unknown_route_and_method(client: TestClient) -> None:
    assert client.get("/api/nope").json() == {"detail": "Strani ni mogoče najti.", "field": None}
    r = client.get("/api/ask")
    assert r.status_code == 405
    assert r.json()["detail"] == "Ta metoda ni dovoljena."


# --- streaming ----------------------------------------------------------------------------------------------


def test_stream_sends_sentences_then_answer_then_done(client: TestClient) -> None:
    with client.stream("POST", "/api/ask/stream", json={"question": "Kolikokrat me lahko obiščejo?"}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        text = "".join(r.iter_text())
    events = parse_sse(text)
    assert [e for e, _ in events] == ["sentence", "sentence", "answer", None]
    assert json.loads(events[0][1]) == {
        "text": "Ožji družinski člani vas lahko obiščejo najmanj dvakrat tedensko.",
        "citations": [1],
    }
    answer = json.loads(events[2][1])
    assert answer["mode"] == "llm" and len(answer["sources"]) == 2 and answer["session_id"]
    assert events[3][1] == "[DONE]"


def test_stream_continues_the_conversation(client: TestClient, fake: FakeAssistant) -> None:
    text = client.post("/api/ask/stream", json={"question": "Obiski?"}).text
    sid = json.loads(parse_sse(text)[-2][1])["session_id"]
    client.post("/api/ask/stream", json={"question": "Koliko časa?", "session_id": sid})
    assert fake.calls[-1].history is not None and fake.calls[-1].history[0].question == "Obiski?"


def test_stream_timeout_mid_answer_is_an_error_event(settings_factory: Callable[..., Settings]) -> None:
    fake = FakeAssistant(sentence_delay=0.6)
    app = create_app(settings_factory(request_timeout_s=1.0), assistant=fake, calculator=FakeCalculator())
    with TestClient(app) as client:
        text = client.post("/api/ask/stream", json={"question": "Obiski?"}).text
    events = parse_sse(text)
    assert [e for e, _ in events] == ["sentence", "error", None]
    assert json.loads(events[1][1]) == {"detail": "Odgovor je trajal predolgo. Poskusite znova ali vprašajte osebje."}


# --- queue, timeouts, failures ------------------------------------------------------------------------------


def _blocked_app(settings_factory: Callable[..., Settings], **overrides: Any) -> tuple[Any, FakeAssistant]:
    fake = FakeAssistant(gate=threading.Event())
    app = create_app(settings_factory(**overrides), assistant=fake, calculator=FakeCalculator())
    return app, fake


def test_full_queue_is_503_with_retry_after(settings_factory: Callable[..., Settings]) -> None:
    app, fake = _blocked_app(settings_factory, queue_size=1, request_timeout_s=10)
    assert fake.gate is not None
    with TestClient(app) as client:
        results: list[int] = []
        worker = threading.Thread(
            target=lambda: results.append(client.post("/api/ask", json={"question": "Obiski?"}).status_code)
        )
        worker.start()
        assert fake.started.wait(5)
        r = client.post("/api/ask", json={"question": "Paketi?"})
        assert r.status_code == 503
        assert r.headers["retry-after"] == "5"
        assert r.json() == {
            "detail": "Pomočnik je trenutno zaseden. Poskusite znova čez nekaj sekund.",
            "field": None,
        }
        r = client.post("/api/ask/stream", json={"question": "Paketi?", "language": "en"})
        assert r.status_code == 503
        assert r.json()["detail"] == "The assistant is busy right now. Please try again in a few seconds."
        assert "assistant_queue_depth 1" in client.get("/metrics", headers=bearer()).text
        fake.gate.set()
        worker.join(5)
        assert results == [200]
        assert client.post("/api/ask", json={"question": "Paketi?"}).status_code == 200
        metrics = client.get("/metrics", headers=bearer()).text
    assert "assistant_queue_rejected_total 2" in metrics
    assert "assistant_queue_depth 0" in metrics


def test_timeout_is_504(settings_factory: Callable[..., Settings]) -> None:
    app, fake = _blocked_app(settings_factory, request_timeout_s=0.3)
    assert fake.gate is not None
    with TestClient(app) as client:
        started = time.monotonic()
        r = client.post("/api/ask", json={"question": "Obiski?"})
        assert time.monotonic() - started < 3
        assert r.status_code == 504
        assert r.json() == {
            "detail": "Odgovor je trajal predolgo. Poskusite znova ali vprašajte osebje.",
            "field": None,
        }
        r = client.post("/api/ask/stream", json={"question": "Visits?", "language": "en"})
        assert r.status_code == 504
        assert r.json()["detail"] == "The answer took too long. Please try again or ask the staff."
        fake.gate.set()
        assert "assistant_timeouts_total 2" in client.get("/metrics", headers=bearer()).text


def test_timed_out_work_keeps_its_slot_until_it_finishes(settings_factory: Callable[..., Settings]) -> None:
    app, fake = _blocked_app(settings_factory, request_timeout_s=0.2, queue_size=1)
    assert fake.gate is not None
    with TestClient(app) as client:
        assert client.post("/api/ask", json={"question": "Obiski?"}).status_code == 504
        # the worker thread still runs: the queue stays full instead of piling up threads
        assert client.post("/api/ask", json={"question": "Obiski?"}).status_code == 503
        fake.gate.set()
        deadline = time.monotonic() + 5
        while app.state.services.runner.depth and time.monotonic() < deadline:
            time.sleep(0.02)
        fake.gate = None
        assert client.post("/api/ask", json={"question": "Obiski?"}).status_code == 200


@pytest.mark.parametrize(("when_busy", "serialised"), [("wait", True), ("extractive", False)])
def test_llm_questions_serialised_only_when_configured_to_wait(
    settings_factory: Callable[..., Settings], when_busy: str, serialised: bool
) -> None:
    """With llm_when_busy="wait" the runner answers one question at a time; by default questions run
    concurrently and the assistant itself falls back to extractive answers while its model is busy."""
    active, peak = [0], [0]
    lock = threading.Lock()

    class Counting(FakeAssistant):
        def answer(self, *args: Any, **kwargs: Any) -> Any:
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            time.sleep(0.05)
            with lock:
                active[0] -= 1
            return super().answer(*args, **kwargs)

    app = create_app(
        settings_factory(generator="llama_cpp", queue_size=4, llm_when_busy=when_busy),
        assistant=Counting(),
        calculator=FakeCalculator(),
    )
    with TestClient(app) as client:
        threads = [
            threading.Thread(target=client.post, args=("/api/ask",), kwargs={"json": {"question": "Obiski?"}})
            for _ in range(4)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
    assert (peak[0] == 1) if serialised else (peak[0] >= 2)


def test_assistant_failure_is_500_without_trace_or_question_in_logs(
    settings_factory: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeAssistant(fail=True)
    app = create_app(settings_factory(), assistant=fake, calculator=FakeCalculator())
    caplog.set_level(logging.DEBUG)
    with TestClient(app) as client:
        r = client.post("/api/ask", json={"question": "Zasebno vprašanje 4711"})
        assert r.status_code == 500
        assert r.json() == {
            "detail": "Pri odgovarjanju je prišlo do napake. Vprašajte osebje.",
            "field": None,
        }
        r = client.post("/api/ask/stream", json={"question": "Zasebno vprašanje 4711"})
        assert r.status_code == 500
    assert "RuntimeError" in caplog.text  # the failure is logged ...
    server_logs = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore")))
    assert "4711" not in server_logs  # ... but not the question, which the exception message quotes


def test_access_log_has_no_bodies(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client.post("/api/ask", json={"question": "Moje zasebno vprašanje 8812"})
    client.post("/api/ask", json={"question": ""})
    client.get("/api/sources/prirocnik-zpkz-ig:obiski:1?window=2")
    access = [r.getMessage() for r in caplog.records if r.name == "assistant.api.access"]
    assert "POST /api/ask 200" in access[0]
    assert "GET /api/sources/{chunk_id} 200" in access[2]  # route template, not the value, no query
    server_logs = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore")))
    assert "8812" not in server_logs
    assert "window=2" not in server_logs
