"""Follow-up questions become self-contained retrieval queries."""

from __future__ import annotations

import pytest

from assistant.question.followup import is_followup, rewrite_query
from assistant.types import Turn

VISITS = Turn("Kdaj so obiski?", "Obiski so …", "Kdaj so obiski?")


def test_followup_carries_the_previous_topic() -> None:
    query = rewrite_query("pa ob vikendih?", [VISITS])
    assert "Kdaj so obiski?" in query
    assert "pa ob vikendih?" in query


def test_followup_uses_the_previous_retrieval_query_when_known() -> None:
    first = Turn("pa ob vikendih?", "…", "Kdaj so obiski? pa ob vikendih?")
    query = rewrite_query("in za otroke?", [VISITS, first])
    assert query == "Kdaj so obiski? pa ob vikendih? in za otroke?"


def test_followup_falls_back_to_the_previous_question() -> None:
    assert (
        rewrite_query("what about parcels?", [Turn("How often can I call home?")])
        == "How often can I call home? what about parcels?"
    )


@pytest.mark.parametrize(
    "question",
    [
        "Koliko paketov lahko prejmem na mesec v zaprtem režimu?",  # standalone
        "Ali lahko med prestajanjem kazni obiskujem tečaj angleščine?",
        "Pa kaj naj naredim, če mi sojetnica vzame hrano in mi grozi vsak dan?",  # marker, but too long
    ],
)
def test_standalone_question_is_not_rewritten(question: str) -> None:
    assert rewrite_query(question, [VISITS]) == question


def test_without_history_nothing_is_rewritten() -> None:
    assert rewrite_query("pa ob vikendih?", None) == "pa ob vikendih?"
    assert rewrite_query("pa ob vikendih?", []) == "pa ob vikendih?"


@pytest.mark.parametrize(
    "question, expected",
    [
        ("pa ob vikendih?", True),
        ("In za tujke?", True),
        ("Kaj pa če sem bolna?", True),
        ("What about parcels?", True),
        ("a za djecu?", True),
        ("Kdaj so obiski?", False),
        ("", False),
        ("Paketi?", False),  # "pa" must be a whole word
    ],
)
def test_is_followup(question: str, expected: bool) -> None:
    assert is_followup(question) is expected


def test_answer_with_history_uses_the_rewritten_query(extractive_assistant) -> None:
    answer = extractive_assistant.answer("pa ob vikendih?", history=[VISITS])
    assert answer.retrieval_query == "Kdaj so obiski? pa ob vikendih?"
    assert answer.mode in ("extractive", "llm")
    assert any(s.section == "Obiski" for s in answer.sources)


def test_same_followup_without_history_searches_on_its_own(extractive_assistant) -> None:
    answer = extractive_assistant.answer("pa ob vikendih?")
    assert answer.retrieval_query == "pa ob vikendih?"


def test_generator_gets_the_original_question(make_assistant) -> None:
    from assistant.generate import ScriptedGenerator

    generator = ScriptedGenerator([])
    answer = make_assistant(generator).answer("pa ob vikendih?", history=[VISITS])
    assert answer.retrieval_query == "Kdaj so obiski? pa ob vikendih?"
    assert [r.question for r in generator.requests] == ["pa ob vikendih?"]
