"""Staff authentication, feedback storage and export, the eval report page."""

from __future__ import annotations

import csv
import hashlib
import io
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.api.auth import StaffAuthenticator, hash_password, verify_password
from assistant.config import Settings
from tests.api.conftest import basic, bearer
from tests.api.fakes import FakeAssistant, FakeCalculator

STAFF_ROUTES = [
    ("GET", "/staff"),
    ("GET", "/staff/static/staff.js"),
    ("POST", "/staff/api/ask"),
    ("POST", "/staff/api/ask/stream"),
    ("GET", "/staff/feedback.csv"),
    ("GET", "/staff/eval"),
    ("GET", "/staff/eval/files/plot.png"),
    ("POST", "/api/feedback"),
    ("GET", "/staff/does-not-exist"),
]


# --- password hashing ---------------------------------------------------------------------------------------


def test_hash_and_verify() -> None:
    encoded = hash_password("skrivnost", iterations=1000)
    algorithm, iterations, salt, digest = encoded.split("$")
    assert (algorithm, iterations) == ("pbkdf2_sha256", "1000")
    assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(digest)) == 32
    assert verify_password("skrivnost", encoded)
    assert not verify_password("Skrivnost", encoded)
    assert hash_password("skrivnost", iterations=1000) != encoded  # random salt


def test_format_matches_hashlib() -> None:
    encoded = hash_password("geslo", iterations=7, salt=b"\x01" * 16)
    expected = hashlib.pbkdf2_hmac("sha256", b"geslo", b"\x01" * 16, 7).hex()
    assert encoded == f"pbkdf2_sha256$7${'01' * 16}${expected}"
    assert verify_password("geslo", encoded)


@pytest.mark.parametrize(
    "encoded",
    [
        "",
        "plain",
        "md5$1$00$00",
        "pbkdf2_sha256$x$00$00",
        "pbkdf2_sha256$1000$zz$00",
        "pbkdf2_sha256$0$00$00",
        "pbkdf2_sha256$1000$00$",
    ],
)
def test_malformed_hashes_never_match(encoded: str) -> None:
    assert not verify_password("anything", encoded)


def test_empty_password_cannot_be_hashed() -> None:
    with pytest.raises(ValueError):
        hash_password("")


def test_authenticator_caches_success_but_not_failure() -> None:
    auth = StaffAuthenticator({"ana": hash_password("pravo", iterations=1000)}, ["tok"])
    assert auth.check_password("ana", "pravo") is not None
    assert auth.check_password("ana", "pravo") is not None  # from the cache
    assert auth.check_password("ana", "narobe") is None
    assert auth.check_password("nihče", "pravo") is None
    assert auth.authenticate("Bearer tok") is not None
    assert auth.authenticate("Bearer tok2") is None
    assert auth.authenticate("Basic !!!") is None
    assert auth.authenticate("Digest abc") is None


# --- 401s ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), STAFF_ROUTES)
def test_staff_routes_need_login(client: TestClient, method: str, path: str) -> None:
    for headers in (
        {},
        basic(password="narobe"),
        basic(user="mallory"),
        bearer("wrong"),
        {"Authorization": "Basic not-base64!"},
    ):
        r = client.request(method, path, headers=headers, json={"question": "x", "rating": "up"})
        assert r.status_code == 401, (path, headers)
        assert r.headers["www-authenticate"].startswith('Basic realm="')
        assert r.json() == {"detail": "Potrebna je prijava osebja.", "field": None}


def test_basic_and_bearer_work(client: TestClient) -> None:
    page = client.get("/staff", headers=basic())
    assert page.status_code == 200 and "Zaporni pomočnik – osebje" in page.text
    assert client.get("/staff", headers=bearer()).status_code == 200
    assert client.get("/staff/static/staff.js", headers=basic()).headers["content-type"].startswith("text/javascript")
    assert client.get("/staff/static/staff.css", headers=basic()).status_code == 200
    assert client.get("/staff/static/index.html", headers=basic()).status_code == 404
    assert client.get("/staff/static/..%2Fauth.py", headers=basic()).status_code == 404


