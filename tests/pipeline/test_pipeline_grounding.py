"""Every number a user sees is traceable to a cited passage or the calculator (extractive assistant,
fake stack).

The questions are written for this test (not copied from eval/questions.jsonl) and cover every route:
handbook and statute answers, colloquial and diacritic-less wording, English and BCS, calculator cases,
crisis, refusals and unanswerable questions.
"""

from __future__ import annotations

import pytest

from assistant.types import Answer
from tests.pipeline.helpers import ungrounded

QUESTIONS = [
    "Kolikokrat na teden me lahko obišče družina?",
    "Koliko časa traja nenadzorovan obisk?",
    "Kako velik je lahko paket, ki mi ga pošljejo?",
    "Koliko paketov s hrano lahko dobim na leto v zaprtem režimu?",
    "Kdo plača telefonske pogovore?",
    "Ali lahko pokličem varuha človekovih pravic?",
    "Koliko dni dopusta imam, če delam v zaporu?",
    "Kdaj lahko zaprosim za pogojni odpust?",
    "Kaj je predčasni odpust?",
    "V koliko dneh zavod obvesti center za socialno delo?",
    "Ali smem imeti s seboj mobilni telefon?",
    "Kako poteka zdravniški pregled ob sprejemu?",
    "Kje lahko operem oblačila?",
    "Koliko obrokov hrane dobim na dan?",
    "Kaj pa če sem vegetarijanka?",
    "Ali se lahko izobražujem med prestajanjem kazni?",
    "kok casa lahko traja obisk zunaj zavoda",
    "a mi lahko sestra posle paket",
    "How many times a week can my family visit me?",
    "Who pays for phone calls in prison?",
    "Can I work while I am in prison?",
    "Mogu li dobiti paket od obitelji?",
    "Koliko dugo traje posjeta?",
    "Delala sem 8 mesecev s polnim delovnim časom. Koliko dni dopusta imam?",
    "Izračunaj, koliko dni dopusta imam.",
    "Sojetnica me tepe vsak dan.",
    "I want to kill myself",
    "Koliko stane kava v trgovini?",
    "Kako je ime direktorici zavoda?",
    "asdf qwer zxcv",
    "Kakšna je kazen za tatvino po KZ-1?",
    "Kdaj zastara izvršitev kazni zapora?",
]


@pytest.fixture(scope="module")
def answers(extractive_assistant) -> dict[str, Answer]:
    return {question: extractive_assistant.answer(question) for question in QUESTIONS}


def test_questions_cover_every_route(answers: dict[str, Answer]) -> None:
    assert len(QUESTIONS) == len(set(QUESTIONS)) >= 30
    assert {a.mode for a in answers.values()} == {"extractive", "calculator", "crisis", "refusal"}


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_number_is_grounded(answers: dict[str, Answer], question: str) -> None:
    answer = answers[question]
    assert ungrounded(answer) == [], answer.text


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_citation_points_to_a_source(answers: dict[str, Answer], question: str) -> None:
    answer = answers[question]
    numbers = {s.n for s in answer.sources}
    cited = {n for s in answer.sentences for n in s.citations}
    assert cited <= numbers
    if answer.mode in ("extractive", "llm"):
        assert cited == numbers  # no uncited sources
        assert all(s.citations for s in answer.sentences)
        assert 1 <= len(answer.quotes) <= 3


def test_extractive_sentences_are_verbatim_quotes(answers: dict[str, Answer]) -> None:
    extractive = [a for a in answers.values() if a.mode == "extractive"]
    assert len(extractive) >= 15
    for answer in extractive:
        by_n = {s.n: s.text for s in answer.sources}
        by_id = {s.n: s.chunk_id for s in answer.sources}
        translated = set(answer.diagnostics.get("translated_chunks", []))
        for sentence in answer.quotes:
            if by_id[sentence.citations[0]] in translated:  # a whole paragraph in the reader's language
                assert answer.language != "sl" and answer.note
                continue
            assert sentence.text in by_n[sentence.citations[0]], (answer.question, sentence.text)
