"""Staff authentication: PBKDF2 password hashes, HTTP Basic for people and bearer tokens for API clients.

Failed logins are limited (:class:`LoginLimiter`): per client address and per staff user name, a lockout that
expires. PBKDF2 runs in :class:`LoginGuard`'s own small, low-priority thread pool, after the lockout check, so a
flood of wrong passwords can neither hash without limit nor take CPU or threads from answering questions.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import hmac
import math
import os
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

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

    def is_user(self, username: str) -> bool:
        """True if ``username`` is a configured staff user."""
        return username in self._users

    def authenticate(self, authorization: str | None) -> StaffPrincipal | None:
        """The staff member named by an ``Authorization`` header value, or None (blocking: may run PBKDF2)."""
        credentials = parse_authorization(authorization)
        if credentials is None:
            return None
        if credentials.scheme == "bearer":
            return self.check_token(credentials.secret)
        return self.check_password(credentials.username, credentials.secret)

    def remembered(self, username: str, password: str) -> StaffPrincipal | None:
        """The staff member if this exact username and password were verified before (fast, no PBKDF2)."""
        encoded = self._users.get(username)
        if encoded is None:
            return None
        with self._lock:
            known = self._verified.get(username)
        if known is not None and hmac.compare_digest(known, self._marker(username, password, encoded)):
            return StaffPrincipal(username, "basic")
        return None

    def _marker(self, username: str, password: str, encoded: str | None) -> bytes:
        return hmac.new(
            self._key, f"{username}\0{password}\0{encoded}".encode("utf-8", "surrogatepass"), hashlib.sha256
        ).digest()

    def check_password(self, username: str, password: str) -> StaffPrincipal | None:
        """The staff member if the username and password match ``staff_users`` (blocking: may run PBKDF2)."""
        if self.remembered(username, password) is not None:
            return StaffPrincipal(username, "basic")
        encoded = self._users.get(username)
        marker = self._marker(username, password, encoded)
        ok = verify_password(password, encoded if encoded is not None else self._dummy)
        if encoded is None or not ok:
            return None
        with self._lock:
            if len(self._verified) > 1000:
                self._verified.clear()
            self._verified[username] = marker
        return StaffPrincipal(username, "basic")

    def check_token(self, token: str) -> StaffPrincipal | None:
        """The token's principal if it is one of ``staff_tokens`` (constant time per token, no early exit)."""
        if not token:
            return None
        matched = None
        for index, known in enumerate(self._tokens):  # compare against all tokens: no early exit
            if hmac.compare_digest(known.encode("utf-8", "surrogatepass"), token.encode("utf-8", "surrogatepass")):
                matched = index
        return None if matched is None else StaffPrincipal(f"token-{matched + 1}", "token")


# --- limits on failed logins ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """What an ``Authorization`` header offers: ``scheme`` is "basic", "bearer" or "invalid"."""

    scheme: str
    username: str = ""
    secret: str = ""


def parse_authorization(authorization: str | None) -> Credentials | None:
    """The credentials in an ``Authorization`` header value; None without one, scheme "invalid" if unreadable."""
    if not authorization or not authorization.strip():
        return None
    scheme, _, value = authorization.strip().partition(" ")
    scheme = scheme.lower()
    value = value.strip()
    if scheme == "bearer":
        return Credentials("bearer", "", value) if value else Credentials("invalid")
    if scheme == "basic":
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return Credentials("invalid")
        username, sep, password = decoded.partition(":")
        return Credentials("basic", username, password) if sep else Credentials("invalid")
    return Credentials("invalid")


class LoginRateLimited(Exception):
    """Too many failed logins from this client address or for this user (HTTP 429 with ``Retry-After``)."""

    def __init__(self, retry_after: float) -> None:
        super().__init__("too many failed logins")
        self.retry_after = max(1, math.ceil(retry_after))


@dataclass(frozen=True)
class LoginLimits:
    """Failed logins allowed before a lockout, and how long the lockout (and the memory of a failure) lasts.

    ``max_failures`` counts every failed attempt from one client address (any user name, tokens, unreadable
    headers); ``max_failures_per_user`` counts failures for one configured user name from all addresses, so a
    guesser spread over many addresses is stopped too, while a single flooding address does not lock its
    victim out everywhere.
    """

    max_failures: int = 10
    max_failures_per_user: int = 50
    lockout_s: float = 300.0


@dataclass
class _Record:
    failures: list[float] = field(default_factory=list)
    pending: int = 0
    locked_until: float = 0.0


@dataclass(frozen=True)
class LoginAttempt:
    """An admitted attempt: the counters it will be recorded against."""

    keys: tuple[tuple[str, str], ...]


