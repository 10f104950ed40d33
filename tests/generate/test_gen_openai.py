"""The OpenAI-compatible backend against a local fake server (127.0.0.1, random port)."""

from __future__ import annotations

import json
import socket
import threading

import pytest

from assistant.config import Settings
from assistant.generate import GeneratedSentence, GeneratorUnavailable
from assistant.generate.openai_compat import OpenAICompatGenerator, estimate_tokens
from assistant.generate.prompts import load_fewshot, load_prompt
from tests.generate.fakes import FakeOpenAIServer, make_request

ANSWER = (
    '{"sentences": [{"text": "Obiski so najmanj dvakrat tedensko.", "citations": [1]}, '
    '{"text": "Nadzorovani obiski trajajo do dve uri.", "citations": [2]}]}'
)
EXPECTED = [
    GeneratedSentence("Obiski so najmanj dvakrat tedensko.", [1]),
    GeneratedSentence("Nadzorovani obiski trajajo do dve uri.", [2]),
]


def make(server: FakeOpenAIServer, **overrides: object) -> OpenAICompatGenerator:
    values: dict[str, object] = {
        "generator": "openai",
        "openai_base_url": server.base_url,
        "openai_model": "tiny",
        "llm_seed": 7,
        "llm_max_tokens": 150,
        "openai_api_key": "sk-test",
    }
    return OpenAICompatGenerator(Settings(**{**values, **overrides}))  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_load_checks_models_once(fake_server: FakeOpenAIServer) -> None:
    gen = make(fake_server)
    assert not gen.loaded
    gen.load()
    gen.load()
    assert gen.loaded
    assert [r["path"] for r in fake_server.requests] == ["/v1/models"]
    assert fake_server.requests[0]["headers"]["Authorization"] == "Bearer sk-test"


def test_load_accepts_404_but_not_503(fake_server: FakeOpenAIServer) -> None:
    fake_server.models_status = 404
    make(fake_server).load()
    fake_server.models_status = 503
    with pytest.raises(GeneratorUnavailable) as info:
        make(fake_server).load()
    assert str(info.value).startswith(f"Strežnik LLM na {fake_server.base_url}/models je vrnil napako HTTP 503:")


def test_generate_non_streaming_request_and_result(fake_server: FakeOpenAIServer) -> None:
    fake_server.content = ANSWER
    gen = make(fake_server)
    result = gen.generate(make_request(3))
    assert result.sentences == EXPECTED
    assert result.raw == ANSWER
    assert (result.prompt_tokens, result.completion_tokens) == (120, 30)
    assert result.elapsed_ms > 0 and result.first_sentence_ms is not None and not result.timed_out
    body = fake_server.chat_requests()[0]
    assert body["model"] == "tiny" and body["temperature"] == 0 and body["seed"] == 7
    assert body["max_tokens"] == 150 and body["stream"] is False
    assert [m["role"] for m in body["messages"]] == ["system", "user", "assistant", "user"]
    assert body["messages"][0]["content"] == load_prompt("system_sl.txt")
    assert body["messages"][2]["content"] == load_fewshot().answer
    assert "[3] Priročnik ZPKZ Ig › Oddelek 3" in body["messages"][3]["content"]
    response_format = body["response_format"]
    assert response_format["type"] == "json_schema"
    schema = response_format["json_schema"]["schema"]
    assert schema["properties"]["sentences"]["items"]["properties"]["citations"]["items"]["enum"] == [1, 2, 3]


def test_streaming_yields_sentences_from_sse(fake_server: FakeOpenAIServer) -> None:
    fake_server.content = ANSWER
    fake_server.chunk_size = 5  # splits keys, escapes and numbers at awkward places
    gen = make(fake_server)
    assert list(gen.stream(make_request(3))) == EXPECTED
    assert fake_server.chat_requests()[0]["stream"] is True
    assert fake_server.chat_requests()[0]["stream_options"] == {"include_usage": True}
    result = gen.last_result
    assert result is not None and result.raw == ANSWER and result.sentences == EXPECTED
    assert (result.prompt_tokens, result.completion_tokens) == (120, 30)


def test_stream_yields_first_sentence_before_the_rest_arrives(fake_server: FakeOpenAIServer) -> None:
    first, rest = ANSWER.split(", {", 1)
    fake_server.chunks = [first, ", {" + rest[:10], rest[10:]]
    gate = threading.Event()
    fake_server.chunk_gate = gate  # the server waits for the gate after the first chunk
    gen = make(fake_server)
    stream = gen.stream(make_request(3))
    assert next(stream) == EXPECTED[0]  # arrived while the server is still holding the rest back
    gate.set()
    assert list(stream) == EXPECTED[1:]


