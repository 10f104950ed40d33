"""End to end: the real app (fake assistant, real calculator when importable) in uvicorn, driven by Chromium.

Needs Debian's chromium at /usr/bin/chromium and the ``playwright`` Python package (never
``playwright install``).
Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from assistant.api.app import create_app
from assistant.api.auth import hash_password
from assistant.config import PROJECT_ROOT, Settings
from tests.api.fakes import FakeAssistant, FakeCalculator

pytestmark = pytest.mark.e2e

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

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium)", allow_module_level=True)
try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:
    pytest.skip("the playwright Python package is missing (pip install playwright)", allow_module_level=True)


def _calculator() -> Any:
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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("e2e")
    settings = Settings(
        idle_reset_seconds=IDLE_SECONDS,
        feedback_db=tmp / "var" / "feedback.sqlite3",
        eval_report_dir=tmp / "eval",
        staff_users={STAFF[0]: hash_password(STAFF[1], iterations=1000)},
        staff_tokens=[],
        generator="extractive",
    )
    app = create_app(settings, assistant=FakeAssistant(sentence_delay=0.15), calculator=_calculator())
    with LiveServer(app) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _page(browser: Browser, width: int, height: int, **kwargs: Any) -> Page:
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=True, is_mobile=False, locale="sl-SI", **kwargs
    )
    context.set_default_timeout(10_000)
    return context.new_page()


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _type_on_keyboard(page: Page, text: str) -> None:
    for ch in text:
        key = "space" if ch == " " else ch
        page.locator(f'#keyboard [data-key="{key}"]').tap()


def _open_kiosk(page: Page, server: LiveServer) -> None:
    page.goto(server.url + "/kiosk/")
    expect(page.locator("body")).to_have_attribute("data-ready", "1")
    expect(page.locator("#tiles .tile").first).to_be_visible()


def test_kiosk_question_citation_and_idle_reset(browser: Browser, server: LiveServer) -> None:
    page = _page(browser, 1080, 1920)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    _open_kiosk(page, server)
    expect(page.locator(".staff-note")).to_have_text("Za osebne zadeve vprašajte osebje.")
    assert page.locator("#tiles .tile").count() >= 12
    _shot(page, "kiosk-portrait-1-start")

    page.locator('#tiles [data-topic="obiski"]').tap()
    expect(page.locator("#topicTitle")).to_have_text("Obiski")
    expect(page.locator("#starters .starter")).to_have_count(3)
    _shot(page, "kiosk-portrait-2-topic")

    page.locator("#ownQuestion").tap()
    expect(page.locator("#keyboard [data-key='č']")).to_be_visible()
    _type_on_keyboard(page, "kdaj so obiski")
    page.locator('#keyboard [data-key="?"]').tap()
    expect(page.locator("#questionText")).to_have_text("kdaj so obiski?")
    _shot(page, "kiosk-portrait-3-keyboard")

    page.locator("#send").tap()
    expect(page.locator("#sentences .sentence")).to_have_count(2)
    chip = page.locator("#sentences .chip").first
    expect(chip).to_be_enabled()
    expect(page.locator("#status")).to_have_text("")
    _shot(page, "kiosk-portrait-4-answer")

    chip.tap()
    dialog = page.locator("#sourceDialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#sourceLabel")).to_have_text("Priročnik ZPKZ Ig › Obiski, odst. 1")
    expect(page.locator("#sourceBody mark")).to_contain_text("najmanj dvakrat tedensko")
    expect(page.locator("#sourceBody p")).to_have_count(2)  # the passage and its next neighbour
    _shot(page, "kiosk-portrait-5-source")
    page.locator("#closeSource").tap()
    expect(dialog).to_be_hidden()

    sessions = server.app.state.services.sessions
    assert len(sessions) == 1
    # no touch for a while: the countdown appears, then everything is cleared
    expect(page.locator("#idleOverlay")).to_be_visible(timeout=(IDLE_SECONDS + 2) * 1000)
    expect(page.locator("#idleCount")).to_have_text(re.compile(r"^[1-3]$"))
    _shot(page, "kiosk-portrait-6-countdown")
    expect(page.locator("body")).to_have_attribute("data-resets", "1", timeout=6000)
    expect(page.locator("#screen-start")).to_be_visible()
    expect(page.locator("#sentences .sentence")).to_have_count(0)
    expect(page.locator("#questionText")).to_have_text("")
    expect(page.locator("#idleOverlay")).to_be_hidden()
    _shot(page, "kiosk-portrait-7-after-reset")
    deadline = time.monotonic() + 5
    while len(sessions) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(sessions) == 0  # the kiosk dropped its conversation
    assert all(url.startswith(server.url) for url in requests), requests  # nothing from outside
    page.context.close()


def test_kiosk_landscape_languages_size_contrast(browser: Browser, server: LiveServer) -> None:
    page = _page(browser, 1920, 1080)
    _open_kiosk(page, server)
    _shot(page, "kiosk-landscape-1-start")
    page.locator('[data-lang="en"]').tap()
    expect(page.locator(".staff-note")).to_have_text("For personal matters, ask the staff.")
    expect(page.locator('#tiles [data-topic="obiski"]')).to_have_text("Visits")
    page.locator('[data-lang="hr"]').tap()
    expect(page.locator(".staff-note")).to_have_text("Za osobna pitanja obratite se osoblju.")
    page.locator("#askBtn").tap()
    for key in ("č", "ć", "đ", "š", "ž"):
        expect(page.locator(f'#keyboard [data-key="{key}"]')).to_be_visible()
    _shot(page, "kiosk-landscape-2-keyboard-hr")
    page.locator("#textSize").tap()
    page.locator("#contrast").tap()
    assert "hc" in (page.locator("html").get_attribute("class") or "")
    _shot(page, "kiosk-landscape-3-large-contrast")
    # everything still fits: no horizontal scrolling
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("#finish").tap()
    expect(page.locator(".staff-note")).to_have_text("Za osebne zadeve vprašajte osebje.")
    assert "hc" not in (page.locator("html").get_attribute("class") or "")
    page.context.close()


def test_kiosk_calculator_form(browser: Browser, server: LiveServer) -> None:
    page = _page(browser, 1080, 1920)
    _open_kiosk(page, server)
    page.locator("#askBtn").tap()
    _type_on_keyboard(page, "koliko dopusta")
    page.locator("#send").tap()
    form = page.locator("#calc")
    expect(form).to_be_visible()
    field = form.locator('[data-field="full_time_months"]')
    expect(field).to_be_visible()
    for _ in range(3):
        field.locator('[data-action="increment"]').tap()
    expect(field.locator(".value")).to_have_text("3")
    form.locator('[data-action="calculate"]').tap()
    expect(form.locator(".calc-result .summary")).to_contain_text("6")
    _shot(page, "kiosk-portrait-8-calculator")
    field.locator('[data-action="decrement"]').tap()  # 2
    page.context.close()


def test_kiosk_crisis_is_prominent(browser: Browser, server: LiveServer) -> None:
    page = _page(browser, 1080, 1920)
    _open_kiosk(page, server)
    page.locator("#askBtn").tap()
    _type_on_keyboard(page, "hočem umreti")
    page.locator("#send").tap()
    expect(page.locator("#crisis")).to_be_visible()
    expect(page.locator("#crisis")).to_contain_text("Niste sami")
    _shot(page, "kiosk-portrait-9-crisis")
    page.context.close()


def test_kiosk_page_weight(browser: Browser, server: LiveServer) -> None:
    page = _page(browser, 1080, 1920)
    sizes: dict[str, int] = {}

    def record(response: Any) -> None:
        with contextlib.suppress(Exception):  # redirects have no body
            sizes[response.url] = len(response.body())

    page.on("response", record)
    _open_kiosk(page, server)
    page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    assert total < 200_000, sizes
    page.context.close()


def test_staff_chat_feedback(browser: Browser, server: LiveServer) -> None:
    anonymous = _page(browser, 1280, 900)
    response = anonymous.context.request.get(server.url + "/staff")
    assert response.status == 401 and response.headers["www-authenticate"].startswith("Basic")
    anonymous.context.close()

    page = _page(browser, 1440, 900, http_credentials={"username": STAFF[0], "password": STAFF[1]})
    page.goto(server.url + "/staff")
    page.locator("#question").fill("Kolikokrat na teden so dovoljeni obiski?")
    page.locator("#askButton").click()
    turn = page.locator("#log .turn").first
    expect(turn).to_contain_text("najmanj dvakrat tedensko")
    expect(page.locator("#sources .source")).to_have_count(2)
    expect(page.locator("#sources")).to_contain_text("ocena iskanja 0.820")
    turn.locator('[data-rating="down"]').click()
    turn.locator("textarea").fill("Manjka, da obisk traja najmanj eno uro.")
    turn.locator('[data-action="save-feedback"]').click()
    expect(turn.locator(".saved")).to_contain_text("Shranjeno")
    _shot(page, "staff-1-chat-feedback")
    csv_text = page.context.request.get(server.url + "/staff/feedback.csv").text().lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert rows[-1]["rating"] == "down"
    assert rows[-1]["comment"] == "Manjka, da obisk traja najmanj eno uro."
    assert rows[-1]["staff_user"] == STAFF[0]
    assert rows[-1]["question"] == "Kolikokrat na teden so dovoljeni obiski?"
    page.goto(server.url + "/staff/eval")
    expect(page.locator("body")).to_contain_text("Poročilo evalvacije še ne obstaja")
    page.context.close()


def test_artifacts_written() -> None:
    assert ARTIFACTS.is_dir() and any(ARTIFACTS.glob("kiosk-*.png"))


def _short_idle(page: Page, idle_seconds: int = 4, countdown_seconds: int = 3) -> None:
    """Serve the kiosk a short idle time (the settings allow no less than 10 s)."""
    config = {
        "idle_reset_seconds": idle_seconds,
        "countdown_seconds": countdown_seconds,
        "max_question_chars": 500,
        "languages": ["sl", "en", "hr"],
        "default_language": "sl",
    }
    page.route("**/api/kiosk-config", lambda route: route.fulfill(json=config))


def _expect_help_screen(page: Page, title: str) -> None:
    expect(page.locator("#screen-help")).to_be_visible()
    expect(page.locator("#helpTitle")).to_have_text(title)
    expect(page.locator("#helpSentences .phone")).to_have_text(["080 15 30", "112"])
    font_px = page.locator("#helpSentences .phone").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert font_px >= 36  # the numbers to call are in large type


def test_kiosk_help_button_everywhere(browser: Browser, server: LiveServer) -> None:
    page = _page(browser, 1080, 1920)
    _short_idle(page, idle_seconds=6, countdown_seconds=4)
    _open_kiosk(page, server)
    help_button = page.locator("#helpBtn")
    expect(help_button).to_have_text("☎ Potrebujem pomoč")

    # start screen → help → back
    help_button.tap()
    _expect_help_screen(page, "Niste sami. Takoj povejte osebju.")
    expect(page.locator("#helpTitle")).to_be_focused()
    page.locator("#helpSentences .chip").first.tap()  # the help text is cited too
    expect(page.locator("#sourceBody mark")).to_contain_text("080 15 30")
    page.locator("#closeSource").tap()
    page.locator("#helpBack").tap()
    expect(page.locator("#screen-start")).to_be_visible()

    # answer screen with a source dialog open: the help button is above the dialog; back returns to the answer
    page.locator("#askBtn").tap()
    _type_on_keyboard(page, "kdaj so obiski")
    page.locator("#send").tap()
    expect(page.locator("#sentences .sentence")).to_have_count(2)
    page.locator("#sentences .chip").first.tap()
    expect(page.locator("#sourceDialog")).to_be_visible()
    help_button.tap()
    expect(page.locator("#sourceDialog")).to_be_hidden()
    _expect_help_screen(page, "Niste sami. Takoj povejte osebju.")
    page.locator("#helpBack").tap()
    expect(page.locator("#screen-answer")).to_be_visible()
    expect(page.locator("#sentences .sentence")).to_have_count(2)

    # the idle countdown dialog: still reachable, and it closes the countdown
    expect(page.locator("#idleOverlay")).to_be_visible(timeout=8000)
    help_button.tap()
    expect(page.locator("#idleOverlay")).to_be_hidden()
    _expect_help_screen(page, "Niste sami. Takoj povejte osebju.")

    # English
    page.locator('[data-lang="en"]').tap()
    expect(help_button).to_have_text("☎ I need help")
    help_button.tap()
    _expect_help_screen(page, "You are not alone. Tell the staff now.")
    expect(page.locator("#helpSentences")).to_contain_text("Human Rights Ombudsman")
    page.context.close()


def test_kiosk_help_without_the_service(browser: Browser, server: LiveServer) -> None:
    """If /api/help cannot answer, the kiosk still shows the numbers to call."""
    page = _page(browser, 1920, 1080)
    page.route("**/api/help*", lambda route: route.fulfill(status=503, json={"detail": "x", "field": None}))
    _open_kiosk(page, server)
    page.locator('[data-lang="hr"]').tap()
    expect(page.locator("#helpBtn")).to_have_text("☎ Trebam pomoć")
    page.locator("#helpBtn").tap()
    _expect_help_screen(page, "Niste sami. Odmah recite osoblju.")
    expect(page.locator("#helpSentences")).to_contain_text("Zaštitnika ljudskih prava")
    page.context.close()


def _traces(page: Page) -> dict[str, Any]:
    """What a next person could find: the page's HTML, every input value, and browser storage."""
    return page.evaluate(
        """() => ({
            html: document.body.innerHTML,
            head: document.head.innerHTML + document.title,
            values: [...document.querySelectorAll('input, textarea, select')].map((e) => e.value),
            storage: JSON.stringify({...sessionStorage}) + JSON.stringify({...localStorage}),
            storageCount: sessionStorage.length + localStorage.length,
        })"""
    )


