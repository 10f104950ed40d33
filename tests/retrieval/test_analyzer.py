"""Question → weighted query terms with the fake lemmatizer, and the lexicon data files themselves."""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import replace
from importlib import resources

import pytest

from assistant.retrieval.lexical import LexicalIndex
from assistant.text.analyze import (
    VARIANT_MIN_LENGTH,
    WEIGHT_DERIVED,
    WEIGHT_EXACT,
    WEIGHT_SYNONYM,
    WEIGHT_TYPO,
    WEIGHT_VARIANT,
    Analyzer,
    QueryTerm,
    Vocabulary,
    derived_partners,
)
from assistant.text.lexicons import Lexicons, load_lexicons
from assistant.text.normalize import fold

TABLES = {  # file → table name
    "colloquial_sl.toml": "forms",
    "synonyms_sl.toml": "synonyms",
    "glossary_en.toml": "terms",
    "glossary_bcs.toml": "terms",
}


def vocabulary_of(analyzer: Analyzer, *texts: str) -> Vocabulary:
    """A vocabulary built like build_index builds it (folded surface → folded lemmas; non-stopword terms)."""
    surface: dict[str, list[str]] = {}
    terms: set[str] = set()
    for text in texts:
        for word, lemma in analyzer.lemma_pairs(text):
            lemmas = surface.setdefault(word, [])
            if lemma not in lemmas:
                lemmas.append(lemma)
            if not analyzer.is_stopword(lemma):
                terms.add(lemma)
    return Vocabulary(terms, surface)


def by_term(terms: list[QueryTerm]) -> dict[str, QueryTerm]:
    return {t.term: t for t in terms}


# --- the fake itself ---------------------------------------------------------------------------------------
def test_fake_lemmatizer_is_deterministic(fake_lemmatizer) -> None:
    words = ["Obiski", "obiska", "paketa", "naredila", "poslala", "je", "30", "e-pošta", "PRAVICO"]
    assert fake_lemmatizer.lemmatize(words) == [
        "obisk",
        "obisk",
        "paket",
        "narediti",
        "poslati",
        "je",
        "30",
        "e-pošta",
        "pravic",
    ]
    assert fake_lemmatizer.lemmatize(words) == fake_lemmatizer.lemmatize(list(words))
    assert fake_lemmatizer.name == "fake-lemmatizer"


# --- documents ---------------------------------------------------------------------------------------------
def test_document_terms_are_folded_lemmas_without_stopwords(fake_analyzer: Analyzer) -> None:
    assert fake_analyzer.document_terms("Če delam v pralnici, dobim plačilo.") == [
        "delam",
        "pralnic",
        "dobim",
        "placiti",
    ]  # fake: "plačilo" looks like a verb participle
    assert fake_analyzer.document_terms("in, je, za, ali?") == []
    assert fake_analyzer.document_terms("") == []


def test_lemma_pairs_keep_stopwords_and_fold(fake_analyzer: Analyzer) -> None:
    assert fake_analyzer.lemma_pairs("Če ŽENSKE") == [("ce", "ce"), ("zenske", "zensk")]


# --- diacritics ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "question",
    [
        "ce delam v pralnici dobim placilo",
        "Če delam v pralnici, dobim plačilo?",
        "CE DELAM V PRALNICI DOBIM PLACILO",
    ],
)
def test_question_without_diacritics_gives_the_document_terms(fake_analyzer: Analyzer, question: str) -> None:
    document = "Če delam v pralnici, dobim plačilo."
    vocabulary = vocabulary_of(fake_analyzer, document)
    terms = fake_analyzer.query_terms(question, vocabulary)
    assert {t.term for t in terms} == set(fake_analyzer.document_terms(document))
    assert all(t.weight == WEIGHT_EXACT for t in terms)


def test_diacritic_less_word_resolves_through_corpus_surface_forms(fake_analyzer: Analyzer) -> None:
    vocabulary = Vocabulary({"placa"}, {"place": ["placa"]})  # e.g. lemmagen: "plače" → "plača"
    assert by_term(fake_analyzer.query_terms("place", vocabulary))["placa"].source == "surface"


