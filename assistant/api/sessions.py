"""Server-side conversations kept in memory only, with random ids and an idle TTL.

Question and answer text of a kiosk conversation lives here and nowhere else: never on disk, never in a log.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.types import Turn

MAX_SESSIONS = 2000  # a kiosk has one person at a time; this only bounds memory under abuse
MAX_TURNS = 6  # turns kept per conversation (older ones are dropped)


@dataclass
class Session:
    """One conversation: its id, the last time it was used, and its turns (newest last)."""

    id: str
    created: float
    last_seen: float
    turns: list[Turn] = field(default_factory=list)


class SessionStore:
    """Thread-safe in-memory conversations that expire ``ttl_seconds`` after their last use."""

    def __init__(
        self,
        ttl_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        max_sessions: int = MAX_SESSIONS,
    ) -> None:
        self.ttl = float(ttl_seconds)
        self.clock = clock
        self.max_sessions = max_sessions
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            self._purge(self.clock())
            return len(self._sessions)

    def _purge(self, now: float) -> None:
        # sessions are ordered by last use, so expired ones are at the front
        while self._sessions:
            oldest = next(iter(self._sessions.values()))
            if now - oldest.last_seen <= self.ttl and len(self._sessions) <= self.max_sessions:
                break
            self._sessions.popitem(last=False)

    def get(self, session_id: str | None) -> Session | None:
        """The live session with this id (touching it), or None if unknown or expired."""
        if not session_id:
            return None
        with self._lock:
            now = self.clock()
            self._purge(now)
            session = self._sessions.get(session_id)
            if session is None:
                return None
            session.last_seen = now
            self._sessions.move_to_end(session_id)
            return session

    def get_or_create(self, session_id: str | None) -> Session:
        """The live session with this id, or a new one with a fresh random id."""
        session = self.get(session_id)
        if session is not None:
            return session
        with self._lock:
            now = self.clock()
            new = Session(id=secrets.token_urlsafe(24), created=now, last_seen=now)
            self._sessions[new.id] = new
            self._purge(now)
            return new

    def history(self, session_id: str) -> list[Turn]:
        """A copy of the session's turns (empty for an unknown session)."""
        with self._lock:
            session = self._sessions.get(session_id)
            return list(session.turns) if session else []

    def add_turn(self, session_id: str, turn: Turn) -> None:
        """Append a turn to a live session (ignored if it expired meanwhile)."""
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return
            session.turns.append(turn)
            del session.turns[:-MAX_TURNS]
            session.last_seen = self.clock()
            self._sessions.move_to_end(session_id)

    def drop(self, session_id: str) -> bool:
        """Forget a conversation; True if it existed."""
        with self._lock:
            return self._sessions.pop(session_id, None) is not None

    def clear(self) -> None:
        """Forget every conversation."""
        with self._lock:
            self._sessions.clear()
