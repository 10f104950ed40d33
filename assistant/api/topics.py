"""The kiosk's topic tiles, read from the reviewed data file ``topics.toml`` beside this module."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from assistant.api.schemas import TopicOut

TOPICS_FILE = Path(__file__).with_name("topics.toml")


class TopicsError(ValueError):
    """The topics file is malformed."""


@lru_cache(maxsize=4)
def load_topics(path: Path = TOPICS_FILE) -> tuple[TopicOut, ...]:
    """Every tile, in display order, validated (unique ids, 2–3 questions per language, short titles)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TopicsError(f"{path}: {exc}") from exc
    topics = []
    seen: set[str] = set()
    for raw in data.get("topic", []):
        topic = TopicOut.model_validate(raw)
        if topic.id in seen:
            raise TopicsError(f"{path}: duplicate topic id {topic.id!r}")
        seen.add(topic.id)
        for lang in ("sl", "en", "hr"):
            questions = getattr(topic.questions, lang)
            if not 2 <= len(questions) <= 3 or not all(q.strip() for q in questions):
                raise TopicsError(f"{path}: topic {topic.id!r} needs 2–3 {lang} questions")
            if not getattr(topic.title, lang).strip():
                raise TopicsError(f"{path}: topic {topic.id!r} has no {lang} title")
        topics.append(topic)
    if not topics:
        raise TopicsError(f"{path}: no topics")
    return tuple(topics)


def normalise_section(name: str) -> str:
    """Section names compared as the evaluation does: no ``#``, ``*`` or trailing colon; casefolded."""
    text = re.sub(r"[#*]", "", name)
    text = re.sub(r"\s+", " ", text).strip().rstrip(":").strip()
    return text.casefold()
