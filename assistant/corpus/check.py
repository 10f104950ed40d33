"""``assistant corpus check``: every translation and easy-read line keeps the figures and bounds of its source.

For each chunk and each enrichment language: every number of the source (digits or number words, phone numbers,
dates, article numbers, fractions) appears in the translation and in the easy-read line, with the same bound
(najmanj/vsaj → at least, največ/do → at most/up to, manj kot/več kot); nothing numeric is added; a translation
keeps the source's list separators; every chunk has an entry in every language; stale entries are reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.corpus.enrichment import ENRICHMENT_LANGUAGES, Enrichment, Entry
from assistant.text.numbers import quantities
from assistant.types import Chunk

# number words that are as often an article or pronoun ("ena od", "one of") as a figure: not required
_AMBIGUOUS_ONES = {"ena", "eno", "enega", "eni", "enem", "enim", "one", "jedan", "jedna", "jedno"}


@dataclass(frozen=True)
class Problem:
    """One finding: the chunk, the language and field, and what is wrong."""

    chunk_id: str
    where: str  # e.g. "en.text", "hr.easy", "sl", "stale"
    message: str

    def __str__(self) -> str:
        return f"{self.chunk_id} [{self.where}] {self.message}"


def _is_range(text: str, start: int) -> bool:
    """Is the number at ``start`` the end of a range ("od leta 2017 do leta 2020", "osmega do trinajstega
    odstavka"), not an upper bound?"""
    before = text[max(0, start - 30) : start].lower()
    if " od " in f" {before}":
        return True
    previous = [q for q in quantities(text) if q.start < start]
    return bool(previous) and text[previous[-1].start : start].lower().split()[1:] == ["do"]


def figure_problems(source: str, target: str, list_separators: bool) -> list[str]:
    """How ``target`` fails to keep the figures and bounds of ``source`` (empty when it keeps them)."""
    found: list[str] = []
    src, tgt = quantities(source), quantities(target)
    tgt_values = {q.value for q in tgt}
    src_values = {q.value for q in src}
    for q in src:
        if q.text.lower() in _AMBIGUOUS_ONES:
            continue
        if q.value not in tgt_values:
            found.append(f"manjka število {q.text!r} ({q.value})")
        elif (
            q.bound
            and not _is_range(source, q.start)
            and not any(t.value == q.value and t.bound == q.bound for t in tgt)
        ):
            found.append(f"število {q.value} je izgubilo mejo ({q.bound})")
    for t in tgt:
        if t.value not in src_values and t.text.lower() not in _AMBIGUOUS_ONES:
            found.append(f"dodano število {t.text!r} ({t.value}), ki ga vir ne navaja")
    if list_separators and source.count(";") != target.count(";"):
        found.append(f"seznam: v viru {source.count(';')} ločil ';', tu {target.count(';')}")
    return found


def entry_problems(chunk: Chunk, entry: Entry) -> list[Problem]:
    """Figure, bound, list and completeness problems of one entry."""
    problems: list[Problem] = []
    fields = [("easy", entry.easy, False)]
    if entry.language != "sl":
        fields.insert(0, ("text", entry.text, True))
        if not entry.heading.strip():
            problems.append(Problem(chunk.id, f"{entry.language}.heading", "manjka naslov"))
    for name, text, separators in fields:
        if not text.strip():
            problems.append(Problem(chunk.id, f"{entry.language}.{name}", "prazno"))
            continue
        problems.extend(
            Problem(chunk.id, f"{entry.language}.{name}", message)
            for message in figure_problems(chunk.text, text, separators)
        )
    if not entry.questions:
        problems.append(Problem(chunk.id, f"{entry.language}.questions", "ni vprašanj"))
    return problems


def check_enrichment(chunks: list[Chunk], enrichment: Enrichment) -> list[Problem]:
    """Every problem of the enrichment layer for ``chunks`` (empty list: all is well)."""
    problems: list[Problem] = []
    for entry in enrichment.stale:
        problems.append(
            Problem(
                entry.chunk_id,
                f"{entry.language}.stale",
                "vir se je spremenil (zastarel vnos, ne prikazuje se): prevod in povzetek napišite znova",
            )
        )
    for entry in enrichment.unknown:
        problems.append(Problem(entry.chunk_id, f"{entry.language}.unknown", "korpus nima tega odstavka"))
    for chunk in chunks:
        for language in ENRICHMENT_LANGUAGES:
            current = enrichment.get(chunk.id, language)
            if current is None:
                if all(s.chunk_id != chunk.id or s.language != language for s in enrichment.stale):
                    problems.append(Problem(chunk.id, language, "ni obogatitve (prevod, lahko branje, vprašanja)"))
                continue
            problems.extend(entry_problems(chunk, current))
    return problems
