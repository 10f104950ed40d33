#!/usr/bin/env bash
# The whole set-up on a fresh machine, then the main job: install, build the index if it is missing or stale,
# and serve the kiosk, the staff chat and the API on 127.0.0.1:8000 with the default corpus and models.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
if ! .venv/bin/assistant index verify >/dev/null 2>&1; then
  .venv/bin/assistant index build
fi
exec .venv/bin/assistant serve "$@"
