"""Numbered passages of one answer: the only place where citation numbers are given out."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.types import Chunk, Source


@dataclass
class Passages:
    """Passages of one answer by citation number (1-based), with their retrieval scores."""

    chunks: dict[int, Chunk] = field(default_factory=dict)
    scores: dict[int, float] = field(default_factory=dict)
    limit: int | None = None

    def cite(self, chunk: Chunk, score: float = 0.0) -> int:
        """``chunk``'s citation number, giving it the next number if it has none yet."""
        for n, known in self.chunks.items():
            if known.id == chunk.id:
                return n
        n = len(self.chunks) + 1
        self.chunks[n] = chunk
        self.scores[n] = score
        return n

    def add(self, chunk: Chunk, score: float = 0.0) -> None:
        """Add ``chunk`` unless it is already numbered or the limit is reached."""
        if self.limit is not None and len(self.chunks) >= self.limit:
            return
        if all(known.id != chunk.id for known in self.chunks.values()):
            self.cite(chunk, score)

    def texts(self) -> dict[int, str]:
        """Passage texts by number."""
        return {n: c.text for n, c in self.chunks.items()}

    def candidates(self, only: set[str] | None = None) -> list[tuple[int, str, str]]:
        """(number, text, section) of every passage, or of those whose chunk id is in ``only``."""
        return [(n, c.text, c.section) for n, c in self.chunks.items() if only is None or c.id in only]

    def sources(self, cited: list[int]) -> list[Source]:
        """The cited passages as answer sources, in number order."""
        return [
            Source(
                n,
                self.chunks[n].id,
                self.chunks[n].label,
                self.chunks[n].section,
                self.chunks[n].text,
                round(self.scores.get(n, 0.0), 6),
            )
            for n in sorted(set(cited))
            if n in self.chunks
        ]
