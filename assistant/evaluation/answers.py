"""Answer-stage evaluation: facts, numbers, citations, grounding, refusals, language, modes, latency."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

from assistant.answer.assistant import Assistant
from assistant.answer.baseline import naive_answer
from assistant.config import Settings
from assistant.evaluation.retrieval import Question, latency_metrics, mean, normalize_section
from assistant.evaluation.split import half
from assistant.question.language import detect_language
from assistant.retrieval.retriever import Retriever
from assistant.text.normalize import fold
from assistant.text.numbers import contains_number, quantities
from assistant.types import Answer


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text.replace("*", ""))).strip()


def fact_present(fact: str, answer: Answer, assistant: Assistant) -> bool:
    """A gold fact is conveyed when it appears in the answer (diacritic/case-insensitive) or, failing that,
    when at least 80 % of its content lemmas occur in the answer text (inflection-insensitive)."""
    text = answer.text
    # a paragraph shown in the reader's language conveys its facts by meaning (translations keep every figure and
    # bound: `assistant corpus check`); the Slovenian original is what the gold facts are written against
    translated = set(answer.diagnostics.get("translated_chunks", []))
    if translated:
        text += " " + " ".join(s.text for s in answer.sources if s.chunk_id in translated)
    if _norm(fact) in _norm(text):
        return True
    analyzer = assistant.retriever.analyzer
    fact_terms = set(analyzer.document_terms(fact))
    if not fact_terms:
        return False
    answer_terms = set(analyzer.document_terms(text))
    return len(fact_terms & answer_terms) / len(fact_terms) >= 0.8


def ungrounded_numbers(answer: Answer) -> list[str]:
    """Numbers shown to the user that occur in no cited passage and no calculator result."""
    grounding = " ".join(s.text for s in answer.sources)
    if answer.calculation:
        grounding += " " + str(answer.calculation)
    available = {q.value for q in quantities(grounding)}
    shown = " ".join(s.text for s in answer.sentences)
    return [q.text for q in quantities(shown) if q.value not in available]


def answer_language(answer: Answer) -> str:
    """The language the answer's sentences are written in (detected, not declared)."""
    return detect_language(" ".join(s.text for s in answer.sentences)) if answer.sentences else answer.language


def _row(q: Question, answer: Answer, assistant: Assistant, elapsed_ms: float) -> dict[str, Any]:
    facts = [fact_present(f, answer, assistant) for f in q.gold_facts] if q.answerable else []
    numbers = [contains_number(answer.text, n) for n in q.gold_numbers] if q.answerable else []
    first_line = answer.sentences[0].text if answer.sentences else ""
    # plain first: the figure the question asks for is in the first line the reader sees
    first_figure = any(contains_number(first_line, n) for n in q.gold_numbers) if numbers else None
    wanted = {normalize_section(s) for s in q.gold_sections}
    cited_ok = [normalize_section(s.section) in wanted for s in answer.sources] if q.answerable and wanted else []
    handled = answer.refused or answer.mode == "crisis"
    return {
        "mode": answer.mode,
        "answer": answer.text,
        "sentences": [{"text": s.text, "citations": s.citations} for s in answer.sentences],
        "sources": [{"n": s.n, "chunk_id": s.chunk_id, "section": s.section, "text": s.text} for s in answer.sources],
        "refused": answer.refused,
        "calculation": answer.calculation if answer.mode == "calculator" else None,
        "answer_ms": round(elapsed_ms, 2),
        "answer_language": answer.language,
        "topic": q.topic,
        "fact_recall": (sum(facts) / len(facts)) if facts else None,
        "number_recall": (sum(numbers) / len(numbers)) if numbers else None,
        "first_line_figure": None if first_figure is None else float(first_figure),
        "citation_precision": (sum(cited_ok) / len(cited_ok)) if cited_ok else None,
        "ungrounded_numbers": ungrounded_numbers(answer),
        "refusal_correct": handled if not q.answerable else not answer.refused,
        # the language of what the reader sees: her language detected in the answer's own sentences
        "language_match": answer_language(answer) == q.lang,
        "half": half(q.id),
        "llm_sentences": answer.diagnostics.get("llm_sentences", 0),
        "llm_supported": answer.diagnostics.get("llm_supported", 0),
        "first_sentence_ms": answer.timings.get("first_sentence_ms"),
    }


