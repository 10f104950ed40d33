.PHONY: install serve test test-unit lint format eval bench

install:
	bash scripts/install.sh

serve:
	bash scripts/serve.sh

test:
	bash scripts/test.sh

test-unit:
	.venv/bin/python -m pytest -q -m "not integration and not e2e"

lint:
	.venv/bin/ruff format --check assistant tests scripts
	.venv/bin/ruff check assistant tests scripts
	.venv/bin/mypy --strict assistant

format:
	.venv/bin/ruff format assistant tests scripts
	.venv/bin/ruff check --fix assistant tests scripts

eval:
	.venv/bin/assistant eval --compare --out eval/runs/latest

bench:
	.venv/bin/assistant bench
	.venv/bin/python scripts/bench_api.py
