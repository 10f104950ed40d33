"""Read aloud: ``GET /api/speech?text=...&lang=sl|en|bcs&rate=...`` returns WAV audio made by espeak-ng."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from assistant.api.deps import LanguageDep
from assistant.api.errors import ApiError
from assistant.api.routes.common import RETRY_AFTER_SECONDS, error_doc
from assistant.api.routes.help import query_language
from assistant.api.schemas import BLANK
from assistant.api.speech import SpeechError, SpeechSettings, Synthesizer
from assistant.types import Language

router = APIRouter(prefix="/api", tags=["kiosk"])

MESSAGES: dict[str, dict[Language, str]] = {
    "unavailable": {
        "sl": "Branje na glas trenutno ni na voljo. Vprašajte osebje.",
        "en": "Reading aloud is not available right now. Please ask the staff.",
        "bcs": "Čitanje naglas trenutno nije dostupno. Pitajte osoblje.",
    },
    "busy": {
        "sl": "Branje na glas je zasedeno. Poskusite znova čez nekaj sekund.",
        "en": "Reading aloud is busy. Please try again in a few seconds.",
        "bcs": "Čitanje naglas je zauzeto. Pokušajte ponovno za nekoliko sekundi.",
    },
    "timeout": {
        "sl": "Priprava branja je trajala predolgo. Poskusite znova.",
        "en": "Preparing the reading took too long. Please try again.",
        "bcs": "Priprema čitanja trajala je predugo. Pokušajte ponovno.",
    },
    "failed": {
        "sl": "Besedila ni bilo mogoče prebrati na glas.",
        "en": "The text could not be read aloud.",
        "bcs": "Tekst nije bilo moguće pročitati naglas.",
    },
    "empty": {
        "sl": "Ni besedila za branje.",
        "en": "There is no text to read.",
        "bcs": "Nema teksta za čitanje.",
    },
    "too_long": {
        "sl": "Besedilo je predolgo za branje na glas. Največ {limit} znakov.",
        "en": "The text is too long to read aloud. At most {limit} characters.",
        "bcs": "Tekst je predug za čitanje naglas. Najviše {limit} znakova.",
    },
}
STATUS = {"unavailable": 503, "busy": 503, "timeout": 504, "failed": 500}

SPEECH_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "WAV audio (16-bit mono PCM). `X-Speech-Cache` says `hit` or `miss`.",
        "content": {"audio/wav": {"schema": {"type": "string", "format": "binary"}}},
    },
    422: error_doc("Empty or too long text, unknown language, or a rate outside 0.5–2."),
    500: error_doc("espeak-ng failed."),
    503: error_doc("espeak-ng is not installed, or too many texts are being read at once."),
    504: error_doc("espeak-ng did not finish in time."),
}

_create_lock = threading.Lock()


def speech_message(key: str, lang: Language, **values: Any) -> str:
    """A speech error message in ``lang``."""
    return MESSAGES[key][lang].format(**values)


def get_synthesizer(request: Request) -> Synthesizer:
    """The application's synthesizer (built on first use; tests may set ``app.state.speech``)."""
    state = request.app.state
    synthesizer = getattr(state, "speech", None)
    if synthesizer is None:
        with _create_lock:
            synthesizer = getattr(state, "speech", None)
            if synthesizer is None:
                synthesizer = state.speech = Synthesizer(SpeechSettings())
    return synthesizer


SynthesizerDep = Annotated[Synthesizer, Depends(get_synthesizer)]


@router.get(
    "/speech",
    response_class=Response,
    responses=SPEECH_RESPONSES,
    summary="Read a text aloud (WAV)",
)
def speech(
    request: Request,
    synthesizer: SynthesizerDep,
    message_lang: LanguageDep,
    text: Annotated[str, Query(description="The plain text to read (no citation markers).")],
    lang: Annotated[str | None, Query(description="sl, en or bcs (hr, sr, bs accepted); default sl.")] = None,
    rate: Annotated[float, Query(ge=0.5, le=2.0, description="Speed; 1.0 is espeak-ng's normal 175 wpm.")] = 1.0,
) -> Response:
    """Synthesise ``text`` with espeak-ng. The text is never logged and never stored (the cache key is a hash)."""
    language = query_language(request.query_params.getlist("lang"), "sl", message_lang)
    del lang  # read above (repeated values are an error); declared for the OpenAPI schema
    plain = " ".join(text.strip(BLANK).split())
    if not plain:
        raise ApiError(422, speech_message("empty", language), "text")
    limit = synthesizer.settings.max_chars
    if len(text) > limit:
        raise ApiError(422, speech_message("too_long", language, limit=limit), "text")
    try:
        result = synthesizer.synthesize(plain, language, round(rate, 2))
    except SpeechError as exc:
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if exc.kind == "busy" else None
        raise ApiError(STATUS[exc.kind], speech_message(exc.kind, language), headers=headers) from exc
    return Response(
        content=result.wav,
        media_type="audio/wav",
        headers={"Cache-Control": "no-store", "X-Speech-Cache": "hit" if result.cached else "miss"},
    )
