"""Health, readiness, metrics, OpenAPI, the lazy real components and the server entry point."""

from __future__ import annotations

import threading
from collections.abc import Callable

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.api.metrics import Metrics
from assistant.api.routes import ask, calc, feedback, health, sources, staff, topics
from assistant.api.server import log_config
from assistant.calculator import INPUT_MODELS
from assistant.config import Settings
from tests.api.conftest import bearer
from tests.api.fakes import FakeAssistant, FakeCalculator


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_ready(client: TestClient) -> None:
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json() == {
        "ready": True,
        "index": "ok",
        "embedder": "loaded",
        "generator": "llama_cpp loaded",
        "calculator": "ok",
        "problems": [],
    }


def test_readyz_not_ready_names_the_part(settings_factory: Callable[..., Settings]) -> None:
    fake = FakeAssistant(ready=False, generator="extractive (degraded: GGUF not found)")
    app = create_app(settings_factory(), assistant=fake, calculator=FakeCalculator())
    with TestClient(app) as client:
        r = client.get("/readyz")
    assert r.status_code == 503
    body = r.json()
    assert body["ready"] is False
    assert body["problems"] == [
        "index: index missing: run `assistant index`",
        "generator: extractive (degraded: GGUF not found)",
    ]


def test_readyz_while_loading_and_after_a_load_error(settings_factory: Callable[..., Settings]) -> None:
    gate = threading.Event()

    def slow_factory() -> FakeAssistant:
        gate.wait(5)
        raise FileNotFoundError("indexes/handbook.faiss")

    app = create_app(settings_factory(), calculator=FakeCalculator())
    app.state.services.assistant._factory = slow_factory
    with TestClient(app) as client:
        r = client.get("/readyz")
        assert r.status_code == 503
        assert r.json()["index"] == "loading"
        gate.set()
        for _ in range(100):
            if app.state.services.assistant.error is not None:
                break
            threading.Event().wait(0.02)
        r = client.get("/readyz")
        assert r.status_code == 503
        assert r.json()["index"] == "error: FileNotFoundError: indexes/handbook.faiss"
        r = client.post("/api/ask", json={"question": "Obiski?"})
        assert r.status_code == 500


def test_questions_get_503_while_the_models_load(settings_factory: Callable[..., Settings]) -> None:
    gate = threading.Event()

    def slow_factory() -> FakeAssistant:
        gate.wait(5)
        return FakeAssistant()

    app = create_app(settings_factory(), calculator=FakeCalculator())
    app.state.services.assistant._factory = slow_factory
    with TestClient(app) as client:
        for path in ("/api/ask", "/api/ask/stream"):
            r = client.post(path, json={"question": "Obiski?", "language": "en"})
            assert r.status_code == 503
            assert r.headers["retry-after"] == "30"
            assert r.json()["detail"] == "The assistant is still starting. Please try again in a minute."
        gate.set()
        for _ in range(200):
            if app.state.services.assistant.warmed:
                break
            threading.Event().wait(0.02)
        assert client.post("/api/ask", json={"question": "Obiski?"}).status_code == 200


def test_real_assistant_is_built_lazily_and_warmed(settings_factory: Callable[..., Settings]) -> None:
    built: list[FakeAssistant] = []

    def factory() -> FakeAssistant:
        built.append(FakeAssistant())
        return built[-1]

    app = create_app(settings_factory(), calculator=FakeCalculator(), load_on_startup=False)
    app.state.services.assistant._factory = factory
    with TestClient(app) as client:
        assert built == []
        assert client.get("/readyz").json()["index"] == "loading"
        assert client.post("/api/ask", json={"question": "Obiski?"}).status_code == 200
        assert len(built) == 1 and built[0].warmed == 1
        client.post("/api/ask", json={"question": "Obiski?"})
        assert len(built) == 1
        assert client.get("/readyz").status_code == 200


def test_injected_assistant_is_warmed_at_startup(settings: Settings) -> None:
    fake = FakeAssistant()
    app = create_app(settings, assistant=fake, calculator=FakeCalculator())
    with TestClient(app) as client:
        client.get("/healthz")
        for _ in range(100):
            if fake.warmed:
                break
            threading.Event().wait(0.02)
    assert fake.warmed == 1


