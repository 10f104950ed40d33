"""Two-part questions are split at a conjunction followed by a question word; statements are context."""

from __future__ import annotations

import pytest

from assistant.question.decompose import asked_part, asks_something, question_parts, split_question


def test_two_part_question_with_a_statement() -> None:
    parts = question_parts("Noseča sem. Kaj mi pripada pri prehrani in ali bo otrok lahko ostal pri meni?")
    assert parts == [
        ("Noseča sem.", "Kaj mi pripada pri prehrani"),
        ("Noseča sem.", "ali bo otrok lahko ostal pri meni?"),
    ]
    assert split_question("Koliko dni dobim in kako jih izkoristim?") == ["Koliko dni dobim", "kako jih izkoristim?"]


@pytest.mark.parametrize(
    "question",
    [
        "Kako dolgo traja obisk?",
        "Ali lahko dobim paket in pismo?",  # "in" joins two things, not two questions
        "Kdo lahko zaprosi za prekinitev kazni, lahko to naredi tudi moj mož?",
        "kok pakte in kaj?",  # the second part is too short to stand as a question
    ],
)
def test_single_questions_are_not_split(question: str) -> None:
    assert question_parts(question) == [("", question)]


def test_two_questions_in_two_sentences() -> None:
    assert split_question("Kdaj so obiski? Koliko časa trajajo?") == ["Kdaj so obiski?", "Koliko časa trajajo?"]


def test_two_part_answer_quotes_each_part(make_assistant) -> None:
    answer = make_assistant(None).answer(
        "Kako dolgo lahko traja nadzorovan obisk in kdo plača vozovnico ob odpustu iz zavoda?"
    )
    sections = {s.section for s in answer.sources}
    assert answer.mode == "extractive"
    assert len(answer.diagnostics["question_parts"]) == 2
    assert {"Obiski", "Odpuščanje iz zavoda"} <= sections
    assert len(answer.quotes) <= 4


SITUATION_RULE = "Če sodba obsojenke ni pravnomočna, ne more biti deležna zunajzavodskih ugodnosti."


def test_the_rule_for_the_stated_situation_comes_first(make_assistant) -> None:
    answer = make_assistant(None).answer(
        "Moja sodba še ni pravnomočna. Ali lahko dobim izhod iz zavoda in kako dolgo traja nadzorovan obisk?"
    )
    assert answer.mode == "extractive"
    assert answer.quotes[0].text == SITUATION_RULE
    (source,) = [s for s in answer.sources if s.n in answer.quotes[0].citations]
    assert SITUATION_RULE in source.text
    assert len(answer.quotes) <= 5


def test_a_statement_the_handbook_has_no_rule_for_adds_nothing(make_assistant) -> None:
    answer = make_assistant(None).answer(
        "Danes sem zelo utrujena. Ali lahko dobim izhod iz zavoda in kako dolgo traja nadzorovan obisk?"
    )
    assert answer.mode == "extractive"
    assert SITUATION_RULE not in answer.text
    assert len(answer.quotes) <= 4


def test_english_parts_are_answered_from_the_translation(make_assistant) -> None:
    # the reader's words are in the English translation of the paragraph, not in its Slovenian sentences
    answer = make_assistant(None).answer(
        "I came to Ig last week. Do pregnant women get an extra meal? And until what age can my baby stay with me?"
    )
    assert answer.mode == "extractive" and answer.language == "en"
    assert len(answer.diagnostics["question_parts"]) == 2
    assert "Prehrana" in {s.section for s in answer.sources}
    assert "do not answer this part" not in answer.text
    assert "extra meal" in answer.text


def test_a_message_of_many_parts_can_quote_for_every_part(make_assistant) -> None:
    answer = make_assistant(None).answer(
        "Kako dolgo traja nadzorovan obisk? Kdo plača vozovnico ob odpustu? Koliko paketov dobim v zaprtem režimu? "
        "Ali je delo obvezno? Koliko dni letnega dopusta dobim?"
    )
    assert len(answer.diagnostics["question_parts"]) == 5
    assert len({s.section for s in answer.sources}) >= 4
    assert 4 < len(answer.quotes) <= 6  # one more than a part each beyond four


@pytest.mark.parametrize(
    "message",
    [
        "Kdaj so obiski?",
        "kolk paketov lahko dobim",
        "Lahko dobim še en telefonski klic",
        "can i get another phone call this week",
        "mogu li dobit još jedan poziv",
        "Povejte mi, koliko stane klic.",
    ],
)
def test_a_message_that_asks(message: str) -> None:
    assert asks_something(message)


@pytest.mark.parametrize(
    "message",
    ["Grozijo mi, da me bodo pretepli.", "Ne zmorem več.", "i cant do this anymore", "Sita sam svega."],
)
def test_a_message_that_asks_nothing(message: str) -> None:
    assert not asks_something(message)


def test_the_question_after_a_story_is_found() -> None:
    story = "One of the officers was rude to me today. She shouted at me in front of everyone. How do I complain?"
    assert asked_part(story) == "How do I complain?"
    assert asked_part("How do I complain?") is None  # no story: the message is the question
    assert asked_part("Ne zmorem več.") is None  # no question
