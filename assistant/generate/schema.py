"""The answer format, built per request: JSON schema (OpenAI-compatible servers), GBNF grammar (llama.cpp).

Both allow 1–3 sentences of at most 200 characters, each citing 1–3 of the passage numbers of the request.
The grammar is stricter than the schema: it fixes the whitespace to exactly the form of the few-shot example
(``{"sentences": [{"text": "…", "citations": [1]}, …]}``), keeps the text on one line and free of quotes,
backslashes and square brackets (so citation markers go into ``citations``, not the text), and so every output
the model can produce, once complete, is valid JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.generate.base import MAX_CITATIONS_PER_SENTENCE, MAX_SENTENCE_CHARS, MAX_SENTENCES


def citation_numbers(allowed: int | Sequence[int]) -> list[int]:
    """The citation numbers a request allows: ``1..allowed`` for an int, else the given numbers (sorted,
    unique); never empty (``[1]`` at least)."""
    if isinstance(allowed, int):
        return list(range(1, max(1, allowed) + 1))
    return sorted({int(n) for n in allowed}) or [1]


def answer_schema(allowed: int | Sequence[int]) -> dict[str, Any]:
    """JSON schema of the answer; citation numbers restricted by an enum (see :func:`citation_numbers`)."""
    return {
        "type": "object",
        "properties": {
            "sentences": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_SENTENCES,
                "items": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string", "minLength": 1, "maxLength": MAX_SENTENCE_CHARS},
                        "citations": {
                            "type": "array",
                            "minItems": 1,
                            "maxItems": MAX_CITATIONS_PER_SENTENCE,
                            "items": {"type": "integer", "enum": citation_numbers(allowed)},
                        },
                    },
                    "required": ["text", "citations"],
                    "additionalProperties": False,
                },
            }
        },
        "required": ["sentences"],
        "additionalProperties": False,
    }


def answer_gbnf(allowed: int | Sequence[int]) -> str:
    """GBNF grammar (llama.cpp) for the answer; citations restricted as in :func:`citation_numbers`."""
    # longest alternatives first, so "12" is not read as "1" followed by junk by any matcher
    cite = " | ".join(f'"{n}"' for n in sorted(citation_numbers(allowed), key=lambda n: (-len(str(n)), n)))
    more_sentences = MAX_SENTENCES - 1
    more_cites = MAX_CITATIONS_PER_SENTENCE - 1
    return "\n".join(
        [
            f'root ::= "{{\\"sentences\\": [" item (", " item){{0,{more_sentences}}} "]}}"',
            f'item ::= "{{\\"text\\": \\"" text "\\", \\"citations\\": [" cite (", " cite){{0,{more_cites}}} "]}}"',
            f"text ::= head tail{{0,{MAX_SENTENCE_CHARS - 1}}}",
            # first character: no space; no character may be a quote, backslash, control char or bracket
            'head ::= [^"\\\\\\x00-\\x20\\[\\]]',
            'tail ::= [^"\\\\\\x00-\\x1f\\[\\]]',
            f"cite ::= {cite}",
            "",
        ]
    )
