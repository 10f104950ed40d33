"""Request and response models of the HTTP API (the internal dataclasses are in ``assistant.types``)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.api.i18n import normalise_language
from assistant.types import Answer, AnswerSentence, Chunk

# Blank characters: Unicode White_Space plus U+FEFF. Spelled out (not ``\s``) so that the pattern means
# the same to pydantic's Rust regex, to JSON-schema (ECMA) validators and to Python code.
BLANK = (
    "\t\n\v\f\r \x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
# Characters that show nothing but are not white space: NUL, zero-width space, non-joiner and joiner (U+FEFF is
# in BLANK). A question made only of these and blanks is empty.
INVISIBLE = "\x00\u200b\u200c\u200d"
NOT_BLANK_PATTERN = "[^" + "".join(f"\\u{ord(c):04x}" for c in BLANK + INVISIBLE) + "]"

AnswerMode = Literal["llm", "extractive", "calculator", "refusal", "crisis"]
Language = Literal["sl", "en", "bcs"]


class ErrorResponse(BaseModel):
    """Every error: a message for people (in the request's language where known) and the offending field."""

    detail: str = Field(description="Human-readable message, in the request's language where known.")
    field: str | None = Field(default=None, description="The request field the error is about, if any.")


# --- asking -------------------------------------------------------------------------------------------------


class AskRequest(BaseModel):
    """A question, optionally continuing a conversation."""

    model_config = ConfigDict(extra="ignore")

    question: str = Field(
        min_length=1,
        pattern=NOT_BLANK_PATTERN,
        description="The question as typed: not blank, at most `max_question_chars` characters.",
    )
    session_id: str | None = Field(
        default=None,
        max_length=200,
        description="Conversation id from an earlier answer; omitted or expired: new.",
    )
    language: Language | None = Field(
        default=None,
        description="Answer language; detected when omitted. 'hr', 'sr' and 'bs' are accepted as 'bcs'.",
    )

    @field_validator("language", mode="before")
    @classmethod
    def _alias(cls, value: Any) -> Any:
        if value is None:
            return None
        return normalise_language(value) or value


class SentenceOut(BaseModel):
    """One verified sentence and the numbers of the sources it rests on."""

    text: str
    citations: list[int] = Field(default_factory=list, description="1-based numbers into `sources`.")

    @classmethod
    def from_sentence(cls, sentence: AnswerSentence) -> SentenceOut:
        """Build from the pipeline's dataclass."""
        return cls(text=sentence.text, citations=list(sentence.citations))


class SourceOut(BaseModel):
    """A cited passage."""

    n: int = Field(description="The number sentences cite.")
    chunk_id: str
    label: str = Field(description="Where the passage comes from, e.g. 'Priročnik ZPKZ Ig › Obiski, odst. 3'.")
    section: str
    text: str
    score: float = Field(description="Retrieval score.")


class CalculationOut(BaseModel):
    """What the calculator understood from the question and what it computed."""

    model_config = ConfigDict(extra="allow")

    kind: str
    inputs: dict[str, Any] = Field(default_factory=dict, description="Inputs understood so far (form prefill).")
    outputs: dict[str, Any] = Field(default_factory=dict)
    steps: list[Any] = Field(default_factory=list)
    citations: list[Any] = Field(default_factory=list)
    understood: Any = None


class AnswerResponse(BaseModel):
    """The assistant's answer to one question."""

    session_id: str = Field(description="Send it back with the next question to continue the conversation.")
    question: str
    language: Language
    mode: AnswerMode
    answer: str = Field(description="The whole answer as text, with [n] citation markers.")
    sentences: list[SentenceOut]
    sources: list[SourceOut]
    confidence: float
    refused: bool = False
    note: str | None = None
    plain: list[str] = Field(
        default_factory=list,
        description="Easy-read line(s) in the reader's language, with the figure asked for; show first.",
    )
    safety: str | None = Field(default=None, description="crisis | possible_crisis | threat: the help text leads.")
    calculation: CalculationOut | None = None
    missing: list[str] = Field(default_factory=list, description="Calculator inputs still needed (show a form).")
    timings: dict[str, float] = Field(default_factory=dict)

    @classmethod
    def from_answer(cls, answer: Answer, session_id: str) -> AnswerResponse:
        """Build the public response from the pipeline's Answer."""
        data = asdict(answer)
        data["answer"] = answer.text
        data["session_id"] = session_id
        data.pop("diagnostics", None)
        data.pop("retrieval_query", None)
        return cls.model_validate(data)


class StaffAnswerResponse(AnswerResponse):
    """The answer with what only staff see: the retrieval query and the verifier's decisions."""

    retrieval_query: str = ""
    diagnostics: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def from_answer(cls, answer: Answer, session_id: str) -> StaffAnswerResponse:
        """Build the staff response from the pipeline's Answer."""
        data = asdict(answer)
        data["answer"] = answer.text
        data["session_id"] = session_id
        return cls.model_validate(data)


class SessionDropped(BaseModel):
    """Result of ending a conversation."""

    dropped: bool


# --- calculator ---------------------------------------------------------------------------------------------


class CalcKindOut(BaseModel):
    """One calculation the kiosk can draw a form for."""

    kind: str
    input_schema: dict[str, Any] = Field(description="JSON schema of the inputs.")


class CalcKindsResponse(BaseModel):
    """Every calculation kind."""

    kinds: list[CalcKindOut]


class CalcResultResponse(BaseModel):
    """A deterministic calculation: inputs, outputs, the steps taken and the rules cited."""

    model_config = ConfigDict(extra="allow")

    kind: str
    inputs: dict[str, Any] = Field(default_factory=dict, description="The validated inputs.")
    outputs: dict[str, Any] = Field(default_factory=dict)
    steps: list[str] = Field(default_factory=list, description="How it was computed, in Slovenian.")
    citations: list[dict[str, Any]] = Field(
        default_factory=list, description="Rules used: rule_id, chunk_id and the quoted passage."
    )
    understood: Any = None
    summary: str | None = None
    notes: list[str] = Field(default_factory=list)


# --- sources and topics -------------------------------------------------------------------------------------


class PassageOut(BaseModel):
    """One paragraph shown in the source view."""

    chunk_id: str
    label: str
    section: str
    paragraph: int
    text: str
    is_target: bool = Field(description="True for the passage that was asked for; the others are its neighbours.")

    @classmethod
    def from_chunk(cls, chunk: Chunk, target: str) -> PassageOut:
        """Build from a pipeline chunk."""
        return cls(
            chunk_id=chunk.id,
            label=chunk.label,
            section=chunk.section,
            paragraph=chunk.paragraph,
            text=chunk.text,
            is_target=chunk.id == target,
        )


class SourceResponse(BaseModel):
    """A cited passage with the paragraphs around it."""

    chunk_id: str
    doc_id: str
    kind: str
    label: str
    section: str
    heading_path: list[str]
    paragraph: int
    text: str
    passages: list[PassageOut] = Field(description="The passage and its neighbours in document order.")


class LocalizedText(BaseModel):
    """A UI text in the kiosk's three languages."""

    sl: str
    en: str
    hr: str


class LocalizedQuestions(BaseModel):
    """Starter questions in the kiosk's three languages."""

    sl: list[str]
    en: list[str]
    hr: list[str]


class TopicOut(BaseModel):
    """A kiosk tile: a handbook section with a short title and starter questions."""

    id: str
    section: str = Field(description="The handbook section (heading) the tile stands for.")
    title: LocalizedText
    questions: LocalizedQuestions


class TopicsResponse(BaseModel):
    """The kiosk's start-screen tiles, in display order."""

    topics: list[TopicOut]


class KioskConfig(BaseModel):
    """Settings the kiosk page reads at start-up."""

    idle_reset_seconds: int
    countdown_seconds: int = Field(description="The countdown is shown for this many seconds before the reset.")
    max_question_chars: int
    languages: list[str]
    default_language: str


# --- staff --------------------------------------------------------------------------------------------------


class FeedbackRequest(BaseModel):
    """A staff member's rating of an answer or a passage."""

    model_config = ConfigDict(extra="forbid")

    rating: Literal["up", "down"]
    comment: str = Field(default="", max_length=4000)
    chunk_id: str | None = Field(default=None, max_length=300, description="The rated passage, if one.")
    source_ids: list[str] = Field(default_factory=list, max_length=50, description="Chunk ids of the answer's sources.")
    question: str | None = Field(default=None, max_length=4000, description="The question (staff chat only).")
    answer: str | None = Field(default=None, max_length=8000, description="The answer text that is rated.")
    mode: AnswerMode | None = None


class FeedbackResponse(BaseModel):
    """The stored feedback entry's id and time."""

    id: int
    created_at: str


class HealthResponse(BaseModel):
    """Liveness."""

    status: Literal["ok"] = "ok"


class ReadyResponse(BaseModel):
    """Readiness of every part; ``problems`` names what is missing or degraded."""

    model_config = ConfigDict(extra="allow")

    ready: bool
    index: str
    embedder: str
    generator: str
    calculator: str
    problems: list[str] = Field(default_factory=list)
