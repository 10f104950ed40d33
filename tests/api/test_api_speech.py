"""Reading aloud: ``GET /api/speech`` (espeak-ng → WAV), its cache, limits and errors."""

from __future__ import annotations

import io
import logging
import shutil
import stat
import threading
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.api.speech import SpeechError, SpeechSettings, Synthesizer, cache_key, fix_wav_sizes
from tests.api.fakes import FakeEspeak, streamed_wav

ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed (apt-get install espeak-ng)")

TEXTS = {
    "sl": "Kadarkoli lahko brezplačno pokličete Varuha človekovih pravic na 080 15 30 in policijo na 112.",
    "en": "At any time you can call the Human Rights Ombudsman free of charge on 080 15 30.",
    "bcs": "U bilo koje vrijeme možete besplatno nazvati Zaštitnika ljudskih prava na 080 15 30.",
}


def _use(app: FastAPI, synthesizer: Synthesizer) -> Synthesizer:
    app.state.speech = synthesizer
    return synthesizer


@pytest.fixture
def fake_espeak(app: FastAPI) -> Iterator[FakeEspeak]:
    runner = FakeEspeak()
    _use(app, Synthesizer(SpeechSettings(binary=shutil.which("sh") or "/bin/sh"), runner=runner))
    yield runner


def _check_wav(body: bytes, min_seconds: float) -> None:
    assert body[:4] == b"RIFF" and body[8:12] == b"WAVE"
    assert int.from_bytes(body[4:8], "little") == len(body) - 8  # real sizes, not espeak-ng's placeholders
    with wave.open(io.BytesIO(body)) as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
        assert wav.getnframes() / wav.getframerate() >= min_seconds
        assert wav.getnframes() * 2 + 44 == len(body)


@needs_espeak
@pytest.mark.parametrize("lang", ["sl", "en", "bcs"])
def test_speech_is_wav_in_each_language(client: TestClient, lang: str) -> None:
    r = client.get("/api/speech", params={"text": TEXTS[lang], "lang": lang, "rate": 0.85})
    assert r.status_code == 200
    assert r.headers["content-type"] == "audio/wav"
    assert r.headers["cache-control"] == "no-store"
    assert len(r.content) > 50_000
    _check_wav(r.content, min_seconds=2.0)


@needs_espeak
def test_speech_voices_and_rate(client: TestClient) -> None:
    slow = client.get("/api/speech", params={"text": TEXTS["sl"], "lang": "sl", "rate": 0.6}).content
    fast = client.get("/api/speech", params={"text": TEXTS["sl"], "lang": "sl", "rate": 1.6}).content
    assert len(slow) > 1.5 * len(fast)


@needs_espeak
def test_second_call_is_cached(client: TestClient) -> None:
    params = {"text": TEXTS["en"], "lang": "en"}
    first = client.get("/api/speech", params=params)
    second = client.get("/api/speech", params=params)
    assert first.headers["x-speech-cache"] == "miss"
    assert second.headers["x-speech-cache"] == "hit"
    assert second.content == first.content
    synthesizer: Synthesizer = client.app.state.speech  # type: ignore[attr-defined]
    assert synthesizer.runs == 1
    other = client.get("/api/speech", params={**params, "rate": 1.2})
    assert other.headers["x-speech-cache"] == "miss" and synthesizer.runs == 2


def test_text_goes_to_stdin_never_to_the_command_line_or_the_log(
    client: TestClient, fake_espeak: FakeEspeak, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "Mojca Novak bo prišla v torek"
    with caplog.at_level(logging.DEBUG):
        r = client.get("/api/speech", params={"text": f"  {secret}\n", "lang": "bcs", "rate": 0.8})
    assert r.status_code == 200
    assert fake_espeak.inputs == [secret.encode()]
    command = fake_espeak.commands[0]
    assert command[1:] == ["-v", "hr", "-s", "140", "--stdin", "--stdout"]
    assert all("Mojca" not in part for part in command)
    server_log = "\n".join(
        f"{rec.getMessage()} {rec.args}" for rec in caplog.records if not rec.name.startswith("httpx")
    )  # the test client's own request log is not the server's
    assert "speech: bcs" in server_log and "GET /api/speech 200" in server_log
    assert "Mojca" not in server_log and "torek" not in server_log


@pytest.mark.parametrize(
    ("lang", "voice"), [("sl", "sl"), ("en", "en"), ("bcs", "hr"), ("hr", "hr"), ("sr", "hr"), ("bs", "hr")]
)
def test_voice_per_language(client: TestClient, fake_espeak: FakeEspeak, lang: str, voice: str) -> None:
    assert client.get("/api/speech", params={"text": "Dober dan.", "lang": lang}).status_code == 200
    assert fake_espeak.commands[-1][1:5] == ["-v", voice, "-s", "175"]


def test_too_long_text_is_422(client: TestClient, fake_espeak: FakeEspeak) -> None:
    limit = SpeechSettings().max_chars
    assert client.get("/api/speech", params={"text": "a" * limit}).status_code == 200
    r = client.get("/api/speech", params={"text": "a" * (limit + 1)})
    assert r.status_code == 422
    assert r.json() == {
        "detail": f"Besedilo je predolgo za branje na glas. Največ {limit} znakov.",
        "field": "text",
    }
    r = client.get("/api/speech", params={"text": "a" * (limit + 1), "lang": "en"})
    assert r.json()["detail"] == f"The text is too long to read aloud. At most {limit} characters."
    assert len(fake_espeak.commands) == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"text": " \n "}, "text"),
        ({}, "text"),
        ({"text": "Dober dan.", "lang": "de"}, "lang"),
        ({"text": "Dober dan.", "rate": "0.1"}, "rate"),
        ({"text": "Dober dan.", "rate": "3"}, "rate"),
        ({"text": "Dober dan.", "rate": "hitro"}, "rate"),
    ],
)
def test_bad_requests_are_422(client: TestClient, fake_espeak: FakeEspeak, params: dict[str, str], field: str) -> None:
    r = client.get("/api/speech", params=params)
    assert r.status_code == 422
    assert r.json()["field"] == field
    assert not fake_espeak.commands


