"""What a question says, for the per-kind input extractors: durations, day counts, dates and their roles, flags.

The extractors (:mod:`.extract_work`, :mod:`.extract_daily`, :mod:`.extract_sentence`) turn an
:class:`~assistant.calculator.parse.Extraction` into calculator inputs; :mod:`.route` decides whether to use them.
"""

from __future__ import annotations

import re

from .parse import DateMention, Extraction, Quantity, find_word, negated_near

NEEDS = "_needs"  # extractor key: inputs that were mentioned but must be asked for precisely
_EXCLUDED_LENGTH_CONTEXT = re.compile(r"pripor|prekinit|prestal\w*|odsedel\w*|\bze\b|dopust|pocit|izobraz|obisk")


def durations(ex: Extraction) -> list[Quantity]:
    return [q for q in ex.quantities if q.unit == "months"]


def sentence_length(ex: Extraction) -> int | float | None:
    """Sentence length in months: the first duration not about pripor, interruption or time served."""
    for q in durations(ex):
        before = ex.window(q.index, before=4, after=0)
        after_words = " ".join(t.text for t in ex.tokens[q.end : q.end + 1])
        if after_words == "pred" or re.search(r"\b(cez|zadnjih|zadnje|ze|pred)\s+\S*$", before):
            continue
        if _EXCLUDED_LENGTH_CONTEXT.search(before) and not re.search(r"kazen|obsojen|zapor", before):
            continue
        return whole(q.value)
    return None


def whole(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def day_count(ex: Extraction, pattern: str) -> int | float | None:
    """The first day-quantity whose clause mentions ``pattern``."""
    regex = re.compile(pattern)
    for q in ex.quantities:
        if q.unit == "day" and regex.search(ex.clause_text(q.clause)):
            return whole(q.value)
    return None


_DATE_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("birth", re.compile(r"rodil\w*|rojen\w*|rojstv\w*")),
    (
        "last",
        re.compile(
            r"zadnji|iztec\w*|izteka|konec|koncam|koncala|konca|prestala bom|odpust\w*|odpuscen\w*|do|traja|"
            r"poteka|potece|tece"
        ),
    ),
    (
        "start",
        re.compile(
            r"nastop\w*|zacel\w*|zacetek|prisla|prispela|zglasil\w*|privedl\w*|sprejet\w*|zaprli|zapor\b|"
            r"\bod\b|prestajam"
        ),
    ),
    ("reference", re.compile(r"danes|\bna dan\b|referenc\w*|\bze\b|izpolnjujem|izpolnjen\w*")),
]


def date_role(ex: Extraction, mention: DateMention) -> str | None:
    """Role of a date from the nearest keyword in its clause (before it, after it, or the clause before)."""
    tokens = ex.tokens
    clause = mention.clause
    best: tuple[int, str] | None = None
    for i in range(mention.index - 1, -1, -1):
        if tokens[i].clause != clause:
            break
        if tokens[i].kind == "date":
            break
        for role, pattern in _DATE_ROLES:
            if pattern.fullmatch(tokens[i].text) or (
                i > 0 and pattern.fullmatch(f"{tokens[i - 1].text} {tokens[i].text}")
            ):
                best = (mention.index - i, role)
                break
        if best:
            return best[1]
    for i in range(mention.index + 1, len(tokens)):
        if tokens[i].clause != clause or tokens[i].kind == "date":
            break
        for role, pattern in _DATE_ROLES:
            if pattern.fullmatch(tokens[i].text):
                return role
    # a date alone after a comma ("se izteče v nedeljo, 16. 3. 2025"): use the previous clause
    if clause > 0 and all(t.kind in ("date", "punct") for t in tokens if t.clause == clause):
        words = [t.text for t in tokens if t.clause == clause - 1]
        for word in reversed(words):
            for role, pattern in _DATE_ROLES:
                if pattern.fullmatch(word):
                    return role
    return None


def assign_dates(ex: Extraction, roles: dict[str, str], fallback: list[str]) -> dict[str, str]:
    """Map dates to fields: ``roles`` maps a role to a field; dates without a role fill ``fallback``."""
    result: dict[str, str] = {}
    unassigned: list[DateMention] = []
    for mention in ex.dates:
        role = date_role(ex, mention)
        target = roles.get(role) if role else None
        if target and target not in result:
            result[target] = mention.value
        else:
            unassigned.append(mention)
    for mention in unassigned:
        for target in fallback:
            if target not in result:
                result[target] = mention.value
                break
    return result


def mentions(ex: Extraction, pattern: str) -> bool:
    return re.search(pattern, ex.text) is not None


def flag(ex: Extraction, word_pattern: str) -> bool | None:
    """True if a word matching the pattern occurs un-negated, False if only negated, None if absent."""
    hits = find_word(ex, word_pattern)
    if not hits:
        return None
    return any(not negated_near(ex, i) for i in hits)


def clause_flag(ex: Extraction, word_pattern: str) -> bool | None:
    """Like :func:`flag`, but any negation in the clause counts ("Posebnih razlogov ni.")."""
    hits = find_word(ex, word_pattern)
    if not hits:
        return None
    negations = {"ni", "nimam", "nima", "ne", "brez", "nobenih", "nobenega", "niso", "nisem"}
    for i in hits:
        words = ex.clause_text(ex.tokens[i].clause).split()
        if not negations.intersection(words):
            return True
    return False
