"""The API contract: schemathesis against the app built with the test fakes, and the fixes it asked for.

Every documented operation is exercised with schema-based examples (positive and negative, plus schemathesis'
coverage cases such as undeclared methods); the run asserts no server error (5xx), responses that match the
documented status codes, media types, headers and body schemas, and 405 with ``Allow`` for undeclared methods.
Examples are bounded (30 per operation) and derandomized, so the run is the same every time: about 40 s
on 2 busy cores.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from assistant.api.app import create_app
from assistant.api.auth import hash_password
from assistant.api.speech import Synthesizer
from assistant.calculator import INPUT_MODELS, Calculator
from assistant.config import Settings
from tests.api.conftest import STAFF_PASSWORD, STAFF_TOKEN, STAFF_USER, basic, bearer
from tests.api.fakes import FakeAssistant, FakeCalculator, FakeEspeak

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    unsupported_method,
    allow_header_conformance,
]
EXAMPLES = 30  # per operation: the whole run stays well under 2 minutes on 2 cores


def _app(settings: Settings, calculator: Any) -> FastAPI:
    app = create_app(settings, assistant=FakeAssistant(), calculator=calculator)
    app.state.speech = Synthesizer(runner=FakeEspeak())  # never runs espeak-ng
    return app


def _settings(directory: Path) -> Settings:
    """The API tests' settings (see ``settings_factory`` in conftest.py) in ``directory``."""
    return Settings(
        feedback_db=directory / "var" / "feedback.sqlite3",
        eval_report_dir=directory / "eval-run",
        staff_users={STAFF_USER: hash_password(STAFF_PASSWORD, iterations=1000)},
        staff_tokens=[STAFF_TOKEN],
        request_timeout_s=5.0,
        queue_size=4,
    )


# schemathesis' pytest plugin needs the schemas at collection time (its fixture loader does not run on pytest 9)
_TMP = tempfile.TemporaryDirectory(prefix="contract-")
CONTRACT = schemathesis.openapi.from_asgi("/openapi.json", _app(_settings(Path(_TMP.name) / "fakes"), FakeCalculator()))
REAL_CALCULATOR = schemathesis.openapi.from_asgi(
    "/openapi.json", _app(_settings(Path(_TMP.name) / "real"), Calculator())
).include(path_regex="^/api/calc")


@CONTRACT.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_the_contract(case: Any) -> None:
    """The app with the fake assistant and calculator, logged in as staff (so staff routes do more than 401)."""
    case.call_and_validate(headers=bearer(), checks=CHECKS)


@REAL_CALCULATOR.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_the_real_calculator_keeps_the_contract(case: Any) -> None:
    """The calculation operations with the real (deterministic, model-free) calculator."""
    case.call_and_validate(checks=CHECKS)


# --- what the contract run found, pinned ---------------------------------------------------------------------


@pytest.fixture
def real_client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(_app(settings, Calculator())) as test_client:
        yield test_client


