"""Shared pieces of the browser tests: a live uvicorn server, the browser, page helpers, and a fake assistant whose
answers have the current shape (easy-read ``plain`` lines first, then the cited text; ``safety`` for crisis and
threat answers), modelled on what the real pipeline returns.

Needs Debian's chromium at /usr/bin/chromium and the ``playwright`` Python package (never ``playwright install``).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.config import PROJECT_ROOT
from assistant.types import Answer, AnswerSentence
from tests.api.fakes import CHUNKS, HELP_TEXTS, Call, FakeAssistant, FakeCalculator, canned_answer, source

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
STAFF = ("urska", "E2e-geslo-42")
IDLE_SECONDS = 10  # the smallest idle reset the settings allow
AXE_JS = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"


def real_calculator() -> Any:
    """The real calculator (the figures the kiosk shows must be its figures); the fake when it cannot load."""
    try:
        from assistant.calculator import Calculator

        return Calculator()
    except ImportError:
        return FakeCalculator()


class LiveServer:
    """uvicorn serving the app on 127.0.0.1 and a random port, in a thread."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.app = app
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


# --- answers in the pipeline's current shape ---------------------------------------------------------------

S = AnswerSentence
UNOFFICIAL = {
    "en": "Unofficial translation of the Slovenian text; the original is shown with the source.",
    "bcs": "Neslužbeni prijevod slovenskog teksta; izvornik je prikazan uz izvor.",
}
VISITS_PLAIN = {
    "sl": [
        "Ožja družina vas lahko obišče najmanj 2-krat na teden. Obisk traja najmanj 1 uro.",
        "Nadzorovan obisk traja do 2 uri.",
    ],
    "en": [
        "Close family can visit you at least 2 times a week. A visit lasts at least 1 hour.",
        "A supervised visit lasts up to 2 hours.",
    ],
    "bcs": [
        "Uža obitelj vas može posjetiti najmanje 2 puta tjedno. Posjet traje najmanje 1 sat.",
        "Nadzirani posjet traje do 2 sata.",
    ],
}
VISITS_EXACT = {
    "sl": [
        S(
            "Obsojenki je omogočeno, da jo najmanj dvakrat tedensko obiščejo ožji družinski člani, rejnik in skrbnik.",
            [1],
        ),
        S("Obiska ni mogoče omejiti na manj kot eno uro.", [1]),
        S("Nadzorovani obiski trajajo do dve uri.", [2]),
    ],
    "en": [
        S(
            "The convicted woman may be visited at least twice a week by close family members, a foster parent "
            "and a guardian. A visit cannot be limited to less than one hour.",
            [1],
        ),
        S("Supervised visits last up to two hours.", [2]),
    ],
    "bcs": [
        S(
            "Osuđenici je omogućeno da je najmanje dvaput tjedno posjete uži članovi obitelji, udomitelj i "
            "skrbnik. Posjet se ne može ograničiti na manje od jednog sata.",
            [1],
        ),
        S("Nadzirani posjeti traju do dva sata.", [2]),
    ],
}
BRIDGE = {
    "sl": "Odgovor na vaše vprašanje je spodaj.",
    "en": "The answer to your question is below.",
    "bcs": "Odgovor na vaše pitanje je ispod.",
}
THREAT = {
    "sl": "Pri tem, da bi komu škodovali, vam ne morem pomagati. Če vas je jeza ali vas je strah, se takoj "
    "pogovorite z nekom iz osebja – lahko vam pomagajo.",
    "en": "I cannot help with hurting anyone. If you are angry or afraid, talk to a member of staff right now – "
    "they can help you.",
    "bcs": "Ne mogu vam pomoći da nekome naudite. Ako ste ljuti ili se bojite, odmah razgovarajte s nekim iz "
    "osoblja – mogu vam pomoći.",
}


def _language(question: str, language: str | None) -> str:
    if language in ("sl", "en", "bcs"):
        return language
    return canned_answer(question, None).language


def _help(lang: str) -> list[AnswerSentence]:
    first, second = HELP_TEXTS[lang]
    return [S(first, []), S(second, [1])]


