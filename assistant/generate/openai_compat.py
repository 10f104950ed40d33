"""Generator backend for any OpenAI-compatible chat endpoint (llama.cpp's ``llama-server``, vLLM, …).

It POSTs ``/chat/completions`` with the same prompts as the in-process backend (system rules, the worked
example as one user/assistant turn, then the request), temperature 0, a fixed seed and a per-request JSON
schema in ``response_format`` (``{"type": "json_schema", …}``). A server that rejects the schema with HTTP
400/422 is asked again without it, and from then on the answer JSON is parsed out of the plain content.
Streaming uses server-sent events (``data: {…}`` lines ending with ``data: [DONE]``).

Connection failures, timeouts and non-2xx answers raise :class:`GeneratorUnavailable` naming the URL.
"""

from __future__ import annotations

import json
import logging
import math
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx

from assistant.generate.base import GeneratedSentence, GenerationRequest, GenerationResult, GeneratorUnavailable
from assistant.generate.prompts import build_prompt
from assistant.generate.run import GenerationRun
from assistant.generate.schema import answer_schema

if TYPE_CHECKING:
    from assistant.config import Settings

log = logging.getLogger(__name__)

CHARS_PER_TOKEN = 3.0  # conservative estimate for Slovenian text; the server's tokenizer is not available