# --- colloquial forms ---------------------------------------------------------------------------------------
def test_kok_means_koliko_which_is_a_stopword(fake_analyzer: Analyzer) -> None:
    lexicons = fake_analyzer.lexicons
    assert lexicons.colloquial["kok"] == "koliko"
    assert fake_analyzer.is_stopword("koliko")
    vocabulary = vocabulary_of(fake_analyzer, "Koliko stane obisk?")
    assert fake_analyzer.query_terms("kok", vocabulary) == []
    terms = fake_analyzer.query_terms("kok stane obisk", vocabulary)
    assert {t.word for t in terms} == {"stane", "obisk"}


def test_mam_means_imam(fake_analyzer: Analyzer) -> None:
    vocabulary = vocabulary_of(fake_analyzer, "Imam pravico do obiska.")
    terms = fake_analyzer.query_terms("mam pravico", vocabulary)
    assert by_term(terms)["imam"] == QueryTerm("imam", WEIGHT_EXACT, "surface", "imam")
    assert not any(t.word == "mam" or t.term == "mam" for t in terms)


def test_colloquial_short_infinitive(fake_analyzer: Analyzer) -> None:
    vocabulary = Vocabulary({"steti"}, {"steti": ["steti"]})  # corpus has "šteti"
    assert fake_analyzer.query_terms("štet", vocabulary) == [QueryTerm("steti", WEIGHT_EXACT, "colloquial", "štet")]


# --- synonyms -----------------------------------------------------------------------------------------------
def test_synonym_adds_lower_weight_terms_and_keeps_the_original(fake_analyzer: Analyzer) -> None:
    vocabulary = vocabulary_of(fake_analyzer, "Zapor ob koncu tedna.")
    terms = by_term(fake_analyzer.query_terms("vikend", vocabulary))
    assert terms["vikend"].weight == WEIGHT_EXACT
    synonym_terms = fake_analyzer.document_terms(fake_analyzer.lexicons.synonyms["vikend"])
    assert synonym_terms
    for term in synonym_terms:
        assert terms[term].weight == WEIGHT_SYNONYM < WEIGHT_EXACT
        assert terms[term].source == "synonym" and terms[term].word == "vikend"


def test_a_term_keeps_its_highest_weight(fake_analyzer: Analyzer) -> None:
    vocabulary = vocabulary_of(fake_analyzer, "Zapor ob koncu tedna.")
    terms = by_term(fake_analyzer.query_terms("vikend koncu", vocabulary))
    assert terms["konc"].weight == WEIGHT_EXACT  # asked for directly, so not downgraded to the synonym weight
    assert len(fake_analyzer.query_terms("vikend vikend", vocabulary)) == len(
        fake_analyzer.query_terms("vikend", vocabulary)
    )


# --- glossaries ---------------------------------------------------------------------------------------------
def test_english_word_by_prefix(fake_analyzer: Analyzer) -> None:
    lexicons = fake_analyzer.lexicons
    assert lexicons.glossary_lookup("visits") == lexicons.glossary["visit"] == "obisk obiskati"
    vocabulary = vocabulary_of(fake_analyzer, "Obiski trajajo eno uro.")
    terms = fake_analyzer.query_terms("visits", vocabulary)
    assert {t.term for t in terms} == set(fake_analyzer.document_terms("obisk obiskati"))
    assert "obisk" in {t.term for t in terms}
    assert all(t.source == "glossary" and t.weight == 1.0 for t in terms)


def test_longest_prefix_wins(fake_analyzer: Analyzer) -> None:
    lexicons = fake_analyzer.lexicons
    assert lexicons.glossary_lookup("visitors") == lexicons.glossary["visitor"]


def test_short_keys_match_only_exactly(fake_analyzer: Analyzer) -> None:
    lexicons = fake_analyzer.lexicons
    assert lexicons.glossary_lookup("job") == "delo"
    assert lexicons.glossary_lookup("pay") == "plačilo"
    assert lexicons.glossary_lookup("jobs") is None  # "job" is 3 letters: no prefix matching
    assert lexicons.glossary_lookup("payment") is None
    vocabulary = vocabulary_of(fake_analyzer, "Delo ni obvezno.")
    assert {t.term for t in fake_analyzer.query_terms("job", vocabulary)} == {"delo"}


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("posjeta", "obisk"),  # Croatian
        ("poseta", "obisk"),  # Serbian (prefix "poset")
        ("plaća", "plačilo"),
        ("placa", "plačilo"),  # BCS without diacritics
        ("Lawyer", "odvetnik pooblaščenec"),
    ],
)
def test_bcs_and_english_lookup(fake_analyzer: Analyzer, word: str, expected: str) -> None:
    assert fake_analyzer.lexicons.glossary_lookup(word) == expected


