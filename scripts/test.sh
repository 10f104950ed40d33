#!/usr/bin/env bash
# Install everything (plus Debian's chromium for the browser tests, when we may use apt),
# build the index if it is missing, and run the whole test suite: unit tests with fakes, integration tests with
# the real models, browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "chromium could not be installed: browser tests will be skipped"
fi
# the served-app tests use the real index when it exists; build it like the main command does
.venv/bin/assistant index verify >/dev/null 2>&1 || .venv/bin/assistant index build
mkdir -p test-artifacts
exec .venv/bin/python -m pytest -q "$@"