def summarise(questions: list[Question], rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Aggregate the per-question rows into the ``answers`` metrics."""

    def values(key: str, items: list[Question]) -> list[float]:
        return [rows[q.id][key] for q in items if rows[q.id].get(key) is not None]

    answerable = [q for q in questions if q.answerable]
    modes = Counter(rows[q.id]["mode"] for q in questions)
    llm_total = sum(rows[q.id]["llm_sentences"] for q in questions)
    metrics: dict[str, Any] = {
        "n": len(questions),
        "fact_recall": mean(values("fact_recall", answerable)),
        "number_recall": mean(values("number_recall", answerable)),
        "first_line_figure": mean(values("first_line_figure", answerable)),
        "citation_precision": mean(values("citation_precision", answerable)),
        "ungrounded_numbers": sum(len(rows[q.id]["ungrounded_numbers"]) for q in questions),
        "refusal_accuracy": mean([float(rows[q.id]["refusal_correct"]) for q in questions]),
        "language_match": mean([float(rows[q.id]["language_match"]) for q in questions]),
        "mode_share": {mode: round(count / len(questions), 4) for mode, count in sorted(modes.items())},
        "llm_sentences": llm_total,
        "llm_sentences_supported": sum(rows[q.id]["llm_supported"] for q in questions),
    }
    supported = metrics["llm_sentences_supported"]
    metrics["llm_verification_pass_rate"] = round(supported / llm_total, 4) if llm_total else None
    metrics["by_style"] = {
        style: {
            "n": len(items),
            "fact_recall": mean(values("fact_recall", items)),
            "citation_precision": mean(values("citation_precision", items)),
            "refusal_accuracy": mean([float(rows[q.id]["refusal_correct"]) for q in items]),
        }
        for style in sorted({q.style for q in questions})
        for items in [[q for q in questions if q.style == style]]
    }
    return metrics


def run_answer_eval(
    settings: Settings,
    retriever: Retriever,
    questions: list[Question],
    retrieval_rows: list[dict[str, Any]],
    out_dir: Path,
    compare: bool = False,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Answer every question (after warm-up), return metrics and the merged results rows."""
    from assistant.factory import make_assistant

    assistant = make_assistant(settings, retriever)
    assistant.warm_up()
    assistant.answer("Koliko časa lahko traja obisk?")  # warm the generator path too
    by_id = {row["id"]: dict(row) for row in retrieval_rows}
    per_question: dict[str, dict[str, Any]] = {}
    for q in questions:
        started = time.perf_counter()
        answer = assistant.answer(q.question)
        per_question[q.id] = _row(q, answer, assistant, (time.perf_counter() - started) * 1000)
        by_id[q.id].update(per_question[q.id])
    answers = summarise(questions, per_question)
    for name, key in (("by_half", half), ("by_language", lambda q_id: by_id[q_id]["lang"])):
        groups: dict[str, list[Question]] = {}
        for q in questions:
            groups.setdefault(key(q.id), []).append(q)
        answers[name] = {
            group: {k: v for k, v in summarise(items, per_question).items() if k not in ("by_style", "mode_share")}
            for group, items in sorted(groups.items())
        }
    latency = latency_metrics([r["answer_ms"] for r in per_question.values()], "answer")
    firsts = [r["first_sentence_ms"] for r in per_question.values() if r.get("first_sentence_ms") is not None]
    if firsts:
        latency.update(latency_metrics(firsts, "first_sentence"))
    result: dict[str, Any] = {
        "answers": answers,
        "latency": latency,
        "answers_generator": assistant.readiness()["generator"],
    }
    if compare and assistant.generator is not None:
        baseline_rows: dict[str, dict[str, Any]] = {}
        for q in questions:
            started = time.perf_counter()
            answer = naive_answer(assistant, q.question)
            baseline_rows[q.id] = _row(q, answer, assistant, (time.perf_counter() - started) * 1000)
        result["baseline"] = {
            "answers": summarise(questions, baseline_rows),
            "latency": latency_metrics([r["answer_ms"] for r in baseline_rows.values()], "answer"),
        }
    print(format_answers(answers, latency, result.get("baseline")))
    return result, [by_id[q.id] for q in questions]


def format_answers(answers: dict[str, Any], latency: dict[str, float], baseline: dict[str, Any] | None) -> str:
    """A terminal table of the answer metrics (with the naive baseline when run)."""
    keys = (
        "fact_recall",
        "number_recall",
        "first_line_figure",
        "citation_precision",
        "ungrounded_numbers",
        "refusal_accuracy",
        "language_match",
        "llm_verification_pass_rate",
    )
    lines = [f"{'answers':<28}{'pipeline':>12}" + (f"{'naive':>12}" if baseline else "")]
    for key in keys:
        line = f"{key:<28}{str(answers.get(key)):>12}"
        if baseline:
            line += f"{str(baseline['answers'].get(key)):>12}"
        lines.append(line)
    lines.append(f"{'mode_share':<28}{answers['mode_share']}")
    lines.append(
        f"latency: answer p50 {latency['answer_p50_ms']} ms, p95 {latency['answer_p95_ms']} ms"
        + (f", first sentence p95 {latency['first_sentence_p95_ms']} ms" if "first_sentence_p95_ms" in latency else "")
    )
    return "\n".join(lines)
