"""The llm_first strategy with a scripted generator: verified sentences pass, unverified ones are dropped, and
the answer falls back to verbatim source sentences when nothing useful survives. (The default quote_first
strategy is tested in test_pipeline_quote_first.py.)"""

from __future__ import annotations

import pytest

from assistant.generate import GeneratedSentence, GenerationRequest, GeneratorUnavailable, ScriptedGenerator
from assistant.types import Answer, AnswerSentence
from tests.pipeline.helpers import citing, passage_with

VISIT_LENGTH = "Koliko časa lahko traja nadzorovan obisk?"
SUPERVISED = "Nadzorovani obiski trajajo do dve uri."
UNSUPERVISED = "Nenadzorovani obiski trajajo do tri ure."
PARCEL = "Kakšna je največja dovoljena velikost paketa?"
PARCEL_SIZE = "(60 x 40 x 36 cm)"


@pytest.fixture
def make_assistant(make_assistant):
    """The shared factory, with the llm_first strategy unless a test says otherwise."""

    def make(generator=None, **overrides):
        return make_assistant(generator, **{"answer_strategy": "llm_first", **overrides})

    return make


def collect(assistant, question: str, **kwargs) -> tuple[list[AnswerSentence], Answer]:
    items = list(assistant.iter_answer(question, **kwargs))
    assert isinstance(items[-1], Answer)
    assert all(isinstance(item, AnswerSentence) for item in items[:-1])
    return items[:-1], items[-1]  # type: ignore[return-value]


def assert_extractive(answer: Answer) -> None:
    assert answer.mode == "extractive"
    assert 1 <= len(answer.quotes) <= 3
    by_n = {source.n: source for source in answer.sources}
    for sentence in answer.quotes:
        assert len(sentence.citations) == 1
        assert sentence.text in by_n[sentence.citations[0]].text, sentence.text
    assert sorted(by_n) == sorted({n for s in answer.sentences for n in s.citations})


# --- supported LLM answers ---------------------------------------------------------------------------------
def test_supported_answer_is_returned_in_llm_mode(make_assistant) -> None:
    generator = ScriptedGenerator(
        citing(
            ("Nadzorovani obiski trajajo do dve uri.", SUPERVISED),
            ("Nenadzorovani obiski trajajo do tri ure.", UNSUPERVISED),
        )
    )
    answer = make_assistant(generator).answer(VISIT_LENGTH)
    assert answer.mode == "llm"
    assert not answer.refused
    assert [s.text for s in answer.quotes] == [
        "Nadzorovani obiski trajajo do dve uri.",
        "Nenadzorovani obiski trajajo do tri ure.",
    ]
    request = generator.requests[0]
    expected = sorted({passage_with(request, SUPERVISED), passage_with(request, UNSUPERVISED)})
    assert [s.n for s in answer.sources] == expected  # only the cited passages
    by_n = {source.n: source.text for source in answer.sources}
    assert SUPERVISED in by_n[answer.quotes[0].citations[0]]
    assert UNSUPERVISED in by_n[answer.quotes[1].citations[0]]
    assert answer.diagnostics["llm_sentences"] == 2
    assert answer.diagnostics["llm_supported"] == 2
    assert answer.note is None
    assert answer.retrieval_query == VISIT_LENGTH


def test_generator_gets_the_question_language_and_numbered_passages(make_assistant, settings) -> None:
    generator = ScriptedGenerator(citing(("Nadzorovani obiski trajajo do dve uri.", SUPERVISED)))
    make_assistant(generator).answer(VISIT_LENGTH)
    (request,) = generator.requests
    assert request.question == VISIT_LENGTH
    assert request.language == "sl"
    assert [p.n for p in request.passages] == list(range(1, len(request.passages) + 1))
    assert 1 <= len(request.passages) <= settings.passages_in_prompt


def test_paraphrase_with_number_word_as_digits_is_kept(make_assistant) -> None:
    generator = ScriptedGenerator(citing(("Nadzorovani obiski trajajo do 2 uri.", SUPERVISED)))
    answer = make_assistant(generator).answer(VISIT_LENGTH)
    assert answer.mode == "llm"
    assert [s.text for s in answer.quotes] == ["Nadzorovani obiski trajajo do 2 uri."]


def test_hallucinated_number_is_dropped(make_assistant) -> None:
    generator = ScriptedGenerator(
        citing(
            ("Nadzorovani obiski trajajo do dve uri.", SUPERVISED),
            ("Nadzorovani obiski trajajo do sedem ur.", SUPERVISED),
        )
    )
    answer = make_assistant(generator).answer(VISIT_LENGTH)
    assert answer.mode == "llm"
    assert [s.text for s in answer.quotes] == ["Nadzorovani obiski trajajo do dve uri."]
    assert "sedem" not in answer.text
    verdicts = answer.diagnostics["verdicts"]
    assert [v["supported"] for v in verdicts] == [True, False]
    assert any("sedem" in reason for reason in verdicts[1]["reasons"])
    assert answer.diagnostics["llm_supported"] == 1


def test_missing_bound_is_dropped(make_assistant) -> None:
    generator = ScriptedGenerator(
        citing(
            ("Nadzorovani obiski trajajo dve uri.", SUPERVISED),  # source: "do dve uri"
            ("Nenadzorovani obiski trajajo do tri ure.", UNSUPERVISED),
        )
    )
    answer = make_assistant(generator).answer(VISIT_LENGTH)
    assert answer.mode == "llm"
    assert [s.text for s in answer.quotes] == ["Nenadzorovani obiski trajajo do tri ure."]