def estimate_tokens(text: str) -> int:
    """A cautious token estimate (no tokenizer for a remote model): one token per three characters."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


class OpenAICompatGenerator:
    """Generates through an OpenAI-compatible HTTP server at ``settings.openai_base_url``."""

    name = "openai"

    def __init__(self, settings: Settings, *, transport: httpx.BaseTransport | None = None) -> None:
        """Store the settings; nothing is contacted until :meth:`load` or the first generation."""
        self.settings = settings
        self.base_url = settings.openai_base_url.rstrip("/")
        self._transport = transport
        self._client: httpx.Client | None = None
        self._client_lock = threading.Lock()
        self._loaded = False
        self._use_schema = True
        self.last_result: GenerationResult | None = None

    # --- plumbing -------------------------------------------------------------------------------------
    def _http(self) -> httpx.Client:
        with self._client_lock:
            if self._client is None:
                timeout_s = self.settings.llm_timeout_s
                self._client = httpx.Client(
                    timeout=httpx.Timeout(timeout_s, connect=min(5.0, timeout_s)),
                    headers={"Authorization": f"Bearer {self.settings.openai_api_key}"},
                    transport=self._transport,
                    trust_env=False,  # never route a local model server through a proxy from the environment
                )
            return self._client

    def close(self) -> None:
        """Close the HTTP connection pool."""
        with self._client_lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    def _unreachable(self, url: str, exc: Exception) -> GeneratorUnavailable:
        if isinstance(exc, httpx.TimeoutException):
            return GeneratorUnavailable(f"Strežnik LLM na {url} ni odgovoril v {self.settings.llm_timeout_s:g} s.")
        return GeneratorUnavailable(f"Strežnik LLM na {url} ni dosegljiv: povezava ni uspela ({type(exc).__name__}).")

    @staticmethod
    def _http_error(url: str, response: httpx.Response) -> GeneratorUnavailable:
        detail = " ".join(response.text.split())[:200]
        return GeneratorUnavailable(f"Strežnik LLM na {url} je vrnil napako HTTP {response.status_code}: {detail}")

    # --- Generator protocol --------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        """Whether the server answered :meth:`load`'s check."""
        return self._loaded

    def load(self) -> None:
        """Check once that the server answers ``GET /models``.

        A 404 is accepted (not every server has that route); 401/403 and 5xx (e.g. llama-server still loading
        its model) raise :class:`GeneratorUnavailable`, as do connection errors and timeouts.
        """
        if self._loaded:
            return
        url = f"{self.base_url}/models"
        try:
            response = self._http().get(url)
        except httpx.HTTPError as exc:
            raise self._unreachable(url, exc) from exc
        if response.status_code in (401, 403) or response.status_code >= 500:
            raise self._http_error(url, response)
        self._loaded = True

    def _body(self, request: GenerationRequest, stream: bool) -> tuple[dict[str, Any], int]:
        s = self.settings
        prompt = build_prompt(request, estimate_tokens, s.llm_context - s.llm_max_tokens, style="chat")
        numbers = sorted({p.n for p in prompt.passages}) or [1]
        body: dict[str, Any] = {
            "model": s.openai_model,
            "messages": prompt.chat_messages(),
            "temperature": 0,
            "seed": s.llm_seed,
            "max_tokens": s.llm_max_tokens,
            "stream": stream,
        }
        if self._use_schema:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "answer", "strict": True, "schema": answer_schema(numbers)},
            }
        if stream:
            body["stream_options"] = {"include_usage": True}
        return body, len(numbers)

    def _schema_rejected(self, response: httpx.Response) -> bool:
        if self._use_schema and response.status_code in (400, 422):
            log.warning(
                "%s rejected response_format (HTTP %s); parsing plain content from now on",
                self.base_url,
                response.status_code,
            )
            self._use_schema = False
            return True
        return False

    def generate(self, request: GenerationRequest) -> GenerationResult:
        """One non-streaming chat completion, parsed into sentences."""
        self.load()
        url = f"{self.base_url}/chat/completions"
        for _attempt in range(2):
            body, n_passages = self._body(request, stream=False)
            run = GenerationRun(n_passages, self.settings.llm_timeout_s)
            try:
                response = self._http().post(url, json=body)
            except httpx.HTTPError as exc:
                raise self._unreachable(url, exc) from exc
            if response.is_success:
                break
            if not self._schema_rejected(response):
                raise self._http_error(url, response)
        else:
            raise self._http_error(url, response)
        try:
            data = response.json()
            content = data["choices"][0]["message"].get("content") or ""
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise GeneratorUnavailable(f"Strežnik LLM na {url} je vrnil nepričakovan odgovor: {exc!r}") from exc
        usage = data.get("usage") or {}
        run.prompt_tokens = int(usage.get("prompt_tokens") or 0)
        run.completion_tokens = int(usage.get("completion_tokens") or 0)
        run.feed(content)
        run.fallback()
        result = run.result()
        self.last_result = result
        return result

    def stream(self, request: GenerationRequest) -> Iterator[GeneratedSentence]:
        """Stream the completion over SSE and yield each sentence as soon as its JSON object closes.

        Generation stops at ``settings.llm_timeout_s`` (wall clock); the statistics of the finished stream are
        left in :attr:`last_result`.
        """
        self.load()
        url = f"{self.base_url}/chat/completions"
        for _attempt in range(2):
            body, n_passages = self._body(request, stream=True)
            run = GenerationRun(n_passages, self.settings.llm_timeout_s)
            try:
                with self._http().stream("POST", url, json=body) as response:
                    if not response.is_success:
                        response.read()
                        if self._schema_rejected(response):
                            continue
                        raise self._http_error(url, response)
                    yield from self._events(url, response, run)
            except httpx.HTTPError as exc:
                if run.parser.raw:
                    run.timed_out = run.timed_out or isinstance(exc, httpx.TimeoutException)
                else:
                    raise self._unreachable(url, exc) from exc
            yield from run.fallback()
            self.last_result = run.result()
            return
        raise GeneratorUnavailable(f"Strežnik LLM na {url} ne sprejme zahteve.")

    def _events(self, url: str, response: httpx.Response, run: GenerationRun) -> Iterator[GeneratedSentence]:
        for line in response.iter_lines():
            if run.should_stop():
                break
            line = line.strip()
            if not line.startswith("data:"):
                continue  # blank separators, ": comments", "event:" lines
            payload = line.removeprefix("data:").strip()
            if payload == "[DONE]":
                break
            try:
                event = json.loads(payload)
            except json.JSONDecodeError:
                log.warning("%s: unparseable SSE data %r", url, payload[:100])
                continue
            if "error" in event:
                error = event["error"]
                detail = error.get("message", error) if isinstance(error, dict) else error
                raise GeneratorUnavailable(f"Strežnik LLM na {url} je javil napako: {detail}")
            usage = event.get("usage") or {}
            if usage:
                run.prompt_tokens = int(usage.get("prompt_tokens") or run.prompt_tokens)
                run.completion_tokens = int(usage.get("completion_tokens") or run.completion_tokens)
            for choice in event.get("choices") or []:
                delta = choice.get("delta") or {}
                content = delta.get("content") or ""
                if content:
                    yield from run.feed(content)
