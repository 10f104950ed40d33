"""Hybrid retrieval over the real corpus with FakeLemmatizer + HashEmbedder (no models)."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.retrieval.dense import HashEmbedder
from assistant.retrieval.retriever import RetrievalSettings, Retriever
from assistant.text.analyze import Analyzer
from assistant.types import Matrix

MODES = ("hybrid", "lexical", "dense")

# questions made of one paragraph's exact words → that paragraph's section (and chunk)
EXACT = {
    "prirocnik-zpkz-ig:paketi:3": ("Paketi", "Vsi paketi se pred izročitvijo obsojenki pregledajo."),
    "prirocnik-zpkz-ig:obiski:5": ("Obiski", "Nenadzorovani obiski trajajo do tri ure."),
    "prirocnik-zpkz-ig:prosti-cas:2": (
        "Prosti čas",
        "Obsojenka ima pravico, da vsak dan prebiva najmanj dve uri na prostem.",
    ),
    "prirocnik-zpkz-ig:duhovna-oskrba:2": (
        "Duhovna oskrba",
        "Vsebina in obseg duhovne oskrbe se lahko omejita le zaradi varnosti in ohranitve reda v zavodu.",
    ),
}
GIBBERISH = "xqzv blorft wubba"


def test_at_most_k_hits_sorted_by_score(fake_retriever: Retriever) -> None:
    store = fake_retriever.store
    for k in (1, 3, 10):
        result = fake_retriever.search("obiski ob koncu tedna", k=k)
        assert 1 <= len(result.hits) <= k
        scores = [hit.score for hit in result.hits]
        assert scores == sorted(scores, reverse=True)
        for hit in result.hits:
            assert store.chunks[store.by_id[hit.chunk.id]] == hit.chunk
        assert len({hit.chunk.id for hit in result.hits}) == len(result.hits)


def test_default_k_comes_from_the_settings(fake_store, fake_analyzer, hash_embedder) -> None:
    retriever = Retriever(fake_store, fake_analyzer, hash_embedder, RetrievalSettings(top_k=3))
    assert len(retriever.search("paketi").hits) == 3
    assert len(Retriever(fake_store, fake_analyzer, hash_embedder).search("paketi").hits) == 10


def test_k_larger_than_the_corpus(fake_retriever: Retriever) -> None:
    result = fake_retriever.search("paketi", k=100, mode="dense")
    assert len(result.hits) <= len(fake_retriever.store.chunks)


@pytest.mark.parametrize("mode", ("hybrid", "lexical"))
@pytest.mark.parametrize("chunk_id", sorted(EXACT))
def test_exact_words_of_a_paragraph_rank_its_section_first(fake_retriever: Retriever, mode: str, chunk_id: str) -> None:
    section, question = EXACT[chunk_id]
    result = fake_retriever.search(question, k=5, mode=mode)  # type: ignore[arg-type]
    assert result.hits[0].chunk.section == section
    assert result.hits[0].chunk.id == chunk_id


@pytest.mark.parametrize("chunk_id", sorted(EXACT))
def test_dense_side_embeds_the_english_translation(fake_retriever: Retriever, chunk_id: str) -> None:
    """The packaged embedder is an English model: the dense index holds each paragraph's English translation."""
    from assistant.config import Settings
    from assistant.corpus.enrichment import load_enrichment

    enrichment = load_enrichment(Settings().corpus_dir, fake_retriever.store.chunks)
    entry = enrichment.get(chunk_id, "en")
    assert entry is not None
    result = fake_retriever.search(entry.text, k=5, mode="dense", language="en")
    assert result.hits[0].chunk.id == chunk_id


@pytest.mark.parametrize("chunk_id", sorted(EXACT))
def test_english_question_finds_the_paragraph_through_its_translation(fake_retriever: Retriever, chunk_id: str) -> None:
    from assistant.config import Settings
    from assistant.corpus.enrichment import load_enrichment

    entry = load_enrichment(Settings().corpus_dir, fake_retriever.store.chunks).get(chunk_id, "en")
    assert entry is not None
    result = fake_retriever.search(entry.text, k=5, mode="lexical", language="en")
    assert chunk_id in [hit.chunk.id for hit in result.hits[:2]]


