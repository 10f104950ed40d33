"""``assistant calc``: run a calculation from the command line.

    assistant calc --list
    assistant calc leave_days --param full_time_months=5
    assistant calc early_release -p sentence_start_date=2024-01-15 -p sentence_length_months=24 --json
    assistant calc --question "Delala sem 5 mesecev s polnim delovnim časom. Koliko dopusta imam?"

The main CLI calls :func:`register` with its sub-parsers and dispatches to :func:`run` (also set as the
parser's ``func`` default). Exit code 0 on success, 2 with one clear Slovenian sentence on stderr for bad
input.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .schemas import CalculatorInputError
from .service import Calculator, format_value


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``calc`` sub-command to an argparse sub-parsers object and return its parser."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "calc",
        help="izračun osebnih podatkov (dopust, datumi, paketi, prihranek …)",
        description="Deterministični izračun: dnevi dopusta, datumi odpusta, paketi, prihranek in drugo.",
    )
    add_arguments(parser)
    parser.set_defaults(func=run)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``calc`` (also used by the stand-alone entry point)."""
    parser.add_argument("kind", nargs="?", help="vrsta izračuna, npr. leave_days (seznam: --list)")
    parser.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="IME=VREDNOST",
        help="vhodni podatek; ponovite za vsakega (vrednost je JSON ali besedilo)",
    )
    parser.add_argument("--json", action="store_true", help="izpiši rezultat kot JSON")
    parser.add_argument("--list", action="store_true", help="izpiši vrste izračunov in njihove vhodne podatke")
    parser.add_argument("--question", "-q", help="vprašanje v naravnem jeziku namesto --param")


def _parse_params(items: list[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in items:
        if "=" not in item:
            raise CalculatorInputError(None, f"Parameter »{item}« ni oblike ime=vrednost.")
        name, raw = item.split("=", 1)
        name = name.strip()
        if not name:
            raise CalculatorInputError(None, f"Parameter »{item}« nima imena.")
        try:
            value: Any = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        params[name] = value
    return params


def _print_list(calculator: Calculator, as_json: bool) -> None:
    if as_json:
        data = {kind: calculator.input_schema(kind) for kind in calculator.kinds()}
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for kind in calculator.kinds():
        fields = ", ".join(calculator.input_schema(kind).get("properties", {}))
        print(f"{kind} – {calculator.title(kind)}: {fields}")


def _print_result(result: dict[str, Any]) -> None:
    print(result["understood"])
    print(result["summary"])
    print("Izračun:")
    for step in result["steps"]:
        print(f"  – {step}")
    print("Rezultat:")
    for name, value in result["outputs"].items():
        print(f"  {name}: {format_value(name, value)}")
    if result.get("notes"):
        print("Opombe:")
        for note in result["notes"]:
            print(f"  – {note}")
    print("Viri:")
    for citation in result["citations"]:
        print(f"  [{citation['chunk_id']}] »{citation['quote']}«")


def run(args: argparse.Namespace) -> int:
    """Execute ``calc`` for parsed arguments; return the exit code."""
    calculator = Calculator()
    as_json = bool(getattr(args, "json", False))
    if getattr(args, "list", False):
        _print_list(calculator, as_json)
        return 0
    question = getattr(args, "question", None)
    try:
        if question:
            route = calculator.route(question)
            if route is None:
                print(
                    "To ni vprašanje za izračun z osebnimi podatki; vprašajte v običajnem pogovoru.",
                    file=sys.stderr,
                )
                return 2
            if as_json:
                print(json.dumps(route.to_dict(), ensure_ascii=False, indent=2))
            elif route.result is not None:
                _print_result(route.result.to_dict())
            else:
                print(route.text)
            return 0 if route.error is None else 2
        kind = getattr(args, "kind", None)
        if not kind:
            print("Navedite vrsto izračuna (seznam: assistant calc --list).", file=sys.stderr)
            return 2
        result = calculator.calculate(kind, _parse_params(getattr(args, "param", []) or []))
    except CalculatorInputError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        _print_result(result.to_dict())
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: ``python -m assistant.calculator.cli KIND --param …``."""
    parser = argparse.ArgumentParser(prog="assistant calc", description="Deterministični izračun osebnih podatkov.")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
