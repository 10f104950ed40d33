"""Ingestion normalisation (noise repair without changing meaning), diacritic folding and slugs."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from assistant.text.normalize import (
    collapse_whitespace,
    fix_mixed_script,
    fold,
    normalize_source_text,
    slugify,
    strip_markdown,
)

CORPUS_DIR = Path(__file__).resolve().parents[2] / "corpus"
HANDBOOK = CORPUS_DIR / "prirocnik-zpkz-ig.md"
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_WORDS = re.compile(r"[^\W_]+")  # letters/digits, no underscore (so "a\_b" and "a_b" give the same words)


# --- mixed-script repair -----------------------------------------------------------------------------------
def test_cyrillic_lookalikes_inside_latin_word_are_repaired() -> None:
    assert fix_mixed_script("po osebнем načrtu") == "po osebnem načrtu"
    assert normalize_source_text("po osebнем načrtu") == "po osebnem načrtu"


def test_uppercase_cyrillic_lookalike_is_repaired() -> None:
    assert fix_mixed_script("ОBISK") == "OBISK"  # first letter is Cyrillic О


@pytest.mark.parametrize("word", ["Привет", "мама", "Кнежев", "нос"])
def test_wholly_cyrillic_word_stays(word: str) -> None:
    assert _CYRILLIC.search(word)
    assert fix_mixed_script(word) == word
    assert normalize_source_text(f"beseda {word} ostane") == f"beseda {word} ostane"


def test_only_the_mixed_word_changes_in_a_sentence() -> None:
    text = "Привет, obsojenka ima osebнi načrt in мама"
    assert fix_mixed_script(text) == "Привет, obsojenka ima osebni načrt in мама"


# --- whitespace and markdown escapes ------------------------------------------------------------------------
def test_nbsp_and_odd_spaces_become_plain_spaces() -> None:
    assert normalize_source_text("20\u00a0% plačila") == "20 % plačila"
    assert normalize_source_text("a\u202fb\u2009c\u2007d") == "a b c d"
    assert normalize_source_text("a\u00a0 b") == "a b"  # NBSP next to a space collapses too


def test_stray_double_spaces_collapse_inside_a_line() -> None:
    assert normalize_source_text("Obsojenka  ima   pravico") == "Obsojenka ima pravico"


def test_markdown_hard_break_trailing_spaces_are_removed() -> None:
    text = "Uprava Republike Slovenije  \nza izvrševanje kazenskih sankcij  \nGeneralni urad"
    assert normalize_source_text(text) == "Uprava Republike Slovenije\nza izvrševanje kazenskih sankcij\nGeneralni urad"


def test_paragraph_structure_and_indentation_are_kept() -> None:
    text = "Prvi odstavek.\n\n\nDrugi odstavek.\n\n    zamaknjena vrstica"
    assert normalize_source_text(text) == text


def test_line_endings_unified() -> None:
    assert normalize_source_text("a\r\nb\rc") == "a\nb\nc"


def test_zero_width_space_and_bom_removed() -> None:
    assert normalize_source_text("\ufeffobso\u200bjenka") == "obsojenka"


def test_nfc() -> None:
    decomposed = "c\u030cas"  # č as c + combining caron
    assert normalize_source_text(decomposed) == "čas"


def test_markdown_escapes_dropped() -> None:
    assert normalize_source_text(r"oškodovanca\_ev") == "oškodovanca_ev"
    assert normalize_source_text(r"\*zvezdica\* \[a\] \(b\) \#1") == "*zvezdica* [a] (b) #1"


def test_real_escape_in_handbook_is_dropped() -> None:
    raw = HANDBOOK.read_text(encoding="utf-8")
    assert r"oškodovanca\_ev" in raw
    normalised = normalize_source_text(raw)
    assert r"\_" not in normalised
    assert "oškodovanca_ev" in normalised


def test_normalisation_is_idempotent_on_the_handbook() -> None:
    once = normalize_source_text(HANDBOOK.read_text(encoding="utf-8"))
    assert normalize_source_text(once) == once


# --- normalisation does not change meaning ----------------------------------------------------------------
@pytest.mark.parametrize("name", ["prirocnik-zpkz-ig.md", "uiks-o-upravi.md"])
def test_normalisation_keeps_the_same_words_in_the_same_order(name: str) -> None:
    raw = (CORPUS_DIR / name).read_text(encoding="utf-8")
    normalised = normalize_source_text(raw)
    raw_words = _WORDS.findall(unicodedata.normalize("NFC", raw).replace("\u200b", ""))
    new_words = _WORDS.findall(normalised)
    assert len(raw_words) == len(new_words)
    changed = [(old, new) for old, new in zip(raw_words, new_words, strict=True) if old != new]
    for old, new in changed:  # the only allowed change is the mixed-script repair
        assert _CYRILLIC.search(old), (old, new)
        assert new == fix_mixed_script(old)
        assert not _CYRILLIC.search(new)
    if name == "prirocnik-zpkz-ig.md":
        assert ("osebнем", "osebnem") in changed
    # and nothing but whitespace differs apart from those words and dropped escapes
    expected = fix_mixed_script(unicodedata.normalize("NFC", raw)).replace("\\_", "_").replace("\u00a0", " ")
    assert collapse_whitespace(normalised) == collapse_whitespace(expected)


def test_normalisation_keeps_blank_line_paragraphs_of_the_handbook() -> None:
    raw = HANDBOOK.read_text(encoding="utf-8")
    normalised = normalize_source_text(raw)
    paragraphs = [p for p in re.split(r"\n\s*\n", raw) if p.strip()]
    assert len([p for p in re.split(r"\n\s*\n", normalised) if p.strip()]) == len(paragraphs)


# --- folding ----------------------------------------------------------------------------------------------
def test_fold_slovenian_and_bcs_diacritics() -> None:
    assert fold("če delam šolo ŽENSKA ćđ") == "ce delam solo zenska cd"
    assert fold("ČŠŽĆĐ") == "cszcd"
    assert fold("Ćevapčići Đurđa") == "cevapcici durda"


def test_fold_other_combining_marks_and_ascii() -> None:
    assert fold("Müller naïve café") == "muller naive cafe"
    assert fold("Obisk 2x") == "obisk 2x"


def test_fold_equates_diacritic_and_plain_spellings() -> None:
    assert fold("plača") == fold("placa") == fold("PLAČA")
    assert fold("prošnja") == fold("prosnja")


# --- slugs and markdown stripping --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Obiski", "obiski"),
        ("Naslov in kontakt:", "naslov-in-kontakt"),
        ("Prosti čas", "prosti-cas"),
        ("KZ-1 88. člen", "kz-1-88-clen"),
        ("  Č Š Ž ! ", "c-s-z"),
        (
            "Kako je zdravstvenim zavarovanjem in zdravstveno oskrbo?",
            "kako-je-zdravstvenim-zavarovanjem-in-zdr",
        ),
        ("", ""),
        ("***", ""),
    ],
)
def test_slugify_examples(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slugify_truncation_never_leaves_a_trailing_dash() -> None:
    assert slugify("a" * 39 + " bcd") == "a" * 39
    assert slugify("beseda " * 20, max_length=12) == "beseda-besed"
    for n in range(1, 60):
        slug = slugify("ab cd ef gh ij kl mn op qr st uv wx yz " * 3, max_length=n)
        assert len(slug) <= n
        assert not slug.endswith("-") and not slug.startswith("-")
        assert re.fullmatch(r"[a-z0-9-]*", slug)


def test_strip_markdown_keeps_visible_text() -> None:
    assert strip_markdown("**Obiski** in *paketi*") == "Obiski in paketi"
    assert strip_markdown("pošta: [zpkz-ig@gov.si](mailto:zpkz-ig@gov.si)") == "pošta: zpkz-ig@gov.si"
    assert strip_markdown("## Naslov\n\nbesedilo  z\npresledki") == "Naslov besedilo z presledki"


def test_serbian_cyrillic_is_folded_to_latin() -> None:
    assert fold("Колико посета могу да имам недељно?") == "koliko poseta mogu da imam nedeljno?"
    assert fold("ЂЖЋЧЏШ Љубав Њива") == "dzccdzs ljubav njiva"
