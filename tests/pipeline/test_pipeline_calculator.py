"""The calculator route: personal figures are computed, not quoted, and cite the rule's passage."""

from __future__ import annotations

from assistant.answer.messages import message
from assistant.generate import GeneratedSentence, ScriptedGenerator
from tests.pipeline.helpers import ungrounded

LEAVE = "Delala sem 5 mesecev s polnim delovnim časom. Koliko dni dopusta imam?"


def test_leave_days_are_calculated(extractive_assistant) -> None:
    answer = extractive_assistant.answer(LEAVE)
    assert answer.mode == "calculator"
    assert not answer.refused
    assert answer.missing == []
    assert "10" in answer.text
    assert any(s.section == "Delo v zaporu" for s in answer.sources)
    cited = {n for s in answer.sentences for n in s.citations}
    assert cited == {s.n for s in answer.sources}
    assert answer.calculation is not None
    assert answer.calculation["outputs"]["leave_days"] == 10
    assert answer.note == message("calc_note", "sl")
    assert ungrounded(answer) == []


def test_calculator_source_quotes_the_rule(extractive_assistant) -> None:
    answer = extractive_assistant.answer(LEAVE)
    (source,) = [s for s in answer.sources if s.section == "Delo v zaporu"]
    assert "dveh dni letnega dopusta" in source.text
    assert source.chunk_id.startswith("prirocnik-zpkz-ig:delo-v-zaporu")


def test_calculator_runs_before_the_generator(make_assistant) -> None:
    generator = ScriptedGenerator([GeneratedSentence("Pripada vam 12 dni dopusta.", [1])])
    answer = make_assistant(generator).answer(LEAVE)
    assert answer.mode == "calculator"
    assert generator.requests == []
    assert "12" not in answer.text


def test_missing_figure_asks_for_it(extractive_assistant) -> None:
    answer = extractive_assistant.answer("Izračunaj, koliko dni dopusta imam.")
    assert answer.mode == "calculator"
    assert answer.missing  # the kiosk shows a form for these
    assert "full_time_months" in answer.missing
    assert answer.sentences and all(s.text.strip() for s in answer.sentences)
    assert answer.sources == []
    assert answer.calculation is not None and answer.calculation["kind"] == "leave_days"


def test_general_leave_question_is_not_a_calculation(extractive_assistant) -> None:
    answer = extractive_assistant.answer("Koliko dni letnega dopusta imam, če delam v zaporu?")
    assert answer.mode in ("extractive", "llm")
    assert any(s.section == "Delo v zaporu" for s in answer.sources)


def test_calculator_answer_in_english_gets_the_english_note(extractive_assistant) -> None:
    answer = extractive_assistant.answer(LEAVE, language="en")
    assert answer.mode == "calculator"
    assert answer.language == "en"
    assert answer.note == message("calc_note", "en")


def test_calculator_answer_quotes_the_rule_it_applied(extractive_assistant) -> None:
    answer = extractive_assistant.answer("Delam 6 ur na dan. Ali mi pripada dodaten obrok?")
    assert answer.mode == "calculator"
    rule = (
        "Obsojenkam, ki delajo ali so vključene v delovno terapijo vsaj štiri ure dnevno, "
        "se zagotovi dodaten obrok hrane."
    )
    (quoted,) = [s for s in answer.sentences if s.text == rule]
    (source,) = [s for s in answer.sources if s.n in quoted.citations]
    assert rule in source.text
    assert ungrounded(answer) == []
