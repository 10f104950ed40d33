"""Hand-written fakes of the pipeline's Assistant and the Calculator, following their contracts."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.types import Answer, AnswerSentence, Chunk, Source, Turn

HANDBOOK = Path(__file__).resolve().parents[2] / "corpus" / "prirocnik-zpkz-ig.md"
SHARED_HANDBOOK = Path("/work/shared/corpus-sources/prirocnik-zpkz-ig.md")


def handbook_sections() -> list[str]:
    """Handbook headings by the corpus rules: a markdown ``#`` line with ``#`` and ``*`` removed, trimmed."""
    path = HANDBOOK if HANDBOOK.exists() else SHARED_HANDBOOK
    sections = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            sections.append(re.sub(r"[#*]", "", line).strip())
    return sections


def _chunk(section: str, paragraph: int, text: str, order: int) -> Chunk:
    slug = section.lower().replace(" ", "-")
    return Chunk(
        id=f"prirocnik-zpkz-ig:{slug}:{paragraph}",
        doc_id="prirocnik-zpkz-ig",
        kind="handbook",
        section=section,
        heading_path=("PRIROČNIK ZA OBSOJENE OSEBE OB NASTOPU KAZNI ZAPORA", section),
        paragraph=paragraph,
        start=0,
        end=len(text),
        text=text,
        label=f"Priročnik ZPKZ Ig › {section}, odst. {paragraph}",
        order=order,
    )


CHUNKS = [
    _chunk(
        "Obiski",
        1,
        "Obsojenki je omogočeno, da jo najmanj dvakrat tedensko obiščejo ožji družinski člani, "
        "rejnik in skrbnik. Obiska ni mogoče omejiti na manj kot eno uro.",
        1,
    ),
    _chunk("Obiski", 2, "Obiski so glede na varnostno oceno obsojenke nadzorovani ali nenadzorovani.", 2),
    _chunk("Obiski", 3, "Nadzorovani obiski trajajo do dve uri.", 3),
    _chunk("Obiski", 4, "Nenadzorovani obiski trajajo do tri ure.", 4),
    _chunk(
        "Telefonski stiki",
        1,
        "Obsojenki se omogočijo telefonski klici oseb zunaj zavoda. Stroške telefonskih pogovorov nosi sama.",
        5,
    ),
    _chunk(
        "Telefonski stiki",
        2,
        "Obsojenka lahko kadarkoli pokliče na brezplačno telefonsko številko Varuha "
        "človekovih pravic Republike Slovenije (080 15 30) in policijo (112).",
        6,
    ),
    _chunk(
        "Delo v zaporu",
        5,
        "Obsojenka, ki med prestajanjem kazni zapora dela, ima za vsak mesec dela s polnim "
        "delovnim časom pravico do dveh dni letnega dopusta.",
        7,
    ),
]
BY_ID = {c.id: c for c in CHUNKS}


def source(n: int, chunk: Chunk, score: float) -> Source:
    """A Source for a chunk."""
    return Source(n=n, chunk_id=chunk.id, label=chunk.label, section=chunk.section, text=chunk.text, score=score)


def canned_answer(question: str, language: str | None = None) -> Answer:
    """The fake's answer, chosen by keywords (see the mode table in FakeAssistant)."""
    lang = language or ("en" if re.search(r"\b(how|what|visit|the)\b", question.lower()) else "sl")
    q = question.lower()
    if "umreti" in q or "ubiti" in q or "kill myself" in q:
        return Answer(
            question=question,
            language=lang,
            mode="crisis",
            sentences=[
                AnswerSentence("Niste sami. Takoj povejte osebju.", []),
                AnswerSentence("Kadarkoli lahko brezplačno pokličete 080 15 30 ali 112.", [1]),
            ],
            sources=[source(1, CHUNKS[5], 0.9)],
            confidence=1.0,
            diagnostics={"crisis": True},
        )
    if "vreme" in q or "weather" in q:
        return Answer(
            question=question,
            language=lang,
            mode="refusal",
            sentences=[AnswerSentence("Priročnik tega ne pove. Vprašajte osebje.", [])],
            sources=[],
            confidence=0.1,
            refused=True,
        )
    if "dopust" in q:
        months = re.search(r"(\d+) mesec", q)
        inputs: dict[str, Any] = {"full_time_months": int(months.group(1))} if months else {}
        missing = [] if months else ["full_time_months"]
        outputs = {"leave_days": 2 * int(months.group(1))} if months else {}
        text = (
            f"Pripada vam {outputs['leave_days']} dni letnega dopusta."
            if months
            else "Koliko mesecev ste delali s polnim delovnim časom?"
        )
        return Answer(
            question=question,
            language=lang,
            mode="calculator",
            sentences=[AnswerSentence(text, [1])],
            sources=[source(1, CHUNKS[6], 0.8)],
            confidence=0.9,
            calculation={
                "kind": "leave_days",
                "inputs": inputs,
                "outputs": outputs,
                "steps": ["2 dni × mesece"],
                "citations": [CHUNKS[6].id],
                "understood": "delo s polnim delovnim časom",
            },
            missing=missing,
        )
    return Answer(
        question=question,
        language=lang,
        mode="llm",
        sentences=[
            AnswerSentence("Ožji družinski člani vas lahko obiščejo najmanj dvakrat tedensko.", [1]),
            AnswerSentence("Nadzorovani obiski trajajo do dve uri.", [2]),
        ],
        sources=[source(1, CHUNKS[0], 0.82), source(2, CHUNKS[2], 0.61)],
        confidence=0.8,
        retrieval_query="obisk tedensko",
        timings={"retrieve_ms": 3.0, "generate_ms": 20.0},
        diagnostics={"verifier": [{"sentence": 1, "kept": True}]},
    )