def test_citation_outside_the_prompt_passages_is_dropped(make_assistant, settings) -> None:
    generator = ScriptedGenerator(
        lambda request: [
            GeneratedSentence(SUPERVISED, [settings.passages_in_prompt + 1]),
            GeneratedSentence(SUPERVISED, []),
        ]
    )
    answer = make_assistant(generator).answer(VISIT_LENGTH)
    assert answer.diagnostics["llm_supported"] == 0
    assert_extractive(answer)


# --- fallback to extractive ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "script",
    [
        [
            GeneratedSentence("Nadzorovani obiski trajajo do sedem ur.", [1]),
            GeneratedSentence("Obiski so vsak dan od 8 do 20.", [2]),
        ],
        [],  # the model said nothing
        [GeneratedSentence("Jutri bo sončno vreme na morju.", [1])],
    ],
)
def test_nothing_survives_falls_back_to_extractive(make_assistant, script) -> None:
    generator = ScriptedGenerator(script)
    answer = make_assistant(generator).answer(VISIT_LENGTH)
    assert_extractive(answer)
    assert answer.diagnostics["llm_supported"] == 0
    assert "sedem" not in answer.text and "sončno" not in answer.text
    assert any("Nadzorovani obiski trajajo do dve uri." in s.text for s in answer.sentences)
    assert "extractive_ms" in answer.timings


def test_extractive_answer_without_generator(extractive_assistant) -> None:
    answer = extractive_assistant.answer(PARCEL)
    assert_extractive(answer)
    assert any(PARCEL_SIZE in s.text for s in answer.sentences)
    assert answer.diagnostics == {}


@pytest.mark.parametrize(
    "generator",
    [
        ScriptedGenerator([GeneratedSentence(SUPERVISED, [1])], unavailable="model /nowhere/model.gguf missing"),
        ScriptedGenerator([GeneratedSentence(SUPERVISED, [1])], fail_on_generate=GeneratorUnavailable("server down")),
    ],
    ids=["load", "stream"],
)
def test_unavailable_generator_degrades_to_extractive(make_assistant, generator) -> None:
    answer = make_assistant(generator).answer(VISIT_LENGTH)
    assert_extractive(answer)
    assert answer.diagnostics["generator_error"] in ("model /nowhere/model.gguf missing", "server down")
    assert answer.diagnostics["llm_sentences"] == 0


def test_generator_failing_at_warm_up_is_not_used_again(make_assistant) -> None:
    generator = ScriptedGenerator([GeneratedSentence(SUPERVISED, [1])], unavailable="no model")
    assistant = make_assistant(generator)
    assistant.warm_up()
    assert assistant.generator_error == "no model"
    assert "degraded" in assistant.readiness()["generator"]
    calls = generator.load_calls
    answer = assistant.answer(VISIT_LENGTH)
    assert_extractive(answer)
    assert generator.load_calls == calls  # not retried per question
    assert generator.requests == []


# --- streaming ----------------------------------------------------------------------------------------------
def test_stream_yields_sentences_then_the_answer(make_assistant) -> None:
    generator = ScriptedGenerator(
        citing(
            ("Nadzorovani obiski trajajo do dve uri.", SUPERVISED),
            ("Nadzorovani obiski trajajo do sedem ur.", SUPERVISED),
            ("Nenadzorovani obiski trajajo do tri ure.", UNSUPERVISED),
        )
    )
    streamed, answer = collect(make_assistant(generator), VISIT_LENGTH)
    assert answer.mode == "llm"
    assert streamed == answer.sentences
    assert [s.text for s in streamed] == [
        "Nadzorovani obiski trajajo do dve uri.",
        "Nenadzorovani obiski trajajo do tri ure.",
    ]
    assert "first_sentence_ms" in answer.timings and "total_ms" in answer.timings


def test_stream_of_extractive_fallback_matches_the_answer(make_assistant) -> None:
    generator = ScriptedGenerator([GeneratedSentence("Nadzorovani obiski trajajo do sedem ur.", [1])])
    streamed, answer = collect(make_assistant(generator), VISIT_LENGTH)
    assert answer.mode == "extractive"
    assert streamed == answer.sentences


@pytest.mark.parametrize(
    "question",
    [
        PARCEL,
        "Kako je ime direktorici?",
        "Ubila se bom.",
        "asdf qwer zxcv",
        "Delala sem 5 mesecev s polnim delovnim časom. Koliko dni dopusta imam?",
    ],
)
def test_stream_matches_the_answer_on_every_route(extractive_assistant, question: str) -> None:
    streamed, answer = collect(extractive_assistant, question)
    assert streamed == answer.sentences
    assert answer.sentences == extractive_assistant.answer(question).sentences  # deterministic


def test_stream_never_shows_a_sentence_the_final_answer_drops(make_assistant) -> None:
    # supported by its passage (so the verifier passes it) but shares no query term with the question
    def unrelated(request: GenerationRequest) -> list[GeneratedSentence]:
        """The first sentence of a prompt passage that shares no word stem with the question, verbatim."""
        stems = ("obisk", "obišč", "traj", "čas", "nadzor")
        for passage in request.passages:
            sentence = passage.text.split(". ")[0].rstrip(".") + "."
            if len(sentence) > 30 and not any(stem in sentence.lower() for stem in stems):
                return [GeneratedSentence(sentence, [passage.n])]
        raise AssertionError("no unrelated passage in the prompt")

    generator = ScriptedGenerator(unrelated)
    streamed, answer = collect(make_assistant(generator, passages_in_prompt=10), VISIT_LENGTH)
    assert answer.diagnostics["llm_supported"] == 1
    assert answer.mode == "extractive"
    assert streamed == answer.sentences
