"""Staff feedback on answers and passages, stored in SQLite (WAL mode).

Only what a staff member submits is stored: kiosk conversations never reach this database.

A database that cannot be used (locked past the busy timeout, read-only, corrupt, missing directory rights) is a
:class:`FeedbackUnavailable` naming the kind of failure, never the SQLite message (HTTP 503, see ``api.errors``).
"""

from __future__ import annotations

import csv
import io
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

CSV_COLUMNS = (
    "id",
    "created_at",
    "staff_user",
    "rating",
    "mode",
    "chunk_id",
    "source_ids",
    "question",
    "answer",
    "comment",
)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    staff_user TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    mode TEXT,
    chunk_id TEXT,
    source_ids TEXT NOT NULL DEFAULT '',
    question TEXT,
    answer TEXT,
    comment TEXT NOT NULL DEFAULT ''
)
"""
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BUSY_TIMEOUT_S = 2.0  # how long a write waits for a lock held by another connection


class FeedbackUnavailable(Exception):
    """The feedback database cannot be used now. ``kind``: locked, readonly, corrupt or unavailable."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"feedback database {kind}")
        self.kind = kind
        self.retry_after = 5 if kind == "locked" else 30


def _failure_kind(exc: BaseException) -> str:
    """What went wrong, from the SQLite error code (or the exception type), never from its message text."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return "locked"
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")) or isinstance(exc, PermissionError):
        return "readonly"
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return "corrupt"
    return "unavailable"


@dataclass(frozen=True)
class FeedbackEntry:
    """One stored feedback row."""

    id: int
    created_at: str
    staff_user: str
    rating: str
    mode: str | None
    chunk_id: str | None
    source_ids: list[str]
    question: str | None
    answer: str | None
    comment: str


def _csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not evaluate as a formula (a leading ' is added to =, +, -, @)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class FeedbackStore:
    """SQLite-backed feedback. The database file and its parent directory are created on first use."""

    def __init__(self, path: Path, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.busy_timeout_s = busy_timeout_s
        self._init_lock = threading.Lock()
        self._initialised = False

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout_s)
        conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_s * 1000)}")
        return conn

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            if not self._initialised:
                with self._init_lock:
                    if not self._initialised:
                        self.path.parent.mkdir(parents=True, exist_ok=True)
                        with closing(self._open()) as conn:
                            conn.execute("PRAGMA journal_mode=WAL")
                            conn.execute(_SCHEMA)
                            conn.commit()
                        self._initialised = True
            conn = self._open()
        except (sqlite3.Error, OSError) as exc:
            raise FeedbackUnavailable(_failure_kind(exc)) from None
        try:
            yield conn
            conn.commit()
        except (sqlite3.Error, OSError) as exc:
            # "from None": the SQLite message never travels on (it can quote a file path or a value)
            raise FeedbackUnavailable(_failure_kind(exc)) from None
        finally:
            conn.close()

    def journal_mode(self) -> str:
        """The database's journal mode ("wal" once initialised)."""
        with self._connect() as conn:
            return str(conn.execute("PRAGMA journal_mode").fetchone()[0])

    def add(
        self,
        *,
        staff_user: str,
        rating: str,
        comment: str = "",
        mode: str | None = None,
        chunk_id: str | None = None,
        source_ids: list[str] | None = None,
        question: str | None = None,
        answer: str | None = None,
    ) -> FeedbackEntry:
        """Store one entry and return it with its id and UTC timestamp."""
        created = datetime.now(UTC).isoformat(timespec="seconds")
        ids = [s for s in (source_ids or []) if s]
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO feedback (created_at, staff_user, rating, mode, chunk_id, source_ids, question,"
                " answer, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (created, staff_user, rating, mode, chunk_id, " ".join(ids), question, answer, comment),
            )
            row_id = int(cursor.lastrowid or 0)
        return FeedbackEntry(row_id, created, staff_user, rating, mode, chunk_id, ids, question, answer, comment)

    def entries(self) -> list[FeedbackEntry]:
        """Every entry, oldest first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, created_at, staff_user, rating, mode, chunk_id, source_ids, question, answer,"
                " comment FROM feedback ORDER BY id"
            ).fetchall()
        return [
            FeedbackEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6].split() if r[6] else [], r[7], r[8], r[9])
            for r in rows
        ]

    def to_csv(self) -> str:
        """Every entry as CSV (header row first; cells that look like formulas are prefixed with ')."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for e in self.entries():
            writer.writerow(
                [
                    _csv_cell(v)
                    for v in (
                        e.id,
                        e.created_at,
                        e.staff_user,
                        e.rating,
                        e.mode,
                        e.chunk_id,
                        " ".join(e.source_ids),
                        e.question,
                        e.answer,
                        e.comment,
                    )
                ]
            )
        return buffer.getvalue()
