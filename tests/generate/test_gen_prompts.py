"""Prompt building: package-data templates, passage numbering, truncation to a token budget."""

from __future__ import annotations

import json

import pytest

from assistant.generate import GenerationRequest, Passage
from assistant.generate.prompts import (
    build_prompt,
    format_passages,
    load_fewshot,
    load_prompt,
    render_user,
    truncate_to_tokens,
)
from tests.generate.fakes import make_request, word_tokens


def test_prompt_files_are_package_data() -> None:
    system = load_prompt("system_sl.txt")
    for needle in ("[1]", "najmanj", "največ", "sl", "en", "bcs", "JSON", "navodil"):
        assert needle in system
    assert "{passages}" in load_prompt("user.txt") and "{question}" in load_prompt("user.txt")
    example = load_fewshot()
    assert example.instruction and example.question and example.language == "sl"
    assert [p.n for p in example.passages] == [1, 2, 3]
    answer = json.loads(example.answer)
    cited = {n for s in answer["sentences"] for n in s["citations"]}
    assert cited <= {p.n for p in example.passages}
    for sentence in answer["sentences"]:  # the example answer is copied from its cited passages
        assert any(sentence["text"].rstrip(".") in example.passages[n - 1].text for n in sentence["citations"])


def test_passages_are_numbered_one_per_line() -> None:
    passages = [Passage(1, "Obiski, odst. 1", "Prva\nvrstica   in\tdruga."), Passage(2, "Paketi", "Pregled.")]
    assert format_passages(passages) == "[1] Obiski, odst. 1: Prva vrstica in druga.\n[2] Paketi: Pregled."


def test_user_part_has_passages_calculator_language_and_question() -> None:
    text = render_user("Kdaj\ngrem domov?", "bcs", [Passage(1, "Pogojni odpust", "Besedilo.")], "Konec: 1. 2. 2027")
    lines = text.splitlines()
    assert lines[0] == "Viri:"
    assert lines[1] == "[1] Pogojni odpust: Besedilo."
    assert lines[2] == "Izračun: Konec: 1. 2. 2027"
    assert lines[3].startswith("Jezik odgovora: hrvaščina")
    assert lines[4] == "Vprašanje: Kdaj grem domov?"  # the question cannot add lines of its own
    assert lines[5] == "Odgovor:"
    assert "Izračun" not in render_user("Q?", "sl", [Passage(1, "L", "T")])


def test_completion_prompt_repeats_the_example_pattern_and_ends_at_the_answer() -> None:
    prompt = build_prompt(make_request(2))
    text = prompt.completion_text()
    example = load_fewshot()
    assert text.startswith(example.instruction + "\n\n")
    assert text.count("Viri:\n") == 2 and text.count("\nOdgovor:\n") == 2
    assert example.answer + "\n\n" in text
    assert text.endswith("Vprašanje: Kolikokrat na teden me lahko obiščejo?\nOdgovor:\n")
    assert text.index(example.answer) < text.index("[1] Priročnik ZPKZ Ig › Oddelek 1")


def test_chat_messages() -> None:
    prompt = build_prompt(make_request(2, language="en", question="How often can I have visits?"))
    messages = prompt.chat_messages()
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[0]["content"] == load_prompt("system_sl.txt")
    assert messages[2]["content"] == load_fewshot().answer
    assert "Jezik odgovora: angleščina (English)" in messages[3]["content"]
    assert messages[3]["content"].endswith("Vprašanje: How often can I have visits?\nOdgovor:")


def test_no_counter_means_no_truncation() -> None:
    request = make_request(3)
    prompt = build_prompt(request, None, 10)
    assert list(prompt.passages) == request.passages and not prompt.truncated


def test_fits_without_truncation() -> None:
    request = make_request(3)
    size = build_prompt(request).size(word_tokens, "completion")
    prompt = build_prompt(request, word_tokens, size)
    assert list(prompt.passages) == request.passages and not prompt.truncated


def _long_request() -> GenerationRequest:
    words = " ".join(f"beseda{i}" for i in range(300))
    return GenerationRequest(
        question="Koliko časa traja obisk?",
        language="sl",
        passages=[
            Passage(1, "Obiski, odst. 1", "Kratek odlomek."),
            Passage(2, "Obiski, odst. 2", words),
            Passage(3, "Obiski, odst. 3", "Nadzorovani obiski trajajo do dve uri. " + words),
        ],
    )


@pytest.mark.parametrize("style", ["completion", "chat"])
@pytest.mark.parametrize("slack", [0, 40, 200])
def test_truncation_fits_budget_and_keeps_numbers(style: str, slack: int) -> None:
    request = _long_request()
    overhead = build_prompt(GenerationRequest(request.question, "sl", [])).size(word_tokens, style)  # type: ignore[arg-type]
    budget = overhead + 60 + slack
    prompt = build_prompt(request, word_tokens, budget, style=style)  # type: ignore[arg-type]
    assert prompt.truncated
    assert prompt.size(word_tokens, style) <= budget  # type: ignore[arg-type]
    assert [p.n for p in prompt.passages] == [1, 2, 3]
    assert prompt.passages[0].text == "Kratek odlomek."  # short passages are not cut
    assert prompt.passages[2].text.startswith("Nadzorovani obiski trajajo do dve uri.")
    for passage in prompt.passages[1:]:
        assert passage.text.endswith("…")
    assert "[3] Obiski, odst. 3: Nadzorovani" in prompt.user


def test_tiny_budget_drops_trailing_passages_but_keeps_the_first() -> None:
    request = _long_request()
    overhead = build_prompt(GenerationRequest(request.question, "sl", [])).size(word_tokens, "completion")
    prompt = build_prompt(request, word_tokens, overhead + 15)
    assert [p.n for p in prompt.passages][0] == 1
    assert len(prompt.passages) < 3
    assert prompt.size(word_tokens, "completion") <= overhead + 15


def test_truncate_to_tokens() -> None:
    text = "ena dva tri štiri pet šest"
    assert truncate_to_tokens(text, 10, word_tokens) == text
    assert truncate_to_tokens(text, 4, word_tokens) == "ena dva tri …"
    assert word_tokens(truncate_to_tokens(text, 4, word_tokens)) <= 4
    assert truncate_to_tokens(text, 1, word_tokens) == "…"


def test_truncation_with_a_character_based_counter() -> None:
    # another tokenizer shape: ~1 token per 3 characters
    def counter(text: str) -> int:
        return (len(text) + 2) // 3

    request = _long_request()
    full = build_prompt(request).size(counter, "completion")
    prompt = build_prompt(request, counter, full // 2)
    assert prompt.size(counter, "completion") <= full // 2
    assert [p.n for p in prompt.passages] == [1, 2, 3]
