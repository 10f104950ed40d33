"""Question focus: quantity questions prefer sentences that state a quantity; interrogative words are not searched."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.answer.extractive import SentenceScorer
from assistant.question.focus import defined_subject, question_focus


@pytest.mark.parametrize(
    "question",
    [
        "Kako dolgo lahko traja obisk?",
        "kok časa smem bit na sprehodu?",
        "Kolikokrat na mesec lahko telefoniram?",
        "Po kolikšnem delu kazni me lahko izpustijo?",
        "How often can I call home?",
        "How many parcels can I get?",
        "Koliko dugo traje posjeta?",
        "do kdaj lahko otrok ostane pri meni?",
    ],
)
def test_quantity_questions_are_recognised(question: str) -> None:
    assert question_focus(question).wants_quantity


@pytest.mark.parametrize(
    "question",
    [
        "Kdo mi lahko pomaga pri prošnji?",
        "Ali smem imeti svoj telefon?",
        "What should I bring with me?",
        "Gdje mogu prijaviti pritužbu?",
    ],
)
def test_other_questions_are_not_quantity_questions(question: str) -> None:
    assert not question_focus(question).wants_quantity


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Kako dolgo lahko traja nenadzorovan obisk?", "lahko traja nenadzorovan obisk?"),
        ("kok časa na dan smem bit zunaj?", "na dan smem bit zunaj?"),
        ("Po kolikšnem delu kazni grem lahko na pogojni odpust?", "delu kazni grem lahko na pogojni odpust?"),
        ("How often can I call home?", "can I call home?"),
        ("Kje je knjižnica?", "Kje je knjižnica?"),
    ],
)
def test_interrogative_filler_is_cut_and_diacritics_are_kept(question: str, topic: str) -> None:
    assert question_focus(question).topic_text == topic


def test_a_question_of_only_filler_leaves_nothing_to_search() -> None:
    assert question_focus("Kako dolgo?").topic_text == "?"


def test_quantity_bonus_prefers_the_sentence_that_states_a_quantity(fake_analyzer: Any, fake_retriever: Any) -> None:
    scorer = SentenceScorer(fake_analyzer, fake_retriever.store.lexical)
    passage = "Obiski potekajo v prostoru za obiske. Obiski trajajo do dve uri."
    terms = fake_retriever.query_terms("obiski")
    plain = scorer.score(terms, "obiski", [(1, passage, "Obiski")])
    assert {s.score for s in plain} == {plain[0].score}  # both sentences name visits and nothing else
    focus = question_focus("Kako dolgo trajajo obiski?")
    focused = scorer.score(terms, "obiski", [(1, passage, "Obiski")], focus=focus)
    assert focused[0].text == "Obiski trajajo do dve uri."
    assert focused[0].score > focused[1].score


def test_how_long_question_quotes_a_duration(extractive_assistant: Any) -> None:
    answer = extractive_assistant.answer("Kako dolgo lahko traja nadzorovan obisk?")
    assert answer.mode == "extractive"
    assert "do dve uri" in answer.text


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("Kaj je osebni načrt?", True),
        ("Kdo so ožji družinski člani?", True),
        ("Who counts as close family?", True),
        ("Šta je lični plan?", True),
        ("Kdaj lahko dobim izhod?", False),
        ("Ali smem kaditi v sobi?", False),
    ],
)
def test_definition_questions_are_recognised(question: str, wanted: bool) -> None:
    assert question_focus(question).wants_definition is wanted


@pytest.mark.parametrize(
    ("sentence", "subject"),
    [
        ("Ožji družinski člani so: zakonec, otroci in starši.", "ozji druzinski clani"),
        ("Osebni načrt je individualiziran program prestajanja kazni.", "osebni nacrt"),
        ("Če obisk poteka zunaj zavoda, lahko traja do pet ur.", None),  # a condition, not a definition
        ("Obiski, ki se izvajajo z nadzorom, so nadzorovani.", None),  # no short subject before the verb
    ],
)
def test_defined_subject(sentence: str, subject: str | None) -> None:
    assert defined_subject(sentence) == subject


def test_definition_bonus_prefers_the_sentence_that_defines_the_topic(fake_analyzer: Any, fake_retriever: Any) -> None:
    scorer = SentenceScorer(fake_analyzer, fake_retriever.store.lexical)
    passage = "Osebni načrt pripravijo strokovni delavci. Osebni načrt je program prestajanja kazni."
    terms = fake_retriever.query_terms("osebni načrt")
    plain = scorer.score(terms, "osebni načrt", [(1, passage, "Strokovna skupina")])
    assert plain[0].text.startswith("Osebni načrt pripravijo")  # equal words: reading order
    focused = scorer.score(
        terms, "osebni načrt", [(1, passage, "Strokovna skupina")], focus=question_focus("Kaj je osebni načrt?")
    )
    assert focused[0].text == "Osebni načrt je program prestajanja kazni."
    assert focused[0].score > focused[1].score


def test_word_share_counts_each_question_word_once(fake_analyzer: Any, fake_retriever: Any) -> None:
    from assistant.text.analyze import QueryTerm

    scorer = SentenceScorer(fake_analyzer, fake_retriever.store.lexical)
    terms = [
        QueryTerm("obisk", 1.0, "lemma", "obiski"),
        QueryTerm("srecanj", 0.6, "synonym", "obiski"),
        QueryTerm("paket", 1.0, "lemma", "paketi"),
    ]
    share = scorer.word_share(terms)
    idf = fake_retriever.store.lexical.idf
    assert share("Obiski in paketi.") == pytest.approx(1.0)
    assert share("Obiski.") == pytest.approx(idf("obisk") / (idf("obisk") + idf("paket")))
    assert share("Nič od tega.") == 0.0


@pytest.mark.parametrize(
    ("sentence", "states"),
    [
        ("Dopisovanje z ožjimi družinskimi člani je neomejeno.", True),
        ("Odprti režim - brez omejitve.", True),
        ("Posteljnina se zamenja najmanj vsakih 14 dni.", True),
        ("Zagotovljena je tajnost pisem.", False),
    ],
)
def test_quantities_in_words_count_as_quantities(
    fake_analyzer: Any, fake_retriever: Any, sentence: str, states: bool
) -> None:
    assert SentenceScorer(fake_analyzer, fake_retriever.store.lexical).states_quantity(sentence) is states