def test_corpus_word_is_not_replaced_by_the_glossary(fake_analyzer: Analyzer) -> None:
    vocabulary = vocabulary_of(fake_analyzer, "Obsojenka lahko prejme paket.")
    assert fake_analyzer.lexicons.glossary_lookup("paket")  # "paket" is also a BCS key
    terms = fake_analyzer.query_terms("paket", vocabulary)
    assert by_term(terms)["paket"].source == "surface"


def test_multi_word_glossary_key(fake_analyzer: Analyzer) -> None:
    vocabulary = vocabulary_of(fake_analyzer, "Prosti čas obsojenke preživijo na prostem.")
    terms = {t.term for t in fake_analyzer.query_terms("free time", vocabulary)}
    assert set(fake_analyzer.document_terms("prosti čas")) <= terms


# --- typo tolerance -----------------------------------------------------------------------------------------
def test_one_edit_typo_of_a_six_letter_word(fake_analyzer: Analyzer) -> None:
    vocabulary = vocabulary_of(fake_analyzer, "Obiski potekajo v sobi.")
    assert len("obiski") == 6
    terms = fake_analyzer.query_terms("obsiki", vocabulary)  # transposition: one OSA edit
    assert terms == [QueryTerm("obisk", WEIGHT_TYPO, "typo", "obsiki")]
    assert terms[0].weight < 1
    substituted = fake_analyzer.query_terms("obiskj", vocabulary)
    assert [(t.term, t.source) for t in substituted] == [("obisk", "typo")]


def test_two_edits_on_a_short_word_are_not_corrected(fake_analyzer: Analyzer) -> None:
    vocabulary = vocabulary_of(fake_analyzer, "Obiski potekajo v sobi.")
    terms = fake_analyzer.query_terms("obsikk", vocabulary)
    assert all(t.source != "typo" for t in terms)


def test_words_shorter_than_the_minimum_are_not_corrected(fake_analyzer: Analyzer) -> None:
    vocabulary = vocabulary_of(fake_analyzer, "Soba je čista.")
    assert [t.source for t in fake_analyzer.query_terms("sobq", vocabulary)] == ["lemma"]


def test_typo_tolerance_can_be_switched_off(fake_analyzer: Analyzer) -> None:
    strict = Analyzer(fake_analyzer.lemmatizer, fake_analyzer.lexicons, typo_max_distance=0)
    vocabulary = vocabulary_of(strict, "Obiski potekajo v sobi.")
    assert strict.query_terms("obsiki", vocabulary) == [QueryTerm("obsik", WEIGHT_EXACT, "lemma", "obsiki")]


def test_recognised_verb_forms_are_not_corrected(fake_analyzer: Analyzer) -> None:
    vocabulary = vocabulary_of(fake_analyzer, "Pošiljka je bila poslana.")
    assert "poslana" in vocabulary.surface  # one edit away from "poslala"
    terms = fake_analyzer.query_terms("poslala", vocabulary)  # fake lemma: "poslati" (a verb)
    # not corrected to the nearby surface form; only the verb's own participle joins, as a derived form
    assert terms == [
        QueryTerm("poslati", WEIGHT_EXACT, "lemma", "poslala"),
        QueryTerm("poslan", WEIGHT_EXACT * WEIGHT_DERIVED, "derived", "poslala", base="poslati"),
    ]
    # the same distance on a word the lemmatizer did not recognise is corrected
    control = fake_analyzer.query_terms("poslanq", vocabulary)
    assert [(t.term, t.source) for t in control] == [("poslan", "typo")]