def test_unknown_staff_path_is_404_after_login(client: TestClient) -> None:
    r = client.get("/staff/does-not-exist", headers=basic())
    assert r.status_code == 404
    assert r.json() == {"detail": "Strani ni mogoče najti.", "field": None}
    r = client.get("/staff/", headers=basic(), follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/staff"


def test_no_staff_configured_means_no_access(settings_factory: Callable[..., Settings]) -> None:
    app = create_app(
        settings_factory(staff_users={}, staff_tokens=[]),
        assistant=FakeAssistant(),
        calculator=FakeCalculator(),
    )
    with TestClient(app) as client:
        assert client.get("/staff", headers=basic()).status_code == 401
        assert client.get("/staff", headers={"Authorization": "Bearer "}).status_code == 401


def test_staff_ask_shows_diagnostics(client: TestClient) -> None:
    r = client.post("/staff/api/ask", json={"question": "Kolikokrat me lahko obiščejo?"}, headers=basic())
    assert r.status_code == 200
    body = r.json()
    assert body["diagnostics"] == {"verifier": [{"sentence": 1, "kept": True}]}
    assert body["retrieval_query"] == "obisk tedensko"
    assert body["sources"][0]["score"] == 0.82


# --- feedback -----------------------------------------------------------------------------------------------


def _db_bytes(path: Path) -> bytes:
    data = b""
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        if p.exists():
            data += p.read_bytes()
    return data


def test_feedback_roundtrip_through_csv(client: TestClient, settings: Settings) -> None:
    assert not settings.feedback_db.parent.exists()  # created on first use
    entries = [
        {
            "rating": "up",
            "comment": "Točno, z virom.",
            "chunk_id": "prirocnik-zpkz-ig:obiski:1",
            "source_ids": ["prirocnik-zpkz-ig:obiski:1"],
            "mode": "llm",
        },
        {
            "rating": "down",
            "comment": 'Napačno: "dvakrat", ne\n"enkrat"; glej, odst. 3',
            "question": "Obiski?",
            "answer": "Enkrat na teden. [1]",
            "source_ids": ["a:1", "b:2"],
            "mode": "extractive",
        },
        {"rating": "down", "comment": '=HYPERLINK("x")'},
    ]
    for i, entry in enumerate(entries):
        headers = basic() if i % 2 == 0 else bearer()
        r = client.post("/api/feedback", json=entry, headers=headers)
        assert r.status_code == 201, r.text
        assert r.json()["id"] == i + 1
    r = client.get("/staff/feedback.csv", headers=basic())
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    assert rows[0]["staff_user"] == "ana" and rows[1]["staff_user"] == "token-1"
    assert rows[0]["rating"] == "up" and rows[0]["chunk_id"] == "prirocnik-zpkz-ig:obiski:1"
    assert rows[1]["comment"] == entries[1]["comment"]
    assert rows[1]["question"] == "Obiski?" and rows[1]["answer"] == "Enkrat na teden. [1]"
    assert rows[1]["source_ids"] == "a:1 b:2" and rows[1]["mode"] == "extractive"
    assert rows[2]["comment"] == '\'=HYPERLINK("x")'  # not evaluated by a spreadsheet
    conn = sqlite3.connect(settings.feedback_db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert 'assistant_feedback_total{rating="down"} 2' in client.get("/metrics", headers=bearer()).text


@pytest.mark.parametrize(
    "payload", [{"rating": "meh"}, {"rating": "up", "comment": "x" * 5000}, {"rating": "up", "extra": 1}, {}]
)
def test_invalid_feedback_is_422(client: TestClient, payload: dict[str, object]) -> None:
    r = client.post("/api/feedback", json=payload, headers=basic())
    assert r.status_code == 422
    assert r.json()["field"] in {"rating", "comment", "extra"}


def test_kiosk_questions_never_reach_the_feedback_db(client: TestClient, settings: Settings) -> None:
    secret = "Moj mož me ne obiskuje več 9931"
    client.post("/api/ask", json={"question": secret})
    client.post("/api/ask/stream", json={"question": secret + " stream"})
    client.post("/api/feedback", json={"rating": "up", "chunk_id": "prirocnik-zpkz-ig:obiski:1"}, headers=basic())
    assert b"9931" not in _db_bytes(settings.feedback_db)
    assert "9931" not in client.get("/staff/feedback.csv", headers=basic()).text
    # only when a staff member submits it does the text get stored
    client.post("/api/feedback", json={"rating": "down", "question": secret}, headers=basic())
    assert "9931" in client.get("/staff/feedback.csv", headers=basic()).text


def test_kiosk_text_is_not_written_anywhere_on_disk(settings_factory: Callable[..., Settings], tmp_path: Path) -> None:
    app = create_app(settings_factory(), assistant=FakeAssistant(), calculator=FakeCalculator())
    with TestClient(app) as client:
        client.post("/api/ask", json={"question": "Zasebno 5523"})
        client.post("/api/feedback", json={"rating": "up"}, headers=basic())
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"5523" not in path.read_bytes(), path


# --- eval report --------------------------------------------------------------------------------------------


def test_eval_page_without_a_report(client: TestClient) -> None:
    r = client.get("/staff/eval", headers=basic())
    assert r.status_code == 404
    assert "text/html" in r.headers["content-type"]
    assert "Poročilo evalvacije še ne obstaja" in r.text


def test_eval_page_with_report_and_plots(client: TestClient, settings: Settings) -> None:
    directory = settings.eval_report_dir
    directory.mkdir(parents=True)
    (directory / "report.md").write_text("# Evalvacija\n\nrecall@5 = 0.91 <script>x</script>\n", encoding="utf-8")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    (directory / "recall.png").write_bytes(png)
    r = client.get("/staff/eval", headers=basic())
    assert r.status_code == 200
    assert "recall@5 = 0.91 &lt;script&gt;" in r.text
    assert '<img src="/staff/eval/files/recall.png"' in r.text
    img = client.get("/staff/eval/files/recall.png", headers=basic())
    assert img.status_code == 200 and img.content == png and img.headers["content-type"] == "image/png"
    assert client.get("/staff/eval/files/other.png", headers=basic()).status_code == 404
    assert client.get("/staff/eval/files/report.md", headers=basic()).status_code == 404