def test_statute_paragraph_by_its_exact_words(fake_retriever: Retriever) -> None:
    question = (
        "Obsojenec, ki mu je sodišče izreklo kazen nad petnajst let zapora, sme biti pogojno odpuščen "
        "s prestajanja kazni, ko je prestal tri četrtine kazni."
    )
    assert fake_retriever.search(question, k=5).hits[0].chunk.id == "kz1:88:2"


def test_lexical_mode_uses_only_lexical_ranks(fake_retriever: Retriever) -> None:
    result = fake_retriever.search("paketi pošiljke", mode="lexical")
    assert result.hits
    for hit in result.hits:  # the text's own BM25 and the question expansions, nothing dense
        assert hit.lexical_rank is not None or hit.expansion_rank is not None
        assert hit.dense_rank is None and hit.dense_score == 0.0
    ranked = [hit.lexical_rank for hit in result.hits if hit.lexical_rank is not None]
    assert ranked[:3] == [1, 2, 3]


def test_dense_mode_uses_only_dense_ranks(fake_retriever: Retriever) -> None:
    result = fake_retriever.search("paketi pošiljke", mode="dense")
    assert result.hits
    for hit in result.hits:
        assert hit.dense_rank is not None and hit.lexical_rank is None
    assert [hit.dense_rank for hit in result.hits] == list(range(1, len(result.hits) + 1))
    cosines = [hit.dense_score for hit in result.hits]
    assert cosines == sorted(cosines, reverse=True)
    assert all(-1.0001 <= c <= 1.0001 for c in cosines)


def test_hybrid_score_is_weighted_reciprocal_rank_fusion(fake_retriever: Retriever) -> None:
    settings = fake_retriever.settings
    result = fake_retriever.search("Nenadzorovani obiski trajajo do tri ure.")
    for hit in result.hits:
        expected = 0.0
        if hit.lexical_rank is not None:
            expected += settings.lexical_weight / (settings.rrf_k + hit.lexical_rank)
        if hit.dense_rank is not None:
            expected += settings.dense_weight / (settings.rrf_k + hit.dense_rank)
        if hit.expansion_rank is not None:
            expected += settings.lexical_weight * settings.expansion_weight / (settings.rrf_k + hit.expansion_rank)
        assert hit.score == pytest.approx(expected)
    assert result.hits[0].lexical_rank == 1 and result.hits[0].dense_rank is not None


def test_lexical_mode_without_content_words_finds_nothing(fake_retriever: Retriever) -> None:
    result = fake_retriever.search("in je za", mode="lexical")
    assert result.hits == []
    assert result.confidence == 0.0


def test_expanded_query_lists_the_terms(fake_retriever: Retriever) -> None:
    result = fake_retriever.search("kok stane obisk")
    assert "obisk" in result.expanded_query.split()
    assert "koliko" not in result.expanded_query


@pytest.mark.parametrize("mode", MODES)
def test_confidence_is_a_probability_and_higher_for_covered_questions(fake_retriever: Retriever, mode: str) -> None:
    covered = fake_retriever.search(EXACT["prirocnik-zpkz-ig:obiski:5"][1], mode=mode)  # type: ignore[arg-type]
    gibberish = fake_retriever.search(GIBBERISH, mode=mode)  # type: ignore[arg-type]
    for result in (covered, gibberish):
        assert 0.0 <= result.confidence <= 1.0
    if mode != "dense":
        assert covered.confidence > gibberish.confidence
    assert fake_retriever.search(GIBBERISH, mode="lexical").hits == []


def test_in_corpus_question_is_more_confident_than_gibberish(fake_retriever: Retriever) -> None:
    for _, question in EXACT.values():
        assert fake_retriever.search(question).confidence > fake_retriever.search(GIBBERISH).confidence
    assert fake_retriever.search("kok cajta traja obisk").confidence > fake_retriever.search(GIBBERISH).confidence


