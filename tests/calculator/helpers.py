"""Helpers shared by the calculator tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEV_CASES = PROJECT_ROOT / "eval" / "calculator.jsonl"


def load_cases() -> list[dict[str, Any]]:
    """The development calculator cases (empty if the file is absent)."""
    if not DEV_CASES.exists():
        return []
    return [json.loads(line) for line in DEV_CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
