"""Staff feedback on answers and passages, stored in SQLite (WAL mode).

Only what a staff member submits is stored: kiosk conversations never reach this database.
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

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._init_lock = threading.Lock()
        self._initialised = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        if not self._initialised:
            with self._init_lock:
                if not self._initialised:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    with closing(sqlite3.connect(self.path, timeout=10)) as conn:
                        conn.execute("PRAGMA journal_mode=WAL")
                        conn.execute(_SCHEMA)
                        conn.commit()
                    self._initialised = True
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            conn.execute("PRAGMA busy_timeout=10000")
            yield conn
            conn.commit()
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
        return FeedbackEntry(
            row_id, created, staff_user, rating, mode, chunk_id, ids, question, answer, comment
        )

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
