"""The llama.cpp backend without a model: a fake ``Llama`` stands in for llama-cpp-python."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.generate import GeneratedSentence, GeneratorUnavailable
from assistant.generate import llama_cpp as backend
from assistant.generate.llama_cpp import LlamaCppGenerator, detect_prompt_style
from tests.generate.fakes import make_request, word_tokens

ANSWER = (
    '{"sentences": [{"text": "Obiski so najmanj dvakrat tedensko.", "citations": [1]}, '
    '{"text": "Nadzorovani obiski trajajo do dve uri.", "citations": [2]}]}'
)
EXPECTED = [
    GeneratedSentence("Obiski so najmanj dvakrat tedensko.", [1]),
    GeneratedSentence("Nadzorovani obiski trajajo do dve uri.", [2]),
]


class FakeLlama:
    """Mimics the parts of ``llama_cpp.Llama`` the backend uses; one 'token' per 6 characters of output."""

    instances: list[FakeLlama] = []
    output = ANSWER
    token_delay_s = 0.0
    metadata_for_next: dict[str, str] = {}

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.metadata = dict(FakeLlama.metadata_for_next)
        self.calls: list[dict[str, Any]] = []
        self.active = 0
        self.max_active = 0
        self.constrained = None
        FakeLlama.instances.append(self)

    def tokenize(self, data: bytes, add_bos: bool = True, special: bool = False) -> list[int]:
        return [0] * (word_tokens(data.decode("utf-8")) + (1 if add_bos else 0))

    def _tokens(self) -> list[str]:
        return [self.output[i : i + 6] for i in range(0, len(self.output), 6)]

    def _run(self, stopping_criteria: Any) -> Iterator[dict[str, Any]]:
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            for piece in self._tokens():
                time.sleep(self.token_delay_s)
                if stopping_criteria is not None and stopping_criteria(None, None):
                    return
                yield {"choices": [{"text": piece, "index": 0, "finish_reason": None}]}
            if stopping_criteria is not None:
                stopping_criteria(None, None)  # llama-cpp-python's final call
        finally:
            self.active -= 1

    def create_completion(self, prompt: str, stopping_criteria: Any = None, **kwargs: Any) -> Iterator[dict[str, Any]]:
        self.calls.append({"kind": "completion", "prompt": prompt, **kwargs})
        return self._run(stopping_criteria)

    def create_chat_completion(self, messages: list[dict[str, str]], **kwargs: Any) -> Iterator[dict[str, Any]]:
        self.calls.append({"kind": "chat", "messages": messages, **kwargs})

        def chunks() -> Iterator[dict[str, Any]]:
            for chunk in self._run(None):
                yield {"choices": [{"delta": {"content": chunk["choices"][0]["text"]}, "index": 0}]}

        return chunks()


@pytest.fixture
def fake_llama(monkeypatch: pytest.MonkeyPatch) -> type[FakeLlama]:
    FakeLlama.instances = []
    FakeLlama.output = ANSWER
    FakeLlama.token_delay_s = 0.0
    FakeLlama.metadata_for_next = {}
    monkeypatch.setattr(backend, "make_fast_llama", lambda: FakeLlama)
    monkeypatch.setattr(backend, "_library_grammar", lambda gbnf: gbnf)  # the fake receives the GBNF text
    return FakeLlama


@pytest.fixture
def gguf(tmp_path: Path) -> Path:
    path = tmp_path / "model.gguf"
    path.write_bytes(b"GGUF")
    return path


def make(gguf: Path, **overrides: Any) -> LlamaCppGenerator:
    values: dict[str, Any] = {"gguf_path": gguf, "llm_threads": 1, "llm_seed": 3, "llm_context": 2048}
    return LlamaCppGenerator(Settings(**{**values, **overrides}), fast_grammar=False)


def test_load_is_lazy_once_and_uses_settings(fake_llama: type[FakeLlama], gguf: Path) -> None:
    gen = make(gguf, llm_context=1024)
    assert not gen.loaded and fake_llama.instances == []
    threads = [threading.Thread(target=gen.load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gen.loaded and len(fake_llama.instances) == 1
    kwargs = fake_llama.instances[0].kwargs
    assert kwargs["model_path"] == str(gguf)
    assert (kwargs["n_ctx"], kwargs["n_threads"], kwargs["seed"], kwargs["verbose"]) == (1024, 1, 3, False)
    assert gen.prompt_style == "completion" and gen.load_ms is not None


def test_missing_gguf(tmp_path: Path) -> None:
    gen = LlamaCppGenerator(Settings(gguf_path=tmp_path / "nope.gguf"))
    with pytest.raises(GeneratorUnavailable) as info:
        gen.load()
    assert str(info.value) == f"Datoteka modela GGUF {tmp_path / 'nope.gguf'} ne obstaja."
    assert not gen.loaded


def test_stream_and_generate(fake_llama: type[FakeLlama], gguf: Path) -> None:
    gen = make(gguf)
    assert list(gen.stream(make_request(3))) == EXPECTED
    call = fake_llama.instances[0].calls[0]
    assert call["kind"] == "completion" and call["temperature"] == 0.0 and call["seed"] == 3
    assert call["max_tokens"] == 200 and call["repeat_penalty"] == 1.0 and call["stream"] is True
    assert 'cite ::= "1" | "2" | "3"' in call["grammar"]
    assert call["prompt"].endswith("Vprašanje: Kolikokrat na teden me lahko obiščejo?\nOdgovor:\n")
    result = gen.generate(make_request(3))
    assert result.sentences == EXPECTED and result.raw == ANSWER and not result.timed_out
    assert result.completion_tokens == len(fake_llama.instances[0]._tokens())
    assert result.prompt_tokens == word_tokens(call["prompt"]) + 1
    assert result.first_sentence_ms is not None and result.elapsed_ms >= result.first_sentence_ms


def test_sentences_arrive_before_generation_ends(fake_llama: type[FakeLlama], gguf: Path) -> None:
    fake_llama.token_delay_s = 0.01
    gen = make(gguf)
    started = time.perf_counter()
    stream = gen.stream(make_request(2))
    assert next(stream) == EXPECTED[0]
    first = time.perf_counter() - started
    assert list(stream) == EXPECTED[1:]
    total = time.perf_counter() - started
    assert first < total * 0.8


def test_wall_clock_timeout_returns_complete_sentences(fake_llama: type[FakeLlama], gguf: Path) -> None:
    fake_llama.token_delay_s = 0.05  # ~21 tokens: the first sentence is done after ~10
    gen = make(gguf, llm_timeout_s=0.8)
    result = gen.generate(make_request(2))
    assert result.timed_out
    assert result.sentences == EXPECTED[:1]
    assert result.elapsed_ms < 1500
    assert ANSWER.startswith(result.raw) and result.raw != ANSWER


def test_concurrent_generations_are_serialised(fake_llama: type[FakeLlama], gguf: Path) -> None:
    fake_llama.token_delay_s = 0.002
    gen = make(gguf)
    results: list[Any] = []
    threads = [threading.Thread(target=lambda: results.append(gen.generate(make_request(2)))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [r.sentences for r in results] == [EXPECTED] * 3
    assert fake_llama.instances[0].max_active == 1


def test_prompt_is_shortened_to_fit_context(fake_llama: type[FakeLlama], gguf: Path) -> None:
    request = make_request(2)
    long = type(request.passages[0])(2, "Dolg", " ".join(["beseda"] * 2000))
    request = type(request)(request.question, "sl", [request.passages[0], long])
    gen = make(gguf, llm_context=600, llm_max_tokens=100)
    gen.generate(request)
    prompt = fake_llama.instances[0].calls[0]["prompt"]
    assert word_tokens(prompt) + 1 <= 600 - 100
    assert "[2] Dolg: beseda" in prompt and "…" in prompt


def test_generation_stops_when_the_model_repeats_itself(fake_llama: type[FakeLlama], gguf: Path) -> None:
    item = '{"text": "Obiski so najmanj dvakrat tedensko.", "citations": [1]}'
    fake_llama.output = '{"sentences": [' + ", ".join([item] * 3) + "]}"
    result = make(gguf).generate(make_request(2))
    assert result.sentences == EXPECTED[:1] and not result.timed_out
    assert result.raw.count(item) == 2  # stopped right after the repeat
    assert result.completion_tokens < len(fake_llama.instances[0]._tokens())


def test_non_json_output_still_parsed(fake_llama: type[FakeLlama], gguf: Path) -> None:
    fake_llama.output = "Obiski so najmanj dvakrat tedensko [1]."
    assert make(gguf).generate(make_request(2)).sentences == EXPECTED[:1]


def test_chat_style_for_instruct_gguf(fake_llama: type[FakeLlama], tmp_path: Path) -> None:
    path = tmp_path / "gemma-3-1b-it-Q4_K_M.gguf"
    path.write_bytes(b"GGUF")
    fake_llama.metadata_for_next = {
        "tokenizer.chat_template": "{{ messages }}",
        "general.name": "Gemma 3 1b It",
    }
    gen = make(path)
    assert list(gen.stream(make_request(2))) == EXPECTED
    assert gen.prompt_style == "chat"
    call = fake_llama.instances[0].calls[0]
    assert call["kind"] == "chat"
    assert [m["role"] for m in call["messages"]] == ["system", "user", "assistant", "user"]
    assert 'cite ::= "1" | "2"' in call["grammar"]
    assert gen.last_result is not None and gen.last_result.completion_tokens > 0


@pytest.mark.parametrize(
    ("metadata", "name", "default", "expected"),
    [
        ({}, "gemma-3-270m-q4_k_m", True, "completion"),
        ({"tokenizer.chat_template": "x"}, "gemma-3-270m-q4_k_m", True, "completion"),
        ({"tokenizer.chat_template": "x"}, "gemma-3-270m-it-q8_0", False, "chat"),
        ({"tokenizer.chat_template": "x", "general.finetune": "instruct"}, "model", False, "chat"),
        ({"tokenizer.chat_template": "x", "general.name": "Qwen2.5 0.5B Chat"}, "m", False, "chat"),
        ({"tokenizer.chat_template": "x", "general.name": "Gemma 3 270m"}, "gemma-3", False, "completion"),
        ({"general.name": "SmolLM2 Instruct"}, "smollm2-instruct", False, "completion"),  # no template
        ({"tokenizer.chat_template": "x"}, "digit-model", False, "completion"),  # "it" only as a whole word
    ],
)
def test_detect_prompt_style(metadata: dict[str, str], name: str, default: bool, expected: str) -> None:
    assert detect_prompt_style(metadata, Path(f"/m/{name}.gguf"), default) == expected


def test_library_errors_during_generation_become_unavailable(fake_llama: type[FakeLlama], gguf: Path) -> None:
    gen = make(gguf)
    gen.load()

    def boom(*args: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
        raise ValueError("Requested tokens (3000) exceed context window of 2048")

    llm = fake_llama.instances[0]
    llm.create_completion = boom  # type: ignore[method-assign]
    with pytest.raises(GeneratorUnavailable) as info:
        gen.generate(make_request(1))
    assert str(info.value) == (
        f"Generiranje z modelom {gguf} ni uspelo: Requested tokens (3000) exceed context window of 2048"
    )
    assert llm.constrained is None  # cleaned up; the lock is free again
    del llm.create_completion
    assert gen.generate(make_request(2)).sentences == EXPECTED
