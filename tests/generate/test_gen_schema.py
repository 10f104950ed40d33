"""The per-request JSON schema and GBNF grammar."""

from __future__ import annotations

import json
import re

from assistant.generate.base import MAX_CITATIONS_PER_SENTENCE, MAX_SENTENCE_CHARS, MAX_SENTENCES
from assistant.generate.prompts import load_fewshot
from assistant.generate.schema import answer_gbnf, answer_schema, citation_numbers


def grammar_regex(allowed: list[int]) -> re.Pattern[str]:
    """A regular expression for exactly the language of :func:`answer_gbnf` (used to check examples)."""
    cite = "(?:" + "|".join(str(n) for n in sorted(allowed, key=lambda n: -len(str(n)))) + ")"
    text = r'[^"\\\x00-\x20\[\]][^"\\\x00-\x1f\[\]]' + f"{{0,{MAX_SENTENCE_CHARS - 1}}}"
    more_cites = f"{{0,{MAX_CITATIONS_PER_SENTENCE - 1}}}"
    item = r'\{"text": "' + text + r'", "citations": \[' + cite + "(?:, " + cite + ")" + more_cites + r"\]\}"
    more_items = f"{{0,{MAX_SENTENCES - 1}}}"
    return re.compile(r'\{"sentences": \[' + item + "(?:, " + item + ")" + more_items + r"\]\}")


def test_citation_numbers() -> None:
    assert citation_numbers(4) == [1, 2, 3, 4]
    assert citation_numbers(0) == [1]
    assert citation_numbers([3, 1, 3]) == [1, 3]
    assert citation_numbers([]) == [1]


def test_gbnf_restricts_citations_to_the_request() -> None:
    grammar = answer_gbnf(4)
    assert 'cite ::= "1" | "2" | "3" | "4"' in grammar.splitlines()
    assert 'root ::= "{\\"sentences\\": [" item (", " item){0,2} "]}"' in grammar.splitlines()
    assert f"text ::= head tail{{0,{MAX_SENTENCE_CHARS - 1}}}" in grammar.splitlines()
    # two-digit numbers first, so a matcher never stops at "1" of "12"
    assert 'cite ::= "10" | "11" | "12" | "1" | "2"' in answer_gbnf(12)
    assert 'cite ::= "2" | "5"' in answer_gbnf([5, 2])
    rules = {line.split(" ::= ")[0] for line in answer_gbnf(3).splitlines() if line}
    assert rules == {"root", "item", "text", "head", "tail", "cite"}


def test_json_schema_has_citation_enum_and_limits() -> None:
    schema = answer_schema(3)
    sentences = schema["properties"]["sentences"]
    assert (sentences["minItems"], sentences["maxItems"]) == (1, MAX_SENTENCES)
    item = sentences["items"]
    assert item["required"] == ["text", "citations"] and item["additionalProperties"] is False
    assert item["properties"]["text"]["maxLength"] == MAX_SENTENCE_CHARS
    citations = item["properties"]["citations"]
    assert citations["minItems"] == 1
    assert citations["items"] == {"type": "integer", "enum": [1, 2, 3]}
    json.dumps(schema)  # serialisable as sent to a server


def test_the_worked_example_is_in_the_grammar_and_the_schema() -> None:
    example = load_fewshot()
    allowed = [p.n for p in example.passages]
    assert grammar_regex(allowed).fullmatch(example.answer)
    data = json.loads(example.answer)
    item_schema = answer_schema(allowed)["properties"]["sentences"]["items"]
    for sentence in data["sentences"]:
        assert set(sentence) == set(item_schema["properties"])
        assert 1 <= len(sentence["text"]) <= MAX_SENTENCE_CHARS
        assert set(sentence["citations"]) <= set(item_schema["properties"]["citations"]["items"]["enum"])


def test_grammar_regex_rejects_what_the_grammar_rejects() -> None:
    pattern = grammar_regex([1, 2])
    assert pattern.fullmatch('{"sentences": [{"text": "Da.", "citations": [2]}]}')
    assert not pattern.fullmatch('{"sentences": [{"text": "Da.", "citations": [3]}]}')
    assert not pattern.fullmatch('{"sentences": [{"text": "Da [1].", "citations": [1]}]}')
    assert not pattern.fullmatch('{"sentences": [{"text": " Da.", "citations": [1]}]}')
    assert not pattern.fullmatch('{"sentences": [{"text": "Da.", "citations": []}]}')
    assert not pattern.fullmatch('{"sentences": [{"text": "' + "a" * 201 + '", "citations": [1]}]}')