def test_schema_rejected_falls_back_to_plain_content(fake_server: FakeOpenAIServer) -> None:
    fake_server.reject_schema = True
    fake_server.content = "Seveda!\n```json\n" + ANSWER + "\n```"
    gen = make(fake_server)
    assert gen.generate(make_request(3)).sentences == EXPECTED
    bodies = fake_server.chat_requests()
    assert "response_format" in bodies[0] and "response_format" not in bodies[1]
    assert list(gen.stream(make_request(3))) == EXPECTED  # remembered: no schema any more
    assert "response_format" not in fake_server.chat_requests()[2]


def test_plain_prose_answer_is_parsed(fake_server: FakeOpenAIServer) -> None:
    fake_server.content = "Obiski so najmanj dvakrat tedensko [1]. Nadzorovani obiski trajajo do dve uri [2]."
    gen = make(fake_server)
    assert gen.generate(make_request(2)).sentences == EXPECTED
    fake_server.chunk_size = 4
    assert list(gen.stream(make_request(2))) == EXPECTED


def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    gen = OpenAICompatGenerator(Settings(generator="openai", openai_base_url=url))
    with pytest.raises(GeneratorUnavailable) as info:
        gen.generate(make_request(1))
    assert str(info.value) == f"Strežnik LLM na {url}/models ni dosegljiv: povezava ni uspela (ConnectError)."
    assert not gen.loaded


def test_http_error_names_url_and_status(fake_server: FakeOpenAIServer) -> None:
    fake_server.status = 500
    gen = make(fake_server)
    with pytest.raises(GeneratorUnavailable) as info:
        gen.generate(make_request(1))
    assert str(info.value) == (
        f'Strežnik LLM na {fake_server.base_url}/chat/completions je vrnil napako HTTP 500: {{"error": '
        '{"message": "boom"}}'
    )
    with pytest.raises(GeneratorUnavailable) as info:
        list(gen.stream(make_request(1)))
    assert str(info.value).startswith(
        f"Strežnik LLM na {fake_server.base_url}/chat/completions je vrnil napako HTTP 500"
    )


def test_timeout(fake_server: FakeOpenAIServer) -> None:
    gen = make(fake_server, llm_timeout_s=0.3)
    gen.load()
    fake_server.delay_s = 1.0
    with pytest.raises(GeneratorUnavailable) as info:
        gen.generate(make_request(1))
    assert str(info.value) == f"Strežnik LLM na {fake_server.base_url}/chat/completions ni odgovoril v 0.3 s."


def test_stream_stops_at_wall_clock_limit_with_what_is_complete(fake_server: FakeOpenAIServer) -> None:
    first, rest = ANSWER.split(", {", 1)
    fake_server.chunks = [first, ", {" + rest[:10], rest[10:]]
    fake_server.chunk_delay_s = 0.4
    gen = make(fake_server, llm_timeout_s=1.0)
    gen.load()
    assert list(gen.stream(make_request(3))) == EXPECTED[:1]
    assert gen.last_result is not None and gen.last_result.timed_out


def test_error_event_in_stream(fake_server: FakeOpenAIServer) -> None:
    fake_server.chunks = []
    fake_server.extra_events = ['data: {"error": {"message": "model overloaded", "code": 503}}']
    gen = make(fake_server)
    with pytest.raises(GeneratorUnavailable) as info:
        list(gen.stream(make_request(1)))
    url = f"{fake_server.base_url}/chat/completions"
    assert str(info.value) == f"Strežnik LLM na {url} je javil napako: model overloaded"


def test_empty_stream_is_no_sentences_not_an_error(fake_server: FakeOpenAIServer) -> None:
    fake_server.chunks = []
    gen = make(fake_server)
    assert list(gen.stream(make_request(1))) == []
    assert gen.last_result is not None and gen.last_result.sentences == [] and gen.last_result.raw == ""


def test_estimate_tokens_is_cautious() -> None:
    assert estimate_tokens("") == 0
    assert estimate_tokens("abc") == 1
    assert estimate_tokens("a" * 10) == 4


def test_long_passages_are_shortened_to_the_context(fake_server: FakeOpenAIServer) -> None:
    fake_server.content = ANSWER
    request = make_request(2)
    long = " ".join(["dolgo"] * 3000)
    request = type(request)(request.question, "sl", [request.passages[0], type(request.passages[1])(2, "Dolg", long)])
    gen = make(fake_server, llm_context=1024, llm_max_tokens=100)
    gen.generate(request)
    body = fake_server.chat_requests()[0]
    total = sum(estimate_tokens(m["content"]) for m in body["messages"])
    assert total <= 1024 - 100
    assert json.dumps(body).count("dolgo") < 3000
