"""The ``calc`` CLI hook and the evaluation runner."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from assistant.calculator.cli import main, register, run
from assistant.calculator.evaluate import run_calculator_eval
from tests.calculator.helpers import DEV_CASES


def test_cli_calculates_and_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["leave_days", "--param", "full_time_months=5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["outputs"]["leave_days"] == 10
    assert data["citations"][0]["chunk_id"] == "prirocnik-zpkz-ig:delo-v-zaporu:6"


def test_cli_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["early_release", "-p", "sentence_start_date=2024-01-15", "-p", "sentence_length_months=24"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("Razumem: začetek prestajanja kazni: 15. 1. 2024; dolžina kazni v mesecih: 24.\n")
    assert "earliest_possible_release_date: 14. 10. 2025" in out
    assert "[prirocnik-zpkz-ig:predcasni-odpust:1]" in out


def test_cli_bad_input_exits_2_with_one_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["packages", "--param", "regime=strogi"]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == "Neznan režim »strogi« – dovoljeni so le zaprti, polodprti in odprti režim."
    assert captured.out == ""
    assert main(["horoscope"]) == 2
    assert capsys.readouterr().err.startswith("Neznana vrsta izračuna »horoscope«.")
    assert main(["leave_days", "--param", "full_time_months"]) == 2
    assert capsys.readouterr().err.strip() == "Parameter »full_time_months« ni oblike ime=vrednost."
    assert main([]) == 2
    assert "assistant calc --list" in capsys.readouterr().err


def test_cli_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("leave_days – letni dopust za delo: full_time_months,")
    assert len(lines) == 12


def test_cli_question(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--question", "Delala sem 5 mesecev s polnim delovnim časom. Koliko dopusta imam?", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["result"]["outputs"]["leave_days"] == 10
    assert main(["--question", "Kdo so ožji družinski člani?"]) == 2


def test_register_adds_calc_to_a_main_parser(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="assistant")
    sub = parser.add_subparsers(dest="command")
    register(sub)
    args = parser.parse_args(["calc", "extra_meal", "--param", "daily_work_or_work_therapy_hours=4", "--json"])
    assert args.func is run
    assert args.func(args) == 0
    assert json.loads(capsys.readouterr().out)["outputs"] == {"extra_meal": True, "meals_per_day": 4}


@pytest.mark.skipif(not DEV_CASES.exists(), reason="eval/calculator.jsonl is absent")
def test_eval_meets_the_floors_and_writes_results(tmp_path: Path) -> None:
    metrics = run_calculator_eval(DEV_CASES, tmp_path)["calculator"]
    assert metrics["accuracy_structured"] == 1.0
    assert metrics["invalid_rejected"] == 1.0
    assert metrics["invalid_rejected_count"] == metrics["invalid_n"] > 0
    assert metrics["accuracy_nl"] >= 0.9
    assert sum(k["n"] for k in metrics["by_kind"].values()) == metrics["n"]
    rows = [json.loads(line) for line in (tmp_path / "calculator_results.jsonl").read_text().splitlines()]
    assert len(rows) == metrics["n"]
    for row in rows:
        assert set(row) == {"id", "kind", "structured", "nl", "pass_structured", "pass_nl"}
        assert set(row["nl"]) & {"outputs", "error", "missing", "not_routed"}


def test_eval_scores_wrong_numbers_as_failures(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    lines = [
        {
            "id": "x1",
            "kind": "leave_days",
            "question": "Delala sem 5 mesecev s polnim delovnim časom.",
            "inputs": {"full_time_months": 5},
            "expected": {"leave_days": 11},
        },
        {
            "id": "x2",
            "kind": "leave_days",
            "question": "Delala sem -1 mesec. Koliko dopusta?",
            "inputs": {"full_time_months": -1},
            "expected": {"error": "negativno"},
        },
        {
            "id": "x3",
            "kind": "extra_meal",
            "question": "Kaj je za kosilo?",
            "inputs": {"daily_work_or_work_therapy_hours": 2},
            "expected": {"extra_meal": False, "meals_per_day": 3},
        },
    ]
    cases.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    metrics = run_calculator_eval(cases, None)["calculator"]
    assert metrics["accuracy_structured"] == round(2 / 3, 4)
    assert metrics["accuracy_nl"] == round(1 / 3, 4)
    assert (metrics["invalid_rejected"], metrics["invalid_n"]) == (1.0, 1)
