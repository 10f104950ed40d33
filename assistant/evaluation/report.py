"""report.md and PNG plots for an evaluation run (matplotlib, headless)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any


def _bar(path: Path, labels: list[str], series: dict[str, list[float]], title: str, ylabel: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(max(6, len(labels) * 0.7), 4.5))
    width = 0.8 / max(1, len(series))
    for i, (name, values) in enumerate(series.items()):
        ax.bar([x + i * width for x in range(len(labels))], values, width, label=name)
    ax.set_xticks([x + width * (len(series) - 1) / 2 for x in range(len(labels))])
    ax.set_xticklabels(labels, rotation=40, ha="right", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if len(series) > 1:
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _histogram(path: Path, values: dict[str, list[float]], title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    for name, data in values.items():
        if data:
            ax.hist(data, bins=20, alpha=0.6, label=name)
    ax.set_xlabel("ms")
    ax.set_ylabel("questions")
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _table(rows: list[tuple[str, Any]]) -> str:
    lines = ["| metric | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(lines)


def write_report(out_dir: Path, metrics: dict[str, Any], rows: list[dict[str, Any]]) -> Path:
    """Write report.md and the plots it links to; returns the report path."""
    parts = ["# Evaluation report", ""]
    retrieval = metrics.get("retrieval")
    if retrieval:
        compare = metrics.get("retrieval_compare") or {"hybrid": retrieval}
        styles = list(retrieval["by_style"])
        _bar(
            out_dir / "retrieval_by_style.png",
            styles,
            {mode: [m["by_style"][s]["recall@5"] for s in styles] for mode, m in compare.items()},
            "recall@5 by question style",
            "recall@5",
        )
        parts += ["## Retrieval", "", "| mode | recall@1 | recall@5 | mrr@10 |", "|---|---|---|---|"]
        parts += [f"| {mode} | {m['recall@1']} | {m['recall@5']} | {m['mrr@10']} |" for mode, m in compare.items()]
        parts += ["", "| style | n | recall@5 |", "|---|---|---|"]
        parts += [f"| {s} | {retrieval['by_style'][s]['n']} | {retrieval['by_style'][s]['recall@5']} |" for s in styles]
        parts += ["", "![recall by style](retrieval_by_style.png)", ""]
        sweep = retrieval.get("confidence_sweep")
        if sweep:
            parts += [
                "### Refusal threshold on retrieval confidence (questions not routed by safety rules)",
                "",
                "| threshold | answerable refused | unanswerable refused |",
                "|---|---|---|",
            ]
            parts += [
                f"| {row['threshold']} | {row['answerable_refused']} | {row['unanswerable_refused']} |" for row in sweep
            ]
            parts.append("")
    answers = metrics.get("answers")
    if answers:
        parts += ["## Answers", "", _table([(k, v) for k, v in answers.items() if not isinstance(v, dict)]), ""]
        if "mode_share" in answers:
            parts += ["Mode share: " + ", ".join(f"{k} {v}" for k, v in answers["mode_share"].items()), ""]
        if "by_style" in answers:
            styles = list(answers["by_style"])
            _bar(
                out_dir / "answers_by_style.png",
                styles,
                {
                    key: [answers["by_style"][s].get(key, 0.0) for s in styles]
                    for key in ("fact_recall", "citation_precision")
                },
                "answer quality by style",
                "share",
            )
            parts += ["![answers by style](answers_by_style.png)", ""]
        topic_scores: dict[str, list[float]] = defaultdict(list)
        for row in rows:
            if row.get("topic") and row.get("fact_recall") is not None:
                topic_scores[row["topic"]].append(row["fact_recall"])
        if topic_scores:
            topics = sorted(topic_scores)
            _bar(
                out_dir / "answers_by_topic.png",
                [t[:28] for t in topics],
                {"fact_recall": [sum(v) / len(v) for v in (topic_scores[t] for t in topics)]},
                "fact recall by handbook topic",
                "fact recall",
            )
            parts += ["![answers by topic](answers_by_topic.png)", ""]
        baseline = metrics.get("baseline")
        if baseline:
            parts += [
                "### Naive baseline (dense top-3 + LLM, no verifier)",
                "",
                _table([(k, v) for k, v in baseline["answers"].items() if not isinstance(v, dict)]),
                "",
            ]
    latency = metrics.get("latency")
    if latency:
        parts += ["## Latency", "", _table(list(latency.items())), ""]
        series = {
            "retrieval": [r["retrieval_ms"] for r in rows if "retrieval_ms" in r],
            "answer": [r["answer_ms"] for r in rows if r.get("answer_ms") is not None],
        }
        _histogram(out_dir / "latency.png", series, "latency per question")
        parts += ["![latency](latency.png)", ""]
    calculator = metrics.get("calculator")
    if calculator:
        parts += ["## Calculator", "", _table([(k, v) for k, v in calculator.items() if not isinstance(v, dict)]), ""]
    for name, figures in metrics.items():
        if not name.startswith("safety") or not isinstance(figures, dict):
            continue
        groups = [key for key in figures if "/" in key]
        parts += [
            f"## Safety ({name})",
            "",
            "| half / language | crisis recall | threats handled | false alarms | n |",
            "|---|---|---|---|---|",
        ]
        parts += [
            f"| {key} | {figures[key].get('crisis_recall', '–')} | {figures[key].get('threat_handled', '–')} | "
            f"{figures[key].get('false_alarm_rate', '–')} | {figures[key]['n']} |"
            for key in groups
        ]
        parts.append("")
    path = out_dir / "report.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
