"""Text normalisation: extraction-noise repair at ingestion, and diacritic folding for matching."""

from __future__ import annotations

import re
import unicodedata

# Cyrillic letters that look like Latin ones; replaced only inside words that also contain Latin letters,
# so real Cyrillic text stays untouched.
_CYRILLIC_TO_LATIN = str.maketrans(
    {
        "а": "a",
        "в": "v",
        "е": "e",
        "к": "k",
        "м": "m",
        "н": "n",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "А": "A",
        "В": "B",
        "Е": "E",
        "К": "K",
        "М": "M",
        "Н": "H",
        "О": "O",
        "Р": "P",
        "С": "C",
        "Т": "T",
        "У": "Y",
        "Х": "X",
        "І": "I",
        "Ј": "J",
        "Ѕ": "S",
    }
)

_WORD = re.compile(r"\w+", re.UNICODE)
_LATIN = re.compile(r"[A-Za-zČŠŽčšžĆćĐđ]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")

# Serbian Cyrillic, transliterated to the folded Latin alphabet (ђ→d, ж→z, ћ→c, ч→c, ш→s, џ→dz, љ→lj, њ→nj)
_SERBIAN_CYRILLIC = dict(
    zip(
        "абвгдђежзијклљмнњопрстћуфхцчџш",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "d",
            "e",
            "z",
            "z",
            "i",
            "j",
            "k",
            "l",
            "lj",
            "m",
            "n",
            "nj",
            "o",
            "p",
            "r",
            "s",
            "t",
            "c",
            "u",
            "f",
            "h",
            "c",
            "c",
            "dz",
            "s",
        ],
        strict=True,
    )
)
_FOLD = str.maketrans(
    {"č": "c", "š": "s", "ž": "z", "ć": "c", "đ": "d", "Č": "C", "Š": "S", "Ž": "Z", "Ć": "C", "Đ": "D"}
    | _SERBIAN_CYRILLIC
    | {upper: latin for cyrillic, latin in _SERBIAN_CYRILLIC.items() for upper in [cyrillic.upper()]}
)


def fix_mixed_script(text: str) -> str:
    """Replace Cyrillic look-alike letters inside otherwise Latin words (``osebнем`` → ``osebnem``)."""

    def repair(match: re.Match[str]) -> str:
        word = match.group(0)
        if _CYRILLIC.search(word) and _LATIN.search(word):
            return word.translate(_CYRILLIC_TO_LATIN)
        return word

    return _WORD.sub(repair, text)


def normalize_source_text(text: str) -> str:
    """Repair extraction noise without changing meaning.

    Unicode NFC; non-breaking and odd spaces to plain spaces; Cyrillic look-alikes inside Latin words;
    markdown hard-break trailing spaces and runs of spaces collapsed; markdown escapes (``\\_``) dropped;
    line endings unified. Paragraph structure (blank lines) is kept: chunking decides about joins.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u00A0\u2007\u202F\u2009\u200A\u3000]", " ", text)
    text = text.replace("\u200b", "").replace("\ufeff", "")
    text = fix_mixed_script(text)
    text = re.sub(r"\\([_*\[\]()#])", r"\1", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"(?<=\S)[ \t]{2,}(?=\S)", " ", text)
    return text


def fold(text: str) -> str:
    """Lowercase and fold Slovenian/BCS diacritics (č→c, š→s, ž→z, ć→c, đ→d) and any other combining marks;
    Serbian Cyrillic is transliterated ("Колико посета" → "koliko poseta")."""
    text = text.translate(_FOLD).lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def collapse_whitespace(text: str) -> str:
    """Collapse all whitespace runs to single spaces and trim."""
    return re.sub(r"\s+", " ", text).strip()


def strip_markdown(text: str) -> str:
    """Remove inline markdown emphasis and links, keep the visible text."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("*", "")
    text = re.sub(r"(?m)^#+\s*", "", text)
    return collapse_whitespace(text)


def slugify(text: str, max_length: int = 40) -> str:
    """ASCII slug for stable ids: folded, lowercase, non-alphanumerics to ``-``, at most ``max_length`` chars."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:max_length].rstrip("-")