def test_search_is_deterministic_and_timed(fake_retriever: Retriever) -> None:
    first = fake_retriever.search("pogojni odpust")
    second = fake_retriever.search("pogojni odpust")
    assert [h.chunk.id for h in first.hits] == [h.chunk.id for h in second.hits]
    assert first.confidence == second.confidence
    assert first.elapsed_ms >= 0 and first.query == "pogojni odpust"


# --- neighbours ---------------------------------------------------------------------------------------------
def _ids(chunks) -> list[str]:
    return [chunk.id for chunk in chunks]


def test_neighbours_in_the_middle_of_a_section(fake_retriever: Retriever) -> None:
    ids = [f"prirocnik-zpkz-ig:obiski:{n}" for n in range(1, 8)]
    assert _ids(fake_retriever.neighbours(ids[2], window=1)) == ids[1:4]
    assert _ids(fake_retriever.neighbours(ids[3], window=2)) == ids[1:6]
    assert _ids(fake_retriever.neighbours(ids[3], window=0)) == [ids[3]]


def test_neighbours_stop_at_section_boundaries(fake_retriever: Retriever) -> None:
    first = fake_retriever.neighbours("prirocnik-zpkz-ig:obiski:1", window=2)
    assert _ids(first) == [
        "prirocnik-zpkz-ig:obiski:1",
        "prirocnik-zpkz-ig:obiski:2",
        "prirocnik-zpkz-ig:obiski:3",
    ]
    last = fake_retriever.neighbours("prirocnik-zpkz-ig:obiski:7", window=1)
    assert _ids(last) == ["prirocnik-zpkz-ig:obiski:6", "prirocnik-zpkz-ig:obiski:7"]
    single = fake_retriever.neighbours("prirocnik-zpkz-ig:predcasni-odpust:1", window=3)
    assert _ids(single) == ["prirocnik-zpkz-ig:predcasni-odpust:1"]


def test_neighbours_of_statute_paragraphs_stay_in_the_article(fake_retriever: Retriever) -> None:
    neighbours = fake_retriever.neighbours("kz1:88:1", window=1)
    assert _ids(neighbours) == ["kz1:88:1", "kz1:88:2"]
    assert all(chunk.section == "KZ-1 88. člen" for chunk in fake_retriever.neighbours("kz1:88:9", window=5))


def test_neighbours_are_in_corpus_order(fake_retriever: Retriever) -> None:
    for chunk in fake_retriever.store.chunks[::17]:
        neighbours = fake_retriever.neighbours(chunk.id, window=3)
        assert chunk in neighbours
        orders = [c.order for c in neighbours]
        assert orders == sorted(orders) and orders == list(range(orders[0], orders[0] + len(orders)))
        assert {(c.doc_id, c.section) for c in neighbours} == {(chunk.doc_id, chunk.section)}


class CountingEmbedder:
    """The hash embedder, counting which texts it was asked to embed."""

    def __init__(self, inner: HashEmbedder) -> None:
        self.inner = inner
        self.texts: list[str] = []

    @property
    def id(self) -> str:
        return self.inner.id

    def encode(self, texts: list[str], *, query: bool = False) -> Matrix:
        self.texts += texts
        return self.inner.encode(texts, query=query)


def test_query_embeddings_are_remembered_and_a_part_keeps_its_own(fake_store: Any, fake_analyzer: Analyzer) -> None:
    embedder = CountingEmbedder(HashEmbedder())
    retriever = Retriever(fake_store, fake_analyzer, embedder)
    first = retriever.search("Kako dolgo traja obisk?")
    again = retriever.search("Kako dolgo traja obisk?")
    assert embedder.texts == ["Kako dolgo traja obisk?"]  # embedded once
    assert [h.chunk.id for h in first.hits] == [h.chunk.id for h in again.hits]
    retriever.search("Noseča sem. Kako dolgo traja obisk?", dense_query="Kako dolgo traja obisk?")
    assert embedder.texts == ["Kako dolgo traja obisk?"]  # the part's own embedding, not the combined text
