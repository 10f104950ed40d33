"""Staff authentication: PBKDF2 password hashes, HTTP Basic for people and bearer tokens for API clients."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass

ALGORITHM = "pbkdf2_sha256"
DEFAULT_ITERATIONS = 600_000
_MIN_ITERATIONS = 1
_MAX_ITERATIONS = 10_000_000


def hash_password(password: str, *, iterations: int = DEFAULT_ITERATIONS, salt: bytes | None = None) -> str:
    """Hash ``password`` as ``"pbkdf2_sha256$<iterations>$<salt_hex>$<hash_hex>"`` (staff_users format)."""
    if not isinstance(password, str) or not password:
        raise ValueError("Geslo ne sme biti prazno.")
    if not _MIN_ITERATIONS <= iterations <= _MAX_ITERATIONS:
        raise ValueError(f"Število iteracij mora biti med {_MIN_ITERATIONS} in {_MAX_ITERATIONS}.")
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def verify_password(password: str, encoded: str) -> bool:
    """True if ``password`` matches ``encoded`` (constant-time comparison; malformed hashes never match)."""
    try:
        algorithm, iterations_text, salt_hex, hash_hex = encoded.split("$")
        iterations = int(iterations_text)
        salt = bytes.fromhex(salt_hex)
        expected = bytes.fromhex(hash_hex)
    except (AttributeError, ValueError):
        return False
    if algorithm != ALGORITHM or not _MIN_ITERATIONS <= iterations <= _MAX_ITERATIONS or not expected:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8", "surrogatepass"), salt, iterations)
    return hmac.compare_digest(digest, expected)


def _dummy_hash(users: dict[str, str]) -> str:
    """A well-formed hash that matches no password, with the iteration count of the configured users.

    It is verified against when a username is unknown, so the response time does not reveal which names exist.
    """
    iterations = DEFAULT_ITERATIONS
    for encoded in users.values():
        parts = encoded.split("$")
        if len(parts) == 4 and parts[1].isdigit() and _MIN_ITERATIONS <= int(parts[1]) <= _MAX_ITERATIONS:
            iterations = int(parts[1])
            break
    return f"{ALGORITHM}${iterations}${secrets.token_hex(16)}${secrets.token_hex(32)}"


@dataclass(frozen=True)
class StaffPrincipal:
    """An authenticated staff member (``method`` is "basic" or "token")."""

    name: str
    method: str


class StaffAuthenticator:
    """Checks the ``Authorization`` header against ``staff_users`` and ``staff_tokens``.

    A successful Basic check is remembered (as an HMAC under a per-process random key, never the password)
    so that the slow PBKDF2 runs once per user and password, not on every request of the staff page.
    """

    def __init__(self, users: dict[str, str], tokens: list[str]) -> None:
        self._users = dict(users)
        self._tokens = [t for t in tokens if t]
        self._key = secrets.token_bytes(32)
        self._dummy = _dummy_hash(self._users)
        self._verified: dict[str, bytes] = {}
        self._lock = threading.Lock()

    @property
    def configured(self) -> bool:
        """True when at least one user or token exists."""
        return bool(self._users or self._tokens)

    def authenticate(self, authorization: str | None) -> StaffPrincipal | None:
        """The staff member named by an ``Authorization`` header value, or None."""
        if not authorization:
            return None
        scheme, _, credentials = authorization.strip().partition(" ")
        scheme = scheme.lower()
        credentials = credentials.strip()
        if scheme == "bearer":
            return self._check_token(credentials)
        if scheme == "basic":
            try:
                decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError, ValueError):
                return None
            username, sep, password = decoded.partition(":")
            if not sep:
                return None
            return self.check_password(username, password)
        return None

    def check_password(self, username: str, password: str) -> StaffPrincipal | None:
        """The staff member if the username and password match ``staff_users``."""
        encoded = self._users.get(username)
        marker = hmac.new(
            self._key, f"{username}\0{password}\0{encoded}".encode("utf-8", "surrogatepass"), hashlib.sha256
        ).digest()
        with self._lock:
            known = self._verified.get(username)
        if encoded is not None and known is not None and hmac.compare_digest(known, marker):
            return StaffPrincipal(username, "basic")
        ok = verify_password(password, encoded if encoded is not None else self._dummy)
        if encoded is None or not ok:
            return None
        with self._lock:
            if len(self._verified) > 1000:
                self._verified.clear()
            self._verified[username] = marker
        return StaffPrincipal(username, "basic")

    def _check_token(self, token: str) -> StaffPrincipal | None:
        if not token:
            return None
        matched = None
        for index, known in enumerate(self._tokens):  # compare against all tokens: no early exit
            if hmac.compare_digest(
                known.encode("utf-8", "surrogatepass"), token.encode("utf-8", "surrogatepass")
            ):
                matched = index
        return None if matched is None else StaffPrincipal(f"token-{matched + 1}", "token")
