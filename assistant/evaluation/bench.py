"""`assistant bench`: speed and memory figures on this machine (printed, and written as JSON when asked).

Measures, over the development questions: index build time (``--build``), retrieval latency after warm-up,
answer latency and time to the first streamed sentence with the configured generator, and peak memory.
Targets live here and in `assistant eval`, never in timed unit tests.
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.evaluation.retrieval import latency_metrics, load_questions
from assistant.types import Answer

# crisis messages for the latency of the help text (written for the benchmark, in the three languages)
CRISIS_PROBES = ("ne zmorem več, razmišljam o samomoru", "I want to end my life tonight", "želim umrijeti")


def speech_figures(assistant: Any, questions: list[Any]) -> dict[str, Any]:
    """Time to the first audio byte of read-aloud (espeak-ng returns the whole WAV at once) for the plain line of a
    few answers in each language; empty when espeak-ng is not installed."""
    from assistant.api.speech import Synthesizer

    synthesizer = Synthesizer()
    if not synthesizer.available():
        return {"speech": "espeak-ng not installed"}
    timings = []
    for q in questions:
        answer = assistant.answer(q.question)
        text = " ".join(answer.plain) or " ".join(s.text for s in answer.sentences[:2])
        for lang in ("sl", "en", "bcs"):
            started = time.perf_counter()
            synthesizer.synthesize(f"{text} ({lang})", lang)  # distinct text: never a cache hit
            timings.append((time.perf_counter() - started) * 1000)
    return latency_metrics(timings, "speech_first_byte")


def run_bench(
    settings: Settings, questions_path: Path, build: bool = False, limit: int | None = None, out: Path | None = None
) -> dict[str, Any]:
    """Run the benchmark and return (and print) its figures."""
    from assistant.answer.assistant import Assistant
    from assistant.factory import build as build_index

    figures: dict[str, Any] = {"generator": settings.generator, "llm_threads": settings.llm_threads}
    if build:
        started = time.perf_counter()
        build_index(settings)
        figures["index_build_s"] = round(time.perf_counter() - started, 2)
    questions = load_questions(questions_path)[:limit] if limit else load_questions(questions_path)
    started = time.perf_counter()
    assistant = Assistant.from_settings(settings)
    assistant.warm_up()
    figures["warm_up_s"] = round(time.perf_counter() - started, 2)

    retriever = assistant.retriever
    retrieval = []
    for _ in range(2):  # two passes: the second is fully warm
        retrieval = [retriever.search(q.question).elapsed_ms for q in questions]
    figures.update(latency_metrics(retrieval, "retrieval"))

    totals, firsts, modes = [], [], []
    for q in questions:
        started = time.perf_counter()
        first: float | None = None
        final: Answer | None = None
        for item in assistant.iter_answer(q.question):
            if first is None:
                first = (time.perf_counter() - started) * 1000
            if isinstance(item, Answer):
                final = item
        totals.append((time.perf_counter() - started) * 1000)
        firsts.append(first or totals[-1])
        modes.append(final.mode if final else "none")
    figures.update(latency_metrics(totals, "answer"))
    figures.update(latency_metrics(firsts, "first_sentence"))
    figures["mode_counts"] = {mode: modes.count(mode) for mode in sorted(set(modes))}
    crisis = []
    for text in CRISIS_PROBES:
        started = time.perf_counter()
        assistant.answer(text)
        crisis.append((time.perf_counter() - started) * 1000)
    figures.update(latency_metrics(crisis, "crisis_answer"))
    figures.update(speech_figures(assistant, questions[:6]))
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures["questions"] = len(questions)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return figures
