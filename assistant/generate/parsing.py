"""Turning model output into :class:`GeneratedSentence` objects, incrementally (streaming) or all at once.

The expected output is ``{"sentences": [{"text": "...", "citations": [1]}, ...]}``. Constrained decoding
guarantees that shape for the llama.cpp backend; an OpenAI-compatible server may not honour the schema, so
:func:`parse_sentences` also copes with code fences, prose around the JSON, trailing commas, truncated output
and, as a last resort, plain sentences with ``[n]`` markers.

A text cut off by the length limit is trimmed back to its last complete sentence (:func:`trim_cut_off`).
Citation numbers are kept as the model gave them, even outside ``1..n_passages``: flagging those is the
verifier's job. Only values that are not integers are dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from assistant.generate.base import MAX_SENTENCE_CHARS, GeneratedSentence

_MARKER = re.compile(r"\s*\[(\d{1,3})\]")
_INT_STRING = re.compile(r"^\s*\[?\s*(\d{1,6})\s*\]?\s*$")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_FENCE = re.compile(r"^```[a-zA-Z]*\s*|\s*```\s*$")
_TEXT_PAIR = re.compile(r'"text"\s*:\s*"((?:[^"\\]|\\.)*)"(?:\s*,\s*"citations"\s*:\s*\[([^\]]*)\])?', re.DOTALL)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=\S)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZČŠŽĆĐ])")


def coerce_citations(values: Any) -> list[int]:
    """Integers from a ``citations`` value, in order, without duplicates; non-integers are dropped.

    Accepts ints, integral floats (``2.0``) and digit strings (``"2"``, ``"[2]"``); booleans are not numbers.
    """
    if values is None:
        return []
    if not isinstance(values, list | tuple):
        values = [values]
    out: list[int] = []
    for value in values:
        number: int | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and (match := _INT_STRING.match(value)):
            number = int(match.group(1))
        if number is not None and number not in out:
            out.append(number)
    return out


def sentence_from_obj(obj: Any) -> GeneratedSentence | None:
    """A sentence from one parsed JSON item, or ``None`` if it has no usable text.

    ``[n]`` markers written inside the text are moved into the citations so they are not shown twice.
    """
    if not isinstance(obj, dict):
        return None
    text = obj.get("text")
    if not isinstance(text, str):
        return None
    citations = coerce_citations(obj.get("citations", obj.get("citation")))
    return _sentence(text, citations)


def trim_cut_off(text: str, limit: int = MAX_SENTENCE_CHARS) -> str:
    """Repair a text that the length limit cut off mid-sentence (the model copied a long passage).

    A text of at least ``limit`` characters not ending in ``.!?`` is cut back to its last complete sentence
    (a ``.!?`` followed by a capitalised word), or else to its last whole word followed by ``…``. Shorter
    texts are returned unchanged.
    """
    if len(text) < limit or text.endswith((".", "!", "?", "…")):
        return text
    ends = [m.start() for m in _SENTENCE_END.finditer(text)]
    if ends and ends[-1] >= len(text) * 0.3:
        return text[: ends[-1]].rstrip()
    head, _, _ = text.rpartition(" ")
    return (head or text).rstrip(" ,;:-–") + " …"


def _sentence(text: str, citations: list[int]) -> GeneratedSentence | None:
    inline = [int(m) for m in _MARKER.findall(text)]
    text = _MARKER.sub("", text)
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    text = trim_cut_off(" ".join(text.split()))
    if not text.strip(" .,;:-"):
        return None
    for number in inline:
        if number not in citations:
            citations.append(number)
    return GeneratedSentence(text=text, citations=citations)


class SentenceStreamParser:
    """Incremental scanner over streamed JSON text that emits each sentence object once it closes.

    It tracks strings, escapes and nesting itself (no partial-JSON library), so chunks may split the text
    anywhere, even inside an escape sequence or a multi-character token. Any non-root object with a string
    ``text`` member counts as a sentence, so ``{"sentences": [...]}`` and a bare ``[...]`` both work, and
    prose before the first ``{``/``[`` is ignored. A sentence repeating an earlier one (same words, ignoring
    case and punctuation) is not emitted and sets :attr:`repeated`: small models at temperature 0 fall into
    such loops, and a caller may stop generating there.
    """

    def __init__(self) -> None:
        self._text = ""
        self._stack: list[tuple[str, int]] = []  # (bracket, start index)
        self._in_string = False
        self._escape = False
        self._pos = 0
        self._seen: set[str] = set()
        self.repeated = False
        self.sentences: list[GeneratedSentence] = []

    @property
    def raw(self) -> str:
        """Everything fed so far."""
        return self._text

    def feed(self, chunk: str) -> list[GeneratedSentence]:
        """Add a chunk of output; return the sentences completed by it (possibly none)."""
        if not chunk:
            return []
        self._text += chunk
        text = self._text
        done: list[GeneratedSentence] = []
        for i in range(self._pos, len(text)):
            ch = text[i]
            if self._in_string:
                if self._escape:
                    self._escape = False
                elif ch == "\\":
                    self._escape = True
                elif ch == '"':
                    self._in_string = False
                continue
            if not self._stack:
                if ch in "{[":
                    self._stack.append((ch, i))
                continue
            if ch == '"':
                self._in_string = True
            elif ch in "{[":
                self._stack.append((ch, i))
            elif ch in "}]":
                opener, start = self._stack.pop()
                if ch == "}" and opener == "{" and self._stack:
                    sentence = self._object_at(text[start : i + 1])
                    if sentence is None:
                        continue
                    key = " ".join(re.findall(r"\w+", sentence.text.lower()))
                    if key in self._seen:
                        self.repeated = True
                        continue
                    self._seen.add(key)
                    done.append(sentence)
        self._pos = len(text)
        self.sentences.extend(done)
        return done

    @staticmethod
    def _object_at(snippet: str) -> GeneratedSentence | None:
        try:
            obj = json.loads(snippet)
        except json.JSONDecodeError:
            try:
                obj = json.loads(_TRAILING_COMMA.sub(r"\1", snippet))
            except json.JSONDecodeError:
                return None
        return sentence_from_obj(obj)


def _items(value: Any) -> list[Any] | None:
    if isinstance(value, dict):
        sentences = value.get("sentences")
        if isinstance(sentences, list):
            return sentences
        if "text" in value:
            return [value]
        return None
    if isinstance(value, list) and (not value or any(isinstance(item, dict) for item in value)):
        return value
    return None


def _from_items(items: Iterable[Any]) -> list[GeneratedSentence]:
    return [s for s in (sentence_from_obj(item) for item in items) if s is not None]


def _strict(text: str) -> list[GeneratedSentence] | None:
    starts = [i for i in (text.find("{"), text.find("[")) if i >= 0]
    if not starts:
        return None
    start = min(starts)
    decoder = json.JSONDecoder()
    for candidate in (text[start:], _TRAILING_COMMA.sub(r"\1", text[start:])):
        try:
            value, _ = decoder.raw_decode(candidate)
        except json.JSONDecodeError:
            continue
        items = _items(value)
        if items is not None:
            return _from_items(items)
    return None


def _pairs(text: str) -> list[GeneratedSentence]:
    out = []
    for match in _TEXT_PAIR.finditer(text):
        try:
            sentence_text = json.loads(f'"{match.group(1)}"')
        except json.JSONDecodeError:
            sentence_text = match.group(1)
        citations: list[int] = []
        if match.group(2) is not None:
            citations = coerce_citations([part for part in match.group(2).split(",") if part.strip()])
        sentence = _sentence(sentence_text, citations)
        if sentence is not None:
            out.append(sentence)
    return out


def _prose(text: str) -> list[GeneratedSentence]:
    out = []
    for part in _SENTENCE_SPLIT.split(" ".join(text.split())):
        # a marker after the full stop ("… prostem. [1]") belongs to the sentence before it
        sentence = _sentence(part, [])
        if sentence is not None:
            out.append(sentence)
        elif out and _MARKER.search(part):
            for number in (int(m) for m in _MARKER.findall(part)):
                if number not in out[-1].citations:
                    out[-1].citations.append(number)
    return out


def parse_sentences(raw: str, n_passages: int) -> list[GeneratedSentence]:
    """Parse model output into sentences, tolerating slightly broken JSON.

    Tries, in order: the JSON value at the first ``{``/``[`` (after stripping code fences, ignoring trailing
    text, also with trailing commas removed); every complete sentence object (truncated output); ``"text"`` /
    ``"citations"`` pairs found by pattern; finally plain prose split into sentences with ``[n]`` markers as
    citations. ``n_passages`` is part of the contract but deliberately not used to filter citations: numbers
    outside ``1..n_passages`` are kept for the verifier to flag.
    """
    del n_passages  # see docstring
    text = _FENCE.sub("", raw.strip()).strip()
    if not text:
        return []
    strict = _strict(text)
    if strict is not None:
        return strict
    scanner = SentenceStreamParser()
    scanner.feed(text)
    if scanner.sentences:
        return scanner.sentences
    if '"text"' in text:
        return _pairs(text)
    if text.lstrip().startswith(("{", "[")):
        return []  # JSON that holds no sentence: not prose
    return _prose(text)
