"""Long and mixed messages: every part gets its answer or says plainly that the corpus does not cover it; a
question about another prison gets the ZPKZ Ig rule, marked as such."""

from __future__ import annotations

import pytest

from assistant.answer.messages import message
from assistant.question.scope import mentions_other_institution


@pytest.mark.parametrize(
    "question",
    [
        "Moja sestra je v zaporu na Dobu, koliko obiskov ima tam?",
        "Kako je z obiski v zaporu Koper?",
        "My cousin is in another prison, can she call me?",
        "Sestra mi je u drugom zatvoru, smije li primati pakete?",
    ],
)
def test_another_institution_is_recognised(question: str) -> None:
    assert mentions_other_institution(question)


@pytest.mark.parametrize(
    "question",
    [
        "Koliko obiskov imam na teden?",
        "Kolikšna je starostna doba za otroke?",
        "How many parcels can I get?",
    ],
)
def test_questions_about_ig_are_not_about_another_institution(question: str) -> None:
    assert not mentions_other_institution(question)


def test_answer_about_another_prison_is_marked_as_the_ig_rule(extractive_assistant) -> None:
    answer = extractive_assistant.answer("Moja sestra je v zaporu na Dobu. Kolikokrat na teden jo lahko obiščejo?")
    assert message("other_institution", "sl") in [s.text for s in answer.sentences]
    assert any(s.section == "Obiski" for s in answer.sources)


def test_a_part_the_corpus_does_not_cover_is_named(extractive_assistant) -> None:
    answer = extractive_assistant.answer(
        "Kako dolgo lahko traja nadzorovan obisk in koliko stane taksi od zapora do Ljubljane?"
    )
    texts = [s.text for s in answer.sentences]
    assert any(s.section == "Obiski" for s in answer.sources)
    assert any("taksi" in t and "ne odgovarjata" in t for t in texts), texts


def test_a_long_message_only_about_another_prison_is_not_answered_as_if_it_were_ig(extractive_assistant) -> None:
    answer = extractive_assistant.answer(
        "Brat je zaprt na Dobu. Kolikokrat na teden ga lahko obiščejo na Dobu in koliko paketov dobi v zaporu na Dobu?"
    )
    texts = [s.text for s in answer.sentences]
    intro = message("other_part", "sl").split("{part}")[0]
    assert answer.refused, texts  # the handbook does not answer it: ZPKZ Dob is another prison
    assert sum(t.startswith(intro) for t in texts) == 2, texts  # each part says so itself
    assert answer.sources, "the nearest Ig rule is still shown, marked as such"


def test_a_part_about_another_prison_does_not_hide_the_answered_part(extractive_assistant) -> None:
    answer = extractive_assistant.answer(
        "Brat je zaprt na Dobu. Kolikokrat na teden ga lahko obiščejo na Dobu in koliko paketov lahko dobim jaz?"
    )
    texts = [s.text for s in answer.sentences]
    intro = message("other_part", "sl").split("{part}")[0]
    assert not answer.refused, texts
    assert sum(t.startswith(intro) for t in texts) == 1, texts
    assert message("other_institution", "sl") not in texts  # said per part, not twice


def test_a_passage_two_parts_share_is_shown_once(extractive_assistant) -> None:
    answer = extractive_assistant.answer("Kolikokrat na teden me lahko obiščejo in koliko časa lahko traja obisk?")
    texts = [s.text for s in answer.sentences]
    assert len(texts) == len(set(texts)), texts


def test_a_story_that_dilutes_its_one_question_is_answered_by_the_question_alone(extractive_assistant) -> None:
    story = "One of the officers was really rude to me today, called me a waste of space in front of everyone."
    whole = extractive_assistant.retriever.search(f"{story} How do I file a complaint?", language="en")
    assert whole.confidence < extractive_assistant.settings.refusal_threshold  # the story's words dilute it
    answer = extractive_assistant.answer(f"{story} How do I file a complaint?")
    assert not answer.refused
    assert [s.section for s in answer.sources] == ["Varstvo pravic obsojenk"]


def test_a_long_message_with_a_figure_to_compute_leads_with_the_calculation(extractive_assistant) -> None:
    answer = extractive_assistant.answer(
        "Obsojena sem na 2 leti in 6 mesecev, prej sem bila 4 mesece v priporu. Koliko mesecev moram še odsedeti, "
        "preden lahko zaprosim za pogojni odpust? Kolikokrat na teden me lahko obiščejo otroci?"
    )
    assert answer.mode == "extractive" and answer.calculation is not None
    assert "11 mesecev" in answer.sentences[0].text  # the computed figure leads, citing its rules
    first_sources = {s.section for s in answer.sources if s.n in answer.sentences[0].citations}
    assert "KZ-1 88. člen" in first_sources
    assert "Obiski" in {s.section for s in answer.sources}  # the other part is answered too
    numbers = [n for s in answer.sentences for n in s.citations]
    assert set(numbers) <= {s.n for s in answer.sources}


def test_the_part_that_asks_for_a_figure_is_answered_first(extractive_assistant) -> None:
    answer = extractive_assistant.answer(
        "Sem v zaprtem režimu. Ali moram delati? Koliko paketov s hrano dobim na leto?"
    )
    assert any(ch.isdigit() for ch in answer.sentences[0].text), answer.sentences[0].text
    assert any(s.section == "Paketi" for s in answer.sources if s.n in answer.sentences[0].citations)


@pytest.mark.parametrize(
    ("part", "vague"),
    [
        ("Is that right?", True),
        ("Je to res?", True),
        ("How many parcels can I get?", False),
        ("Koliko časa lahko traja obisk?", False),
    ],
)
def test_a_part_with_no_words_of_its_own_is_read_with_the_story(extractive_assistant, part: str, vague: bool) -> None:
    assert extractive_assistant.grounded._vague(part) is vague