HELP_TEXTS = {
    "sl": (
        "Prosim, takoj povejte pravosodnemu policistu ali komurkoli iz osebja – niste sami.",
        "Kadarkoli lahko brezplačno pokličete Varuha človekovih pravic na 080 15 30 in policijo na 112.",
    ),
    "en": (
        "Please tell a judicial police officer or any member of staff right now – you are not alone.",
        "At any time you can call the Human Rights Ombudsman free of charge on 080 15 30 and the police on 112.",
    ),
    "bcs": (
        "Molim vas, odmah recite pravosudnom policajcu ili bilo kome iz osoblja – niste sami.",
        "U bilo koje vrijeme možete besplatno nazvati Zaštitnika ljudskih prava na 080 15 30 i policiju na 112.",
    ),
}


@dataclass
class Call:
    """One recorded call of the fake."""

    question: str
    history: list[Turn] | None
    language: str | None


@dataclass
class FakeAssistant:
    """Follows ``assistant.answer.assistant.Assistant``'s contract with canned answers.

    Modes by keyword: "umreti"/"ubiti" → crisis, "vreme" → refusal, "dopust" → calculator (with
    ``missing`` unless "<n> mesec" is given), anything else → llm with two cited sentences.
    ``gate`` (an Event) makes every call wait until it is set; ``delay`` sleeps; ``fail`` raises;
    ``sentence_delay`` paces the stream.
    """

    ready: bool = True
    generator: str = "llama_cpp loaded"
    gate: threading.Event | None = None
    delay: float = 0.0
    sentence_delay: float = 0.0
    fail: bool = False
    calls: list[Call] = field(default_factory=list)
    warmed: int = 0
    started: threading.Event = field(default_factory=threading.Event)
    help_calls: list[str | None] = field(default_factory=list)

    def _wait(self, question: str) -> None:
        self.started.set()
        if self.gate is not None:
            self.gate.wait(timeout=30)
        if self.delay:
            time.sleep(self.delay)
        if self.fail:
            raise RuntimeError(f"model crashed while answering {question!r}")

    def answer(self, question: str, history: list[Turn] | None = None, language: str | None = None) -> Answer:
        """A canned answer."""
        self.calls.append(Call(question, list(history) if history else history, language))
        self._wait(question)
        return canned_answer(question, language)

    def iter_answer(
        self, question: str, history: list[Turn] | None = None, language: str | None = None
    ) -> Iterator[AnswerSentence | Answer]:
        """The canned answer's sentences, then the answer."""
        self.calls.append(Call(question, list(history) if history else history, language))
        self._wait(question)
        answer = canned_answer(question, language)
        for sentence in answer.sentences:
            if self.sentence_delay:
                time.sleep(self.sentence_delay)
            yield sentence
        yield answer

    def help_answer(self, language: str | None = None, kind: str = "self_harm") -> Answer:
        """The help button's text: a crisis answer with the Ombudsman's and the police's numbers, cited."""
        self.help_calls.append(language)
        if self.fail:
            raise RuntimeError("help text could not be built")
        lang = language if language in HELP_TEXTS else "sl"
        first, second = HELP_TEXTS[lang]
        return Answer(
            question="",
            language=lang,  # type: ignore[arg-type]
            mode="crisis",
            sentences=[AnswerSentence(first, []), AnswerSentence(second, [1])],
            sources=[source(1, CHUNKS[5], 1.0)],
            confidence=1.0,
            note=None if lang == "sl" else "The source is quoted in Slovenian.",
            diagnostics={"safety": kind},
        )

    def readiness(self) -> dict[str, Any]:
        """As configured."""
        return {
            "ready": self.ready,
            "index": "ok" if self.ready else "index missing: run `assistant index`",
            "embedder": "loaded",
            "generator": self.generator,
        }

    def get_chunk(self, chunk_id: str) -> Chunk:
        """A known chunk or KeyError."""
        return BY_ID[chunk_id]

    def neighbours(self, chunk_id: str, window: int) -> list[Chunk]:
        """The chunk with up to ``window`` chunks of its section on each side."""
        chunk = BY_ID[chunk_id]
        same = [c for c in CHUNKS if c.section == chunk.section]
        i = same.index(chunk)
        return same[max(0, i - window) : i + window + 1]

    def sections(self) -> list[str]:
        """Handbook headings in document order."""
        return handbook_sections()

    def warm_up(self) -> None:
        """Nothing to load."""
        self.warmed += 1


