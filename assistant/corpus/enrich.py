"""``assistant corpus enrich``: fill in missing or stale enrichment entries with a configured OpenAI-compatible
model, then hold every new entry to the same checks as ``assistant corpus check``: an entry that loses or adds a
figure or a bound is not written, it is reported for a person to write.

The model is a collaborator behind :class:`EntryWriter`; tests use a scripted one, a site its own server.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import httpx

from assistant.config import Settings
from assistant.corpus.check import entry_problems
from assistant.corpus.documents import load_corpus
from assistant.corpus.enrichment import (
    ENRICHMENT_LANGUAGES,
    EnrichmentLanguage,
    Entry,
    load_enrichment,
    source_hash,
    write_entries,
)
from assistant.types import Chunk

LANGUAGE_NAMES = {"sl": "Slovenian", "en": "English", "hr": "Croatian"}
INSTRUCTIONS = """You prepare one paragraph of a Slovenian prisoners' handbook or criminal code for {language} readers.
Answer with one JSON object with the keys "heading", "text", "easy" and "questions":
- "heading": the section heading in {language} ("" for Slovenian);
- "text": a complete, faithful translation of the paragraph into {language} ("" for Slovenian);
- "easy": one or two short sentences in plain {language} (easy-read) that keep every figure (as digits) and every bound
  (at least / at most / up to / less than / more than) of the paragraph and add none;
- "questions": 4 to 8 questions this paragraph answers, as people would ask them (colloquial too).
Never add a number the paragraph does not state."""


class EnrichmentUnavailable(Exception):
    """The model server cannot be reached or answered nonsense; the message names the URL."""


class EntryWriter(Protocol):
    """Writes one chunk's enrichment in one language."""

    def write(self, chunk: Chunk, language: EnrichmentLanguage) -> dict[str, object]:
        """The entry's fields: heading, text, easy, questions."""
        ...


class OpenAIEntryWriter:
    """An OpenAI-compatible ``/chat/completions`` server (llama.cpp's server, vLLM, …)."""

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        self.url = settings.openai_base_url.rstrip("/") + "/chat/completions"
        self.model = settings.openai_model
        self._client = httpx.Client(
            timeout=httpx.Timeout(120.0, connect=5.0),
            transport=transport,
            headers={"Authorization": f"Bearer {settings.openai_api_key}"},
        )

    def write(self, chunk: Chunk, language: EnrichmentLanguage) -> dict[str, object]:
        """Ask the model for the entry (JSON mode)."""
        body = {
            "model": self.model,
            "temperature": 0,
            "response_format": {"type": "json_object"},
            "messages": [
                {"role": "system", "content": INSTRUCTIONS.format(language=LANGUAGE_NAMES[language])},
                {"role": "user", "content": f"{chunk.section}\n\n{chunk.text}"},
            ],
        }
        try:
            response = self._client.post(self.url, json=body)
            response.raise_for_status()
            content = response.json()["choices"][0]["message"]["content"]
            data = json.loads(content)
        except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
            raise EnrichmentUnavailable(
                f"Model na {self.url} ni dal veljavnega odgovora ({type(exc).__name__})."
            ) from exc
        if not isinstance(data, dict):
            raise EnrichmentUnavailable(f"Model na {self.url} ni vrnil predmeta JSON.")
        return data


@dataclass
class EnrichReport:
    """What one run did."""

    written: list[tuple[str, str]] = field(default_factory=list)  # (chunk id, language)
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # (chunk id, language, why)


def _entry(chunk: Chunk, language: EnrichmentLanguage, data: dict[str, object]) -> Entry:
    questions = data.get("questions")
    return Entry(
        chunk.id,
        language,
        source_hash(chunk.text),
        str(data.get("easy", "")).strip(),
        tuple(str(q) for q in questions) if isinstance(questions, list) else (),
        "" if language == "sl" else str(data.get("heading", "")).strip(),
        "" if language == "sl" else str(data.get("text", "")).strip(),
    )


def enrich(
    corpus_dir: Path, writer: EntryWriter, limit: int | None = None, progress: Callable[[str], None] | None = None
) -> EnrichReport:
    """Write the missing and stale entries of every chunk; entries that fail the checks are rejected."""
    _, chunks = load_corpus(corpus_dir)
    enrichment = load_enrichment(corpus_dir, chunks)
    report = EnrichReport()
    todo = [
        (chunk, language)
        for chunk in chunks
        for language in ENRICHMENT_LANGUAGES
        if enrichment.get(chunk.id, language) is None
    ]
    accepted: dict[tuple[str, EnrichmentLanguage], list[Entry]] = {}
    for chunk, language in todo[:limit]:
        entry = _entry(chunk, language, writer.write(chunk, language))
        problems = entry_problems(chunk, entry)
        if problems:
            report.rejected.append((chunk.id, language, "; ".join(p.message for p in problems)))
        else:
            accepted.setdefault((chunk.doc_id, language), []).append(entry)
            report.written.append((chunk.id, language))
        if progress is not None:
            progress(f"{chunk.id} [{language}] {'zavrnjeno' if problems else 'zapisano'}")
    for (document, language), entries in accepted.items():
        write_entries(corpus_dir, document, language, entries)
    return report
