"""Documents → citable chunks, along each document's own structure (pure functions).

* handbook: markdown ``#`` headings open sections; a bold-only line is a sub-heading inside its section;
  blank-line paragraphs are the chunks. A paragraph broken by extraction (ends without ``.!?`` and the next
  starts lowercase, or ends with ``,;:``) is joined with the next one.
* statute: one chunk per article paragraph ``(1)``, ``(2)`` …; ``section`` is ``KZ-1 88. člen``.
* page: paragraphs of a web page; short unpunctuated lines (site navigation) are dropped.

Chunk ids are ``{doc_id}:{section_slug}:{paragraph}`` (handbook, page) and ``{doc_id}:{article}:{paragraph}``
(statute): they depend only on the document's structure, so a citation stays valid across rebuilds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.text.normalize import collapse_whitespace, slugify, strip_markdown
from assistant.types import Chunk, Document

_HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")
_BOLD_LINE = re.compile(r"^\*\*+([^*].*?)\*\*+$")
_EMPHASISED_LABEL = re.compile(r"^\*+([^*]{1,40}:)\*+$")  # e.g. "*Pripravila:*" before a colophon
_ARTICLE = re.compile(r"^(\d+(?:\.[a-z])?)\.? člen(?: (\(.*\)))?$")


def article_number(article: str) -> str:
    """How an article is cited: "88." for 88, "45.a" for 45.a (no second dot)."""
    return article if article[-1].isalpha() else f"{article}."


_PARAGRAPH_MARK = re.compile(r"^\((\d+)\)\s")


@dataclass
class _Block:
    start: int
    end: int
    raw: str


def _blocks(text: str) -> Iterator[_Block]:
    """Runs of non-blank lines with their offsets (stripped of surrounding whitespace)."""
    for match in re.finditer(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*", text):
        raw = match.group(0)
        lead = len(raw) - len(raw.lstrip())
        yield _Block(match.start() + lead, match.end(), raw.strip())


def _continues(previous: str, following: str) -> bool:
    """Was a paragraph broken in two by extraction noise?"""
    if not previous or not following:
        return False
    if previous[-1] in ",;:":
        return True
    return previous[-1] not in '.!?)»"' and following[0].islower()


def heading_text(line: str) -> str:
    """Heading text as the evaluation defines it: ``#`` and ``*`` removed, trimmed."""
    return collapse_whitespace(line.lstrip("#").replace("*", ""))


class _SectionCounter:
    """Paragraph numbering and unique slugs per section."""

    def __init__(self) -> None:
        self.slugs: dict[str, str] = {}
        self.used: set[str] = set()
        self.counts: dict[str, int] = {}

    def slug(self, key: str, section: str) -> str:
        if key not in self.slugs:
            base = slugify(section) or "uvod"
            slug, n = base, 2
            while slug in self.used:
                slug, n = f"{base}-{n}", n + 1
            self.slugs[key] = slug
            self.used.add(slug)
        return self.slugs[key]

    def next(self, key: str) -> int:
        self.counts[key] = self.counts.get(key, 0) + 1
        return self.counts[key]


