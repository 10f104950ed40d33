"""The `assistant` command line: index | search | ask | calc | eval | serve.

Exit codes: 0 success; 2 bad input or usage (the message says what to fix); 3 the index is missing, stale or
damaged (run `assistant index build`); 4 the corpus or configuration cannot be read; 5 a model cannot be loaded.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.config import ConfigError, Settings, load_settings

EXIT_INPUT, EXIT_INDEX, EXIT_CORPUS, EXIT_MODEL = 2, 3, 4, 5


class CliError(Exception):
    """A failure to report as one sentence and an exit code."""

    def __init__(self, message: str, code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.code = code


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    for name in ("corpus_dir", "index_dir", "generator", "gguf_path", "embedder", "embedder_path", "lemmatizer"):
        value = getattr(args, name, None)
        if value is not None:
            overrides[name] = value
    try:
        return load_settings(args.config, **overrides)
    except ConfigError as exc:
        raise CliError(str(exc), EXIT_CORPUS) from exc
    except ValueError as exc:  # pydantic validation
        raise CliError(f"Neveljavna nastavitev: {exc}", EXIT_CORPUS) from exc


def _question(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise CliError("Vprašanje je prazno: napišite, kaj vas zanima.")
    return text


# --- index -------------------------------------------------------------------------------------------
def cmd_index_build(args: argparse.Namespace) -> int:
    """Build the indexes for the configured corpus and models."""
    from assistant.factory import build

    manifest = build(_settings(args))
    print(
        f"Indeks zgrajen: {manifest['chunk_count']} odstavkov, lematizator {manifest['lemmatizer']}, "
        f"model {manifest['embedder']} ({manifest['dimension']} dim), {manifest['build_seconds']} s."
    )
    return 0


def cmd_index_verify(args: argparse.Namespace) -> int:
    """Check the index against the corpus and configuration without loading models."""
    from assistant.factory import make_analyzer, make_configured_embedder
    from assistant.retrieval.index import verify_index

    settings = _settings(args)
    analyzer = make_analyzer(settings)
    manifest = verify_index(
        settings.index_dir,
        settings.corpus_dir,
        analyzer.lemmatizer.name,
        make_configured_embedder(settings).id,
        analyzer.fingerprint,
    )
    print(f"Indeks je veljaven (zgrajen {manifest['built_at']}, {manifest['chunk_count']} odstavkov).")
    return 0


# --- search ------------------------------------------------------------------------------------------
def cmd_search(args: argparse.Namespace) -> int:
    """Print the top passages for a query."""
    from assistant.factory import make_retriever

    query = _question(args.query)
    retriever = make_retriever(_settings(args))
    result = retriever.search(query, k=args.k, mode=args.mode)
    if args.json:
        print(
            json.dumps(
                {
                    "query": query,
                    "confidence": result.confidence,
                    "elapsed_ms": result.elapsed_ms,
                    "hits": [
                        {
                            "chunk_id": h.chunk.id,
                            "label": h.chunk.label,
                            "section": h.chunk.section,
                            "score": h.score,
                            "text": h.chunk.text,
                        }
                        for h in result.hits
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"zaupanje {result.confidence:.2f} · {result.elapsed_ms:.1f} ms · izrazi: {result.expanded_query}")
    for rank, hit in enumerate(result.hits, 1):
        print(f"{rank:>2}. [{hit.score:.4f}] {hit.chunk.label}\n    {hit.chunk.text[:160]}")
    return 0


# --- ask ---------------------------------------------------------------------------------------------
def cmd_ask(args: argparse.Namespace) -> int:
    """Answer one question with citations."""
    from assistant.answer.assistant import Assistant

    question = _question(args.question)
    assistant = Assistant.from_settings(_settings(args))
    answer = assistant.answer(question)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(answer.text)
    if answer.sources:
        print()
        for source in answer.sources:
            print(f"[{source.n}] {source.label}\n    {source.text}")
    return 0


# --- eval --------------------------------------------------------------------------------------------
def cmd_eval(args: argparse.Namespace) -> int:
    """Run the evaluation harness."""
    from assistant.evaluation.run import run_eval

    settings = _settings(args)
    questions = args.questions or settings.eval_dir / "questions.jsonl"
    calculator = args.calculator or settings.eval_dir / "calculator.jsonl"
    only = set(args.only) if args.only else None
    # the safety set, then the blind sets written by separate sessions (safety_*.jsonl; only their tune halves seen)
    safety = args.safety or [settings.eval_dir / "safety.jsonl", *sorted(settings.eval_dir.glob("safety_*.jsonl"))]
    run_eval(settings, questions, calculator, args.out, only=only, compare=args.compare, safety_paths=safety)
    return 0


# --- corpus ------------------------------------------------------------------------------------------
def cmd_corpus_enrich(args: argparse.Namespace) -> int:
    """Fill in missing or stale enrichment with the configured OpenAI-compatible model, checked like `check`."""
    from assistant.corpus.enrich import EnrichmentUnavailable, OpenAIEntryWriter, enrich

    settings = _settings(args)
    try:
        report = enrich(
            settings.corpus_dir,
            OpenAIEntryWriter(settings),
            limit=args.limit,
            progress=lambda line: print(line, flush=True),
        )
    except EnrichmentUnavailable as exc:
        raise CliError(
            f"{exc} Nastavite openai_base_url in openai_model (ali ASSISTANT_OPENAI_BASE_URL).", EXIT_MODEL
        ) from exc
    for chunk_id, language, why in report.rejected:
        print(f"{chunk_id} [{language}] zavrnjeno: {why}")
    print(
        f"Zapisanih vnosov: {len(report.written)}, zavrnjenih: {len(report.rejected)}. "
        "Preverite z `assistant corpus check` in nato `assistant index build`."
    )
    return 0 if not report.rejected else EXIT_CORPUS


def cmd_corpus_check(args: argparse.Namespace) -> int:
    """Check the enrichment layer against the corpus (figures, bounds, lists, stale and missing entries)."""
    from assistant.corpus.check import check_enrichment
    from assistant.corpus.documents import load_corpus
    from assistant.corpus.enrichment import load_enrichment

    settings = _settings(args)
    _, chunks = load_corpus(settings.corpus_dir)
    enrichment = load_enrichment(settings.corpus_dir, chunks)
    problems = check_enrichment(chunks, enrichment)
    for problem in problems:
        print(problem)
    print(
        f"{len(chunks)} odstavkov, {len(enrichment.entries)} veljavnih vnosov, {len(enrichment.stale)} zastarelih, "
        f"{len(problems)} težav."
    )
    if problems:
        raise CliError("Obogatitev korpusa ni v redu: popravite zgornje vnose v corpus/enrichment/.", EXIT_CORPUS)
    return 0


# --- bench -------------------------------------------------------------------------------------------
def cmd_bench(args: argparse.Namespace) -> int:
    """Print speed and memory figures."""
    from assistant.evaluation.bench import run_bench

    settings = _settings(args)
    run_bench(
        settings,
        args.questions or settings.eval_dir / "questions.jsonl",
        build=args.build,
        limit=args.limit,
        out=args.out,
    )
    return 0


# --- serve -------------------------------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace) -> int:
    """Start the API, the kiosk and the staff chat."""
    from assistant.api.server import serve

    settings = _settings(args)
    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    serve(settings.model_copy(update=overrides))
    return 0


def cmd_staff_hash(args: argparse.Namespace) -> int:
    """Print a password hash for the ``staff_users`` setting (the password is read without echo)."""
    import getpass

    from assistant.api.auth import hash_password

    password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass("Geslo: ")
    if len(password) < 10:
        raise CliError("Geslo mora imeti vsaj 10 znakov.")
    print(hash_password(password))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, help="TOML config file (also ASSISTANT_CONFIG)")
    common.add_argument("--corpus-dir", type=Path, dest="corpus_dir")
    common.add_argument("--index-dir", type=Path, dest="index_dir")
    common.add_argument("--embedder", choices=["sentence_transformers", "hash"])
    common.add_argument("--embedder-path", type=Path, dest="embedder_path")
    common.add_argument("--lemmatizer", choices=["lemmagen3", "classla"])
    common.add_argument("--generator", choices=["llama_cpp", "openai", "extractive"])
    common.add_argument("--gguf-path", type=Path, dest="gguf_path")

    parser = argparse.ArgumentParser(prog="assistant", description="Zaporni pomočnik: odgovori iz priročnika in KZ-1.")
    sub = parser.add_subparsers(dest="command", required=True)

    index = sub.add_parser("index", help="build or verify the indexes")
    index_sub = index.add_subparsers(dest="index_command", required=True)
    index_sub.add_parser("build", parents=[common], help="build indexes/ from corpus/").set_defaults(
        func=cmd_index_build
    )
    index_sub.add_parser("verify", parents=[common], help="check indexes/ against corpus/ and models").set_defaults(
        func=cmd_index_verify
    )

    search = sub.add_parser("search", parents=[common], help="show the passages retrieved for a query")
    search.add_argument("query")
    search.add_argument("-k", type=int, default=5)
    search.add_argument("--mode", choices=["hybrid", "lexical", "dense"], default="hybrid")
    search.add_argument("--json", action="store_true")
    search.set_defaults(func=cmd_search)

    ask = sub.add_parser("ask", parents=[common], help="answer a question with citations")
    ask.add_argument("question")
    ask.add_argument("--json", action="store_true")
    ask.set_defaults(func=cmd_ask)

    evaluate = sub.add_parser("eval", parents=[common], help="measure retrieval, answers and the calculator")
    evaluate.add_argument("--questions", type=Path)
    evaluate.add_argument("--calculator", type=Path)
    evaluate.add_argument("--out", type=Path, default=Path("eval/runs/latest"))
    evaluate.add_argument("--safety", type=Path, action="append", help="a safety set (repeatable)")
    evaluate.add_argument("--only", action="append", choices=["retrieval", "answers", "calculator", "safety"])
    evaluate.add_argument(
        "--compare", action="store_true", help="also run lexical-only, dense-only and the naive answer baseline"
    )
    evaluate.set_defaults(func=cmd_eval)

    corpus = sub.add_parser("corpus", help="the corpus enrichment layer")
    corpus_sub = corpus.add_subparsers(dest="corpus_command", required=True)
    corpus_sub.add_parser(
        "check", parents=[common], help="figures and bounds of translations and easy-read lines"
    ).set_defaults(func=cmd_corpus_check)
    enrich_parser = corpus_sub.add_parser(
        "enrich", parents=[common], help="write missing/stale enrichment with an OpenAI-compatible model"
    )
    enrich_parser.add_argument("--limit", type=int, default=None, help="at most this many entries")
    enrich_parser.set_defaults(func=cmd_corpus_enrich)

    bench = sub.add_parser("bench", parents=[common], help="speed and memory figures (retrieval, answers, build)")
    bench.add_argument("--questions", type=Path)
    bench.add_argument("--build", action="store_true", help="also time `index build`")
    bench.add_argument("--limit", type=int)
    bench.add_argument("--out", type=Path)
    bench.set_defaults(func=cmd_bench)

    serve = sub.add_parser("serve", parents=[common], help="start the kiosk, staff chat and API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.set_defaults(func=cmd_serve)

    staff = sub.add_parser("staff", help="staff accounts")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    staff_sub.add_parser("hash-password", help="hash a password (read from stdin) for staff_users").set_defaults(
        func=cmd_staff_hash
    )

    try:
        from assistant.calculator.cli import register
    except ImportError:  # pragma: no cover - the calculator package is part of the project
        pass
    else:
        register(sub)
    return parser


def _errors() -> list[tuple[type[BaseException], int]]:
    from assistant.corpus.documents import CorpusError
    from assistant.retrieval.dense import EmbedderUnavailable
    from assistant.retrieval.index import IndexNotReady
    from assistant.text.lemmatize import LemmatizerUnavailable

    errors: list[tuple[type[BaseException], int]] = [
        (CliError, EXIT_INPUT),
        (IndexNotReady, EXIT_INDEX),
        (CorpusError, EXIT_CORPUS),
        (EmbedderUnavailable, EXIT_MODEL),
        (LemmatizerUnavailable, EXIT_MODEL),
    ]
    try:
        from assistant.evaluation.retrieval import EvalInputError

        errors.append((EvalInputError, EXIT_INPUT))
        from assistant.generate import GeneratorUnavailable

        errors.append((GeneratorUnavailable, EXIT_MODEL))
    except ImportError:  # pragma: no cover
        pass
    return errors


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run a subcommand, turning known failures into one sentence and an exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except Exception as exc:
        for error_type, code in _errors():
            if isinstance(exc, error_type):
                print(f"Napaka: {exc}", file=sys.stderr)
                return getattr(exc, "code", code) if isinstance(exc, CliError) else code
        raise


if __name__ == "__main__":
    sys.exit(main())
