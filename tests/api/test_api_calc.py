"""The calculator endpoints, with the fake and (when importable) the real calculator."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.config import Settings
from tests.api.conftest import bearer
from tests.api.fakes import FakeAssistant


def test_list_kinds_with_schemas(client: TestClient) -> None:
    r = client.get("/api/calc")
    assert r.status_code == 200
    kinds = r.json()["kinds"]
    assert [k["kind"] for k in kinds] == ["leave_days"]
    assert "full_time_months" in kinds[0]["input_schema"]["properties"]


def test_calculate(client: TestClient) -> None:
    r = client.post("/api/calc/leave_days", json={"full_time_months": 5})
    assert r.status_code == 200
    body = r.json()
    assert body["kind"] == "leave_days"
    assert body["outputs"] == {"leave_days": 10}
    assert body["inputs"] == {"full_time_months": 5}
    assert body["citations"][0]["chunk_id"] == "prirocnik-zpkz-ig:delo-v-zaporu:5"
    assert body["summary"] == "Pripada vam 10 dni."


@pytest.mark.parametrize(
    ("inputs", "detail", "field"),
    [
        ({"full_time_months": -3}, "Število mesecev dela ne sme biti negativno.", "full_time_months"),
        ({"full_time_months": "pet"}, "Število mesecev dela mora biti celo število.", "full_time_months"),
        ({}, "Manjka število mesecev dela.", "full_time_months"),
        ({"bogus": 1}, "Neznan podatek »bogus«.", "bogus"),
    ],
)
def test_invalid_inputs_are_422_with_the_calculators_message(
    client: TestClient, inputs: dict[str, object], detail: str, field: str
) -> None:
    r = client.post("/api/calc/leave_days", json=inputs)
    assert r.status_code == 422
    assert r.json() == {"detail": detail, "field": field}


def test_missing_body_is_422(client: TestClient) -> None:
    r = client.post("/api/calc/leave_days")
    assert r.status_code == 422
    assert r.json() == {"detail": "Telo zahteve mora biti objekt JSON.", "field": None}


def test_non_object_body_is_422(client: TestClient) -> None:
    r = client.post("/api/calc/leave_days", json=[1, 2])
    assert r.status_code == 422
    assert r.json() == {"detail": "Telo zahteve mora biti objekt JSON.", "field": None}


def test_unknown_kind_is_404(client: TestClient) -> None:
    r = client.post("/api/calc/horoscope", json={})
    assert r.status_code == 404
    assert r.json() == {"detail": "Izračun »horoscope« ne obstaja.", "field": "kind"}
    r = client.post("/api/calc/horoscope", json={}, headers={"Accept-Language": "en"})
    assert r.json()["detail"] == 'The calculation "horoscope" does not exist.'


def test_calculations_are_counted(client: TestClient) -> None:
    client.post("/api/calc/leave_days", json={"full_time_months": 1})
    client.post("/api/calc/leave_days", json={"full_time_months": -1})
    text = client.get("/metrics", headers=bearer()).text
    assert 'assistant_calculations_total{kind="leave_days",outcome="ok"} 1' in text
    assert 'assistant_calculations_total{kind="leave_days",outcome="invalid"} 1' in text


def test_calculator_that_cannot_load_is_503(settings_factory: Callable[..., Settings]) -> None:
    app = create_app(settings_factory(), assistant=FakeAssistant())
    app.state.services.calculator._factory = lambda: (_ for _ in ()).throw(ImportError("no calculator"))
    with TestClient(app) as client:
        r = client.get("/api/calc")
        assert r.status_code == 503
        assert r.json() == {"detail": "Izračuni trenutno niso na voljo.", "field": None}
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert "calculator: error: ImportError: no calculator" in ready.json()["problems"]


# --- the real calculator, when the colleague's module is importable -----------------------------------------


def _real_calculator() -> object:
    try:
        from assistant.calculator import Calculator
    except ImportError as exc:
        pytest.skip(f"assistant.calculator is not importable yet: {exc}")
    return Calculator()


@pytest.fixture
def real_client(settings: Settings) -> TestClient:
    app = create_app(settings, assistant=FakeAssistant(), calculator=_real_calculator())
    with TestClient(app) as test_client:
        yield test_client


def test_real_calculator_kinds_and_schemas(real_client: TestClient) -> None:
    kinds = {k["kind"]: k["input_schema"] for k in real_client.get("/api/calc").json()["kinds"]}
    assert "leave_days" in kinds
    assert "full_time_months" in kinds["leave_days"]["properties"]


def test_real_calculator_leave_days(real_client: TestClient) -> None:
    r = real_client.post("/api/calc/leave_days", json={"full_time_months": 5})
    assert r.status_code == 200, r.text
    assert r.json()["outputs"]["leave_days"] == 10


def test_real_calculator_rejects_negative_months(real_client: TestClient) -> None:
    r = real_client.post("/api/calc/leave_days", json={"full_time_months": -3})
    assert r.status_code == 422
    body = r.json()
    assert body["field"] == "full_time_months"
    assert "negativn" in body["detail"]


def test_real_calculator_unknown_kind(real_client: TestClient) -> None:
    r = real_client.post("/api/calc/nope", json={})
    assert r.status_code == 404
    assert r.json()["detail"] == "Izračun »nope« ne obstaja."


def test_real_calculator_dates_serialise(real_client: TestClient) -> None:
    r = real_client.post("/api/calc/release_day", json={"last_day_of_sentence": "2025-06-01"})
    assert r.status_code == 200, r.text
    assert r.json()["outputs"]["release_date"] == "2025-05-30"  # Sunday 1 June → Friday 30 May
