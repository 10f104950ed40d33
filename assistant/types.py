"""Internal data types shared by every stage. API request/response models live in ``assistant.api.schemas``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

DocumentKind = Literal["handbook", "statute", "page"]
AnswerMode = Literal["llm", "extractive", "calculator", "refusal", "crisis"]
Language = Literal["sl", "en", "bcs"]
Matrix = npt.NDArray[np.float32]  # embeddings, scores


@dataclass(frozen=True)
class Document:
    """A source document from the corpus manifest, with its normalised text."""

    id: str
    title: str
    short_title: str
    kind: DocumentKind
    file: str
    source_url: str
    version_date: str
    provenance: str
    text: str  # normalised source text; chunk offsets point into it


@dataclass(frozen=True)
class Chunk:
    """A citable passage: one paragraph of a handbook section or one paragraph of a statute article."""

    id: str  # stable: document id + structural position, e.g. "prirocnik-zpkz-ig:obiski:3", "kz1:88:2"
    doc_id: str
    kind: DocumentKind
    section: str  # heading text without markdown ("Obiski") or "KZ-1 88. člen"
    heading_path: tuple[str, ...]
    paragraph: int  # 1-based within its section / article
    start: int  # character offsets into Document.text
    end: int
    text: str  # clean text (markdown removed, whitespace collapsed)
    label: str  # "Priročnik ZPKZ Ig › Obiski, odst. 3" / "KZ-1, 88. člen, 2. odstavek"
    order: int  # position of the chunk in the whole corpus (for neighbours)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        data = asdict(self)
        data["heading_path"] = list(self.heading_path)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chunk:
        """Inverse of :meth:`to_dict`."""
        return cls(**{**data, "heading_path": tuple(data["heading_path"])})


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk with its fused score and the component ranks."""

    chunk: Chunk
    score: float
    lexical_rank: int | None = None
    dense_rank: int | None = None
    lexical_score: float = 0.0
    dense_score: float = 0.0
    expansion_rank: int | None = None  # rank in the Slovenian question expansions
    foreign_rank: int | None = None  # rank in the English/Croatian translations and questions


@dataclass(frozen=True)
class SearchResult:
    """Hits for one query, plus the confidence that the corpus answers it."""

    query: str
    hits: list[Hit]
    confidence: float
    elapsed_ms: float
    expanded_query: str = ""


@dataclass
class AnswerSentence:
    """A sentence shown to the user and the source numbers (1-based, into ``Answer.sources``) it rests on."""

    text: str
    citations: list[int] = field(default_factory=list)


@dataclass
class Source:
    """A passage cited by an answer."""

    n: int
    chunk_id: str
    label: str
    section: str
    text: str
    score: float = 0.0


@dataclass
class Answer:
    """What the assistant says to one question."""

    question: str
    language: Language
    mode: AnswerMode
    sentences: list[AnswerSentence]
    sources: list[Source]
    confidence: float
    refused: bool = False
    note: str | None = None  # e.g. "the source is quoted in Slovenian" for foreign-language users
    calculation: dict[str, Any] | None = None  # calculator inputs, outputs, steps, citations
    missing: list[str] = field(default_factory=list)  # calculator inputs still needed (kiosk shows a form)
    retrieval_query: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    diagnostics: dict[str, Any] = field(default_factory=dict)  # verifier decisions (staff view, eval)
    safety: str | None = None  # "crisis" | "possible_crisis" | "threat" when the help text or a refusal leads
    plain: list[str] = field(default_factory=list)  # easy-read lines in the reader's language (shown first)

    @property
    def quotes(self) -> list[AnswerSentence]:
        """The sentences after the easy-read lines: verbatim quotes, translations or model sentences."""
        plain = set(self.plain)
        return [s for s in self.sentences if s.text not in plain]

    @property
    def text(self) -> str:
        """The answer as shown: sentences with their citation markers, then the note."""
        parts = []
        for sentence in self.sentences:
            marks = "".join(f"[{n}]" for n in sentence.citations)
            parts.append(f"{sentence.text} {marks}".strip())
        body = " ".join(parts)
        return f"{body}\n{self.note}" if self.note else body

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form (what `assistant ask --json` prints)."""
        data = asdict(self)
        data["answer"] = self.text
        return data


@dataclass(frozen=True)
class Turn:
    """One earlier exchange of a conversation."""

    question: str
    answer: str = ""
    retrieval_query: str = ""