def _assert_forgotten(page: Page, server: LiveServer, *texts: str) -> None:
    traces = _traces(page)
    assert traces["storageCount"] == 0
    for text in texts:
        needle = text.lower()
        assert needle not in traces["html"].lower(), text
        assert needle not in traces["head"].lower(), text
        assert all(needle not in value.lower() for value in traces["values"]), text
        assert needle not in traces["storage"].lower(), text
    sessions = server.app.state.services.sessions
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # the kiosk drops its conversation with a background DELETE
        ids = list(sessions._sessions)
        remembered = " ".join(turn.question for sid in ids for turn in sessions.history(sid)).lower()
        if not any(text.lower() in remembered for text in texts):
            break
        time.sleep(0.05)
    else:
        raise AssertionError(f"the server still remembers one of {texts}")


def _ask_typed(page: Page, question: str, sentences: int = 2) -> None:
    page.locator("#askBtn").tap()
    _type_on_keyboard(page, question)
    expect(page.locator("#questionText")).to_have_text(question)
    page.locator("#send").tap()
    expect(page.locator("#sentences .sentence")).to_have_count(sentences)


def test_kiosk_forgets_the_previous_person(browser: Browser, server: LiveServer) -> None:
    page = _page(browser, 1080, 1920)
    _short_idle(page, idle_seconds=6, countdown_seconds=3)
    _open_kiosk(page, server)
    secret = "kdaj lahko mojca pride na obisk"
    answer_text = "dvakrat tedensko"

    # 1. "Na začetek" after an answer and an opened source
    _ask_typed(page, secret)
    expect(page.locator("#askedText")).to_have_text(secret)
    page.locator("#sentences .chip").first.tap()
    page.locator("#closeSource").tap()
    assert secret in _traces(page)["html"]  # the check below can see it while it is there
    page.locator("#toStart").tap()
    expect(page.locator("#screen-start")).to_be_visible()
    _assert_forgotten(page, server, secret, answer_text)

    # 2. a language switch clears the calculator form and its inputs
    page.locator("#askBtn").tap()
    _type_on_keyboard(page, "koliko dopusta za mojco")
    page.locator("#send").tap()
    field = page.locator('#calc [data-field="full_time_months"]')
    for _ in range(7):
        field.locator('[data-action="increment"]').tap()
    expect(field.locator(".value")).to_have_text("7")
    page.locator('[data-lang="en"]').tap()
    expect(page.locator("#screen-start")).to_be_visible()
    expect(page.locator("#calc [data-field]")).to_have_count(0)
    _assert_forgotten(page, server, "koliko dopusta za mojco", "Število mesecev dela")

    # 3. a language switch while typing empties the question box
    page.locator("#askBtn").tap()
    _type_on_keyboard(page, "mojca")
    page.locator('[data-lang="sl"]').tap()
    expect(page.locator("#screen-ask")).to_be_visible()
    expect(page.locator("#questionText")).to_have_text("")
    _assert_forgotten(page, server, "mojca")

    # 4. the idle reset
    page.locator('[data-lang="en"]').tap()
    page.locator("#screen-ask .back").tap()
    _ask_typed(page, "can mojca visit me")
    assert page.locator("body").get_attribute("data-resets") is None  # no reset so far
    expect(page.locator("#idleOverlay")).to_be_visible(timeout=8000)
    expect(page.locator("body")).to_have_attribute("data-resets", "1", timeout=8000)
    expect(page.locator(".staff-note")).to_have_text("Za osebne zadeve vprašajte osebje.")
    _assert_forgotten(page, server, "can mojca visit me", answer_text)
    page.context.close()


