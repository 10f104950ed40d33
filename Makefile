.PHONY: install serve test test-unit lint eval bench

install:
	bash scripts/install.sh

serve:
	bash scripts/serve.sh

test:
	bash scripts/test.sh

test-unit:
	.venv/bin/python -m pytest -q -m "not integration and not e2e"

lint:
	.venv/bin/ruff check assistant tests
	.venv/bin/mypy assistant

eval:
	.venv/bin/assistant eval --compare --out eval/runs/latest

bench:
	.venv/bin/python scripts/bench_api.py
