"""The chunker on the real corpus: sections, offsets, joined paragraphs, statute paragraphs, stable ids."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from assistant.corpus.chunking import chunk_documents
from assistant.corpus.documents import load_corpus
from assistant.text.normalize import collapse_whitespace, normalize_source_text, strip_markdown
from assistant.types import Chunk, Document

CORPUS_DIR = Path(__file__).resolve().parents[2] / "corpus"
HANDBOOK = CORPUS_DIR / "prirocnik-zpkz-ig.md"
HANDBOOK_ID = "prirocnik-zpkz-ig"
PAGE_ID = "uiks-o-upravi"
TITLE = "PRIROČNIK ZA OBSOJENE OSEBE OB NASTOPU KAZNI ZAPORA"
NAVIGATION = (
    "Skoči do osrednje vsebine",
    "Slovenijo prizadela najhujša ujma doslej",
    "Ukrepi države za pomoč po poplavah",
    "Vodstvo",
    "Strategija",
    "Strategije in programi",
    "Organizacijske enote uprave",
    "Letna poročila",
)


def raw_headings() -> list[str]:
    """Every markdown heading of the handbook, computed from the raw file without the chunker's code."""
    headings = []
    for line in HANDBOOK.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            headings.append(" ".join(line.lstrip("#").replace("*", "").split()))
    return headings


def by_doc(chunks: list[Chunk], doc_id: str) -> list[Chunk]:
    return [chunk for chunk in chunks if chunk.doc_id == doc_id]


def docs_by_id(documents: list[Document]) -> dict[str, Document]:
    return {doc.id: doc for doc in documents}


# --- sections -------------------------------------------------------------------------------------------
def test_the_handbook_has_the_expected_number_of_headings() -> None:
    headings = raw_headings()
    assert len(headings) == 31
    assert headings[0] == TITLE


def test_every_heading_is_the_section_of_a_chunk(real_corpus) -> None:
    sections = {chunk.section for chunk in by_doc(real_corpus[1], HANDBOOK_ID)}
    missing = [heading for heading in raw_headings() if heading not in sections]
    assert not missing


def test_sections_appear_in_handbook_order(real_corpus) -> None:
    sections = list(dict.fromkeys(chunk.section for chunk in by_doc(real_corpus[1], HANDBOOK_ID)))
    assert sections[0] == "Priročnik ZPKZ Ig"  # the address block before the first heading
    assert sections[1:] == raw_headings()


@pytest.mark.parametrize(
    "section",
    [
        "Obiski",
        "Pogojni odpust",
        "Naslov in kontakt:",
        "Kako je zdravstvenim zavarovanjem in zdravstveno oskrbo?",
        "Kaj s predmeti in denarjem, ki jih obsojenka prinese na prestajanje kazni? Kaj je dovoljeno?",
        "Ukrepi, ki se smejo uporabiti za zagotovitev varnosti, reda in discipline",
        "Prosti čas",
        TITLE,
    ],
)
def test_named_sections_exist(real_corpus, section: str) -> None:
    assert any(chunk.section == section for chunk in real_corpus[1])


def test_bold_paragraph_is_a_subheading_of_naslov_in_kontakt(real_corpus) -> None:
    chunks = [c for c in real_corpus[1] if c.section == "Naslov in kontakt:"]
    subheading = "Predpisi, ki urejajo izvrševanje kazenskih sankcij"
    assert [c.paragraph for c in chunks] == [1, 2, 3, 4]
    # the contact lines precede the bold line; everything after it sits under it
    assert chunks[0].heading_path == (TITLE, "Naslov in kontakt:")
    for chunk in chunks[1:]:
        assert chunk.heading_path == (TITLE, "Naslov in kontakt:", subheading)
    # a bold-only line is a heading, never a chunk of its own
    assert not any(c.text == subheading for c in real_corpus[1])
    assert chunks[1].text.startswith("Temeljne določbe o izvrševanju kazenskih sankcij")


def test_contact_lines_ending_with_commas_are_one_chunk(real_corpus) -> None:
    first = next(c for c in real_corpus[1] if c.section == "Naslov in kontakt:")
    assert first.text == (
        "Zavod za prestajanje kazni zapora Ig, Na Grad 25, 1292 Ig pri Ljubljani, "
        "telefon: 01 420 19 11, elektronska pošta: zpkz-ig@gov.si"
    )


