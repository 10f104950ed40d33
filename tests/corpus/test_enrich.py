"""``assistant corpus enrich`` with a scripted model: good entries are written, entries that lose or add a figure
are rejected, stale entries are replaced, the OpenAI-compatible writer speaks the chat-completions protocol."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from assistant.config import Settings
from assistant.corpus.documents import load_corpus
from assistant.corpus.enrich import EnrichmentUnavailable, OpenAIEntryWriter, enrich
from assistant.corpus.enrichment import EnrichmentLanguage, load_enrichment
from assistant.types import Chunk

CORPUS = Settings().corpus_dir


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """A copy of the shipped corpus whose first chunk has no enrichment at all."""
    target = tmp_path / "corpus"
    (target / "enrichment").mkdir(parents=True)
    for path in CORPUS.iterdir():
        if path.is_file():
            (target / path.name).write_bytes(path.read_bytes())
    _, chunks = load_corpus(target)
    first = chunks[0]
    for path in (CORPUS / "enrichment").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["chunks"].pop(first.id, None)
        (target / "enrichment" / path.name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return target


class ScriptedWriter:
    """Copies the source (so every figure is kept), or breaks one figure for ``broken`` languages."""

    def __init__(self, broken: set[str] | None = None) -> None:
        self.broken = broken or set()
        self.calls: list[tuple[str, str]] = []

    def write(self, chunk: Chunk, language: EnrichmentLanguage) -> dict[str, object]:
        self.calls.append((chunk.id, language))
        text = chunk.text + (" 99" if language in self.broken else "")
        return {"heading": chunk.section, "text": text, "easy": text, "questions": ["Kaj piše tukaj?"]}


def test_missing_entries_are_written_and_then_pass_the_check(corpus: Path) -> None:
    writer = ScriptedWriter()
    report = enrich(corpus, writer)
    _, chunks = load_corpus(corpus)
    assert {c for c, _ in writer.calls} == {chunks[0].id}
    assert sorted(lang for _, lang in report.written) == ["en", "hr", "sl"]
    assert report.rejected == []
    enrichment = load_enrichment(corpus, chunks)
    assert all(enrichment.get(chunks[0].id, lang) is not None for lang in ("sl", "en", "hr"))


def test_an_entry_that_adds_a_figure_is_rejected_and_not_written(corpus: Path) -> None:
    report = enrich(corpus, ScriptedWriter(broken={"en"}))
    assert [(lang, "99" in why) for _, lang, why in report.rejected] == [("en", True)]
    _, chunks = load_corpus(corpus)
    assert load_enrichment(corpus, chunks).get(chunks[0].id, "en") is None


def test_openai_writer_posts_chat_completions(corpus: Path) -> None:
    seen: list[dict[str, object]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        content = json.dumps({"heading": "H", "text": "T", "easy": "E", "questions": ["Q?"]})
        return httpx.Response(200, json={"choices": [{"message": {"content": content}}]})

    settings = Settings(openai_base_url="http://model.test/v1", openai_model="m")
    writer = OpenAIEntryWriter(settings, transport=httpx.MockTransport(handler))
    _, chunks = load_corpus(corpus)
    assert writer.write(chunks[0], "en") == {"heading": "H", "text": "T", "easy": "E", "questions": ["Q?"]}
    assert seen[0]["model"] == "m" and seen[0]["response_format"] == {"type": "json_object"}


def test_openai_writer_reports_an_unreachable_server(corpus: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    writer = OpenAIEntryWriter(Settings(), transport=httpx.MockTransport(handler))
    _, chunks = load_corpus(corpus)
    with pytest.raises(EnrichmentUnavailable):
        writer.write(chunks[0], "en")
