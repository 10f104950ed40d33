"""Reading answers aloud on the server: espeak-ng turns text into WAV audio, nothing leaves the machine.

The kiosk cannot rely on the browser's voices (a kiosk Chromium usually has none, and never a Slovenian one), so
``GET /api/speech`` synthesises the answer with espeak-ng (Debian package ``espeak-ng``; voices ``sl``, ``en``
and ``hr`` for Croatian/Serbian/Bosnian).

Privacy: the text goes to espeak-ng on stdin (never on its command line, where ``ps`` and error messages would
show it), is never logged, and the cache is keyed by a SHA-256 of text, language and rate, so it holds audio but
no text. Settings come from ``ASSISTANT_SPEECH_*`` environment variables (see ``SpeechSettings``).
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import struct
import subprocess
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

logger = logging.getLogger(__name__)

# espeak-ng voice per pipeline language: Croatian stands in for Serbian and Bosnian (one Latin-script answer).
VOICES = {"sl": "sl", "en": "en", "bcs": "hr"}
NORMAL_WPM = 175  # espeak-ng's default speed; ``rate`` 1.0 means this many words per minute


class SpeechSettings(BaseSettings):
    """Where espeak-ng is and how much the speech route may do."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_SPEECH_", extra="ignore")

    binary: str = Field(default="/usr/bin/espeak-ng", description="espeak-ng, a path or a name on PATH.")
    max_chars: int = Field(default=1500, ge=1, le=5000, description="Longer texts get 422 (the kiosk splits).")
    timeout_s: float = Field(default=20.0, gt=0, description="espeak-ng is killed after this many seconds.")
    max_concurrent: int = Field(default=2, ge=1, description="espeak-ng processes at once; more wait.")
    cache_entries: int = Field(default=64, ge=0, description="Cached WAVs (0: no cache).")
    cache_max_bytes: int = Field(default=32_000_000, ge=0, description="Total size of the cached WAVs.")


class SpeechError(Exception):
    """Speech could not be produced; ``kind`` says why (``unavailable``, ``busy``, ``timeout``, ``failed``)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass(frozen=True)
class Speech:
    """A synthesised WAV and whether it came from the cache."""

    wav: bytes
    cached: bool


def cache_key(text: str, lang: str, rate: float) -> str:
    """The cache key: a hash, so the cache never holds the text."""
    return hashlib.sha256(f"{lang}\x00{rate:.2f}\x00{text}".encode()).hexdigest()


def fix_wav_sizes(data: bytes) -> bytes:
    """Write the real RIFF and data sizes into a WAV that espeak-ng streamed to stdout with placeholders."""
    if len(data) < 44 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise SpeechError("failed")
    wav = bytearray(data)
    struct.pack_into("<I", wav, 4, len(wav) - 8)
    pos = 12
    while pos + 8 <= len(wav):
        chunk_id = bytes(wav[pos : pos + 4])
        if chunk_id == b"data":
            struct.pack_into("<I", wav, pos + 4, len(wav) - pos - 8)
            return bytes(wav)
        (size,) = struct.unpack_from("<I", wav, pos + 4)
        pos += 8 + size + (size & 1)
    raise SpeechError("failed")


Runner = Callable[[list[str], bytes, float], bytes]


def run_espeak(command: list[str], text: bytes, timeout_s: float) -> bytes:
    """Run espeak-ng with ``text`` on stdin and return its stdout; SpeechError on timeout or failure."""
    try:
        done = subprocess.run(command, input=text, capture_output=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired as exc:  # subprocess.run has killed the process
        raise SpeechError("timeout") from exc
    except OSError as exc:
        raise SpeechError("unavailable") from exc
    if done.returncode != 0:
        logger.warning("espeak-ng exited with status %d", done.returncode)  # its stderr may quote the text
        raise SpeechError("failed")
    return done.stdout


class Synthesizer:
    """espeak-ng behind a bounded LRU cache and a limit on concurrent processes. Thread-safe."""

    def __init__(self, settings: SpeechSettings | None = None, runner: Runner = run_espeak) -> None:
        self.settings = settings or SpeechSettings()
        self._runner = runner
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cache_bytes = 0
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.settings.max_concurrent)
        self.runs = 0  # espeak-ng processes started (tests and ops)

    def binary(self) -> str | None:
        """The espeak-ng executable, or None if it is not installed."""
        return shutil.which(self.settings.binary)

    def available(self) -> bool:
        """True if espeak-ng can be run."""
        return self.binary() is not None

    def synthesize(self, text: str, lang: str, rate: float = 1.0) -> Speech:
        """WAV audio of ``text`` read in ``lang`` (sl, en, bcs) at ``rate`` × normal speed."""
        key = cache_key(text, lang, rate)
        cached = self._get(key)
        if cached is not None:
            return Speech(cached, True)
        binary = self.binary()
        if binary is None:
            raise SpeechError("unavailable")
        command = [binary, "-v", VOICES[lang], "-s", str(round(NORMAL_WPM * rate)), "--stdin", "--stdout"]
        if not self._slots.acquire(timeout=self.settings.timeout_s):
            raise SpeechError("busy")
        started = time.perf_counter()
        try:
            self.runs += 1
            output = self._runner(command, text.encode("utf-8"), self.settings.timeout_s)
        finally:
            self._slots.release()
        wav = fix_wav_sizes(output)
        logger.info("speech: %s, %d bytes in %.0f ms", lang, len(wav), (time.perf_counter() - started) * 1000)
        self._put(key, wav)
        return Speech(wav, False)

    # --- cache ----------------------------------------------------------------------------------------------
    def _get(self, key: str) -> bytes | None:
        with self._lock:
            wav = self._cache.get(key)
            if wav is not None:
                self._cache.move_to_end(key)
            return wav

    def _put(self, key: str, wav: bytes) -> None:
        limit_entries, limit_bytes = self.settings.cache_entries, self.settings.cache_max_bytes
        if limit_entries == 0 or len(wav) > limit_bytes:
            return
        with self._lock:
            old = self._cache.pop(key, None)
            if old is not None:
                self._cache_bytes -= len(old)
            self._cache[key] = wav
            self._cache_bytes += len(wav)
            while len(self._cache) > limit_entries or self._cache_bytes > limit_bytes:
                _, dropped = self._cache.popitem(last=False)
                self._cache_bytes -= len(dropped)

    def cache_info(self) -> tuple[int, int]:
        """Cached entries and their total bytes."""
        with self._lock:
            return len(self._cache), self._cache_bytes

    def clear(self) -> None:
        """Drop every cached WAV."""
        with self._lock:
            self._cache.clear()
            self._cache_bytes = 0
