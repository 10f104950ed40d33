"""Numbers and quantities in text: digits, Slovenian/BCS/English number words, fractions, with their bound words.

Used by the verifier (every number in an answer must occur in a cited passage or a calculator result, with the
same lower/upper bound) and by the evaluation (``gold_numbers``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from assistant.text.normalize import fold

# Folded word → value. Covers cardinals, multiplicatives ("dvakrat") and ordinals as the handbook writes them.
_WORDS: dict[str, int] = {}


def _add(value: int, *forms: str) -> None:
    for form in forms:
        _WORDS[fold(form)] = value


_add(1, "ena", "eno", "enega", "eni", "enem", "enim", "enkrat", "one", "once", "jedan", "jedna", "jedno", "jednom")
_add(2, "dva", "dve", "dveh", "dvema", "dvakrat", "two", "twice", "dvije", "dvaput", "dvaputa")
_add(3, "tri", "treh", "trem", "tremi", "trikrat", "three", "triput")
_add(4, "štiri", "štirih", "štirim", "štirikrat", "four", "četiri")
_add(5, "pet", "petih", "petim", "petkrat", "five")
_add(6, "šest", "šestih", "šestim", "six")
_add(7, "sedem", "sedmih", "sedmim", "seven", "sedam")
_add(8, "osem", "osmih", "eight", "osam")
_add(9, "devet", "devetih", "nine")
_add(10, "deset", "desetih", "ten")
_add(11, "enajst", "enajstih", "eleven", "jedanaest")
_add(12, "dvanajst", "dvanajstih", "twelve", "dvanaest")
_add(13, "trinajst", "trinajstih", "thirteen", "trinaest")
_add(14, "štirinajst", "štirinajstih", "fourteen", "četrnaest")
_add(15, "petnajst", "petnajstih", "fifteen", "petnaest")
_add(16, "šestnajst", "sixteen", "šesnaest")
_add(17, "sedemnajst", "seventeen")
_add(18, "osemnajst", "eighteen")
_add(19, "devetnajst", "nineteen")
_add(20, "dvajset", "dvajsetih", "twenty", "dvadeset")
_add(23, "triindvajset", "triindvajsetih")
_add(25, "petindvajset", "petindvajsetih", "twenty-five")
_add(30, "trideset", "tridesetih", "thirty", "trideset")
_add(40, "štirideset", "forty", "četrdeset")
_add(45, "petinštirideset")
_add(50, "petdeset", "fifty", "pedeset")
_add(60, "šestdeset", "sixty")
_add(100, "hundred")  # not "sto": folded BCS "što" (what) reads the same
_add(200, "dvesto", "dvjesto", "dvesta")
_add(300, "tristo", "tristotin")
_add(400, "štiristo", "četiristo")
_add(500, "petsto")
_add(600, "šeststo")
_add(1000, "tisoč", "tisoc", "tisuću", "hiljadu", "thousand")

# A hundreds or thousands word followed by a smaller number word is one number: "tristo šestdeset" = 360,
# "tisoč petsto" = 1500.
_COMPOUND_HEADS = {fold(w) for w in ("dvesto", "tristo", "štiristo", "petsto", "šeststo", "tisoč", "tisoc")}

# Ordinals count only before a unit ("prvega leta", "drugega kolena"); "druge osebe" means "other people".
_ORDINALS = {
    fold(k): v
    for k, v in {
        "prvi": 1,
        "prva": 1,
        "prvo": 1,
        "prvega": 1,
        "prvem": 1,
        "first": 1,
        "prvog": 1,
        "drugi": 2,
        "druga": 2,
        "drugo": 2,
        "drugega": 2,
        "drugem": 2,
        "second": 2,
        "drugog": 2,
        "tretji": 3,
        "tretjega": 3,
        "tretjem": 3,
        "third": 3,
        "trećeg": 3,
        "četrti": 4,
        "četrtega": 4,
        "četrtem": 4,
        "fourth": 4,
        "peti": 5,
        "petega": 5,
        "petem": 5,
        "fifth": 5,
        "petog": 5,
        "šesti": 6,
        "šestega": 6,
        "sixth": 6,
        "sedmi": 7,
        "sedmega": 7,
        "seventh": 7,
        "osmi": 8,
        "osmega": 8,
        "eighth": 8,
        "deveti": 9,
        "devetega": 9,
        "ninth": 9,
        "deseti": 10,
        "desetega": 10,
        "tenth": 10,
        "enajsti": 11,
        "enajstega": 11,
        "dvanajsti": 12,
        "dvanajstega": 12,
        "trinajsti": 13,
        "trinajstega": 13,
        "thirteenth": 13,
        "treći": 3,
        "četvrti": 4,
        "četvrtog": 4,
        "šestog": 6,
        "sedmog": 7,
        "osmog": 8,
    }.items()
}
_ORDINAL_LINKS = {"do", "in", "ali", "oziroma", "to", "and", "or", "i", "ili", "of", "the"}
_UNIT_PREFIXES = (
    "let",
    "leto",
    "mesec",
    "dan",
    "dne",
    "ted",
    "kolen",
    "odstav",
    "clen",
    "ur",
    "year",
    "month",
    "day",
    "week",
    "godin",
    "mjesec",
    "paragraph",
    "article",
    "stav",
    "clan",
    "tock",
    "point",
)


def _ordinal_before_unit(tokens: list[tuple[str, str, int]], i: int) -> bool:
    """An ordinal counts as a number before a unit, also in a run: "osmega do trinajstega odstavka"."""
    for _, word, _ in tokens[i + 1 : i + 7]:
        if word.startswith(_UNIT_PREFIXES):
            return True
        if word not in _ORDINAL_LINKS and word not in _ORDINALS:
            return False
    return False


_FRACTIONS: dict[str, Fraction] = {}
for _form, _value in (
    ("polovica", Fraction(1, 2)),
    ("polovico", Fraction(1, 2)),
    ("polovice", Fraction(1, 2)),
    ("polovici", Fraction(1, 2)),
    ("četrtinah", Fraction(1, 4)),
    ("tretjinah", Fraction(1, 3)),
    ("pol", Fraction(1, 2)),
    ("half", Fraction(1, 2)),
    ("polovina", Fraction(1, 2)),
    ("polovinu", Fraction(1, 2)),
    ("tretjina", Fraction(1, 3)),
    ("tretjino", Fraction(1, 3)),
    ("tretjine", Fraction(1, 3)),
    ("tretjini", Fraction(1, 3)),
    ("third", Fraction(1, 3)),
    ("thirds", Fraction(1, 3)),
    ("trećina", Fraction(1, 3)),
    ("trećinu", Fraction(1, 3)),
    ("trećine", Fraction(1, 3)),
    ("četrtina", Fraction(1, 4)),
    ("četrtino", Fraction(1, 4)),
    ("četrtine", Fraction(1, 4)),
    ("četrtini", Fraction(1, 4)),
    ("quarter", Fraction(1, 4)),
    ("quarters", Fraction(1, 4)),
    ("četvrtina", Fraction(1, 4)),
    ("četvrtinu", Fraction(1, 4)),
):
    _FRACTIONS[fold(_form)] = _value

# Words that bound a quantity. Lower: "najmanj", "vsaj", "at least"; upper: "največ", "do", "up to", "at most".
_LOWER = {"najmanj", "vsaj", "min", "minimum", "least", "najmanje", "barem"}
_UPPER = {"najvec", "do", "max", "maksimalno", "most", "up", "najvise", "until"}

_TOKEN = re.compile(r"\d+(?:[.,]\d+)?(?:/\d+)?|[^\W\d_]+(?:-[^\W\d_]+)?", re.UNICODE)


@dataclass(frozen=True)
class Quantity:
    """A number found in text: its canonical value, the words it came from, and its bound (if any)."""

    value: str  # canonical: "2", "3.5", "2/3"
    text: str
    bound: str | None  # "lower" | "upper" | None
    start: int


def _canonical(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    if value.denominator in (2, 3, 4) and value < 1:
        return f"{value.numerator}/{value.denominator}"
    return format(float(value), "g")


_COMPARATIVE = {"manj", "vec", "less", "more", "manje", "vise", "fewer"}


def _bound(previous: list[str]) -> str | None:
    """The bound word right before a number: lower ("najmanj"), upper ("največ", "do"), or a comparison
    ("manj kot", "več kot"). "pravico do dveh dni" is a right to two days, not "up to two"."""
    last_two = previous[-2:]
    if len(last_two) == 2 and last_two[1] in ("kot", "than", "od") and last_two[0] in _COMPARATIVE:
        return "comparison"
    for index in range(len(last_two) - 1, -1, -1):
        word = last_two[index]
        if word in _LOWER:
            return "lower"
        if word in _UPPER:
            before = previous[-3 + index] if len(previous) >= 3 - index else ""
            if word == "do" and before.startswith(("pravic", "upravic")):
                return None
            return "upper"
    return None


def quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text`` in order. "dve tretjini" is 2/3; "pol leta" and "leto in pol" give 1/2
    (the calculator's parser reads durations; here only the numbers written out count)."""
    tokens = [(m.group(0), fold(m.group(0)), m.start()) for m in _TOKEN.finditer(text)]
    found: list[Quantity] = []
    previous: list[str] = []
    i = 0
    while i < len(tokens):
        raw, word, start = tokens[i]
        value: Fraction | None = None
        consumed = 1
        if word[0].isdigit():
            if "/" in word:
                numerator, denominator = word.split("/")
                value = Fraction(int(numerator), int(denominator)) if int(denominator) else None
            else:
                value = Fraction(word.replace(",", ".")) if word.count(".") + word.count(",") <= 1 else None
        elif word in _WORDS:
            value = Fraction(_WORDS[word])
            if (
                word in _COMPOUND_HEADS
                and i + 1 < len(tokens)
                and tokens[i + 1][1] in _WORDS
                and _WORDS[tokens[i + 1][1]] < _WORDS[word]
            ):
                value += _WORDS[tokens[i + 1][1]]  # "tristo šestdeset", "tisoč petsto"
                consumed = 2
            elif i + 1 < len(tokens) and tokens[i + 1][1] in _FRACTIONS and value > 1:
                value = value * _FRACTIONS[tokens[i + 1][1]]  # "dve tretjini", "tri četrtine"
                consumed = 2
        elif word in _ORDINALS and _ordinal_before_unit(tokens, i):
            value = Fraction(_ORDINALS[word])
        elif word in _FRACTIONS and word != "pol":
            value = _FRACTIONS[word]
        elif word == "pol" and (
            (previous and previous[-1] == "in") or (i + 1 < len(tokens) and tokens[i + 1][1].startswith(_UNIT_PREFIXES))
        ):
            value = _FRACTIONS[word]  # "leto in pol", "pol leta"
        if value is not None:
            text_span = " ".join(t[0] for t in tokens[i : i + consumed])
            found.append(Quantity(_canonical(value), text_span, _bound(previous), start))
        previous.extend(t[1] for t in tokens[i : i + consumed])
        i += consumed
    return found


def number_values(text: str) -> set[str]:
    """Canonical values of all quantities in ``text``."""
    return {q.value for q in quantities(text)}


def canonical_number(text: str) -> str | None:
    """Canonical value of a single number written as digits or words (``"dvakrat"`` → ``"2"``)."""
    found = quantities(text)
    return found[0].value if len(found) == 1 else None


def contains_number(haystack: str, number: str) -> bool:
    """Whether ``number`` (as written in a gold list: "2", "2/3", "080 15 30", "60 x 40 x 36") is stated in
    ``haystack``: every component value must occur, in words or digits."""
    wanted = [q.value for q in quantities(number)]
    if not wanted:
        return fold(number) in fold(haystack)
    present = number_values(haystack)
    return all(value in present for value in wanted)
