"""Incremental stream parsing and the tolerant ``parse_sentences``."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.generate import GeneratedSentence, SentenceStreamParser, parse_sentences
from assistant.generate.parsing import coerce_citations, trim_cut_off

GOOD = (
    '{"sentences": [{"text": "Obsojenki je omogočeno, da jo najmanj dvakrat tedensko obiščejo.", '
    '"citations": [1]}, {"text": "Nadzorovani obiski trajajo do dve uri.", "citations": [2, 3]}]}'
)
EXPECTED = [
    GeneratedSentence("Obsojenki je omogočeno, da jo najmanj dvakrat tedensko obiščejo.", [1]),
    GeneratedSentence("Nadzorovani obiski trajajo do dve uri.", [2, 3]),
]


def feed_all(chunks: list[str]) -> tuple[list[GeneratedSentence], list[int]]:
    """Feed chunks; return all sentences and the chunk index at which each appeared."""
    parser = SentenceStreamParser()
    out: list[GeneratedSentence] = []
    when: list[int] = []
    for i, chunk in enumerate(chunks):
        for sentence in parser.feed(chunk):
            out.append(sentence)
            when.append(i)
    return out, when


# --- streaming ----------------------------------------------------------------------------------------------
def test_whole_string_at_once() -> None:
    assert feed_all([GOOD]) == (EXPECTED, [0, 0])


def test_every_two_way_split() -> None:
    for cut in range(len(GOOD) + 1):
        sentences, _ = feed_all([GOOD[:cut], GOOD[cut:]])
        assert sentences == EXPECTED, cut


def test_character_by_character_yields_each_sentence_when_its_object_closes() -> None:
    chars = list(GOOD)
    sentences, when = feed_all(chars)
    assert sentences == EXPECTED
    first_close = GOOD.index("[1]}") + 3  # index of the "}" closing the first item
    second_close = GOOD.index("[2, 3]}") + 6
    assert when == [first_close, second_close]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(GOOD)), max_size=12))
def test_arbitrary_chunking(cuts: list[int]) -> None:
    points = sorted(set(cuts))
    chunks = [GOOD[a:b] for a, b in zip([0, *points], [*points, len(GOOD)], strict=True)]
    assert feed_all(chunks)[0] == EXPECTED


def test_awkward_splits_inside_escapes_braces_and_strings() -> None:
    raw = (
        '{"sentences": [{"text": "Rek: \\"do 12 ur\\" {ne} [glej] \\\\ konec", "citations": [4]}, '
        '{"text": "Drugi}", "citations": [1]}]}'
    )
    chunks = [
        '{"sentences": [{"te',
        'xt": "Rek: \\',
        '"do 12 ur\\"',
        " {ne",
        "} [glej] \\",
        '\\ konec", "cit',
        "ations",
        '": [4]',
        "}",
        ", ",
        '{"text": "Drugi}"',
        ', "citations": [1]}]}',
    ]
    assert "".join(chunks) == raw
    sentences, when = feed_all(chunks)
    assert sentences == [
        GeneratedSentence('Rek: "do 12 ur" {ne} [glej] \\ konec', [4]),
        GeneratedSentence("Drugi}", [1]),
    ]
    assert when == [8, 11]


def test_prose_before_json_and_bare_list_are_accepted() -> None:
    raw = 'Tukaj je odgovor: [{"text": "Prvi stavek.", "citations": [2]}]'
    assert feed_all([raw])[0] == [GeneratedSentence("Prvi stavek.", [2])]


def test_incomplete_last_item_is_not_emitted() -> None:
    parser = SentenceStreamParser()
    done = parser.feed(GOOD[: GOOD.index("Nadzorovani") + 5])
    assert done == EXPECTED[:1]
    assert parser.sentences == EXPECTED[:1]
    assert parser.raw == GOOD[: GOOD.index("Nadzorovani") + 5]


def test_repeated_sentence_is_dropped_and_flagged() -> None:
    raw = (
        '{"sentences": [{"text": "Paketi se pregledajo.", "citations": [1]}, '
        '{"text": "paketi se  pregledajo", "citations": [2]}, {"text": "Drugo.", "citations": [2]}]}'
    )
    cut = raw.index("[1]}") + 4
    parser = SentenceStreamParser()
    assert parser.feed(raw[:cut]) == [GeneratedSentence("Paketi se pregledajo.", [1])]
    assert not parser.repeated
    assert parser.feed(raw[cut:]) == [GeneratedSentence("Drugo.", [2])]
    assert parser.repeated


def test_root_object_with_text_is_not_a_stream_sentence() -> None:
    # a single root {"text": ...} is left to parse_sentences (it has no enclosing container)
    assert feed_all(['{"text": "Sam.", "citations": [1]}'])[0] == []


# --- parse_sentences ---------------------------------------------------------------------------------------
def test_parse_good_json() -> None:
    assert parse_sentences(GOOD, 3) == EXPECTED


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("```json\n" + GOOD + "\n```", EXPECTED, id="code-fence"),
        pytest.param("Odgovor:\n" + GOOD + "\nUpam, da pomaga.", EXPECTED, id="prose-around"),
        pytest.param(GOOD.replace("[2, 3]}", "[2, 3],}").replace("]}]}", "]},]}"), EXPECTED, id="trailing-commas"),
        pytest.param(GOOD[:-10], EXPECTED[:1], id="truncated"),
        pytest.param('{"text": "Sam stavek.", "citations": [1]}', [GeneratedSentence("Sam stavek.", [1])], id="single"),
        pytest.param('[{"text": "A.", "citations": [1]}]', [GeneratedSentence("A.", [1])], id="bare-list"),
        pytest.param(
            '{"sentences": [{"text": "Brez zaključka.", "citations": [2]',
            [GeneratedSentence("Brez zaključka.", [2])],
            id="pairs-fallback",
        ),
        pytest.param(
            "Obiski so dvakrat tedensko [1]. Paketi se pregledajo. [3]",
            [
                GeneratedSentence("Obiski so dvakrat tedensko.", [1]),
                GeneratedSentence("Paketi se pregledajo.", [3]),
            ],
            id="prose-markers",
        ),
        pytest.param("", [], id="empty"),
        pytest.param('{"sentences": []}', [], id="no-sentences"),
        pytest.param('{"answer": "x"}', [], id="json-without-sentences"),
    ],
)
def test_parse_broken_inputs(raw: str, expected: list[GeneratedSentence]) -> None:
    assert parse_sentences(raw, 3) == expected


def test_citations_outside_range_are_kept_and_non_integers_dropped() -> None:
    raw = json.dumps({"sentences": [{"text": "Stavek.", "citations": [9, "2", "[3]", 1.0, 2.5, "x", None, True, 9]}]})
    assert parse_sentences(raw, 3) == [GeneratedSentence("Stavek.", [9, 2, 3, 1])]


def test_inline_markers_move_into_citations_and_empty_texts_are_dropped() -> None:
    raw = json.dumps(
        {
            "sentences": [
                {"text": "Obisk traja najmanj eno uro [2] .", "citations": [1]},
                {"text": "  [3] ", "citations": [3]},
                {"text": 42, "citations": [1]},
                {"citations": [1]},
            ]
        }
    )
    assert parse_sentences(raw, 3) == [GeneratedSentence("Obisk traja najmanj eno uro.", [1, 2])]


def test_coerce_citations() -> None:
    assert coerce_citations(None) == []
    assert coerce_citations(2) == [2]
    assert coerce_citations(["1", 1, "[4]", " 5 ", "05"]) == [1, 4, 5]
    assert coerce_citations([False, "a1", {}, []]) == []


def test_trim_cut_off() -> None:
    complete = (
        "Posteljnina je opremljena z vložkom, dvema rjuhama ali prevlekama, blazino in potrebnim "
        "številom odevj. Posteljina se zamenja najmanj vsakih 14 dni."
    )
    cut = complete + " Poskrbeti mora, da so oblačila in obutev čista in z"
    assert len(cut) == 200
    assert trim_cut_off(cut) == complete
    no_boundary = "Obsojenka ima pravico do 23. leta starosti " + "in še " * 30 + "konec"
    assert trim_cut_off(no_boundary) == no_boundary.rpartition(" ")[0] + " …"
    assert "23. leta" in trim_cut_off(no_boundary)
    assert trim_cut_off("Kratek stavek brez pike") == "Kratek stavek brez pike"
    assert trim_cut_off("x" * 199 + ".") == "x" * 199 + "."
    raw = json.dumps({"sentences": [{"text": cut, "citations": [1]}]}, ensure_ascii=False)
    assert parse_sentences(raw, 1)[0].text.endswith("vsakih 14 dni.")
