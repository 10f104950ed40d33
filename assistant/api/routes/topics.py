"""Kiosk start-screen tiles and the kiosk's runtime settings."""

from __future__ import annotations

from fastapi import APIRouter

from assistant.api.deps import SettingsDep
from assistant.api.schemas import KioskConfig, TopicsResponse
from assistant.api.topics import load_topics

router = APIRouter(prefix="/api", tags=["kiosk"])


@router.get("/topics", response_model=TopicsResponse, summary="Topic tiles")
def topics() -> TopicsResponse:
    """Handbook sections as kiosk tiles, each with a short title and starter questions in sl/en/hr."""
    return TopicsResponse(topics=list(load_topics()))


def countdown_for(idle_seconds: int) -> int:
    """Seconds of visible countdown before an idle reset: 15 at the default 90 s, never more than a third."""
    return max(3, min(15, idle_seconds // 3))


@router.get("/kiosk-config", response_model=KioskConfig, summary="Kiosk settings")
def kiosk_config(settings: SettingsDep) -> KioskConfig:
    """Idle reset time, countdown length and question length limit for the kiosk page."""
    return KioskConfig(
        idle_reset_seconds=settings.idle_reset_seconds,
        countdown_seconds=countdown_for(settings.idle_reset_seconds),
        max_question_chars=settings.max_question_chars,
        languages=["sl", "en", "hr"],
        default_language="sl",
    )