def plain_answer(question: str, language: str | None = None) -> Answer:
    """Keywords as in ``tests.api.fakes.canned_answer``, answers as the pipeline now shapes them.

    "umreti"/"kill myself" → crisis; "ne zmorem" / "can't go on" → possible_crisis (help, bridge, the visits
    answer); "ubila bom"/"kill the guard" → threat; "dopust" → calculator; "vreme" → refusal; anything else → the
    visits answer: easy-read lines, then the quotes (Slovenian) or the translated paragraphs (English, BCS).
    """
    q = question.lower()
    lang = _language(question, language)
    if any(word in q for word in ("dopust", "vreme", "weather", "umreti", "ubiti", "kill myself")) and not any(
        word in q for word in ("ne zmorem", "can't go on")
    ):
        answer = canned_answer(question, lang)
        if answer.mode == "crisis":
            answer.sentences = _help(lang)
            answer.safety = "crisis"
            answer.note = None if lang == "sl" else "The source is quoted in Slovenian."
        return answer
    if "ubila bom" in q or "kill the guard" in q:
        return Answer(
            question=question,
            language=lang,
            mode="refusal",
            sentences=[S(THREAT[lang], [])],
            sources=[],
            confidence=1.0,
            refused=True,
            safety="threat",
        )
    plain = VISITS_PLAIN[lang]
    body = [S(plain[0], [1]), S(plain[1], [2]), *VISITS_EXACT[lang]]
    sources = [source(1, CHUNKS[0], 0.82), source(2, CHUNKS[2], 0.61)]
    note = UNOFFICIAL.get(lang)
    safety = None
    if "ne zmorem" in q or "can't go on" in q:
        help_source = source(3, CHUNKS[5], 1.0)
        first, second = HELP_TEXTS[lang]
        body = [S(first, []), S(second, [3]), S(BRIDGE[lang], []), *body]
        sources.append(help_source)
        safety = "possible_crisis"
    return Answer(
        question=question,
        language=lang,  # type: ignore[arg-type]
        mode="extractive",
        sentences=body,
        sources=sources,
        confidence=0.8,
        note=note,
        plain=list(plain),
        safety=safety,
        retrieval_query="obisk tedensko",
        timings={"retrieve_ms": 3.0},
        diagnostics={"safety": "self_harm"} if safety else {},
    )


@dataclass
class PlainFakeAssistant(FakeAssistant):
    """FakeAssistant answering with :func:`plain_answer` (the stream paced by ``sentence_delay``)."""

    def answer(self, question: str, history: Any = None, language: str | None = None) -> Answer:
        """The answer in the current shape."""
        self.calls.append(Call(question, list(history) if history else history, language))
        self._wait(question)
        return plain_answer(question, language)

    def iter_answer(self, question: str, history: Any = None, language: str | None = None) -> Iterator[Any]:
        """Its sentences one by one, then the answer."""
        self.calls.append(Call(question, list(history) if history else history, language))
        self._wait(question)
        answer = plain_answer(question, language)
        for sentence in answer.sentences:
            if self.sentence_delay:
                time.sleep(self.sentence_delay)
            yield sentence
        yield answer


# --- page helpers --------------------------------------------------------------------------------------------


def new_page(browser: Any, width: int, height: int, **kwargs: Any) -> Any:
    """A fresh touch context (nothing shared with earlier pages) and its page."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=True, is_mobile=False, locale="sl-SI", **kwargs
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def shot(page: Any, name: str) -> None:
    """A screenshot for people to look at, in test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def type_on_keyboard(page: Any, text: str) -> None:
    """Tap the on-screen keys."""
    for ch in text:
        key = "space" if ch == " " else ch
        page.locator(f'#keyboard [data-key="{key}"]').tap()


def open_kiosk(page: Any, server: LiveServer) -> None:
    """Load the kiosk and wait until it has its tiles."""
    from playwright.sync_api import expect

    page.goto(server.url + "/kiosk/")
    expect(page.locator("body")).to_have_attribute("data-ready", "1")
    expect(page.locator("#tiles .tile").first).to_be_visible()


def short_idle(page: Any, idle_seconds: int = 4, countdown_seconds: int = 3) -> None:
    """Serve the kiosk a short idle time (the settings allow no less than 10 s)."""
    config = {
        "idle_reset_seconds": idle_seconds,
        "countdown_seconds": countdown_seconds,
        "max_question_chars": 500,
        "languages": ["sl", "en", "hr"],
        "default_language": "sl",
    }
    page.route("**/api/kiosk-config", lambda route: route.fulfill(json=config))


def ask_typed(page: Any, question: str) -> None:
    """Ask on the on-screen keyboard and wait for the whole answer."""
    from playwright.sync_api import expect

    page.locator("#askBtn").tap()
    type_on_keyboard(page, question)
    expect(page.locator("#questionText")).to_have_text(question)
    page.locator("#send").tap()
    expect(page.locator("#screen-answer")).to_have_attribute("data-answer", "done")
