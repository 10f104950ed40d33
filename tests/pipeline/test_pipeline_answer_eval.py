"""answer_eval helpers: fact_present, ungrounded_numbers and summarise on hand-made answers and rows."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.evaluation.answers import fact_present, summarise, ungrounded_numbers
from assistant.evaluation.retrieval import Question
from assistant.types import Answer, AnswerSentence, Source

SUPERVISED = (
    "Nadzorovani obiski so obiski, ki se izvajajo z nadzorom pravosodnih policistov. "
    "Nadzorovani obiski trajajo do dve uri."
)
PHONE = (
    "Obsojenka lahko kadarkoli pokliče na brezplačno telefonsko številko Varuha človekovih pravic "
    "Republike Slovenije (080 15 30) in policijo (112)."
)


def make_answer(
    sentences: list[tuple[str, list[int]]],
    sources: list[str],
    mode: str = "extractive",
    calculation: dict[str, Any] | None = None,
    note: str | None = None,
) -> Answer:
    return Answer(
        "vprašanje",
        "sl",
        mode,
        [AnswerSentence(t, c) for t, c in sentences],  # type: ignore[arg-type]
        [Source(n, f"chunk:{n}", f"label {n}", "Obiski", text) for n, text in enumerate(sources, 1)],
        0.9,
        calculation=calculation,
        note=note,
    )


# --- fact_present -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "fact",
    [
        "Nadzorovani obiski trajajo do dve uri",  # verbatim
        "nadzorovani OBISKI trajajo do dve uri",  # case
        "Varuha clovekovih pravic",  # diacritics missing in the fact
        "Varuha   človekovih\npravic",  # whitespace
        "*080 15 30*",  # markdown emphasis in the gold list
    ],
)
def test_fact_present_verbatim(extractive_assistant, fact: str) -> None:
    answer = make_answer([("Nadzorovani obiski trajajo do dve uri.", [1]), (PHONE, [2])], [SUPERVISED, PHONE])
    assert fact_present(fact, answer, extractive_assistant)


def test_fact_present_inflected(extractive_assistant) -> None:
    # "nadzorovanih obiskov" vs "nadzorovani obiski": same lemmas (fake lemmatizer: -ih/-ov/-i stripped)
    answer = make_answer([("Trajanje nadzorovanih obiskov policisti omejijo.", [1])], [SUPERVISED])
    assert fact_present("nadzorovani obiski", answer, extractive_assistant)


def test_fact_absent(extractive_assistant) -> None:
    answer = make_answer([("Nadzorovani obiski trajajo do dve uri.", [1])], [SUPERVISED])
    assert not fact_present("Paketi se pred izročitvijo pregledajo", answer, extractive_assistant)
    assert not fact_present("...", answer, extractive_assistant)  # no content terms at all


def test_fact_partly_present_needs_eighty_percent(extractive_assistant) -> None:
    answer = make_answer([("Nadzorovani obiski trajajo do dve uri.", [1])], [SUPERVISED])
    # 4 of 5 content lemmas present → 0.8 → present; 3 of 5 → absent
    assert fact_present("nadzorovani obiski trajajo dolgo uri", answer, extractive_assistant)
    assert not fact_present("nadzorovani obiski trajajo dolgo tedensko", answer, extractive_assistant)


def test_fact_in_the_note_counts(extractive_assistant) -> None:
    answer = make_answer([("Nadzorovani obiski trajajo do dve uri.", [1])], [SUPERVISED], note="Vprašajte osebje.")
    assert fact_present("vprašajte osebje", answer, extractive_assistant)


# --- ungrounded_numbers -------------------------------------------------------------------------------------
def test_number_not_in_sources_is_reported() -> None:
    answer = make_answer([("Nadzorovani obiski trajajo do tri ure.", [1]), ("Pokličite 080 15 31.", [1])], [SUPERVISED])
    assert ungrounded_numbers(answer) == ["tri", "080", "15", "31"]


def test_numbers_in_sources_are_grounded_in_any_form() -> None:
    answer = make_answer(
        [("Nadzorovani obiski trajajo do 2 uri.", [1]), ("Pokličite 080 15 30 ali 112.", [2])], [SUPERVISED, PHONE]
    )
    assert ungrounded_numbers(answer) == []


def test_calculator_numbers_count_as_grounded() -> None:
    calculation = {"kind": "leave_days", "inputs": {"full_time_months": 5}, "outputs": {"leave_days": 10}}
    sentences = [("Razumem: število mesecev dela: 5.", []), ("Pripada vam 10 dni letnega dopusta.", [1])]
    source = "ima za vsak mesec dela s polnim delovnim časom pravico do dveh dni letnega dopusta."
    assert ungrounded_numbers(make_answer(sentences, [source], "calculator", calculation)) == []
    assert ungrounded_numbers(make_answer(sentences, [source], "calculator")) == ["5", "10"]


def test_numbers_in_the_note_are_not_checked() -> None:
    answer = make_answer([("Nadzorovani obiski trajajo do dve uri.", [1])], [SUPERVISED], note="Glej 7. stran.")
    assert ungrounded_numbers(answer) == []


def test_answer_without_numbers_is_clean() -> None:
    assert ungrounded_numbers(make_answer([("Obiski so nadzorovani.", [1])], [SUPERVISED])) == []
    assert ungrounded_numbers(make_answer([], [])) == []


# --- summarise ----------------------------------------------------------------------------------------------
def question(qid: str, answerable: bool = True, style: str = "formal", lang: str = "sl") -> Question:
    return Question(qid, f"vprašanje {qid}", style, lang, answerable, ["Obiski"], ["dejstvo"], ["2"])


def row(
    mode: str = "extractive",
    fact: float | None = 1.0,
    number: float | None = 1.0,
    citation: float | None = 1.0,
    ungrounded: list[str] | None = None,
    refusal_correct: bool = True,
    language_match: bool = True,
    llm: int = 0,
    supported: int = 0,
) -> dict[str, Any]:
    return {
        "mode": mode,
        "fact_recall": fact,
        "number_recall": number,
        "citation_precision": citation,
        "ungrounded_numbers": ungrounded or [],
        "refusal_correct": refusal_correct,
        "language_match": language_match,
        "llm_sentences": llm,
        "llm_supported": supported,
    }


def test_summarise_exact_numbers() -> None:
    questions = [
        question("a"),
        question("b", style="colloquial", lang="en"),
        question("c", style="colloquial"),
        question("d", answerable=False),
    ]
    rows = {
        "a": row("llm", fact=1.0, number=1.0, citation=1.0, llm=3, supported=2),
        "b": row(
            "extractive", fact=0.5, number=0.0, citation=0.5, ungrounded=["7"], language_match=False, llm=2, supported=0
        ),
        "c": row("refusal", fact=0.0, number=None, citation=None, refusal_correct=False),
        "d": row("refusal", fact=None, number=None, citation=None),
    }
    metrics = summarise(questions, rows)
    assert metrics["n"] == 4
    assert metrics["fact_recall"] == 0.5  # (1 + 0.5 + 0) / 3 answerable
    assert metrics["number_recall"] == 0.5  # (1 + 0) / 2, None skipped
    assert metrics["citation_precision"] == 0.75  # (1 + 0.5) / 2
    assert metrics["ungrounded_numbers"] == 1
    assert metrics["refusal_accuracy"] == 0.75
    assert metrics["language_match"] == 0.75
    assert metrics["mode_share"] == {"extractive": 0.25, "llm": 0.25, "refusal": 0.5}
    assert list(metrics["mode_share"]) == ["extractive", "llm", "refusal"]
    assert metrics["llm_sentences"] == 5
    assert metrics["llm_sentences_supported"] == 2
    assert metrics["llm_verification_pass_rate"] == 0.4
    assert metrics["by_style"] == {
        "colloquial": {"n": 2, "fact_recall": 0.25, "citation_precision": 0.5, "refusal_accuracy": 0.5},
        "formal": {"n": 2, "fact_recall": 1.0, "citation_precision": 1.0, "refusal_accuracy": 1.0},
    }


def test_summarise_unanswerable_rows_do_not_count_for_recall() -> None:
    questions = [question("a"), question("x", answerable=False)]
    rows = {"a": row(fact=0.25), "x": row("extractive", fact=1.0, refusal_correct=False)}
    metrics = summarise(questions, rows)
    assert metrics["fact_recall"] == 0.25
    assert metrics["refusal_accuracy"] == 0.5


def test_summarise_without_llm_sentences_has_no_pass_rate() -> None:
    metrics = summarise([question("a")], {"a": row()})
    assert metrics["llm_verification_pass_rate"] is None
    assert metrics["mode_share"] == {"extractive": 1.0}


def test_summarise_rounds_to_four_places() -> None:
    questions = [question("a"), question("b"), question("c")]
    rows = {"a": row(fact=1.0), "b": row(fact=0.0), "c": row(fact=0.0)}
    metrics = summarise(questions, rows)
    assert metrics["fact_recall"] == 0.3333
    assert metrics["mode_share"] == {"extractive": 1.0}
