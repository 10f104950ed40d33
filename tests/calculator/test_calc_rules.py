"""rules.toml: every rule cites an existing corpus passage verbatim, and figures are data, not code."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from assistant.calculator import Calculator, RulesError, load_rules
from assistant.calculator.rules import RULES_PATH, parse_rules


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def test_every_rule_has_id_chunk_and_quote() -> None:
    rules = load_rules()
    assert len(rules.ids()) >= 30
    for rule in rules.rules.values():
        assert rule.title and rule.quote
        assert re.fullmatch(r"(prirocnik-zpkz-ig:[a-z0-9-]{1,40}|kz1:[0-9.a]+):\d+", rule.chunk_id), rule.chunk_id


def test_every_rule_quote_occurs_in_its_corpus_chunk() -> None:
    corpus = pytest.importorskip("assistant.corpus.documents")
    from assistant.config import Settings

    _, chunks = corpus.load_corpus(Settings().corpus_dir)
    by_id = {chunk.id: chunk for chunk in chunks}
    for rule in load_rules().rules.values():
        assert rule.chunk_id in by_id, f"{rule.id}: chunk {rule.chunk_id} does not exist"
        assert _norm(rule.quote) in _norm(by_id[rule.chunk_id].text), f"{rule.id}: quote not in {rule.chunk_id}"


def test_the_chunks_cited_are_the_rule_sections() -> None:
    corpus = pytest.importorskip("assistant.corpus.documents")
    from assistant.config import Settings

    _, chunks = corpus.load_corpus(Settings().corpus_dir)
    sections = {chunk.id: chunk.section for chunk in chunks}
    rules = load_rules()
    assert sections[rules["leave_days_per_month"].chunk_id] == "Delo v zaporu"
    assert sections[rules["visits_supervised_max"].chunk_id] == "Obiski"
    assert sections[rules["close_family_definition"].chunk_id] == "Dopisovanje"
    assert sections[rules["parole_half"].chunk_id] == "KZ-1 88. člen"
    assert sections[rules["pripor_credited"].chunk_id] == "KZ-1 56. člen"


def test_changing_a_figure_in_rules_toml_changes_the_result(tmp_path: Path) -> None:
    changed = tmp_path / "rules.toml"
    shutil.copy(RULES_PATH, changed)
    text = changed.read_text(encoding="utf-8")
    text = text.replace("days_per_month = 2\n", "days_per_month = 3\n", 1)
    text = text.replace("max_days = 30\n", "max_days = 25\n", 1)
    changed.write_text(text, encoding="utf-8")
    calc = Calculator(rules_path=changed)
    assert calc.calculate("leave_days", {"full_time_months": 5}).outputs["leave_days"] == 15
    pripor = calc.calculate(
        "leave_days", {"started_sentence_from_pripor": True, "leave_days_computed_for_pripor_work": 28}
    )
    assert pripor.outputs["leave_days_allowed_in_year_sentence_started"] == 25
    assert Calculator().calculate("leave_days", {"full_time_months": 5}).outputs["leave_days"] == 10


def test_a_rule_without_a_quote_is_rejected() -> None:
    with pytest.raises(RulesError, match="quote"):
        parse_rules({"rules": {"x": {"title": "X", "chunk_id": "kz1:88:1", "value": 1}}})


def test_missing_rules_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="ne obstaja"):
        load_rules(tmp_path / "none.toml")


def test_results_cite_rule_chunks_and_quotes(calc: Calculator) -> None:
    result = calc.calculate("leave_days", {"full_time_months": 5})
    assert [c.to_dict() for c in result.citations] == [
        {
            "rule_id": "leave_days_per_month",
            "chunk_id": "prirocnik-zpkz-ig:delo-v-zaporu:6",
            "quote": "ima za vsak mesec dela s polnim delovnim časom pravico do dveh dni letnega dopusta",
        }
    ]
    parole = calc.calculate("parole_eligibility", {"sentence_start_date": "2025-03-15", "sentence_length_months": 36})
    assert {"kz1:88:1", "kz1:88:6"} <= {c.chunk_id for c in parole.citations}
