#!/usr/bin/env bash
# Install everything into .venv in the project root. Idempotent: a second run only checks.
#
# * torch is pinned to 2.13.0 first (this machine's local CPU build; an unpinned torch would pull CUDA packages).
# * llama-cpp-python is compiled by this script with portable flags (see scripts/llama_build.sh): no -march=native,
#   no AMX (its backend segfaults on Q4_K models, ggml-org/llama.cpp#20824), no AVX-512. The wheel is kept in a
#   folder named after the version and the flags, never in pip's cache, so a native build cannot slip back in.
#   An operator who wants a build tuned to one machine sets LLAMA_BUILD=native (AMX stays off even then).
# * classla is installed without its dependency metadata (it pins torch<=2.6; it runs on 2.13 and is optional).
set -euo pipefail
cd "$(dirname "$0")/.."
# espeak-ng reads answers aloud (GET /api/speech); without it that route answers 503 and everything else works
if ! command -v espeak-ng >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng >/dev/null) \
    || echo "espeak-ng could not be installed: reading aloud will be unavailable"
fi
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
PIP=".venv/bin/pip"
"$PIP" install --quiet --upgrade pip
"$PIP" install --quiet "torch==2.13.0"
bash scripts/llama_build.sh
"$PIP" install --quiet -e ".[dev,classla]"
"$PIP" install --quiet --no-deps "classla==2.2.3"
.venv/bin/python - <<'PY'
import importlib
for name in ("torch", "faiss", "lemmagen3", "obeliks", "sentence_transformers", "llama_cpp", "fastapi", "classla"):
    importlib.import_module(name)
import torch
assert torch.__version__.startswith("2.13.0"), torch.__version__
print("install ok: torch", torch.__version__)
PY
