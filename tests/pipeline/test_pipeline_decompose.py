"""Two-part questions are split at a conjunction followed by a question word; statements are context."""

from __future__ import annotations

import pytest

from assistant.decompose import question_parts, split_question


def test_two_part_question_with_a_statement() -> None:
    parts = question_parts("Noseča sem. Kaj mi pripada pri prehrani in ali bo otrok lahko ostal pri meni?")
    assert parts == [("Noseča sem.", "Kaj mi pripada pri prehrani"),
                     ("Noseča sem.", "ali bo otrok lahko ostal pri meni?")]
    assert split_question("Koliko dni dobim in kako jih izkoristim?") == ["Koliko dni dobim", "kako jih izkoristim?"]


@pytest.mark.parametrize("question", [
    "Kako dolgo traja obisk?",
    "Ali lahko dobim paket in pismo?",  # "in" joins two things, not two questions
    "Kdo lahko zaprosi za prekinitev kazni, lahko to naredi tudi moj mož?",
    "kok pakte in kaj?",  # the second part is too short to stand as a question
])
def test_single_questions_are_not_split(question: str) -> None:
    assert question_parts(question) == [("", question)]


def test_two_questions_in_two_sentences() -> None:
    assert split_question("Kdaj so obiski? Koliko časa trajajo?") == ["Kdaj so obiski?", "Koliko časa trajajo?"]


def test_two_part_answer_quotes_each_part(make_assistant) -> None:
    answer = make_assistant(None).answer(
        "Kako dolgo lahko traja nadzorovan obisk in kdo plača vozovnico ob odpustu iz zavoda?")
    sections = {s.section for s in answer.sources}
    assert answer.mode == "extractive"
    assert len(answer.diagnostics["question_parts"]) == 2
    assert {"Obiski", "Odpuščanje iz zavoda"} <= sections
    assert len(answer.sentences) <= 4
