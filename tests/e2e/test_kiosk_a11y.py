"""Accessibility in CI: axe-core (node_modules/axe-core/axe.min.js, installed by scripts/test.sh with npm) runs on
every kiosk screen and state — start, keyboard, answer, exact text open, source open, possible crisis, crisis,
threat, help, calculator form (date, choice, numbers, errors), calculator result, each language, text size 3,
high contrast — in portrait and landscape; 0 critical and 0 serious violations. A screenshot of each state goes to
test-artifacts/ and every finding (any impact) to test-artifacts/axe-kiosk-<orientation>.json.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.kiosk_support import ARTIFACTS, AXE_JS, LiveServer, new_page, open_kiosk, shot, type_on_keyboard

pytestmark = pytest.mark.e2e

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:
    pytest.skip("the playwright Python package is missing (pip install playwright)", allow_module_level=True)

BLOCKING = ("critical", "serious")
RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " — " + (n.failureSummary || "").split("\\n")[1])
  }));
}"""


def _axe_source() -> str:
    if not AXE_JS.is_file():
        message = f"{AXE_JS} is missing: scripts/test.sh installs it (npm install axe-core)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE_JS.read_text(encoding="utf-8")


class AxeWalk:
    """Runs axe on the page's current state, keeps a screenshot and every finding."""

    def __init__(self, page: Page, source: str, orientation: str) -> None:
        self.page = page
        self.source = source
        self.orientation = orientation
        self.findings: dict[str, list[dict[str, Any]]] = {}

    def check(self, state: str) -> None:
        self.page.wait_for_timeout(50)  # let the last tap's style settle
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.evaluate(self.source)  # evaluated through the debugger, so the page's CSP allows it
        self.findings[state] = self.page.evaluate(RUN_AXE)
        shot(self.page, f"a11y-{self.orientation}-{state}")

    def blocking(self) -> list[str]:
        return [
            f"{state}: {v['impact']} {v['id']} ({v['help']}): {v['nodes']}"
            for state, violations in self.findings.items()
            for v in violations
            if v["impact"] in BLOCKING
        ]

    def save(self) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"axe-kiosk-{self.orientation}.json"
        path.write_text(json.dumps(self.findings, ensure_ascii=False, indent=1), encoding="utf-8")


def _answer(page: Page, question: str) -> None:
    page.locator("#askBtn").tap() if page.locator("#screen-start").is_visible() else page.locator("#again").tap()
    type_on_keyboard(page, question)
    page.locator("#send").tap()
    expect(page.locator("#screen-answer")).to_have_attribute("data-answer", "done")


def _pad(page: Page, digits: str) -> None:
    for key in digits:
        page.locator(f'#calcStep [data-pad="{key}"]').tap()


def _walk(page: Page, check: Callable[[str], None]) -> None:
    check("sl-start")
    page.locator("#askBtn").tap()
    type_on_keyboard(page, "kdaj so obiski")
    check("sl-keyboard")
    page.locator("#send").tap()
    expect(page.locator("#screen-answer")).to_have_attribute("data-answer", "done")
    check("sl-answer")
    page.locator("#exactToggle").tap()
    check("sl-answer-exact")
    page.locator("#sentences .chip").first.tap()
    expect(page.locator("#sourceBody p").first).to_be_visible()
    check("sl-source")
    page.locator("#closeSource").tap()
    _answer(page, "ne zmorem vec kdaj so obiski")
    check("sl-possible-crisis")
    _answer(page, "hočem umreti")
    check("sl-crisis")
    _answer(page, "ubila bom paznico")
    check("sl-threat")
    page.locator("#helpBtn").tap()
    expect(page.locator("#helpSentences .phone").first).to_be_visible()
    check("sl-help")
    page.locator("#helpBack").tap()
    page.locator("#toStart").tap()

    page.locator('[data-calc="early_release"]').tap()
    check("sl-calc-date")
    page.locator("#calcNext").tap()
    expect(page.locator("#calcError")).to_be_visible()
    check("sl-calc-date-error")
    _pad(page, "15032025")
    page.locator("#calcNext").tap()
    check("sl-calc-duration")
    _pad(page, "2")
    page.locator("#calcNext").tap()
    expect(page.locator("#calcResult")).to_be_visible()
    page.locator("#calcResult .exact-toggle").tap()
    check("sl-calc-result")
    page.locator("#calcPrev").tap()
    page.locator('[data-calc="visits"]').tap()
    check("sl-calc-choice")
    page.locator("#calcPrev").tap()
    page.locator('[data-calc="savings"]').tap()
    _pad(page, "250,5")
    check("sl-calc-money")
    page.locator("#calcPrev").tap()

    for lang in ("en", "hr", "sr"):
        page.locator(f'[data-lang="{lang}"]').tap()
        expect(page.locator("html")).to_have_attribute("lang", {"en": "en", "hr": "hr", "sr": "sr-Latn"}[lang])
        check(f"{lang}-start")
    page.locator('[data-lang="en"]').tap()
    _answer(page, "how long is a visit")
    page.locator("#exactToggle").tap()
    check("en-answer-exact")
    page.locator("#exactGroups .chip").first.tap()
    check("en-source")
    page.locator("#closeSource").tap()
    page.locator("#toStart").tap()
    page.locator('[data-calc="packages"]').tap()
    page.locator('#calcStep .choice[data-value="zaprti"]').tap()
    page.locator("#calcNext").tap()
    _pad(page, "3")
    page.locator("#calcNext").tap()
    expect(page.locator("#calcResult")).to_be_visible()
    check("en-calc-result")
    page.locator("#calcPrev").tap()

    # text size 3 (and then high contrast), in English and Slovenian
    page.locator("#textSize").tap()
    page.locator("#textSize").tap()
    expect(page.locator("html")).to_have_class("size-3")
    check("en-size3-start")
    page.locator('[data-lang="sl"]').tap()
    _answer(page, "kdaj so obiski")
    page.locator("#exactToggle").tap()
    check("sl-size3-answer")
    page.locator("#toStart").tap()
    page.locator('[data-calc="child_stay"]').tap()
    check("sl-size3-calc-date")
    _pad(page, "10012025")
    page.locator("#calcNext").tap()
    _pad(page, "01092026")
    page.locator("#calcNext").tap()
    page.locator('#calcStep .choice[data-value="true"]').tap()
    check("sl-size3-calc-yesno")
    page.locator("#calcNext").tap()
    expect(page.locator("#calcResult")).to_be_visible()
    check("sl-size3-calc-result")
    page.locator("#calcPrev").tap()
    page.locator("#contrast").tap()
    check("sl-size3-contrast-start")
    page.locator('[data-calc="extra_meal"]').tap()
    check("sl-size3-contrast-calc")


@pytest.mark.parametrize(("orientation", "width", "height"), [("portrait", 1080, 1920), ("landscape", 1920, 1080)])
def test_axe_on_every_kiosk_state(
    browser: Browser, server: LiveServer, orientation: str, width: int, height: int
) -> None:
    source = _axe_source()
    page = new_page(browser, width, height)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_kiosk(page, server)
    walk = AxeWalk(page, source, orientation)
    _walk(page, walk.check)
    walk.save()
    assert len(walk.findings) >= 28
    assert not walk.blocking(), "\n".join(walk.blocking())
    assert not errors, errors
    # nothing is cut off sideways in any state walked, and the page never left the server
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.context.close()