def test_long_index_terms_also_match_their_one_edit_variants(fake_analyzer: Analyzer) -> None:
    vocabulary = Vocabulary(
        {"posteljnina", "posteljina"}, {"posteljnina": ["posteljnina"], "posteljina": ["posteljina"]}
    )
    assert len("posteljnina") >= VARIANT_MIN_LENGTH
    terms = by_term(fake_analyzer.query_terms("posteljnina", vocabulary))
    assert terms["posteljnina"].weight == WEIGHT_EXACT
    assert terms["posteljina"].weight == WEIGHT_EXACT * WEIGHT_VARIANT
    assert terms["posteljina"].source == "variant"


@pytest.mark.parametrize(
    ("term", "partners"),
    [
        ("brezplacen", ["brezplacno", "brezplaciti"]),  # only partners in the corpus vocabulary are used
        ("brezplacno", ["brezplacen"]),
        ("tedenski", ["tedensko"]),
        ("odvzeti", ["odvzet"]),
        ("omejiti", ["omejit", "omejen"]),
        ("poslan", ["poslati"]),
        ("obisk", []),
        ("ven", []),  # too short to have a stem
    ],
)
def test_derived_partners_by_ending(term: str, partners: list[str]) -> None:
    assert derived_partners(term) == partners


def test_adjective_in_the_question_also_finds_the_adverb_in_the_corpus(fake_analyzer: Analyzer) -> None:
    vocabulary = Vocabulary(
        {"brezplacen", "brezplacno", "pomoc"},
        {"brezplacen": ["brezplacen"], "brezplacno": ["brezplacno"], "pomoc": ["pomoc"]},
    )
    terms = by_term(fake_analyzer.query_terms("brezplacen pomoc", vocabulary))
    assert terms["brezplacno"] == QueryTerm(
        "brezplacno", WEIGHT_EXACT * WEIGHT_DERIVED, "derived", "brezplacen", base="brezplacen"
    )
    assert terms["brezplacen"].source == "surface"  # the question's own form stays


def test_synonyms_get_their_derived_forms_too(fake_analyzer: Analyzer) -> None:
    lexicons = replace(fake_analyzer.lexicons, synonyms={**fake_analyzer.lexicons.synonyms, "izgubiti": "omejen"})
    analyzer = Analyzer(fake_analyzer.lemmatizer, lexicons, typo_max_distance=0)
    vocabulary = Vocabulary({"omejiti", "pravica"}, {"omejiti": ["omejiti"], "pravice": ["pravica"]})
    terms = by_term(analyzer.query_terms("izgubiti pravice", vocabulary))
    assert terms["omejen"].source == "synonym"
    assert terms["omejiti"].source == "derived" and terms["omejiti"].base == "omejen"
    assert terms["omejiti"].weight == pytest.approx(WEIGHT_SYNONYM * WEIGHT_DERIVED)


def test_derived_partner_must_be_a_corpus_term(fake_analyzer: Analyzer) -> None:
    vocabulary = Vocabulary({"pomoc"}, {"pomoc": ["pomoc"]})
    assert "brezplacno" not in by_term(fake_analyzer.query_terms("brezplacen pomoc", vocabulary))


def test_derived_term_scores_only_where_its_base_is_absent() -> None:
    index = LexicalIndex.build(
        [["brezplacen", "vozovnica"], ["brezplacno", "pomoc"], ["brezplacen", "brezplacno"], ["drugo"]], {}
    )
    base = QueryTerm("brezplacen", 1.0, "lemma", "brezplacen")
    derived = QueryTerm("brezplacno", 0.8, "derived", "brezplacen", base="brezplacen")
    alone = index.scores([base])
    both = index.scores([base, derived])
    assert both[0] == alone[0]  # only the base form: unchanged
    assert both[1] > 0 == alone[1]  # only the derived form: now found
    assert both[2] == alone[2]  # both forms: counted once, not twice
    assert both[3] == 0


def test_numbers_are_kept(fake_analyzer: Analyzer) -> None:
    vocabulary = vocabulary_of(fake_analyzer, "Obiski trajajo eno uro.")
    assert [t.term for t in fake_analyzer.query_terms("30 dni", vocabulary)][:1] == ["30"]