def test_kiosk_accessibility_favicon_and_serbian(browser: Browser, server: LiveServer) -> None:
    page = _page(browser, 1920, 1080)
    failures: list[str] = []
    asked: list[dict[str, Any]] = []
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: asked.append(r.post_data_json) if r.url.endswith("/api/ask/stream") else None)
    _short_idle(page, idle_seconds=5, countdown_seconds=3)
    _open_kiosk(page, server)
    page.wait_for_load_state("networkidle")
    icon = page.locator('link[rel="icon"]').get_attribute("href") or ""
    assert icon.startswith("data:image/png;base64,")  # inline: no /favicon.ico request

    # the question box has an accessible name
    page.locator("#askBtn").tap()
    expect(page.get_by_role("textbox", name="Napišite vprašanje")).to_be_visible()

    # a dialog takes the focus, Esc closes it and gives the focus back
    page.keyboard.type("kdaj so obiski")
    page.keyboard.press("Enter")
    expect(page.locator("#sentences .sentence")).to_have_count(2)
    expect(page.locator("#status")).to_have_text("")  # the whole answer is in (streamed chips are redrawn)
    chip = page.locator("#sentences .chip").first
    chip.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#sourceDialog")).to_be_visible()
    expect(page.locator("#closeSource")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#sourceDialog")).to_be_hidden()
    expect(chip).to_be_focused()
    expect(page.locator("#idleOverlay")).to_be_visible(timeout=6000)
    expect(page.locator("#stay")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#idleOverlay")).to_be_hidden()
    expect(page.locator("#screen-answer")).to_be_visible()

    # Serbian/Bosnian readers have their own label and texts; the service is asked in "bcs"
    sr = page.locator('[data-lang="sr"]')
    expect(sr).to_have_text("Srpski/Bosanski")
    sr.tap()
    expect(page.locator("html")).to_have_attribute("lang", "sr-Latn")
    expect(page.locator(".staff-note")).to_have_text("Za lična pitanja obratite se osoblju.")
    expect(page.locator("#helpBtn")).to_have_text("☎ Trebam pomoć")
    expect(page.locator('#tiles [data-topic="obiski"]')).to_have_text("Posjeti")
    _ask_typed(page, "kada su posjete")
    assert asked[-1]["language"] == "bcs"
    assert not failures, failures
    page.context.close()


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_kiosk_reads_aloud_with_server_speech(browser: Browser, server: LiveServer) -> None:
    page = _page(browser, 1080, 1920)
    spoken: list[dict[str, list[str]]] = []
    page.on(
        "request",
        lambda r: spoken.append(parse_qs(urlsplit(r.url).query)) if "/api/speech" in r.url else None,
    )
    _open_kiosk(page, server)
    read = page.locator("#readAloud")
    page.locator('[data-lang="en"]').tap()
    page.locator("#askBtn").tap()
    _type_on_keyboard(page, "how long is a visit")
    page.locator("#send").tap()
    expect(page.locator("#status")).to_have_text("")
    expect(read).to_be_visible()
    expect(read).to_have_text("▶ Read aloud")
    assert read.evaluate("e => e.getBoundingClientRect().height") >= 72  # large

    # an English answer quoting the handbook: the Slovenian quotes are read with the Slovenian voice
    read.tap()
    expect(read).to_have_attribute("aria-pressed", "true")
    expect(read).to_have_text("■ Stop reading")
    expect(page.locator("body")).to_have_attribute("data-speech", "playing")
    assert spoken[0]["lang"] == ["sl"] and spoken[0]["rate"] == ["0.85"]
    assert "dvakrat tedensko" in spoken[0]["text"][0] and "[1]" not in spoken[0]["text"][0]
    read.tap()  # the same button stops
    expect(read).to_have_attribute("aria-pressed", "false")
    expect(page.locator("body")).not_to_have_attribute("data-speech", re.compile(".*"))

    # the help text is read in the reader's language; leaving the screen stops the audio
    page.locator("#helpBtn").tap()
    expect(page.locator("#helpSentences .phone").first).to_be_visible()
    page.locator("#helpRead").tap()
    expect(page.locator("body")).to_have_attribute("data-speech", "playing")
    assert spoken[-1]["lang"] == ["en"] and "080 15 30" in spoken[-1]["text"][0]
    page.locator("#helpBack").tap()
    expect(page.locator("body")).not_to_have_attribute("data-speech", re.compile(".*"))
    expect(page.locator("#helpRead")).to_have_attribute("aria-pressed", "false")

    # "Na začetek" while reading: the audio stops and nothing of it is left
    read.tap()
    expect(page.locator("body")).to_have_attribute("data-speech", "playing")
    page.locator("#toStart").tap()
    expect(page.locator("body")).not_to_have_attribute("data-speech", re.compile(".*"))
    assert page.evaluate("document.querySelectorAll('audio, video').length") == 0
    page.context.close()


def test_kiosk_read_aloud_when_speech_is_unavailable(browser: Browser, server: LiveServer) -> None:
    """Without espeak-ng the button stays (it is never hidden) and says why it cannot read."""
    page = _page(browser, 1920, 1080)
    message = {"detail": "Branje na glas trenutno ni na voljo. Vprašajte osebje.", "field": None}
    page.route("**/api/speech*", lambda route: route.fulfill(status=503, json=message))
    _open_kiosk(page, server)
    _ask_typed(page, "kdaj so obiski")
    expect(page.locator("#status")).to_have_text("")
    page.locator("#readAloud").tap()
    expect(page.locator("#readAloudError")).to_have_text(message["detail"])
    expect(page.locator("#readAloud")).to_be_visible()
    expect(page.locator("#readAloud")).to_have_attribute("aria-pressed", "false")
    page.context.close()


@pytest.mark.parametrize(("orientation", "width", "height"), [("portrait", 1080, 1920), ("landscape", 1920, 1080)])
@pytest.mark.parametrize("lang", ["sl", "en"])
def test_kiosk_screenshots(browser: Browser, server: LiveServer, orientation: str, width: int, height: int,
                           lang: str) -> None:
    """Start, help, answer and idle countdown in both orientations, for looking at (test-artifacts/)."""
    page = _page(browser, width, height)
    _short_idle(page, idle_seconds=5, countdown_seconds=3)
    _open_kiosk(page, server)
    name = f"kiosk-{orientation}-{lang}"
    if lang != "sl":
        page.locator(f'[data-lang="{lang}"]').tap()
    expect(page.locator("#tiles .tile").first).to_be_visible()
    _shot(page, f"{name}-1-start")
    page.locator("#helpBtn").tap()
    expect(page.locator("#helpSentences .phone").first).to_be_visible()
    _shot(page, f"{name}-2-help")
    page.locator("#helpBack").tap()
    page.locator("#askBtn").tap()
    _type_on_keyboard(page, "kdaj so obiski" if lang == "sl" else "how long is a visit")
    page.locator("#send").tap()
    expect(page.locator("#status")).to_have_text("")
    expect(page.locator("#readAloud")).to_be_enabled()
    _shot(page, f"{name}-3-answer")
    expect(page.locator("#idleOverlay")).to_be_visible(timeout=7000)
    _shot(page, f"{name}-4-countdown")
    # nothing is cut off or scrolls sideways, and every visible button is at least the tap size
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    small = page.evaluate(
        """() => [...document.querySelectorAll('button')].filter((b) => b.offsetParent !== null)
            .map((b) => b.getBoundingClientRect()).filter((r) => r.height < 56 || r.right > innerWidth + 1)
            .length"""
    )
    assert small == 0
    page.context.close()
