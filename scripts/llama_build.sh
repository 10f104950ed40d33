#!/usr/bin/env bash
# Build and install llama-cpp-python into .venv with flags that run on any x86-64 CPU of the fleet.
#
#   LLAMA_BUILD=portable (default)  GGML_NATIVE=OFF; AVX, AVX2, FMA, F16C when this CPU has them (every x86-64
#                                   CPU since 2013/2015), otherwise plain SSE; AVX-512 and AMX always off.
#   LLAMA_BUILD=native              GGML_NATIVE=ON (-march=native) for this machine only; AMX still off.
#
# The wheel is stored in ~/.cache/zaporni-pomocnik/wheels/llama-cpp-python-<version>-<flags hash>/ and installed
# from there; pip's own wheel cache is never used for it (--no-cache-dir --no-binary), so a wheel built with other
# flags cannot be picked up again. After installing, the llama.cpp system info is printed and a build that
# reports AMX is refused.
set -euo pipefail
cd "$(dirname "$0")/.."
LLAMA_VERSION="${LLAMA_VERSION:-0.3.36}"
LLAMA_BUILD="${LLAMA_BUILD:-portable}"
PY=.venv/bin/python

has_flag() { grep -qw "$1" /proc/cpuinfo 2>/dev/null; }

off="-DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF -DGGML_AVX_VNNI=OFF"
off="$off -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
case "$LLAMA_BUILD" in
  native)
    flags="-DGGML_NATIVE=ON -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
    # a native build belongs to this CPU only: key it by the CPU model too
    cpu_key="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | md5sum | cut -c1-8)"
    ;;
  portable)
    if has_flag avx2 && has_flag fma && has_flag f16c; then
      flags="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=OFF $off"
    else
      flags="-DGGML_NATIVE=OFF -DGGML_AVX=OFF -DGGML_AVX2=OFF -DGGML_FMA=OFF -DGGML_F16C=OFF -DGGML_BMI2=OFF $off"
    fi
    cpu_key="any"
    ;;
  *)
    echo "LLAMA_BUILD must be 'portable' or 'native', not '$LLAMA_BUILD'." >&2
    exit 2
    ;;
esac
key="$(printf '%s|%s|%s' "$LLAMA_VERSION" "$flags" "$cpu_key" | md5sum | cut -c1-12)"
wheel_dir="${XDG_CACHE_HOME:-$HOME/.cache}/zaporni-pomocnik/wheels/llama-cpp-python-$LLAMA_VERSION-$LLAMA_BUILD-$key"
stamp=".venv/llama-build-key"

if [ "$(cat "$stamp" 2>/dev/null)" != "$key" ] || ! "$PY" -c "import llama_cpp" >/dev/null 2>&1; then
  if ! ls "$wheel_dir"/llama_cpp_python-*.whl >/dev/null 2>&1; then
    echo "building llama-cpp-python $LLAMA_VERSION ($LLAMA_BUILD): $flags"
    mkdir -p "$wheel_dir.tmp"
    CMAKE_ARGS="$flags" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" FORCE_CMAKE=1 \
      .venv/bin/pip wheel --quiet --no-cache-dir --no-binary llama-cpp-python --no-deps \
      -w "$wheel_dir.tmp" "llama-cpp-python==$LLAMA_VERSION"
    rm -rf "$wheel_dir" && mv "$wheel_dir.tmp" "$wheel_dir"
  fi
  .venv/bin/pip install --quiet --no-cache-dir --force-reinstall --no-deps "$wheel_dir"/llama_cpp_python-*.whl
  # its pure-Python dependencies, from the index
  .venv/bin/pip install --quiet "llama-cpp-python==$LLAMA_VERSION"
  echo "$key" >"$stamp"
fi

"$PY" - <<'PY'
import sys

import llama_cpp

info = llama_cpp.llama_print_system_info().decode("utf-8", "replace").strip()
print("llama.cpp system info:", info)
if "AMX_INT8 = 1" in info or "AMX = 1" in info:
    sys.exit("This llama.cpp build enables AMX, which crashes on Q4_K models. Run: rm -rf .venv/llama-build-key && bash scripts/install.sh")
PY
