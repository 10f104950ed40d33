"""Real models: lemmagen3 and the packaged sentence-transformers model, over an index built once per module.

Questions are kiosk-style paraphrases written for these tests (colloquial, without diacritics, with typos,
English, Croatian/Serbian), not copies of eval/questions.jsonl.
"""

from __future__ import annotations

import shutil
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.retrieval.retriever import Retriever

pytestmark = pytest.mark.integration

CORPUS_DIR = Path(__file__).resolve().parents[2] / "corpus"
HANDLING = "Kaj s predmeti in denarjem, ki jih obsojenka prinese na prestajanje kazni? Kaj je dovoljeno?"
HEALTH = "Kako je zdravstvenim zavarovanjem in zdravstveno oskrbo?"

QUESTIONS = [  # (style, question, acceptable sections)
    ("colloquial", "kolkrat na teden me lahko pridejo obiskat domači?", {"Obiski"}),
    ("colloquial", "a dobim kej denarja za delo v zaporu?", {"Delo v zaporu"}),
    ("colloquial", "kok dolg lahko traja obisk brez nadzora", {"Obiski"}),
    ("colloquial", "a mi lahko zaplenijo mobitel ko pridem", {HANDLING}),
    ("no_diacritics", "kdo placa telefonske pogovore", {"Telefonski stiki"}),
    ("no_diacritics", "s kom si lahko dopisujem in ali je stevilo pisem omejeno", {"Dopisovanje"}),
    ("no_diacritics", "a lahko gledam televizijo al berem knjige v prostem casu", {"Prosti čas"}),
    ("typos", "kolko obrokv hrane dobim vsak dan", {"Prehrana"}),
    ("typos", "kdaj lahko zaprosim za pogojni odpsut", {"Pogojni odpust", "KZ-1 88. člen"}),
    ("english", "Do I have to work while I'm in prison?", {"Delo v zaporu"}),
    ("english", "Is there a doctor or dentist in the prison?", {HEALTH}),
    ("english", "Can I receive packages from my family?", {"Paketi"}),
    ("english", "How many hours per day can I spend outside in the fresh air?", {"Prosti čas"}),
    ("bcs", "Koliko puta tjedno mogu imati posjete obitelji?", {"Obiski"}),
    ("bcs", "Gdje mogu prati odjeću?", {"Oblačila in pranje oblačil"}),
    ("bcs", "Mogu li dobiti paket od obitelji?", {"Paketi"}),
    (
        "formal",
        "Koliko kazni moram odsedeti, da me lahko pogojno odpustijo?",
        {"KZ-1 88. člen", "Pogojni odpust"},
    ),
]


@pytest.fixture(scope="module")
def real_stack(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Build the real index (lemmagen3 + packaged sentence-transformers) once for this module."""
    from assistant.factory import build, make_retriever

    root = tmp_path_factory.mktemp("real-index")
    corpus_dir = Path(shutil.copytree(CORPUS_DIR, root / "corpus", copy_function=shutil.copyfile))
    settings = Settings(
        corpus_dir=corpus_dir,
        index_dir=root / "index",
        lemmatizer="lemmagen3",
        embedder="sentence_transformers",
        embedder_path=None,
        embedder_query_prefix="",
        embedder_passage_prefix="",
    )
    manifest = build(settings)
    return {"settings": settings, "manifest": manifest, "retriever": make_retriever(settings)}


def test_manifest_names_the_real_models(real_stack: dict[str, Any]) -> None:
    manifest = real_stack["manifest"]
    assert manifest["lemmatizer"] == "lemmagen3-sl"
    assert manifest["embedder"].startswith("st:")
    assert manifest["dimension"] == 384
    assert manifest["chunk_count"] > 200
    retriever: Retriever = real_stack["retriever"]
    assert retriever.store.manifest == manifest


@pytest.mark.parametrize(
    ("style", "question", "sections"), QUESTIONS, ids=[f"{s}-{i}" for i, (s, _, _) in enumerate(QUESTIONS)]
)
def test_kiosk_question_finds_its_section_in_the_top_5(
    real_stack: dict[str, Any], style: str, question: str, sections: set[str]
) -> None:
    result = real_stack["retriever"].search(question, k=5)
    found = [hit.chunk.section for hit in result.hits]
    assert sections & set(found), (question, found)


def test_gibberish_is_below_the_refusal_threshold(real_stack: dict[str, Any]) -> None:
    retriever: Retriever = real_stack["retriever"]
    threshold = real_stack["settings"].refusal_threshold
    gibberish = retriever.search("xqzv blorft wubba")
    assert gibberish.confidence < threshold
    for _, question, _ in QUESTIONS[:5]:
        assert retriever.search(question).confidence > gibberish.confidence


def test_all_modes_work_with_the_real_models(real_stack: dict[str, Any]) -> None:
    retriever: Retriever = real_stack["retriever"]
    for mode in ("hybrid", "lexical", "dense"):
        result = retriever.search("kdaj so obiski", k=5, mode=mode)  # type: ignore[arg-type]
        assert len(result.hits) == 5
        assert 0.0 <= result.confidence <= 1.0
    assert "Obiski" in {h.chunk.section for h in retriever.search("kdaj so obiski", mode="lexical").hits[:3]}


def test_lemmas_do_not_depend_on_capitalisation(real_stack: dict[str, Any]) -> None:
    analyzer = real_stack["retriever"].analyzer
    for sentence in (
        "Leta 1956 so prišle ženske.",
        "Stroške nosi sama.",
        "Upravi pošlje prošnjo.",
        "Bolne obsojenke dobijo dieto.",
    ):
        assert analyzer.document_terms(sentence) == analyzer.document_terms(sentence.lower()), sentence


def test_every_synonym_and_glossary_target_is_known_to_the_index(real_stack: dict[str, Any]) -> None:
    retriever: Retriever = real_stack["retriever"]
    known = set(retriever.store.lexical.postings)
    dead = []
    for name, table in (
        ("synonyms_sl.toml", "synonyms"),
        ("glossary_en.toml", "terms"),
        ("glossary_bcs.toml", "terms"),
    ):
        text = resources.files("assistant.text").joinpath("lexicons", name).read_text(encoding="utf-8")
        for key, value in tomllib.loads(text)[table].items():
            if not set(retriever.analyzer.document_terms(value)) & known:
                dead.append((name, key, value))
    assert dead == []