def _chunk_handbook(doc: Document, order: int) -> list[Chunk]:
    chunks: list[Chunk] = []
    title: str | None = None  # the level-1 heading, if any
    section = doc.title if doc.kind == "page" else doc.short_title  # text before the first heading
    section_key = "0:" + section
    subheading: str | None = None
    pending: list[_Block] = []
    counter = _SectionCounter()

    def flush() -> None:
        nonlocal order
        if not pending:
            return
        text = strip_markdown(" ".join(block.raw for block in pending))
        start, end = pending[0].start, pending[-1].end
        pending.clear()
        if not text:
            return
        n = counter.next(section_key)
        # The handbook's heading levels are used inconsistently (## and ### for sibling sections), so the
        # path is flat: document title heading, section, bold sub-heading.
        path = tuple(h for h in (title, section, subheading) if h and not (h == title == section))
        chunks.append(
            Chunk(
                id=f"{doc.id}:{counter.slug(section_key, section)}:{n}",
                doc_id=doc.id,
                kind=doc.kind,
                section=section,
                heading_path=path or (section,),
                paragraph=n,
                start=start,
                end=end,
                text=text,
                label=f"{doc.short_title} › {section}, odst. {n}",
                order=order,
            )
        )
        order += 1

    blocks = list(_blocks(doc.text))
    if doc.kind == "page":  # web pages put navigation links on their own lines inside text blocks
        blocks = [
            _Block(b.start + m.start(), b.start + m.end(), m.group(0).strip())
            for b in blocks
            for m in re.finditer(r"[^\n]*\S[^\n]*", b.raw)
        ]
    for index, block in enumerate(blocks):
        heading = _HEADING.match(block.raw) if "\n" not in block.raw else None
        if heading:
            flush()
            section = heading_text(heading.group(2))
            if len(heading.group(1)) == 1 and title is None:
                title = section
            section_key = f"{index}:{section}"
            subheading = None
            continue
        bold = (_BOLD_LINE.match(block.raw) or _EMPHASISED_LABEL.match(block.raw)) if "\n" not in block.raw else None
        if bold:
            flush()
            subheading = collapse_whitespace(bold.group(1))
            continue
        text = strip_markdown(block.raw)
        if doc.kind == "page" and len(text.split()) < 8 and text[-1:] not in ".!?":
            flush()  # navigation or a site banner, not content
            continue
        if pending and not _continues(strip_markdown(pending[-1].raw), text):
            flush()
        pending.append(block)
    flush()
    return chunks


def _chunk_statute(doc: Document, order: int) -> list[Chunk]:
    chunks: list[Chunk] = []
    article: str | None = None
    title = ""
    position = 0
    lines = doc.text.split("\n")
    for line in lines:
        line_start, position = position, position + len(line) + 1
        header = _ARTICLE.match(line.strip())
        if header:
            article, title = header.group(1), header.group(2) or ""
            continue
        if article is None or not line.strip():
            continue
        mark = _PARAGRAPH_MARK.match(line)
        section = f"{doc.short_title} {article_number(article)} člen"
        if mark:
            n = int(mark.group(1))
            label = f"{doc.short_title}, {article_number(article)} člen, {n}. odstavek"
        elif chunks and chunks[-1].section == section:
            # an unnumbered continuation line (e.g. a list item) belongs to the previous paragraph
            previous = chunks[-1]
            chunks[-1] = Chunk(
                **{
                    **previous.to_dict(),
                    "heading_path": previous.heading_path,
                    "end": line_start + len(line),
                    "text": collapse_whitespace(previous.text + " " + line),
                }
            )
            continue
        else:
            n = 1
            label = f"{doc.short_title}, {article_number(article)} člen"
        chunks.append(
            Chunk(
                id=f"{doc.id}:{article}:{n}",
                doc_id=doc.id,
                kind=doc.kind,
                section=section,
                heading_path=(doc.short_title, f"{article_number(article)} člen {title}".strip()),
                paragraph=n,
                start=line_start,
                end=line_start + len(line),
                text=collapse_whitespace(line),
                label=label,
                order=order,
            )
        )
        order += 1
    return chunks


def chunk_documents(documents: list[Document]) -> list[Chunk]:
    """All chunks of all documents, in corpus order, with unique stable ids."""
    chunks: list[Chunk] = []
    for doc in documents:
        if doc.kind == "statute":
            chunks.extend(_chunk_statute(doc, len(chunks)))
        else:
            chunks.extend(_chunk_handbook(doc, len(chunks)))
    duplicates = [i for i, n in Counter(chunk.id for chunk in chunks).items() if n > 1]
    if duplicates:
        raise ValueError(f"duplicate chunk ids: {sorted(duplicates)}")
    return chunks