def test_question_of_only_stopwords_has_no_terms(fake_analyzer: Analyzer) -> None:
    vocabulary = vocabulary_of(fake_analyzer, "Obiski trajajo eno uro.")
    assert fake_analyzer.query_terms("kaj pa če", vocabulary) == []
    assert fake_analyzer.query_terms("?!", vocabulary) == []


# --- vocabulary ---------------------------------------------------------------------------------------------
def test_vocabulary_fuzzy_lookups() -> None:
    vocabulary = Vocabulary({"obisk", "paket"}, {"obiski": ["obisk"], "paketi": ["paket"], "obiska": ["obisk"]})
    assert vocabulary.fuzzy_surface("obiskk", 1) == ["obisk"]
    assert vocabulary.fuzzy_surface("zzzzzz", 1) == []
    assert vocabulary.fuzzy_terms("obisk", 1) == []  # itself excluded
    assert vocabulary.fuzzy_terms("pakt", 1) == ["paket"]


# --- the lexicon files --------------------------------------------------------------------------------------
def _read(name: str) -> str:
    return resources.files("assistant.text").joinpath("lexicons", name).read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "table"), sorted(TABLES.items()))
def test_lexicon_file_parses_with_lowercase_keys_and_nonempty_values(name: str, table: str) -> None:
    data = tomllib.loads(_read(name))
    assert set(data) == {table}
    entries = data[table]
    assert len(entries) >= 20
    for key, value in entries.items():
        assert key == key.lower() == key.strip() and key, (name, key)
        assert isinstance(value, str) and value.strip() == value and value, (name, key)


@pytest.mark.parametrize(("name", "table"), sorted(TABLES.items()))
def test_folded_keys_do_not_conflict(name: str, table: str) -> None:
    entries = tomllib.loads(_read(name))[table]
    folded: dict[str, set[str]] = {}
    for key, value in entries.items():
        folded.setdefault(fold(key), set()).add(value)
    assert {k: v for k, v in folded.items() if len(v) > 1} == {}


def test_colloquial_keys_have_no_diacritics() -> None:
    entries = tomllib.loads(_read("colloquial_sl.toml"))["forms"]
    assert [key for key in entries if fold(key) != key] == []


def test_stopwords_file() -> None:
    lines = [line.strip() for line in _read("stopwords_sl.txt").splitlines()]
    words = [line for line in lines if line and not line.startswith("#")]
    assert len(words) > 100
    assert all(word == word.lower() and " " not in word for word in words)
    stopwords = load_lexicons().stopwords
    for content_word in ("obisk", "paket", "delo", "zapor", "odpust", "telefon", "pismo", "denar", "dopust"):
        assert content_word not in stopwords


@pytest.mark.parametrize("name", ["synonyms_sl.toml", "glossary_en.toml", "glossary_bcs.toml"])
def test_every_target_has_words(name: str) -> None:
    for key, value in tomllib.loads(_read(name))[TABLES[name]].items():
        assert value.split(), (name, key)
        assert all(word.isalpha() or "-" in word for word in value.split()), (name, key, value)


@pytest.mark.parametrize(
    "name",
    [
        "synonyms_sl.toml",
        "glossary_en.toml",
        "glossary_bcs.toml",
    ],
)
def test_every_target_has_a_content_word(name: str) -> None:
    stopwords = load_lexicons().stopwords
    dead = [
        key
        for key, value in tomllib.loads(_read(name))[TABLES[name]].items()
        if all(fold(word) in stopwords for word in value.split())
    ]
    assert dead == []


def test_loaded_lexicons_are_folded_and_merged() -> None:
    lexicons = load_lexicons()
    assert isinstance(lexicons, Lexicons)
    assert load_lexicons() is lexicons  # cached
    for table in (lexicons.colloquial, lexicons.synonyms, lexicons.glossary):
        assert all(key == fold(key) for key in table)
    en = tomllib.loads(_read("glossary_en.toml"))["terms"]
    bcs = tomllib.loads(_read("glossary_bcs.toml"))["terms"]
    assert len(lexicons.glossary) == len(Counter(fold(k).replace("_", " ") for k in [*en, *bcs]))
    assert lexicons.synonyms["sola"] == "izobraževanje"  # "šola" folded
