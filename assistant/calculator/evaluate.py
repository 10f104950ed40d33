"""Calculator evaluation on ``eval/calculator.jsonl``: structured inputs and natural-language questions.

Scoring compares the expected values that are numbers (to the cent), booleans, ISO dates or ``neomejeno``;
the free-text outputs (``failed_conditions``, ``skipped_days``, ``binding_rule``, ``release_weekday``) must be
present but their wording is not scored. A case whose ``expected`` is ``{"error": …}`` passes the structured
path only when the input is rejected; on the natural-language path a rejection or a missing-input follow-up
counts as not wrong. ``invalid_rejected`` is the share of such cases rejected by the structured path.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .schemas import CalculatorInputError
from .service import Calculator

FREE_TEXT_OUTPUTS = frozenset({"failed_conditions", "skipped_days", "binding_rule", "release_weekday"})
CENT_TOLERANCE = 0.005 + 1e-9
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def values_match(expected: Any, actual: Any) -> bool:
    """Compare one expected value with an output (numbers to the cent, booleans exactly, dates and words)."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(expected, bool) and isinstance(actual, bool) and expected == actual
    if isinstance(expected, int | float):
        return isinstance(actual, int | float) and abs(float(expected) - float(actual)) <= CENT_TOLERANCE
    if isinstance(expected, str):
        if _ISO_DATE.match(expected) or expected == "neomejeno":
            return bool(actual == expected)
        return isinstance(actual, str)  # other text is for people; presence is enough
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(values_match(e, a) for e, a in zip(expected, actual, strict=True))
        )
    if expected is None:
        return actual is None
    return bool(expected == actual)


def outputs_match(expected: dict[str, Any], outputs: dict[str, Any]) -> bool:
    """Every expected key is present; scored values agree."""
    for key, value in expected.items():
        if key not in outputs:
            return False
        if key in FREE_TEXT_OUTPUTS:
            continue
        if not values_match(value, outputs[key]):
            return False
    return True


def _run_case(calculator: Calculator, case: dict[str, Any]) -> dict[str, Any]:
    expected = case.get("expected", {})
    expects_error = "error" in expected
    kind = case.get("kind", "")
    structured: dict[str, Any]
    try:
        result = calculator.calculate(kind, case.get("inputs", {}))
        structured = result.outputs
        pass_structured = not expects_error and outputs_match(expected, result.outputs)
    except CalculatorInputError as exc:
        structured = {"error": exc.message, "field": exc.field}
        pass_structured = expects_error

    nl: dict[str, Any]
    question = case.get("question") or ""
    route = calculator.route(question) if question else None
    if route is None:
        nl = {"not_routed": True}
        pass_nl = False
    elif route.error is not None:
        nl = {
            "understood": route.understood,
            "error": route.error,
            "field": route.error_field,
            "kind": route.kind,
        }
        pass_nl = expects_error
    elif route.missing:
        nl = {"understood": route.understood, "missing": route.missing, "kind": route.kind}
        pass_nl = expects_error
    else:
        assert route.result is not None
        nl = {"understood": route.understood, "outputs": route.result.outputs, "kind": route.kind}
        pass_nl = not expects_error and route.kind == kind and outputs_match(expected, route.result.outputs)
    return {
        "id": case.get("id"),
        "kind": kind,
        "structured": structured,
        "nl": nl,
        "pass_structured": pass_structured,
        "pass_nl": pass_nl,
        "expects_error": expects_error,
    }


def _ratio(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 0.0


def run_calculator_eval(
    cases_path: Path, out_dir: Path | None = None, calculator: Calculator | None = None
) -> dict[str, Any]:
    """Run every case through both paths, write ``out_dir/calculator_results.jsonl``, return the metrics."""
    calculator = calculator or Calculator()
    cases = [json.loads(line) for line in Path(cases_path).read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [_run_case(calculator, case) for case in cases]
    by_kind: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = by_kind.setdefault(row["kind"], {"n": 0, "structured_pass": 0, "nl_pass": 0})
        entry["n"] += 1
        entry["structured_pass"] += int(row["pass_structured"])
        entry["nl_pass"] += int(row["pass_nl"])
    for entry in by_kind.values():
        entry["accuracy_structured"] = _ratio(entry["structured_pass"], entry["n"])
        entry["accuracy_nl"] = _ratio(entry["nl_pass"], entry["n"])
    invalid = [row for row in rows if row["expects_error"]]
    metrics = {
        "calculator": {
            "n": len(rows),
            "accuracy_structured": _ratio(sum(r["pass_structured"] for r in rows), len(rows)),
            "accuracy_nl": _ratio(sum(r["pass_nl"] for r in rows), len(rows)),
            "invalid_rejected": _ratio(sum(r["pass_structured"] for r in invalid), len(invalid)) if invalid else 1.0,
            "invalid_rejected_count": sum(r["pass_structured"] for r in invalid),
            "invalid_n": len(invalid),
            "by_kind": dict(sorted(by_kind.items())),
        }
    }
    if out_dir is not None:
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        with (out_dir / "calculator_results.jsonl").open("w", encoding="utf-8") as handle:
            for row in rows:
                record = {key: row[key] for key in ("id", "kind", "structured", "nl", "pass_structured", "pass_nl")}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return metrics


def main(argv: list[str] | None = None) -> int:
    """``python -m assistant.calculator.evaluate CASES [OUT_DIR]``: print the metrics as JSON."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if not args:
        print(
            "Uporaba: python -m assistant.calculator.evaluate eval/calculator.jsonl [izhodna_mapa]",
            file=sys.stderr,
        )
        return 2
    metrics = run_calculator_eval(Path(args[0]), Path(args[1]) if len(args) > 1 else None)
    print(json.dumps(metrics, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