class FakeCalculatorInputError(Exception):
    """Stands in for ``assistant.calculator.CalculatorInputError`` (same name and attributes)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


FakeCalculatorInputError.__name__ = "CalculatorInputError"


@dataclass
class FakeResult:
    """A CalcResult look-alike."""

    kind: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "kind": self.kind,
            "inputs": self.inputs,
            "outputs": self.outputs,
            "steps": ["2 dni za vsak mesec dela"],
            "citations": [{"rule_id": "leave", "chunk_id": CHUNKS[6].id, "quote": CHUNKS[6].text}],
            "understood": "",
            "summary": f"Pripada vam {self.outputs['leave_days']} dni.",
            "notes": [],
        }


class FakeCalculator:
    """One kind, ``leave_days``: 2 days per full-time month."""

    SCHEMA: dict[str, Any] = {
        "title": "LeaveDaysInput",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "full_time_months": {
                "anyOf": [{"type": "integer"}, {"type": "null"}],
                "default": None,
                "title": "Število mesecev dela",
                "description": "Koliko mesecev ste delali s polnim delovnim časom?",
            }
        },
    }

    def kinds(self) -> list[str]:
        """The kinds."""
        return ["leave_days"]

    def input_schema(self, kind: str) -> dict[str, Any]:
        """JSON schema of a kind's inputs."""
        if kind != "leave_days":
            raise FakeCalculatorInputError(None, f"Neznana vrsta izračuna »{kind}«.")
        return self.SCHEMA

    def calculate(self, kind: str, inputs: dict[str, Any]) -> FakeResult:
        """2 × months, with the real calculator's style of errors."""
        if kind != "leave_days":
            raise FakeCalculatorInputError(None, f"Neznana vrsta izračuna »{kind}«.")
        unknown = set(inputs) - {"full_time_months"}
        if unknown:
            raise FakeCalculatorInputError(sorted(unknown)[0], f"Neznan podatek »{sorted(unknown)[0]}«.")
        months = inputs.get("full_time_months")
        if months is None:
            raise FakeCalculatorInputError("full_time_months", "Manjka število mesecev dela.")
        if not isinstance(months, int) or isinstance(months, bool):
            raise FakeCalculatorInputError("full_time_months", "Število mesecev dela mora biti celo število.")
        if months < 0:
            raise FakeCalculatorInputError("full_time_months", "Število mesecev dela ne sme biti negativno.")
        return FakeResult("leave_days", {"full_time_months": months}, {"leave_days": 2 * months})


def streamed_wav(samples: int = 2205, rate: int = 22050) -> bytes:
    """16-bit mono WAV as espeak-ng writes it to stdout: RIFF and data sizes are placeholders."""
    header = b"RIFF" + (0x7FFFF024).to_bytes(4, "little") + b"WAVE"
    fmt = b"fmt " + (16).to_bytes(4, "little") + (1).to_bytes(2, "little") + (1).to_bytes(2, "little")
    fmt += rate.to_bytes(4, "little") + (rate * 2).to_bytes(4, "little") + (2).to_bytes(2, "little")
    fmt += (16).to_bytes(2, "little")
    data = b"data" + (0x7FFFF000).to_bytes(4, "little") + b"\x01\x00" * samples
    return header + fmt + data


@dataclass
class FakeEspeak:
    """Stands in for running espeak-ng (``Synthesizer(runner=...)``): records commands and stdin, returns a WAV.

    ``gate`` makes every run wait until it is set; ``fail`` raises the synthesizer's error of that kind.
    """

    commands: list[list[str]] = field(default_factory=list)
    inputs: list[bytes] = field(default_factory=list)
    gate: threading.Event | None = None
    fail: str | None = None
    started: threading.Event = field(default_factory=threading.Event)

    def __call__(self, command: list[str], text: bytes, timeout_s: float) -> bytes:
        from assistant.api.speech import SpeechError

        self.commands.append(list(command))
        self.inputs.append(text)
        self.started.set()
        if self.gate is not None:
            self.gate.wait(timeout=30)
        if self.fail:
            raise SpeechError(self.fail)
        return streamed_wav(samples=100 + len(text))