class LoginLimiter:
    """In-memory counters of failed logins per client address and per user name, with expiring lockouts.

    An attempt is admitted only if its failures so far plus the attempts still being checked stay under the
    limit, so concurrent attempts cannot overshoot it. ``clock`` is injectable (tests).
    """

    def __init__(
        self,
        limits: LoginLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_tracked: int = 10_000,
    ) -> None:
        self.limits = limits or LoginLimits()
        self.clock = clock
        self.max_tracked = max_tracked
        self._records: OrderedDict[tuple[str, str], _Record] = OrderedDict()
        self._lock = threading.Lock()

    def _limit(self, key: tuple[str, str]) -> int:
        return self.limits.max_failures if key[0] == "address" else self.limits.max_failures_per_user

    def _record(self, key: tuple[str, str], now: float) -> _Record:
        record = self._records.get(key)
        if record is None:
            record = self._records[key] = _Record()
            while len(self._records) > self.max_tracked:
                self._records.popitem(last=False)
        else:
            self._records.move_to_end(key)
        horizon = now - self.limits.lockout_s
        record.failures = [t for t in record.failures if t > horizon]
        return record

    def _forget_if_idle(self, key: tuple[str, str], record: _Record, now: float) -> None:
        if not record.failures and not record.pending and record.locked_until <= now:
            self._records.pop(key, None)

    def begin(self, address: str, user: str | None = None) -> LoginAttempt:
        """Admit one attempt from ``address`` (for ``user``, a configured user name) or raise LoginRateLimited."""
        keys: tuple[tuple[str, str], ...] = (("address", address),) + ((("user", user),) if user else ())
        with self._lock:
            now = self.clock()
            records = [(key, self._record(key, now)) for key in keys]
            for key, record in records:
                if record.locked_until > now:
                    raise LoginRateLimited(record.locked_until - now)
                if len(record.failures) + record.pending >= self._limit(key):
                    raise LoginRateLimited(1)  # attempts still being checked may use up the allowance
            for _, record in records:
                record.pending += 1
        return LoginAttempt(keys)

    def finish(self, attempt: LoginAttempt, ok: bool | None) -> None:
        """Record the outcome: True success, False failure, None not checked (e.g. the server was busy)."""
        with self._lock:
            now = self.clock()
            for key in attempt.keys:
                record = self._record(key, now)
                record.pending = max(0, record.pending - 1)
                if ok is False:
                    record.failures.append(now)
                    if len(record.failures) >= self._limit(key):
                        record.locked_until = now + self.limits.lockout_s
                        record.failures.clear()
                elif ok and key[0] == "user":
                    record.failures.clear()  # the user got in: guesses against the name start over
                self._forget_if_idle(key, record, now)

    def locked(self, address: str, user: str | None = None) -> float:
        """Seconds until ``address`` (or ``user``) may try again; 0 if not locked out."""
        with self._lock:
            now = self.clock()
            keys = [("address", address)] + ([("user", user)] if user else [])
            waits = [r.locked_until - now for k in keys if (r := self._records.get(k)) is not None]
            return max([0.0, *waits])


def _lower_priority() -> None:
    """Run this thread at a lower CPU priority (Linux: per-thread nice), so hashing yields to answering."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


class LoginGuard:
    """Authenticates staff requests without letting password checks hurt the service.

    The lockout is checked before anything is hashed; PBKDF2 runs in ``hash_threads`` dedicated low-priority
    threads (never the answer workers or the shared request thread pool), with at most ``max_waiting`` checks
    queued (more is 429 for a second). Remembered logins and tokens are checked on the event loop (microseconds).
    """

    def __init__(
        self,
        limits: LoginLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
        hash_threads: int = 1,
        max_waiting: int = 8,
    ) -> None:
        self.limiter = LoginLimiter(limits, clock)
        self.max_waiting = max(hash_threads, max_waiting)
        self._executor = ThreadPoolExecutor(
            max_workers=hash_threads, thread_name_prefix="login-hash", initializer=_lower_priority
        )
        self._waiting = 0
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Any, clock: Callable[[], float] = time.monotonic) -> LoginGuard:
        """A guard configured by ``login_*`` settings."""
        limits = LoginLimits(
            max_failures=settings.login_max_failures,
            max_failures_per_user=settings.login_max_failures_per_user,
            lockout_s=settings.login_lockout_seconds,
        )
        return cls(limits, clock, hash_threads=settings.login_hash_threads)

    async def authenticate(
        self, auth: StaffAuthenticator, authorization: str | None, address: str
    ) -> StaffPrincipal | None:
        """The staff member, or None (401); raises LoginRateLimited (429) while locked out or overloaded.

        A request without credentials is not a failed attempt (browsers send one before showing the login box).
        """
        credentials = parse_authorization(authorization)
        if credentials is None:
            return None
        user = credentials.username if credentials.scheme == "basic" and auth.is_user(credentials.username) else None
        attempt = self.limiter.begin(address, user)
        if credentials.scheme == "invalid":
            self.limiter.finish(attempt, False)
            return None
        if credentials.scheme == "bearer":
            principal = auth.check_token(credentials.secret)
            self.limiter.finish(attempt, principal is not None)
            return principal
        principal = auth.remembered(credentials.username, credentials.secret)
        if principal is not None:
            self.limiter.finish(attempt, True)
            return principal
        with self._lock:
            if self._waiting >= self.max_waiting:
                busy = True
            else:
                busy = False
                self._waiting += 1
        if busy:
            self.limiter.finish(attempt, None)
            raise LoginRateLimited(1)
        try:
            future = self._executor.submit(auth.check_password, credentials.username, credentials.secret)
        except RuntimeError:  # shut down
            self._done(attempt, None)
            raise LoginRateLimited(1) from None

        def record(done: Any) -> None:
            # in the hashing thread: the outcome counts even if the client hung up meanwhile
            ok = None if done.cancelled() or done.exception() is not None else done.result() is not None
            self._done(attempt, ok)

        future.add_done_callback(record)
        result: StaffPrincipal | None = await asyncio.wrap_future(future)
        return result

    def _done(self, attempt: LoginAttempt, ok: bool | None) -> None:
        with self._lock:
            self._waiting -= 1
        self.limiter.finish(attempt, ok)

    def close(self) -> None:
        """Stop the hashing threads (queued checks are dropped)."""
        self._executor.shutdown(wait=False, cancel_futures=True)
