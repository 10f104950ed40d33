"""The enrichment layer: the shipped corpus is fully enriched and every figure and bound survives; the checker
catches what it must."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.corpus.check import check_enrichment, figure_problems
from assistant.corpus.documents import load_corpus
from assistant.corpus.enrichment import Entry, load_enrichment, source_hash, write_entries

CORPUS = Settings().corpus_dir


@pytest.fixture(scope="module")
def shipped() -> tuple[list, object]:
    _, chunks = load_corpus(CORPUS)
    return chunks, load_enrichment(CORPUS, chunks)


def test_shipped_corpus_passes_the_check(shipped) -> None:
    chunks, enrichment = shipped
    problems = check_enrichment(chunks, enrichment)
    assert problems == [], "\n".join(str(p) for p in problems[:20])


def test_every_chunk_has_every_language(shipped) -> None:
    chunks, enrichment = shipped
    for chunk in chunks:
        for language in ("sl", "en", "hr"):
            entry = enrichment.get(chunk.id, language)
            assert entry is not None and entry.easy and entry.questions, (chunk.id, language)
            if language != "sl":
                assert entry.text and entry.heading


@pytest.mark.parametrize(
    "source, target, expected",
    [
        ("Obisk traja najmanj eno uro in največ dve uri.", "A visit lasts at least 1 hour and at most 2 hours.", []),
        ("Obisk traja največ dve uri.", "A visit lasts 2 hours.", ["število 2 je izgubilo mejo (upper)"]),
        (
            "Obisk traja do tri ure.",
            "A visit lasts up to 4 hours.",
            ["manjka število 'tri' (3)", "dodano število '4' (4), ki ga vir ne navaja"],
        ),
        ("Pokličete lahko 080 15 30.", "You can call 080 15 30.", []),
        ("Kazen je tristo šestdeset dni.", "The sentence is 360 days.", []),
        ("Od leta 2017 do leta 2020.", "From 2017 to 2020.", []),
    ],
)
def test_figures_and_bounds(source: str, target: str, expected: list[str]) -> None:
    assert figure_problems(source, target, list_separators=False) == expected


def test_list_items_keep_their_count() -> None:
    problems = figure_problems("a; b; c", "a, b; c", list_separators=True)
    assert problems == ["seznam: v viru 2 ločil ';', tu 1"]


def test_a_changed_source_makes_its_entries_stale_and_hidden(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in CORPUS.iterdir():
        if path.is_file():
            (corpus / path.name).write_bytes(path.read_bytes())
    _, chunks = load_corpus(corpus)
    chunk = chunks[0]
    write_entries(corpus, chunk.doc_id, "en", [Entry(chunk.id, "en", "0" * 16, "Easy.", ("Q?",), "H", "T")])
    enrichment = load_enrichment(corpus, chunks)
    assert enrichment.get(chunk.id, "en") is None
    problems = check_enrichment(chunks, enrichment)
    assert any(p.where == "en.stale" and p.chunk_id == chunk.id for p in problems)
    write_entries(
        corpus, chunk.doc_id, "en", [Entry(chunk.id, "en", source_hash(chunk.text), "Easy.", ("Q?",), "H", "T")]
    )
    fresh = load_enrichment(corpus, chunks)
    assert fresh.get(chunk.id, "en") is not None
    data = json.loads((corpus / "enrichment" / f"{chunk.doc_id}.en.json").read_text(encoding="utf-8"))
    assert data["chunks"][chunk.id]["source_sha256"] == source_hash(chunk.text)