def test_each_calculation_documents_its_request_body(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    calculator = Calculator()
    for kind in INPUT_MODELS:
        body = paths[f"/api/calc/{kind}"]["post"]["requestBody"]
        assert body["required"] is True
        schema = body["content"]["application/json"]["schema"]
        assert schema == calculator.input_schema(kind)
        assert not jsonschema_rs.validator_for(schema).is_valid({}), kind  # {} is documented as invalid
    leave = jsonschema_rs.validator_for(paths["/api/calc/leave_days"]["post"]["requestBody"]["content"]
                                        ["application/json"]["schema"])  # fmt: skip
    assert leave.is_valid({"full_time_months": 5})
    assert not leave.is_valid({"hours_worked_per_month": [100]})  # the monthly hours are needed too
    assert not leave.is_valid({"full_time_months": 5, "bogus": 1})


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/staff/api/ask", "POST"),
        ("GET", "/staff/api/ask/stream", "POST"),
        ("DELETE", "/staff/feedback.csv", "GET"),
        ("POST", "/staff/eval", "GET"),
        ("PATCH", "/staff/static/staff.js", "GET"),
        ("PUT", "/staff/eval/files/a.png", "GET"),
        ("DELETE", "/staff", "GET"),
        ("PUT", "/api/ask", "POST"),
        ("GET", "/api/calc/leave_days", "POST"),
        ("DELETE", "/api/calc", "GET"),
        ("POST", "/healthz", "GET, HEAD"),
        ("OPTIONS", "/readyz", "GET, HEAD"),
        ("PUT", "/", "GET"),
    ],
)
def test_undeclared_methods_are_405_with_allow_before_login(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    r = client.request(method, path)
    assert r.status_code == 405, r.text
    assert r.headers["allow"] == allow
    assert r.json() == {"detail": "Ta metoda ni dovoljena.", "field": None}


def test_staff_paths_that_do_not_exist_still_need_login(client: TestClient) -> None:
    assert client.put("/staff/nothing-here").status_code == 401
    assert client.get("/staff/nothing-here", headers=basic()).status_code == 404
    assert client.post("/staff/api/ask", json={"question": "Kdaj so obiski?"}).status_code == 401


def test_head_on_health_routes(client: TestClient) -> None:
    r = client.head("/healthz")
    assert (r.status_code, r.content) == (200, b"")
    r = client.head("/readyz")
    assert (r.status_code, r.content) == (200, b"")
    assert client.get("/readyz").status_code == 200


def test_head_readyz_says_503_when_not_ready(settings_factory: Callable[..., Settings]) -> None:
    app = create_app(settings_factory(), assistant=FakeAssistant(), calculator=FakeCalculator())
    app.state.services.calculator._factory = lambda: (_ for _ in ()).throw(ImportError("no calculator"))
    app.state.services.calculator._instance = None
    with TestClient(app) as client:
        assert client.head("/readyz").status_code == 503
        assert client.get("/readyz").status_code == 503


@pytest.mark.parametrize("question", ["\u200b", "\x00", " \u200b\u200c\u200d\ufeff\x00\t", "\ufeff\u200d"])
@pytest.mark.parametrize("path", ["/api/ask", "/api/ask/stream", "/staff/api/ask"])
def test_invisible_questions_are_422(client: TestClient, question: str, path: str) -> None:
    r = client.post(path, json={"question": question}, headers=basic())
    assert r.status_code == 422
    assert r.json() == {"detail": "Vprašanje je prazno. Napišite vprašanje.", "field": "question"}


def test_a_question_with_a_zero_width_space_inside_is_answered(client: TestClient) -> None:
    assert client.post("/api/ask", json={"question": "Kdaj so\u200b obiski?"}).status_code == 200


@pytest.mark.parametrize(
    ("kind", "inputs", "field"),
    [
        ("early_release", {"sentence_start_date": "0025-03-15", "sentence_length_months": 12}, "sentence_start_date"),
        ("release_day", {"last_day_of_sentence": "+02025-03-15"}, "last_day_of_sentence"),
        ("release_day", {"last_day_of_sentence": "25-03-15"}, "last_day_of_sentence"),
        ("child_stay", {"child_birth_date": "1989-12-31", "mother_last_day_of_sentence": "2026-01-01"},
         "child_birth_date"),
        ("sentence_end", {"sentence_start_date": "2025-03-15", "sentence_length_months": 1,
                          "credited_pripor_days": 200}, "credited_pripor_days"),
    ],
)  # fmt: skip
def test_impossible_dates_and_pripor_are_422_naming_the_field(
    real_client: TestClient, kind: str, inputs: dict[str, Any], field: str
) -> None:
    r = real_client.post(f"/api/calc/{kind}", json=inputs)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field


def test_calculations_of_every_kind_and_unknown_kinds(real_client: TestClient) -> None:
    r = real_client.post(
        "/api/calc/sentence_end", json={"sentence_start_date": "2025-03-15", "sentence_length_months": 12}
    )
    assert r.status_code == 200, r.text
    assert r.json()["outputs"]["last_day_of_sentence"] == "2026-03-14"
    r = real_client.post("/api/calc/nope", json={})
    assert (r.status_code, r.json()["field"]) == (404, "kind")