def test_heading_path_starts_with_the_title_after_the_first_heading(real_corpus) -> None:
    chunks = by_doc(real_corpus[1], HANDBOOK_ID)
    for chunk in chunks:
        if chunk.section == "Priročnik ZPKZ Ig":
            assert chunk.heading_path == ("Priročnik ZPKZ Ig",)
        elif chunk.section == TITLE:
            assert chunk.heading_path == (TITLE,)
        else:
            assert chunk.heading_path[:2] == (TITLE, chunk.section)


# --- offsets --------------------------------------------------------------------------------------------
def test_handbook_and_page_offsets_point_at_the_chunk_text(real_corpus) -> None:
    documents = docs_by_id(real_corpus[0])
    checked = 0
    for chunk in real_corpus[1]:
        if chunk.kind == "statute":
            continue
        doc = documents[chunk.doc_id]
        assert 0 <= chunk.start < chunk.end <= len(doc.text)
        assert strip_markdown(doc.text[chunk.start : chunk.end]) == chunk.text, chunk.id
        assert not doc.text[chunk.start].isspace() and not doc.text[chunk.end - 1].isspace()
        checked += 1
    assert checked > 100


def test_statute_offsets_point_at_the_chunk_text(real_corpus) -> None:
    documents = docs_by_id(real_corpus[0])
    statute = [c for c in real_corpus[1] if c.kind == "statute"]
    assert statute
    for chunk in statute:
        doc = documents[chunk.doc_id]
        assert collapse_whitespace(doc.text[chunk.start : chunk.end]) == chunk.text, chunk.id


def test_handbook_chunks_do_not_overlap_and_are_in_document_order(real_corpus) -> None:
    for doc_id in (HANDBOOK_ID, PAGE_ID, "kz1"):
        chunks = by_doc(real_corpus[1], doc_id)
        for before, after in zip(chunks, chunks[1:], strict=False):
            assert before.end <= after.start, (before.id, after.id)


def test_no_handbook_text_is_lost(real_corpus) -> None:
    """Every paragraph of the handbook that is not a heading ends up inside some chunk."""
    doc = docs_by_id(real_corpus[0])[HANDBOOK_ID]
    chunk_texts = [c.text for c in by_doc(real_corpus[1], HANDBOOK_ID)]
    headings = set(raw_headings())
    for block in re.split(r"\n\s*\n", doc.text):
        text = strip_markdown(block)
        if (
            not text
            or text in headings
            or text in ("Predpisi, ki urejajo izvrševanje kazenskih sankcij", "Pripravila:")
        ):
            continue
        assert any(text in chunk for chunk in chunk_texts), text[:80]


def test_chunk_text_is_clean(real_corpus) -> None:
    for chunk in real_corpus[1]:
        assert chunk.text and chunk.text == collapse_whitespace(chunk.text)
        assert "*" not in chunk.text and "](" not in chunk.text, chunk.id
        assert "\\_" not in chunk.text


# --- paragraphs broken by extraction ---------------------------------------------------------------------
def test_paragraph_broken_after_mesecne_is_one_chunk(real_corpus) -> None:
    matching = [c for c in real_corpus[1] if "mesečne" in c.text and "denarne socialne pomoči" in c.text]
    assert len(matching) == 1
    chunk = matching[0]
    assert "treh zneskov mesečne denarne socialne pomoči, določene po predpisih" in chunk.text
    assert chunk.text.startswith("Obsojenka mora skladno z zakonom 20 % plačila")
    assert chunk.text.endswith("ki ga dobi za nagrado.")
    assert chunk.section == "Delo v zaporu"
    assert not any(c.text.startswith("denarne socialne pomoči") for c in real_corpus[1])


def test_paragraph_broken_after_stalnost_in_is_one_chunk(real_corpus) -> None:
    matching = [c for c in real_corpus[1] if "stalnost in" in c.text]
    assert len(matching) == 1
    chunk = matching[0]
    assert "se upošteva stalnost in prizadevnost pri delu." in chunk.text
    assert chunk.text.startswith("Obsojenka, ki med prestajanjem kazni zapora dela")
    assert chunk.text.endswith("ko je nastopila kazen zapora.")
    assert not any(c.text.startswith("prizadevnost") for c in real_corpus[1])


