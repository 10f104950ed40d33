"""The default quote_first strategy: verbatim source sentences come first (at once), then model sentences that
pass the verifier and add something; nothing unverified or repeated reaches the user."""

from __future__ import annotations

from assistant.generate import GeneratedSentence, GenerationRequest, ScriptedGenerator
from assistant.types import Answer, AnswerSentence
from tests.pipeline.helpers import citing

VISIT_LENGTH = "Koliko časa lahko traja nadzorovan obisk?"
SUPERVISED = "Nadzorovani obiski trajajo do dve uri."


def collect(assistant, question: str) -> tuple[list[AnswerSentence], Answer]:
    items = list(assistant.iter_answer(question))
    assert isinstance(items[-1], Answer)
    return items[:-1], items[-1]  # type: ignore[return-value]


def quotes_of(answer: Answer) -> list[AnswerSentence]:
    by_n = {source.n: source.text for source in answer.sources}
    return [s for s in answer.sentences if len(s.citations) == 1 and s.text in by_n[s.citations[0]]]


def test_without_a_model_the_answer_is_quotes_only(make_assistant) -> None:
    streamed, answer = collect(make_assistant(None), VISIT_LENGTH)
    assert answer.mode == "extractive"
    assert 1 <= len(answer.quotes) <= 3
    assert quotes_of(answer) == answer.quotes
    assert streamed == answer.sentences


def test_verified_model_sentence_is_added_after_the_quotes(make_assistant) -> None:
    added = "Obisk pod nadzorom traja največ dve uri."
    generator = ScriptedGenerator(citing((added, SUPERVISED)))
    base = make_assistant(None).answer(VISIT_LENGTH)
    streamed, answer = collect(make_assistant(generator), VISIT_LENGTH)
    assert answer.mode == "llm"
    assert answer.sentences[: len(base.sentences)] == base.sentences  # the quotes come first, unchanged
    assert [s.text for s in answer.sentences[len(base.sentences) :]] == [added]
    assert streamed == answer.sentences


def test_model_sentence_with_a_wrong_number_is_not_added(make_assistant) -> None:
    generator = ScriptedGenerator(citing(("Nadzorovani obiski trajajo do pet ur.", SUPERVISED)))
    base = make_assistant(None).answer(VISIT_LENGTH)
    answer = make_assistant(generator).answer(VISIT_LENGTH)
    assert answer.sentences == base.sentences
    assert answer.mode == "extractive"
    verdicts = answer.diagnostics["verdicts"]
    assert verdicts and not verdicts[0]["supported"]


def test_model_sentence_repeating_a_quote_is_not_added(make_assistant) -> None:
    base = make_assistant(None).answer(VISIT_LENGTH)
    repeated = base.quotes[0].text

    def script(request: GenerationRequest) -> list[GeneratedSentence]:
        n = next(p.n for p in request.passages if repeated in p.text)
        return [GeneratedSentence(repeated, [n])]

    answer = make_assistant(ScriptedGenerator(script)).answer(VISIT_LENGTH)
    assert answer.sentences == base.sentences
    assert answer.mode == "extractive"
    assert "ponavlja že prikazani stavek" in answer.diagnostics["verdicts"][0]["reasons"]


def test_added_sentence_sets_llm_mode_and_is_capped(make_assistant) -> None:
    sentences = [
        (f"Nadzorovani obiski pravosodnih policistov trajajo do dve uri {suffix}.", SUPERVISED)
        for suffix in ("v prostoru", "z videonadzorom", "za stekleno pregrado")
    ]
    generator = ScriptedGenerator(citing(*sentences))
    base = make_assistant(None).answer(VISIT_LENGTH)
    answer = make_assistant(generator, llm_max_sentences=1).answer(VISIT_LENGTH)
    added = answer.sentences[len(base.sentences) :]
    assert len(added) <= 1
    assert answer.mode == ("llm" if added else "extractive")


def test_unavailable_model_still_gives_the_quotes(make_assistant) -> None:
    generator = ScriptedGenerator([], unavailable="model missing")
    answer = make_assistant(generator).answer(VISIT_LENGTH)
    assert answer.mode == "extractive"
    assert answer.quotes and quotes_of(answer) == answer.quotes


def test_first_sentence_time_is_the_quote_time(make_assistant) -> None:
    answer = make_assistant(ScriptedGenerator(citing(("Nadzorovani obiski trajajo do dve uri.", SUPERVISED)))).answer(
        VISIT_LENGTH
    )
    assert 0 < answer.timings["first_sentence_ms"] <= answer.timings["extractive_ms"]  # quotes stream as chosen


def test_model_sentence_citing_another_topic_is_not_added(make_assistant) -> None:
    store = make_assistant(None).retriever.store
    section_of = {c.text: c.section for c in store.chunks}
    checked = 0
    for question in ("Kdo plača stroške?", "Ali lahko dobim paket?", "Kdaj lahko telefoniram?", VISIT_LENGTH):
        base = make_assistant(None).answer(question)
        quoted = {s.section for s in base.sources}

        def script(request: GenerationRequest, quoted: set[str] = quoted) -> list[GeneratedSentence]:
            other = [p for p in request.passages if section_of[p.text] not in quoted]
            return [GeneratedSentence(p.text.split(".")[0] + ".", [p.n]) for p in other[:1]]

        answer = make_assistant(ScriptedGenerator(script), passages_in_prompt=6).answer(question)
        verdicts = answer.diagnostics.get("verdicts", [])
        if not verdicts:
            continue  # every prompt passage was on the quoted topic
        checked += 1
        assert answer.sentences == base.sentences
        assert not any(v["supported"] for v in verdicts)
        assert any("navaja vir z druge teme kot citati" in v["reasons"] for v in verdicts)
    assert checked, "no question put a passage from another section into the prompt"