def test_missing_espeak_is_503_in_slovenian(client: TestClient, app: FastAPI) -> None:
    _use(app, Synthesizer(SpeechSettings(binary="/nonexistent/espeak-ng")))
    r = client.get("/api/speech", params={"text": "Dober dan."})
    assert r.status_code == 503
    assert r.json() == {"detail": "Branje na glas trenutno ni na voljo. Vprašajte osebje.", "field": None}


def test_slow_espeak_is_killed_and_504(client: TestClient, app: FastAPI, tmp_path: Path) -> None:
    slow = tmp_path / "espeak-ng"
    slow.write_text("#!/bin/sh\nexec sleep 30\n")
    slow.chmod(slow.stat().st_mode | stat.S_IXUSR)
    _use(app, Synthesizer(SpeechSettings(binary=str(slow), timeout_s=0.3)))
    r = client.get("/api/speech", params={"text": "Dober dan."})
    assert r.status_code == 504
    assert r.json()["detail"] == "Priprava branja je trajala predolgo. Poskusite znova."


def test_failing_espeak_is_500(client: TestClient, app: FastAPI, tmp_path: Path) -> None:
    broken = tmp_path / "espeak-ng"
    broken.write_text("#!/bin/sh\necho 'cannot read the text' >&2\nexit 1\n")
    broken.chmod(broken.stat().st_mode | stat.S_IXUSR)
    _use(app, Synthesizer(SpeechSettings(binary=str(broken))))
    r = client.get("/api/speech", params={"text": "Dober dan.", "lang": "en"})
    assert r.status_code == 500
    assert r.json()["detail"] == "The text could not be read aloud."


def test_busy_is_503_with_retry_after(client: TestClient, app: FastAPI) -> None:
    gate = threading.Event()
    runner = FakeEspeak(gate=gate)
    _use(app, Synthesizer(SpeechSettings(binary="sh", max_concurrent=1, timeout_s=0.3), runner=runner))
    worker = threading.Thread(target=lambda: client.get("/api/speech", params={"text": "Prvo besedilo."}))
    worker.start()
    assert runner.started.wait(5)
    r = client.get("/api/speech", params={"text": "Drugo besedilo."})
    assert r.status_code == 503 and r.headers["retry-after"]
    gate.set()
    worker.join(10)


def test_speech_is_documented(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/speech"]["get"]
    assert "audio/wav" in operation["responses"]["200"]["content"]
    assert {"422", "503", "504"} <= set(operation["responses"])


# --- the component ------------------------------------------------------------------------------------------


def test_cache_is_a_bounded_lru_keyed_by_hash() -> None:
    runner = FakeEspeak()
    synthesizer = Synthesizer(SpeechSettings(binary="sh", cache_entries=2), runner=runner)
    for text in ("ena", "dva", "ena", "tri"):  # "ena" is used again before "tri" evicts the oldest ("dva")
        synthesizer.synthesize(text, "sl", 1.0)
    assert len(runner.commands) == 3
    assert synthesizer.synthesize("ena", "sl", 1.0).cached
    assert not synthesizer.synthesize("dva", "sl", 1.0).cached
    assert synthesizer.cache_info()[0] == 2
    assert "ena" not in repr(synthesizer._cache)
    assert cache_key("ena", "sl", 1.0) != cache_key("ena", "en", 1.0) != cache_key("ena", "sl", 1.1)


def test_cache_respects_its_byte_limit() -> None:
    wav_size = len(fix_wav_sizes(streamed_wav(samples=100 + 3)))
    synthesizer = Synthesizer(
        SpeechSettings(binary="sh", cache_entries=10, cache_max_bytes=2 * wav_size + 10), runner=FakeEspeak()
    )
    for text in ("ena", "dva", "tri"):
        synthesizer.synthesize(text, "sl", 1.0)
    entries, size = synthesizer.cache_info()
    assert entries == 2 and size <= 2 * wav_size + 10


def test_fix_wav_sizes() -> None:
    fixed = fix_wav_sizes(streamed_wav(samples=50))
    _check_wav(fixed, min_seconds=0.0)
    with pytest.raises(SpeechError):
        fix_wav_sizes(b"not a wav file at all, not even close to one....")


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_SPEECH_BINARY", "/opt/espeak/bin/espeak-ng")
    monkeypatch.setenv("ASSISTANT_SPEECH_MAX_CHARS", "800")
    settings = SpeechSettings()
    assert settings.binary == "/opt/espeak/bin/espeak-ng" and settings.max_chars == 800