# --- statute ---------------------------------------------------------------------------------------------
def kz1_articles() -> list[dict]:
    return json.loads((CORPUS_DIR / "kz1.json").read_text(encoding="utf-8"))["articles"]


def test_one_statute_chunk_per_article_paragraph(real_corpus) -> None:
    chunks = [c for c in real_corpus[1] if c.doc_id == "kz1"]
    per_article: dict[str, list[int]] = defaultdict(list)
    for chunk in chunks:
        per_article[chunk.id.split(":")[1]].append(chunk.paragraph)
    for article in kz1_articles():
        numbers = [int(m) for m in re.findall(r"(?m)^\((\d+)\)\s", article["text"])]
        expected = numbers or [1]
        assert per_article[article["article"]] == expected, article["article"]
    assert set(per_article) == {a["article"] for a in kz1_articles()}


def test_kz1_88_2(real_corpus) -> None:
    chunk = next(c for c in real_corpus[1] if c.id == "kz1:88:2")
    assert chunk.section == "KZ-1 88. člen"
    assert chunk.label == "KZ-1, 88. člen, 2. odstavek"
    assert chunk.kind == "statute"
    assert chunk.paragraph == 2
    assert chunk.heading_path == ("KZ-1", "88. člen (Pogojni odpust)")
    assert chunk.text.startswith("(2) Obsojenec, ki mu je sodišče izreklo kazen nad petnajst let zapora")
    assert chunk.text.endswith("ko je prestal tri četrtine kazni.")
    assert len([c for c in real_corpus[1] if c.section == "KZ-1 88. člen"]) == 9


def test_statute_list_items_stay_in_their_paragraph(real_corpus) -> None:
    chunk = next(c for c in real_corpus[1] if c.id == "kz1:88:8")
    assert chunk.text.startswith("(8) Obsojencu, ki je pogojno odpuščen")
    assert "1) zdravljenje v ustreznem zdravstvenem zavodu" in chunk.text
    assert chunk.text.endswith("8) prepoved dostopa na posamezne kraje.")


def test_unnumbered_article_is_one_chunk_without_paragraph_in_label(real_corpus) -> None:
    chunks = [c for c in real_corpus[1] if c.section == "KZ-1 43. člen"]
    assert len(chunks) == 1
    assert chunks[0].id == "kz1:43:1"
    assert chunks[0].label == "KZ-1, 43. člen"
    assert "- zapor;" in chunks[0].text  # its list items are part of it


def test_lettered_article_citation_format(real_corpus) -> None:
    chunk = next(c for c in real_corpus[1] if c.id == "kz1:45.a:1")
    assert chunk.section == "KZ-1 45.a člen"
    assert chunk.label == "KZ-1, 45.a člen"


# --- labels and ids --------------------------------------------------------------------------------------
def test_handbook_label_format(real_corpus) -> None:
    chunk = next(c for c in real_corpus[1] if c.section == "Obiski" and c.paragraph == 3)
    assert chunk.label == "Priročnik ZPKZ Ig › Obiski, odst. 3"
    assert chunk.id == "prirocnik-zpkz-ig:obiski:3"
    page = next(c for c in real_corpus[1] if c.doc_id == PAGE_ID)
    assert page.label == "Spletna stran URSIKS › O Upravi za izvrševanje kazenskih sankcij, odst. 1"


def test_paragraphs_are_numbered_from_one_per_section(real_corpus) -> None:
    numbers: dict[tuple[str, str], list[int]] = defaultdict(list)
    for chunk in real_corpus[1]:
        numbers[(chunk.doc_id, chunk.section)].append(chunk.paragraph)
    for key, values in numbers.items():
        if key[0] == "kz1" and values == [1]:
            continue
        assert values == list(range(1, len(values) + 1)), key


