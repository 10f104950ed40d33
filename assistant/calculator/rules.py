"""Loader for ``rules.toml``: every legal figure the calculator uses, with the passage that states it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

RULES_PATH = Path(__file__).with_name("rules.toml")
_META_KEYS = frozenset({"title", "chunk_id", "quote"})


class RulesError(Exception):
    """``rules.toml`` is missing, malformed or lacks a figure the engine needs."""


@dataclass(frozen=True)
class Citation:
    """A rule used by a calculation and the corpus passage that states it."""

    rule_id: str
    chunk_id: str
    quote: str

    def to_dict(self) -> dict[str, str]:
        """Plain-JSON form."""
        return {"rule_id": self.rule_id, "chunk_id": self.chunk_id, "quote": self.quote}


@dataclass(frozen=True)
class Rule:
    """One rule: its id, title, source passage and parameters."""

    id: str
    title: str
    chunk_id: str
    quote: str
    params: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        try:
            return self.params[name]
        except KeyError as exc:
            raise RulesError(f"Pravilo {self.id} nima parametra {name}.") from exc

    @property
    def citation(self) -> Citation:
        """The citation of this rule."""
        return Citation(self.id, self.chunk_id, self.quote)


@dataclass(frozen=True)
class RuleBook:
    """All rules and the plausibility limits of ``rules.toml``."""

    rules: dict[str, Rule]
    limits: dict[str, Any]
    path: Path

    def __getitem__(self, rule_id: str) -> Rule:
        try:
            return self.rules[rule_id]
        except KeyError as exc:
            raise RulesError(f"V {self.path} ni pravila {rule_id}.") from exc

    def limit(self, name: str) -> Any:
        """A plausibility limit from the ``[limits]`` table."""
        try:
            return self.limits[name]
        except KeyError as exc:
            raise RulesError(f"V {self.path} ni meje {name}.") from exc

    def ids(self) -> list[str]:
        """All rule ids, in file order."""
        return list(self.rules)


def parse_rules(data: dict[str, Any], path: Path = RULES_PATH) -> RuleBook:
    """Build a :class:`RuleBook` from the decoded TOML document."""
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, dict) or not raw_rules:
        raise RulesError(f"{path}: manjka tabela [rules].")
    rules: dict[str, Rule] = {}
    for rule_id, table in raw_rules.items():
        missing = [key for key in ("title", "chunk_id", "quote") if not table.get(key)]
        if missing:
            raise RulesError(f"{path}: pravilu {rule_id} manjka {', '.join(missing)}.")
        params = {key: value for key, value in table.items() if key not in _META_KEYS}
        rules[rule_id] = Rule(rule_id, table["title"], table["chunk_id"], table["quote"], params)
    return RuleBook(rules=rules, limits=dict(data.get("limits", {})), path=path)


def load_rules(path: Path | None = None) -> RuleBook:
    """Read a rules file (default: the packaged ``rules.toml``)."""
    if path is None:
        return _default_rules()
    return _load(path)


def _load(path: Path) -> RuleBook:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RulesError(f"Datoteka s pravili {path} ne obstaja.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"Datoteka s pravili {path} ni veljaven TOML: {exc}") from exc
    return parse_rules(data, path)


@lru_cache(maxsize=1)
def _default_rules() -> RuleBook:
    return _load(RULES_PATH)
