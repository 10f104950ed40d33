"""`assistant eval`: retrieval, answer, citation, refusal and calculator figures over a question set.

Writes ``DIR/metrics.json`` and ``DIR/results.jsonl`` (one line per question), ``DIR/report.md`` and plots, and
prints a table. The output contract only ever grows: later stages add keys, never rename them.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.evaluation.split import half
from assistant.question.language import detect_language
from assistant.retrieval.retriever import Mode, Retriever
from assistant.types import SearchResult

STYLES_FOREIGN = ("english", "croatian_serbian_bosnian")


class EvalInputError(Exception):
    """The question file cannot be used; the message says which line and why."""


@dataclass(frozen=True)
class Question:
    """One evaluation item (schema of eval/DATASET.md)."""

    id: str
    question: str
    style: str
    lang: str
    answerable: bool
    gold_sections: list[str]
    gold_facts: list[str]
    gold_numbers: list[str]
    topic: str = ""
    subtype: str = ""
    notes: str = ""


def load_questions(path: Path) -> list[Question]:
    """Read a JSONL question file; a bad line is an EvalInputError naming it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalInputError(f"Datoteke z vprašanji {path} ni mogoče prebrati: {exc}") from exc
    questions = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise TypeError("zapis mora biti objekt JSON")
            for key in ("gold_sections", "gold_facts", "gold_numbers"):
                if not isinstance(item.get(key, []), list):
                    raise TypeError(f"polje {key} mora biti seznam")
            questions.append(
                Question(
                    id=str(item["id"]),
                    question=str(item["question"]),
                    style=str(item["style"]),
                    lang=str(item.get("lang", "sl")),
                    answerable=bool(item["answerable"]),
                    gold_sections=list(item.get("gold_sections", [])),
                    gold_facts=list(item.get("gold_facts", [])),
                    gold_numbers=[str(n) for n in item.get("gold_numbers", [])],
                    topic=str(item.get("topic", "")),
                    subtype=str(item.get("subtype", "")),
                    notes=str(item.get("notes", "")),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise EvalInputError(f"{path}, vrstica {number}: ni veljaven zapis vprašanja ({exc}).") from exc
    if not questions:
        raise EvalInputError(f"{path} ne vsebuje nobenega vprašanja.")
    return questions


def normalize_section(name: str) -> str:
    """Section matching as the dataset defines it: drop ``#``, ``*`` and a trailing ``:``, collapse, casefold."""
    name = re.sub(r"\s+", " ", name.replace("#", "").replace("*", "")).strip()
    return name.removesuffix(":").strip().casefold()


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def first_hit_rank(result: SearchResult, gold: list[str], k: int = 10) -> int | None:
    """1-based rank of the first retrieved chunk whose section is a gold section."""
    wanted = {normalize_section(s) for s in gold}
    for rank, hit in enumerate(result.hits[:k], 1):
        if normalize_section(hit.chunk.section) in wanted:
            return rank
    return None


def retrieval_metrics(questions: list[Question], results: dict[str, SearchResult]) -> dict[str, Any]:
    """recall@1, recall@5, mrr@10 over answerable questions, by style, plus the foreign-language group."""
    answerable = [q for q in questions if q.answerable and q.gold_sections]

    def summarise(items: list[Question]) -> dict[str, float]:
        ranks = [first_hit_rank(results[q.id], q.gold_sections) for q in items]
        n = len(items)
        return {
            "n": n,
            "recall@1": _ratio(sum(1 for r in ranks if r is not None and r <= 1), n),
            "recall@5": _ratio(sum(1 for r in ranks if r is not None and r <= 5), n),
            "mrr@10": round(sum(1 / r for r in ranks if r is not None) / n, 4) if n else 0.0,
        }

    metrics: dict[str, Any] = summarise(answerable)
    styles = sorted({q.style for q in answerable})
    metrics["by_style"] = {
        style: {
            k: v
            for k, v in summarise([q for q in answerable if q.style == style]).items()
            if k in ("n", "recall@5", "recall@1", "mrr@10")
        }
        for style in styles
    }
    metrics["by_lang"] = {
        lang: summarise([q for q in answerable if q.lang == lang]) for lang in sorted({q.lang for q in answerable})
    }
    if answerable:
        metrics["by_half"] = {
            part: {"all": summarise([q for q in answerable if half(q.id) == part])}
            | {
                lang: summarise([q for q in answerable if half(q.id) == part and q.lang == lang])
                for lang in sorted({q.lang for q in answerable})
            }
            for part in ("tune", "check")
        }
    return metrics


def confidence_sweep(questions: list[Question], results: dict[str, SearchResult]) -> list[dict[str, float]]:
    """How a refusal threshold on retrieval confidence would split the questions that reach retrieval
    (safety-routed ones excluded): share of answerable refused vs. share of unanswerable refused."""
    from assistant.question.safety import classify

    reachable = [q for q in questions if classify(q.question) is None]
    answerable = [q for q in reachable if q.answerable]
    unanswerable = [q for q in reachable if not q.answerable]
    sweep = []
    for step in range(1, 10):
        threshold = step / 10
        sweep.append(
            {
                "threshold": threshold,
                "answerable_refused": _ratio(
                    sum(results[q.id].confidence < threshold for q in answerable), len(answerable)
                ),
                "unanswerable_refused": _ratio(
                    sum(results[q.id].confidence < threshold for q in unanswerable), len(unanswerable)
                ),
            }
        )
    return sweep


def _ratio(numerator: float, denominator: int) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def run_retrieval(
    retriever: Retriever,
    questions: list[Question],
    mode: Mode = "hybrid",
    query_for: Callable[[Question], str] | None = None,
) -> dict[str, SearchResult]:
    """Search every question once (after a warm-up query, so model loading is not timed)."""
    retriever.search("obiski v zaporu", mode=mode)
    return {
        q.id: retriever.search(
            query_for(q) if query_for else q.question, mode=mode, language=detect_language(q.question)
        )
        for q in questions
    }


def retrieval_rows(questions: list[Question], results: dict[str, SearchResult]) -> list[dict[str, Any]]:
    """The retrieval part of each results.jsonl line."""
    rows = []
    for q in questions:
        result = results[q.id]
        rows.append(
            {
                "id": q.id,
                "style": q.style,
                "lang": q.lang,
                "retrieved": [
                    {
                        "chunk_id": h.chunk.id,
                        "section": h.chunk.section,
                        "label": h.chunk.label,
                        "score": round(h.score, 6),
                    }
                    for h in result.hits[:10]
                ],
                "retrieval_ms": round(result.elapsed_ms, 3),
                "retrieval_confidence": round(result.confidence, 4),
            }
        )
    return rows


def latency_metrics(values: list[float], prefix: str) -> dict[str, float]:
    """p50/p95 of a list of milliseconds."""
    return {f"{prefix}_p50_ms": round(percentile(values, 50), 2), f"{prefix}_p95_ms": round(percentile(values, 95), 2)}


def format_retrieval_table(metrics: dict[str, Any], compare: dict[str, Any] | None = None) -> str:
    """A plain-text table for the terminal."""
    columns = compare if compare else {"hybrid": metrics}
    header = f"{'retrieval':<28}" + "".join(f"{mode:>10}" for mode in columns)
    lines = [header, "-" * len(header)]
    for key in ("recall@1", "recall@5", "mrr@10"):
        lines.append(f"{key:<28}" + "".join(f"{m[key]:>10.3f}" for m in columns.values()))
    for style in metrics["by_style"]:
        label = f"recall@5 {style}"
        lines.append(f"{label:<28}" + "".join(f"{m['by_style'][style]['recall@5']:>10.3f}" for m in columns.values()))
    for lang in metrics.get("by_lang", {}):
        label = f"recall@5 lang={lang}"
        lines.append(f"{label:<28}" + "".join(f"{m['by_lang'][lang]['recall@5']:>10.3f}" for m in columns.values()))
    for part, groups in metrics.get("by_half", {}).items():
        for lang in groups:
            label = f"recall@5 {part}/{lang}"
            lines.append(
                f"{label:<28}" + "".join(f"{m['by_half'][part][lang]['recall@5']:>10.3f}" for m in columns.values())
            )
    return "\n".join(lines)


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    """One JSON object per line, UTF-8."""
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def mean(values: list[float]) -> float:
    """Mean rounded to 4 places (0.0 when empty)."""
    return round(statistics.fmean(values), 4) if values else 0.0