def test_metrics_exposition(client: TestClient) -> None:
    client.post("/api/ask", json={"question": "Obiski?"})
    client.post("/api/ask", json={"question": "Ali bo jutri vreme?"})
    client.post("/api/ask/stream", json={"question": "Hočem umreti."})
    client.post("/api/ask", json={"question": ""})
    client.get("/api/sources/nope:1")
    r = client.get("/metrics", headers=bearer())
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = r.text
    for line in [
        'assistant_http_requests_total{route="/api/ask",method="POST",status="200"} 2',
        'assistant_http_requests_total{route="/api/ask",method="POST",status="422"} 1',
        'assistant_http_requests_total{route="/api/sources/{chunk_id}",method="GET",status="404"} 1',
        'assistant_answers_total{mode="llm"} 1',
        'assistant_answers_total{mode="refusal"} 1',
        'assistant_answers_total{mode="crisis"} 1',
        "assistant_refusals_total 1",
        "assistant_queue_depth 0",
        "assistant_sessions_active 3",
        "# TYPE assistant_http_request_duration_seconds histogram",
        'assistant_http_request_duration_seconds_count{route="/api/ask"} 3',
        'assistant_http_request_duration_seconds_bucket{route="/api/ask",le="+Inf"} 3',
    ]:
        assert line in text, line
    assert "nope:1" not in text  # route templates only


def test_metrics_render_is_valid_exposition() -> None:
    metrics = Metrics()
    metrics.requests.inc(route='/a"b', method="GET", status="200")
    metrics.latency.observe(0.3, route="/a")
    lines = metrics.render().splitlines()
    assert 'assistant_http_requests_total{route="/a\\"b",method="GET",status="200"} 1' in lines
    assert 'assistant_http_request_duration_seconds_bucket{route="/a",le="0.25"} 0' in lines
    assert 'assistant_http_request_duration_seconds_bucket{route="/a",le="0.5"} 1' in lines
    assert 'assistant_http_request_duration_seconds_sum{route="/a"} 0.3' in lines
    for line in lines:
        assert line.startswith("#") or " " in line


def test_openapi_lists_every_route_with_documented_responses(client: TestClient) -> None:
    r = client.get("/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    paths = schema["paths"]
    routes = [
        route
        for module in (ask, calc, feedback, health, sources, staff, topics)
        for route in module.router.routes
        if isinstance(route, APIRoute) and route.include_in_schema
    ]
    routes += [route for route in client.app.routes if isinstance(route, APIRoute)]
    assert len(routes) == 21 + len(INPUT_MODELS)  # a POST /api/calc/{kind} for every kind, HEAD on health
    for route in routes:
        assert route.path in paths, route.path
        for method in route.methods:
            operation = paths[route.path][method.lower()]
            assert operation.get("summary"), route.path
            assert operation["responses"], route.path
    ask_doc = paths["/api/ask"]["post"]["responses"]
    assert set(ask_doc) >= {"200", "422", "500", "503", "504"}
    assert ask_doc["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    assert "text/event-stream" in paths["/api/ask/stream"]["post"]["responses"]["200"]["content"]
    assert "/api/calc/{kind}" not in paths
    for kind in INPUT_MODELS:
        assert set(paths[f"/api/calc/{kind}"]["post"]["responses"]) >= {"200", "404", "422", "503"}
    assert set(paths["/healthz"]) == {"get", "head"} and set(paths["/readyz"]) == {"get", "head"}
    assert "401" in paths["/api/feedback"]["post"]["responses"]
    assert "401" in paths["/staff/feedback.csv"]["get"]["responses"]
    assert "503" in paths["/readyz"]["get"]["responses"]
    assert "HTTPValidationError" not in schema["components"]["schemas"]  # our 422 body everywhere


def test_docs_pages_are_off(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404  # they would load scripts from a CDN


def test_server_log_config_drops_uvicorn_access_log() -> None:
    config = log_config()
    assert config["loggers"]["uvicorn.access"]["handlers"] == []
    assert config["loggers"]["uvicorn.access"]["propagate"] is False
