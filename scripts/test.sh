#!/usr/bin/env bash
# Install everything (plus Debian's chromium for the browser tests, when we may use apt), check formatting, style
# and types, build the index if it is missing, and run the whole test suite: unit tests with fakes, integration
# tests with the real models, browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "chromium could not be installed: browser tests will be skipped"
fi
# axe-core for the accessibility browser tests (tests/e2e/test_kiosk_a11y.py) from the npm registry into
# node_modules/ (not in git); npm itself from Debian when it is missing and we may use apt
AXE_VERSION=4.14.1
if [ ! -f node_modules/axe-core/axe.min.js ] \
    || ! grep -q "\"version\": \"$AXE_VERSION\"" node_modules/axe-core/package.json 2>/dev/null; then
  if ! command -v npm >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null) \
      || echo "npm could not be installed"
  fi
  npm install --prefix "$PWD" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "axe-core@$AXE_VERSION" >/dev/null \
    || echo "axe-core could not be installed: the accessibility test cannot run"
fi
# lint fails the build: formatting, style, and types (mypy --strict on the package)
.venv/bin/ruff format --check assistant tests scripts
.venv/bin/ruff check assistant tests scripts
.venv/bin/mypy --strict assistant
# the served-app tests use the real index when it exists; build it like the main command does
.venv/bin/assistant index verify >/dev/null 2>&1 || .venv/bin/assistant index build
mkdir -p test-artifacts
exec .venv/bin/python -m pytest -q "$@"
