"""Orchestrates `assistant eval`: which stages run, and where their figures are written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.evaluation.retrieval import (
    confidence_sweep,
    format_retrieval_table,
    latency_metrics,
    load_questions,
    retrieval_metrics,
    retrieval_rows,
    run_retrieval,
    write_jsonl,
)

STAGES = ("retrieval", "answers", "calculator", "safety")


def run_eval(
    settings: Settings,
    questions_path: Path,
    calculator_path: Path,
    out_dir: Path,
    only: set[str] | None = None,
    compare: bool = False,
    safety_paths: list[Path] | None = None,
) -> dict[str, Any]:
    """Run the selected stages (all by default), write metrics.json/results.jsonl/report, print tables."""
    stages = only or set(STAGES)
    out_dir.mkdir(parents=True, exist_ok=True)
    metrics: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []

    if stages & {"retrieval", "answers"}:
        from assistant.factory import make_retriever

        questions = load_questions(questions_path)
        retriever = make_retriever(settings)
        results = run_retrieval(retriever, questions)
        metrics["retrieval"] = retrieval_metrics(questions, results)
        metrics["retrieval"]["confidence_sweep"] = confidence_sweep(questions, results)
        metrics["latency"] = latency_metrics([r.elapsed_ms for r in results.values()], "retrieval")
        rows = retrieval_rows(questions, results)
        comparison = None
        if compare:
            comparison = {
                mode: retrieval_metrics(questions, run_retrieval(retriever, questions, mode))
                for mode in ("lexical", "dense")
            }
            comparison["hybrid"] = metrics["retrieval"]
            metrics["retrieval_compare"] = comparison
        print(format_retrieval_table(metrics["retrieval"], comparison))
        print(
            f"latency: retrieval p50 {metrics['latency']['retrieval_p50_ms']} ms, "
            f"p95 {metrics['latency']['retrieval_p95_ms']} ms"
        )

        if "answers" in stages:
            from assistant.evaluation.answers import run_answer_eval

            answer_metrics, rows = run_answer_eval(settings, retriever, questions, rows, out_dir, compare=compare)
            metrics["answers"] = answer_metrics.pop("answers")
            metrics["latency"].update(answer_metrics.pop("latency"))
            metrics.update(answer_metrics)

    if "calculator" in stages:
        from assistant.calculator.evaluate import run_calculator_eval

        calc = run_calculator_eval(calculator_path, out_dir)
        metrics.update(calc)
        c = calc["calculator"]
        print(
            f"calculator: structured {c['accuracy_structured']:.3f}, natural language {c['accuracy_nl']:.3f}, "
            f"invalid rejected {c['invalid_rejected']:.3f} (n={c['n']})"
        )

    existing = [path for path in safety_paths or [] if path.exists()]
    if "safety" in stages and existing:
        from assistant.evaluation.safety import format_safety_table, run_safety_eval
        from assistant.factory import make_assistant

        # routing does not depend on the language model: answer with quotes only, so the set runs in seconds
        assistant = make_assistant(settings.model_copy(update={"generator": "extractive"}))
        assistant.warm_up()
        for index, path in enumerate(existing):
            # the first set is "safety"; others are named after their file ("safety_blind.jsonl" → "safety_blind")
            name = "safety" if index == 0 else path.stem
            metrics.update(run_safety_eval(assistant, path, out_dir, name))
            print(f"{name} ({path.name})")
            print(format_safety_table(metrics[name]))

    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False), encoding="utf-8")
    if rows:
        write_jsonl(out_dir / "results.jsonl", rows)
    if stages & {"answers", "retrieval", "safety"}:
        from assistant.evaluation.report import write_report

        write_report(out_dir, metrics, rows)
    print(f"Rezultati: {out_dir / 'metrics.json'}")
    return metrics