def test_ids_are_unique_and_order_is_sequential(real_corpus) -> None:
    chunks = real_corpus[1]
    assert not [i for i, n in Counter(c.id for c in chunks).items() if n > 1]
    assert [c.order for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert re.fullmatch(r"[a-z0-9-]+:[a-z0-9.-]+:\d+", chunk.id), chunk.id
        assert chunk.id.endswith(f":{chunk.paragraph}")


def test_ids_are_stable_across_loads(real_corpus) -> None:
    _, again = load_corpus(CORPUS_DIR)
    assert [c.to_dict() for c in again] == [c.to_dict() for c in real_corpus[1]]


def test_chunk_round_trips_through_dict(real_corpus) -> None:
    for chunk in real_corpus[1][:20]:
        assert Chunk.from_dict(json.loads(json.dumps(chunk.to_dict()))) == chunk


def _insert_after_section(text: str, heading_line: str, next_heading_line: str, paragraph: str) -> str:
    start = text.index(heading_line)
    end = text.index(next_heading_line, start)
    return text[:end] + paragraph + "\n\n" + text[end:]


def test_adding_a_paragraph_does_not_change_ids_of_other_sections(real_corpus, corpus_copy: Path) -> None:
    handbook = corpus_copy / "prirocnik-zpkz-ig.md"
    text = handbook.read_text(encoding="utf-8")
    handbook.write_text(
        _insert_after_section(
            text,
            "## **Obiski**",
            "## **Paketi**",
            "Obiski trajajo najmanj eno uro, kar je dodan testni odstavek.",
        ),
        encoding="utf-8",
    )
    _, new_chunks = load_corpus(corpus_copy)
    old = {c.id: c.text for c in real_corpus[1]}
    new = {c.id: c.text for c in new_chunks}
    assert set(new) - set(old) == {"prirocnik-zpkz-ig:obiski:8"}
    assert new["prirocnik-zpkz-ig:obiski:8"] == "Obiski trajajo najmanj eno uro, kar je dodan testni odstavek."
    for chunk_id, chunk_text in old.items():
        assert new[chunk_id] == chunk_text, chunk_id


def test_inserting_a_paragraph_only_renumbers_its_own_section(real_corpus, corpus_copy: Path) -> None:
    handbook = corpus_copy / "prirocnik-zpkz-ig.md"
    text = handbook.read_text(encoding="utf-8")
    marker = "## **Obiski**\n\n"
    handbook.write_text(text.replace(marker, marker + "Nov prvi odstavek o obiskih.\n\n"), encoding="utf-8")
    _, new_chunks = load_corpus(corpus_copy)
    old = {c.id: c for c in real_corpus[1]}
    new = {c.id: c for c in new_chunks}
    for chunk_id, chunk in old.items():
        if chunk.section != "Obiski":
            assert new[chunk_id].text == chunk.text, chunk_id
    assert new["prirocnik-zpkz-ig:obiski:1"].text == "Nov prvi odstavek o obiskih."
    assert new["prirocnik-zpkz-ig:obiski:2"].text == old["prirocnik-zpkz-ig:obiski:1"].text


# --- agency page -----------------------------------------------------------------------------------------
def test_page_navigation_lines_are_not_chunks(real_corpus) -> None:
    page = by_doc(real_corpus[1], PAGE_ID)
    assert len(page) == 5
    for chunk in page:
        assert chunk.text not in NAVIGATION
        assert not chunk.text.startswith("Skoči do")
        assert chunk.section == "O Upravi za izvrševanje kazenskih sankcij"
    assert page[0].text.startswith("Osnovno poslanstvo Uprave")


def test_no_page_chunk_contains_a_navigation_line(real_corpus) -> None:
    for chunk in by_doc(real_corpus[1], PAGE_ID):
        for line in NAVIGATION:
            assert not chunk.text.endswith(line), (chunk.id, line)


# --- synthetic documents ---------------------------------------------------------------------------------
def _doc(text: str, kind: str = "handbook", doc_id: str = "test") -> Document:
    return Document(
        id=doc_id,
        title="Testni dokument",
        short_title="Test",
        kind=kind,  # type: ignore[arg-type]
        file="test.md",
        source_url="https://example.org",
        version_date="2024-01-01",
        provenance="test",
        text=normalize_source_text(text),
    )


def test_synthetic_handbook_structure() -> None:
    text = (
        "# Naslov\n\nUvod.\n\n## Prvi del\n\nOdstavek ena se konča z vejico,\n\nnadaljuje se tukaj.\n\n"
        "Drugi odstavek.\n\n**Podnaslov**\n\nTretji odstavek ima [povezavo](https://x.si).\n\n"
        "## Prvi del\n\nIsto ime, drug razdelek.\n"
    )
    chunks = chunk_documents([_doc(text)])
    assert [(c.id, c.section, c.text) for c in chunks] == [
        ("test:naslov:1", "Naslov", "Uvod."),
        ("test:prvi-del:1", "Prvi del", "Odstavek ena se konča z vejico, nadaljuje se tukaj."),
        ("test:prvi-del:2", "Prvi del", "Drugi odstavek."),
        ("test:prvi-del:3", "Prvi del", "Tretji odstavek ima povezavo."),
        ("test:prvi-del-2:1", "Prvi del", "Isto ime, drug razdelek."),
    ]
    assert chunks[3].heading_path == ("Naslov", "Prvi del", "Podnaslov")
    assert chunks[0].heading_path == ("Naslov",)
    assert chunks[0].label == "Test › Naslov, odst. 1"


def test_sentence_end_then_lowercase_is_not_joined() -> None:
    chunks = chunk_documents([_doc("## A\n\nKonec stavka.\n\nnova misel z malo.\n")])
    assert [c.text for c in chunks] == ["Konec stavka.", "nova misel z malo."]


def test_no_punctuation_then_uppercase_is_not_joined() -> None:
    chunks = chunk_documents([_doc("## A\n\nNaslovna vrstica brez pike\n\nNov odstavek.\n")])
    assert len(chunks) == 2


def test_synthetic_page_drops_short_unpunctuated_blocks() -> None:
    text = (
        "Domov\n\nIskanje po strani\n\nTo je vsebinski odstavek strani, ki ima dovolj besed in piko.\n\n"
        "Kratko, a s piko.\n\nNoga strani\n"
    )
    chunks = chunk_documents([_doc(text, kind="page")])
    assert [c.text for c in chunks] == [
        "To je vsebinski odstavek strani, ki ima dovolj besed in piko.",
        "Kratko, a s piko.",
    ]
    assert all(c.section == "Testni dokument" for c in chunks)


def test_synthetic_statute(tmp_path: Path) -> None:
    """Through the corpus loader (JSON → text → chunks), so the test does not depend on the rendering."""
    (tmp_path / "manifest.toml").write_text(
        '[[documents]]\nid = "zak"\ntitle = "Testni zakon"\nshort_title = "TZ"\nkind = "statute"\n'
        'file = "zak.json"\nsource_url = "https://example.org"\nversion_date = "2024-01-01"\n'
        'provenance = "test"\n',
        encoding="utf-8",
    )
    articles = [
        {"article": "1", "title": "(Prvi)", "text": "(1) Prvi odstavek.\n(2) Drugi odstavek:\n- alineja;"},
        {"article": "2.a", "title": "(Vrinjen)", "text": "Brez odstavkov."},
        {"article": "3", "text": "(1) Brez naslova."},
    ]
    (tmp_path / "zak.json").write_text(json.dumps({"short": "TZ", "articles": articles}), encoding="utf-8")
    documents, chunks = load_corpus(tmp_path)
    assert [(c.id, c.text) for c in chunks] == [
        ("zak:1:1", "(1) Prvi odstavek."),
        ("zak:1:2", "(2) Drugi odstavek: - alineja;"),
        ("zak:2.a:1", "Brez odstavkov."),
        ("zak:3:1", "(1) Brez naslova."),
    ]
    assert chunks[1].section == "TZ 1. člen"
    assert chunks[1].label == "TZ, 1. člen, 2. odstavek"
    assert chunks[1].heading_path == ("TZ", "1. člen (Prvi)")
    assert chunks[3].heading_path == ("TZ", "3. člen")
    for chunk in chunks:
        assert collapse_whitespace(documents[0].text[chunk.start : chunk.end]) == chunk.text


def test_duplicate_chunk_ids_are_rejected() -> None:
    with pytest.raises(ValueError, match="duplicate chunk ids"):
        chunk_documents([_doc("## A\n\nEna.\n"), _doc("## A\n\nDva.\n")])
