"""End to end: the real app (fake assistant with answers in the pipeline's shape, real calculator) in uvicorn,
driven by Chromium with touch. Screenshots go to ``test-artifacts/``; the accessibility walk over every screen is in
``test_kiosk_a11y.py``, the calculator tiles in ``test_kiosk_calculator.py``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e.kiosk_support import (
    ARTIFACTS,
    IDLE_SECONDS,
    STAFF,
    LiveServer,
    ask_typed,
    new_page,
    open_kiosk,
    short_idle,
    shot,
    type_on_keyboard,
)

pytestmark = pytest.mark.e2e

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:
    pytest.skip("the playwright Python package is missing (pip install playwright)", allow_module_level=True)

# old names, used throughout
_page = new_page
_shot = shot
_type_on_keyboard = type_on_keyboard
_open_kiosk = open_kiosk
_short_idle = short_idle


def _font_px(locator: Any) -> float:
    return float(locator.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))


def test_kiosk_question_plain_first_citation_and_idle_reset(browser: Browser, server: LiveServer) -> None:
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
    # "Briši vse" is not on the keyboard, far from the space bar
    assert page.locator("#keyboard [data-key='clear']").count() == 0
    clear_box = page.locator("#clearQuestion").bounding_box()
    space_box = page.locator("#keyboard [data-key='space']").bounding_box()
    assert clear_box and space_box and space_box["y"] - (clear_box["y"] + clear_box["height"]) > 150
    _shot(page, "kiosk-portrait-3-keyboard")

    page.locator("#send").tap()
    # "Iščem odgovor" goes as soon as the first (streamed) sentence is on the screen, before the whole answer
    expect(page.locator("#sentences .sentence").first).to_be_visible()
    assert page.locator("#status").text_content() == ""
    assert page.locator("#screen-answer").get_attribute("data-answer") is None
    expect(page.locator("#screen-answer")).to_have_attribute("data-answer", "done")

    # the easy-read lines first, large, one idea per line, the figures emphasised; the exact text folded
    plain = page.locator("#sentences .sentence")
    expect(plain).to_have_count(2)
    expect(plain.first.locator(".line")).to_have_text(
        ["Ožja družina vas lahko obišče najmanj 2-krat na teden.", "Obisk traja najmanj 1 uro."]
    )
    expect(plain.first.locator(".fig")).to_have_text(["2-krat", "1"])
    assert _font_px(plain.first) >= 30
    assert "dvakrat tedensko" not in (page.locator("#sentences").text_content() or "")  # not twice
    toggle = page.locator("#exactToggle")
    expect(toggle).to_have_text(re.compile("Kaj točno piše"))
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#exact")).to_be_hidden()
    expect(page.locator("#translationMark")).to_be_hidden()
    _shot(page, "kiosk-portrait-4-answer")

    toggle.tap()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    groups = page.locator("#exactGroups .exact-group")
    expect(groups).to_have_count(2)
    expect(groups.first.locator(".exact-label")).to_have_text("Priročnik ZPKZ Ig › Obiski, odst. 1")
    expect(groups.first).to_contain_text("najmanj dvakrat tedensko")
    expect(groups.first).to_contain_text("Obiska ni mogoče omejiti na manj kot eno uro.")
    for line in ("Ožja družina vas lahko obišče", "Nadzorovan obisk traja do 2 uri."):
        assert line not in (page.locator("#exact").text_content() or "")
    _shot(page, "kiosk-portrait-4b-exact")

    chip = page.locator("#sentences .chip").first
    expect(chip).to_be_enabled()
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
    expect(page.locator("#exactGroups .exact-group")).to_have_count(0)
    expect(page.locator("#questionText")).to_have_text("")
    expect(page.locator("#idleOverlay")).to_be_hidden()
    _shot(page, "kiosk-portrait-7-after-reset")
    deadline = time.monotonic() + 5
    while len(sessions) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(sessions) == 0  # the kiosk dropped its conversation
    assert all(url.startswith(server.url) for url in requests), requests  # nothing from outside
    page.context.close()


def test_kiosk_english_answer_shows_translation_beside_the_original(browser: Browser, server: LiveServer) -> None:
    page = _page(browser, 1920, 1080)
    _open_kiosk(page, server)
    page.locator('[data-lang="en"]').tap()
    ask_typed(page, "how long is a visit")
    expect(page.locator("#sentences .sentence").first.locator(".line").first).to_have_text(
        "Close family can visit you at least 2 times a week."
    )
    page.locator("#exactToggle").tap()
    expect(page.locator("#exactToggle")).to_have_text(re.compile("What exactly it says"))
    expect(page.locator("#translationMark")).to_have_text("Unofficial translation")
    expect(page.locator("#exact")).to_contain_text("may be visited at least twice a week")
    expect(page.locator("#note")).to_contain_text("Unofficial translation of the Slovenian text")
    original = page.locator("#exactGroups .chip").first
    expect(original).to_have_text("Slovenian original")
    original.tap()  # one tap away: the Slovenian original
    expect(page.locator("#sourceBody mark")).to_contain_text("najmanj dvakrat tedensko")
    expect(page.locator("#sourceNote")).to_have_text("The source is in Slovenian.")
    _shot(page, "kiosk-landscape-en-original")
    page.locator("#closeSource").tap()
    page.locator('[data-lang="hr"]').tap()
    ask_typed(page, "koliko traje posjet")
    page.locator("#exactToggle").tap()
    expect(page.locator("#exactToggle")).to_have_text(re.compile("Što točno piše"))
    expect(page.locator("#translationMark")).to_have_text("Neslužbeni prijevod")
    expect(page.locator("#exactGroups .chip").first).to_have_text("Slovenski izvornik")
    page.context.close()


def test_kiosk_crisis_threat_and_possible_crisis(browser: Browser, server: LiveServer) -> None:
    page = _page(browser, 1080, 1920)
    _open_kiosk(page, server)
    # crisis: the calm help box with the numbers large, nothing else
    ask_typed(page, "hočem umreti")
    crisis = page.locator("#crisis")
    expect(crisis).to_be_visible()
    expect(page.locator("#crisisTitle")).to_have_text("Niste sami. Takoj povejte osebju.")
    expect(crisis.locator(".phone")).to_have_text(["080 15 30", "112"])
    assert _font_px(crisis.locator(".phone").first) >= 36
    expect(page.locator("#sentences .sentence")).to_have_count(0)
    expect(page.locator("#exactToggle")).to_be_hidden()
    _shot(page, "kiosk-portrait-9-crisis")

    # possible crisis: the help first, then the ordinary answer below it
    page.locator("#again").tap()
    _type_on_keyboard(page, "ne zmorem vec kdaj so obiski")
    page.locator("#send").tap()
    expect(crisis.locator(".phone").first).to_be_visible()  # already while streaming
    expect(page.locator("#screen-answer")).to_have_attribute("data-answer", "done")
    expect(crisis.locator(".phone")).to_have_text(["080 15 30", "112"])
    expect(page.locator("#bridge")).to_have_text("Odgovor na vaše vprašanje je spodaj.")
    expect(page.locator("#sentences .sentence")).to_have_count(2)
    help_box = crisis.bounding_box()
    answer_box = page.locator("#sentences").bounding_box()
    assert help_box and answer_box and help_box["y"] + help_box["height"] <= answer_box["y"]
    expect(page.locator("#exactToggle")).to_be_visible()
    _shot(page, "kiosk-portrait-9b-possible-crisis")

    # threat: a calm refusal that says to talk to staff, no ordinary answer
    page.locator("#again").tap()
    _type_on_keyboard(page, "ubila bom paznico")
    page.locator("#send").tap()
    expect(page.locator("#screen-answer")).to_have_attribute("data-answer", "done")
    expect(crisis).to_be_visible()
    expect(crisis).to_contain_text("se takoj pogovorite z nekom iz osebja")
    expect(page.locator("#crisisTitle")).to_be_hidden()
    expect(page.locator("#sentences .sentence")).to_have_count(0)
    _shot(page, "kiosk-portrait-9c-threat")
    page.context.close()


def test_kiosk_landscape_languages_size_contrast(browser: Browser, server: LiveServer) -> None:
    page = _page(browser, 1920, 1080)
    _open_kiosk(page, server)
    _shot(page, "kiosk-landscape-1-start")
    page.locator('[data-lang="en"]').tap()
    expect(page.locator(".staff-note")).to_have_text("For personal matters, ask the staff.")
    expect(page.locator('#tiles [data-topic="obiski"]')).to_have_text("Visits")
    expect(page.locator('#calcTiles [data-calc="visits"]')).to_contain_text("My visits")
    page.locator('[data-lang="hr"]').tap()
    expect(page.locator(".staff-note")).to_have_text("Za osobna pitanja obratite se osoblju.")
    page.locator("#askBtn").tap()
    for key in ("č", "ć", "đ", "š", "ž"):
        expect(page.locator(f'#keyboard [data-key="{key}"]')).to_be_visible()
    _shot(page, "kiosk-landscape-2-keyboard-hr")
    page.locator("#textSize").tap()
    page.locator("#textSize").tap()
    page.locator("#contrast").tap()
    assert "hc" in (page.locator("html").get_attribute("class") or "")
    assert "size-3" in (page.locator("html").get_attribute("class") or "")
    _shot(page, "kiosk-landscape-3-large-contrast")
    # everything still fits: no horizontal scrolling, and the send button is on the screen
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    send = page.locator("#send").bounding_box()
    assert send and send["y"] + send["height"] <= 1080 and send["x"] + send["width"] <= 1920
    page.locator("#finish").tap()
    expect(page.locator(".staff-note")).to_have_text("Za osebne zadeve vprašajte osebje.")
    assert "hc" not in (page.locator("html").get_attribute("class") or "")
    page.context.close()


def test_kiosk_languages_from_the_config(browser: Browser, server: LiveServer) -> None:
    """The service lists sl/en/hr; hr means its "bcs", so Serbian/Bosnian is offered too; unlisted ones are not."""
    page = _page(browser, 1080, 1920)
    _open_kiosk(page, server)
    expect(page.locator('[data-lang="sr"]')).to_be_visible()
    page.context.close()
    page = _page(browser, 1080, 1920)
    config = {
        "idle_reset_seconds": 90,
        "countdown_seconds": 15,
        "max_question_chars": 500,
        "languages": ["sl", "en"],
        "default_language": "sl",
    }
    page.route("**/api/kiosk-config", lambda route: route.fulfill(json=config))
    _open_kiosk(page, server)
    expect(page.locator('[data-lang="en"]')).to_be_visible()
    expect(page.locator('[data-lang="hr"]')).to_be_hidden()
    expect(page.locator('[data-lang="sr"]')).to_be_hidden()
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
    assert any(url.endswith("/calc-kinds.js") for url in sizes)
    page.context.close()


def test_staff_chat_feedback_crisis_and_translation(browser: Browser, server: LiveServer) -> None:
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
    expect(turn.locator(".plain")).to_contain_text("Ožja družina vas lahko obišče najmanj 2-krat na teden.")
    expect(turn.locator(".crisis-banner")).to_have_count(0)
    expect(page.locator("#sources .source")).to_have_count(2)
    expect(page.locator("#sources")).to_contain_text("ocena iskanja 0.820")
    turn.locator('[data-rating="down"]').first.click()
    turn.locator(".feedback textarea").last.fill("Manjka, da obisk traja najmanj eno uro.")
    turn.locator('[data-action="save-feedback"]').last.click()
    expect(turn.locator(".saved").last).to_contain_text("Shranjeno")
    _shot(page, "staff-1-chat-feedback")
    csv_text = page.context.request.get(server.url + "/staff/feedback.csv").text().lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert rows[-1]["rating"] == "down"
    assert rows[-1]["comment"] == "Manjka, da obisk traja najmanj eno uro."
    assert rows[-1]["staff_user"] == STAFF[0]
    assert rows[-1]["question"] == "Kolikokrat na teden so dovoljeni obiski?"

    # crisis answers are marked, with their kind
    page.locator("#question").fill("hočem umreti")
    page.locator("#askButton").click()
    crisis_turn = page.locator("#log .turn").nth(1)
    expect(crisis_turn.locator(".crisis-banner")).to_contain_text("Krizni odgovor")
    expect(crisis_turn.locator(".crisis-banner")).to_have_attribute("data-safety", "crisis")
    page.locator("#question").fill("ne zmorem več, kdaj so obiski")
    page.locator("#askButton").click()
    expect(page.locator("#log .turn").nth(2).locator(".crisis-banner")).to_contain_text(
        "morebitna stiska – besedilo pomoči in nato običajni odgovor · vrsta: samopoškodovanje"
    )
    page.locator("#question").fill("ubila bom paznico")
    page.locator("#askButton").click()
    expect(page.locator("#log .turn").nth(3).locator(".crisis-banner")).to_have_attribute("data-safety", "threat")

    # an English answer: the translation beside the Slovenian original
    page.locator("#language").select_option("en")
    page.locator("#question").fill("How long is a visit?")
    page.locator("#askButton").click()
    table = page.locator("#log .turn").nth(4).locator("table.translation")
    expect(table.locator("tbody tr")).to_have_count(2)
    row = table.locator("tbody tr").first
    expect(row.locator("td").first).to_contain_text("may be visited at least twice a week")
    expect(row.locator("td").nth(1)).to_contain_text("najmanj dvakrat tedensko")
    _shot(page, "staff-2-crisis-and-translation")
    page.context.close()


def test_staff_evaluation_report(browser: Browser, server: LiveServer) -> None:
    page = _page(browser, 1440, 900, http_credentials={"username": STAFF[0], "password": STAFF[1]})
    report_dir = Path(server.app.state.services.settings.eval_report_dir)
    for leftover in report_dir.glob("*") if report_dir.exists() else []:
        leftover.unlink()
    page.goto(server.url + "/staff")
    page.locator("#evalLink").click()
    expect(page.locator("#evalPanel")).to_be_visible()
    expect(page.locator("#evalBody .no-run")).to_contain_text("Evalvacija še ni bila zagnana: poročila ni.")
    expect(page.locator("#evalBody")).to_contain_text("assistant eval")
    _shot(page, "staff-3-eval-no-run")
    page.locator("#evalClose").click()

    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "report.md").write_text(
        "# Evaluation report\n\n## Retrieval\n\n| mode | recall@5 |\n|---|---|\n| hybrid | **1.0** |\n\n"
        "![recall by style](retrieval_by_style.png)\n\n- one\n- two\n",
        encoding="utf-8",
    )
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
    )
    (report_dir / "retrieval_by_style.png").write_bytes(png)
    page.locator("#evalLink").click()
    body = page.locator("#evalBody .report-html")
    expect(body.locator("h3")).to_have_text("Evaluation report")
    expect(body.locator("table.report-table td")).to_have_text(["hybrid", "1.0"])
    expect(body.locator("figure img")).to_have_attribute("src", "/staff/eval/files/retrieval_by_style.png")
    page.wait_for_function(  # the plot is really there (it loads after the text)
        "() => { const i = document.querySelector('#evalBody figure img'); "
        "return i && i.complete && i.naturalWidth > 0 }"
    )
    expect(body.locator("li")).to_have_text(["one", "two"])
    assert "|---|" not in (body.text_content() or "")  # rendered, not raw Markdown
    _shot(page, "staff-4-eval-report")
    page.context.close()


def test_artifacts_written() -> None:
    assert ARTIFACTS.is_dir() and any(ARTIFACTS.glob("kiosk-*.png"))


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
    ask_typed(page, question)
    expect(page.locator("#sentences .sentence")).to_have_count(sentences)


def test_kiosk_forgets_the_previous_person(browser: Browser, server: LiveServer) -> None:
    page = _page(browser, 1080, 1920)
    _short_idle(page, idle_seconds=6, countdown_seconds=3)
    _open_kiosk(page, server)
    secret = "kdaj lahko mojca pride na obisk"
    answer_text = "dvakrat tedensko"

    # 1. "Na začetek" after an answer, the exact text and an opened source
    _ask_typed(page, secret)
    expect(page.locator("#askedText")).to_have_text(secret)
    page.locator("#exactToggle").tap()
    page.locator("#sentences .chip").first.tap()
    page.locator("#closeSource").tap()
    assert secret in _traces(page)["html"]  # the check below can see it while it is there
    page.locator("#toStart").tap()
    expect(page.locator("#screen-start")).to_be_visible()
    _assert_forgotten(page, server, secret, answer_text, "Ožja družina")

    # 2. a language switch clears the calculator (opened from an answer) and its inputs
    page.locator("#askBtn").tap()
    _type_on_keyboard(page, "koliko dopusta za mojco")
    page.locator("#send").tap()
    page.locator('[data-calc-open="leave_days"]').tap()
    for key in "417":
        page.locator(f'#calcStep [data-pad="{key}"]').tap()
    expect(page.locator("#calcIn-value")).to_have_value("417")
    page.locator('[data-lang="en"]').tap()
    expect(page.locator("#screen-start")).to_be_visible()
    expect(page.locator("#calcStep input")).to_have_count(0)
    _assert_forgotten(page, server, "koliko dopusta za mojco", "417")

    # 3. a calculator result is gone after "Start"
    page.locator('[data-calc="education_rest_days"]').tap()
    for key in "39":
        page.locator(f'#calcStep [data-pad="{key}"]').tap()
    page.locator("#calcNext").tap()
    expect(page.locator('#calcResult [data-key="total_rest_days"]')).to_have_attribute("data-value", "78")
    page.locator("#calcPrev").tap()  # "Start"
    expect(page.locator("#screen-start")).to_be_visible()
    _assert_forgotten(page, server, "78 days")
    assert page.locator("#calcResult").text_content() == ""

    # 4. a language switch while typing empties the question box
    page.locator("#askBtn").tap()
    _type_on_keyboard(page, "mojca")
    page.locator('[data-lang="sl"]').tap()
    expect(page.locator("#screen-ask")).to_be_visible()
    expect(page.locator("#questionText")).to_have_text("")
    _assert_forgotten(page, server, "mojca")

    # 5. the idle reset
    page.locator('[data-lang="en"]').tap()
    page.locator("#screen-ask .back").tap()
    _ask_typed(page, "can mojca visit me")
    assert page.locator("body").get_attribute("data-resets") is None  # no reset so far
    expect(page.locator("#idleOverlay")).to_be_visible(timeout=8000)
    expect(page.locator("body")).to_have_attribute("data-resets", "1", timeout=8000)
    expect(page.locator(".staff-note")).to_have_text("Za osebne zadeve vprašajte osebje.")
    _assert_forgotten(page, server, "can mojca visit me", answer_text, "Close family")
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
    viewport = page.locator('meta[name="viewport"]').get_attribute("content") or ""
    assert "user-scalable=no" not in viewport and "maximum-scale" not in viewport

    # the question box has an accessible name
    page.locator("#askBtn").tap()
    expect(page.get_by_role("textbox", name="Napišite vprašanje")).to_be_visible()

    # a dialog takes the focus, Esc closes it and gives the focus back
    page.keyboard.type("kdaj so obiski")
    page.keyboard.press("Enter")
    expect(page.locator("#screen-answer")).to_have_attribute("data-answer", "done")
    expect(page.locator("#sentences .sentence")).to_have_count(2)
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
    expect(page.locator('#calcTiles [data-calc="parole_eligibility"]')).to_contain_text("Uslovni otpust")
    _ask_typed(page, "kada su posjete")
    assert asked[-1]["language"] == "bcs"
    expect(page.locator("#exactToggle")).to_have_text(re.compile("Šta tačno piše"))
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
    expect(page.locator("#screen-answer")).to_have_attribute("data-answer", "done")
    expect(read).to_be_visible()
    expect(read).to_have_text("▶ Read aloud")
    assert read.evaluate("e => e.getBoundingClientRect().height") >= 72  # large

    # an English answer: the easy-read lines first, with the English voice
    read.tap()
    expect(read).to_have_attribute("aria-pressed", "true")
    expect(read).to_have_text("■ Stop reading")
    expect(page.locator("body")).to_have_attribute("data-speech", "playing")
    assert spoken[0]["lang"] == ["en"] and spoken[0]["rate"] == ["0.85"]
    assert spoken[0]["text"][0].startswith("Close family can visit you at least 2 times a week.")
    assert "[1]" not in spoken[0]["text"][0]
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
    page.locator("#readAloud").tap()
    expect(page.locator("#readAloudError")).to_have_text(message["detail"])
    expect(page.locator("#readAloud")).to_be_visible()
    expect(page.locator("#readAloud")).to_have_attribute("aria-pressed", "false")
    page.context.close()
