"""The calculator tiles, by touch only: every tile in Slovenian and English, one question per step, dates typed on
the number pad into day / month / year; the figures shown must be the real calculator's (``assistant calc``) for
the same inputs. Also the date fields' labels and their per-field errors.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.kiosk_support import LiveServer, new_page, open_kiosk, shot

pytestmark = pytest.mark.e2e

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:
    pytest.skip("the playwright Python package is missing (pip install playwright)", allow_module_level=True)

try:
    from assistant.calculator import Calculator
except ImportError:  # pragma: no cover - the calculator is part of the project
    pytest.skip("assistant.calculator is not importable", allow_module_level=True)

# One walk per tile: ("pad", digits) types into the active field, ("field", name) taps a field, ("choice", value)
# taps an option, ("next",) / ("skip",) go on. The inputs are what the walk must send, and what `assistant calc`
# gets for the expected figures.
Step = tuple[str, ...]
WALKS: dict[str, tuple[list[Step], dict[str, Any]]] = {
    "leave_days": ([("pad", "7"), ("next",)], {"full_time_months": 7}),
    "visits": (
        [
            ("choice", "nenadzorovan"),
            ("next",),
            ("choice", "ločen namenski prostor z možnostjo nočitve"),
            ("next",),
            ("pad", "3"),
            ("next",),
        ],
        {"visit_type": "nenadzorovan", "location": "ločen namenski prostor z možnostjo nočitve", "weeks": 3},
    ),
    "packages": (
        [("choice", "polodprti"), ("next",), ("pad", "2"), ("next",)],
        {"regime": "polodprti", "period_months": 2},
    ),
    "savings": (
        [("pad", "250"), ("next",), ("pad", "421,89"), ("next",), ("pad", "300"), ("next",)],
        {"monthly_pay_eur": 250, "monthly_social_assistance_eur": 421.89, "current_mandatory_savings_eur": 300},
    ),
    "release_day": ([("pad", "14032026"), ("next",)], {"last_day_of_sentence": "2026-03-14"}),
    "sentence_end": (
        [
            ("pad", "15"),
            ("pad", "03"),
            ("pad", "2025"),
            ("next",),
            ("pad", "2"),
            ("field", "months"),
            ("pad", "6"),
            ("next",),
            ("pad", "20"),
            ("next",),
        ],
        {"sentence_start_date": "2025-03-15", "sentence_length_months": 30, "credited_pripor_days": 20},
    ),
    "early_release": (
        [("pad", "01022025"), ("next",), ("pad", "1"), ("field", "months"), ("pad", "6"), ("next",)],
        {"sentence_start_date": "2025-02-01", "sentence_length_months": 18},
    ),
    "parole_eligibility": (
        [("pad", "10102024"), ("next",), ("pad", "3"), ("next",)],
        {"sentence_start_date": "2024-10-10", "sentence_length_months": 36},
    ),
    "child_stay": (
        [("pad", "10012025"), ("next",), ("pad", "01092026"), ("next",), ("choice", "true"), ("next",)],
        {
            "child_birth_date": "2025-01-10",
            "mother_last_day_of_sentence": "2026-09-01",
            "special_health_social_or_other_reasons": True,
        },
    ),
    "extra_meal": (
        [("pad", "4,5"), ("next",), ("choice", "false"), ("next",)],
        {"daily_work_or_work_therapy_hours": 4.5, "pregnant_or_breastfeeding": False},
    ),
    "education_rest_days": ([("pad", "5"), ("next",)], {"months_successfully_completed": 5}),
    "weekend_prison_eligibility": (
        [
            ("field", "months"),
            ("pad", "30"),
            ("next",),
            ("choice", "false"),
            ("next",),
            ("choice", "študentka, redno študira"),
            ("next",),
        ],
        {"sentence_months": 30, "offence_against_sexual_integrity": False, "status": "študentka, redno študira"},
    ),
}


def _value(text: str | None) -> Any:
    try:
        return json.loads(text or "")
    except ValueError:
        return text


def _walk(page: Page, steps: list[Step]) -> None:
    for step in steps:
        if step[0] == "pad":
            for key in step[1]:
                page.locator(f'#calcStep [data-pad="{key}"]').tap()
        elif step[0] == "field":
            page.locator(f"#calcIn-{step[1]}").tap()
        elif step[0] == "choice":
            page.locator(f'#calcStep .choice[data-value="{step[1]}"]').tap()
        elif step[0] == "skip":
            page.locator('#calcStep [data-action="skip"]').tap()
        else:
            page.locator("#calcNext").tap()


def _check_figures(page: Page, kind: str, inputs: dict[str, Any], lang: str) -> None:
    expected = Calculator().calculate(kind, dict(inputs)).to_dict()
    outputs = expected["outputs"]
    result = page.locator("#calcResult")
    expect(result).to_be_visible()
    figures = result.locator(".figure")
    expect(figures.first).to_be_visible()
    shown = figures.evaluate_all("els => els.map(e => [e.dataset.key, e.dataset.value, e.textContent])")
    assert shown, kind
    for key, value, text in shown:
        assert key in outputs, (kind, key)
        assert _value(value) == outputs[key], (kind, key, value, outputs[key])
        raw = outputs[key]
        if isinstance(raw, str) and len(raw) == 10 and raw[4] == "-":  # a date: its day and year are shown
            year, month, day = raw.split("-")
            assert str(int(day)) in text and year in text, (kind, text)
        elif isinstance(raw, bool):
            assert ("YES" if raw else "NO") in text or ("DA" if raw else "NE") in text, (kind, text)
        elif isinstance(raw, int | float):
            digits = f"{raw:.2f}" if "eur" in key else str(raw)
            assert (digits if lang == "en" else digits.replace(".", ",")) in text, (kind, text)
    # in words too, and the rule it comes from (the calculator's own quotes, each a tap from its source)
    words = result.locator(".calc-words")
    if lang == "sl":
        expect(words).to_have_text(expected["summary"])
    else:
        expect(words).to_be_visible()
    quotes = result.locator(".rule .quote").all_text_contents()
    assert quotes and all(any(q == c["quote"] for c in expected["citations"]) for q in quotes), kind


@pytest.mark.parametrize("lang", ["sl", "en"])
def test_every_calculator_tile_by_touch(browser: Browser, server: LiveServer, lang: str) -> None:
    page = new_page(browser, 1080, 1920)
    sent: list[tuple[str, Any]] = []
    page.on("request", lambda r: sent.append((r.url, r.post_data_json)) if "/api/calc/" in r.url else None)
    open_kiosk(page, server)
    if lang != "sl":
        page.locator(f'[data-lang="{lang}"]').tap()
    tiles = page.locator("#calcTiles .calc-tile")
    assert sorted(tiles.evaluate_all("els => els.map(e => e.dataset.calc)")) == sorted(WALKS)
    for kind, (steps, inputs) in WALKS.items():
        page.locator(f'#calcTiles [data-calc="{kind}"]').tap()
        expect(page.locator("#screen-calc")).to_be_visible()
        expect(page.locator("#calcStep legend")).to_be_visible()
        _walk(page, steps)
        expect(page.locator("#calcResult")).to_be_visible()
        url, body = sent[-1]
        assert url.endswith(f"/api/calc/{kind}") and body == inputs, (kind, body)
        _check_figures(page, kind, inputs, lang)
        if kind in ("visits", "early_release", "savings"):
            shot(page, f"kiosk-calc-{lang}-{kind}-result")
        page.locator("#calcPrev").tap()  # "Na začetek" / "Start"
        expect(page.locator("#screen-start")).to_be_visible()
    page.context.close()


def test_date_fields_labels_and_errors(browser: Browser, server: LiveServer) -> None:
    page = new_page(browser, 1920, 1080)
    open_kiosk(page, server)
    page.locator('#calcTiles [data-calc="release_day"]').tap()
    # three labelled fields, in the order day, month, year
    day, month, year = page.get_by_label("Dan"), page.get_by_label("Mesec"), page.get_by_label("Leto")
    for field in (day, month, year):
        expect(field).to_be_visible()
        expect(field).to_have_attribute("inputmode", "none")  # the on-screen pad, no system keyboard
    boxes = [f.bounding_box() for f in (day, month, year)]
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]  # type: ignore[index]
    expect(page.locator("#calcHint")).to_contain_text("Na primer 15. 3. 2025")

    def enter(d: str, m: str, y: str) -> None:
        for field, digits in ((day, d), (month, m), (year, y)):
            field.tap()
            for _ in range(4):
                page.locator('#calcStep [data-pad="back"]').tap()
            for key in digits:
                page.locator(f'#calcStep [data-pad="{key}"]').tap()
        page.locator("#calcNext").tap()

    error = page.locator("#calcError")
    page.locator("#calcNext").tap()
    expect(error).to_have_text("Vpišite dan, mesec in leto")
    enter("32", "3", "2026")
    expect(error).to_have_text("Dan mora biti med 1 in 31")
    expect(day).to_have_attribute("aria-invalid", "true")
    expect(month).not_to_have_attribute("aria-invalid", "true")
    enter("14", "13", "2026")
    expect(error).to_have_text("Mesec mora biti med 1 in 12")
    expect(month).to_have_attribute("aria-invalid", "true")
    expect(day).not_to_have_attribute("aria-invalid", "true")
    enter("14", "3", "202")
    expect(error).to_have_text("Leto mora imeti 4 števke")
    expect(year).to_have_attribute("aria-invalid", "true")
    shot(page, "kiosk-calc-date-error")
    enter("31", "2", "2026")
    expect(error).to_have_text("Tak datum ne obstaja. Preverite dan in mesec.")
    enter("14", "3", "1989")
    expect(error).to_have_text("Leto mora biti med 1990 in 2100")
    # the pad moves on by itself when a field is full: 1 4 0 3 2 0 2 6 fills all three
    day.tap()
    for field in (day, month, year):
        field.tap()
        for _ in range(4):
            page.locator('#calcStep [data-pad="back"]').tap()
    day.tap()
    for key in "14032026":
        page.locator(f'#calcStep [data-pad="{key}"]').tap()
    expect(day).to_have_value("14")
    expect(month).to_have_value("03")
    expect(year).to_have_value("2026")
    page.locator("#calcNext").tap()
    expect(page.locator('#calcResult [data-key="release_date"]')).to_have_attribute("data-value", "2026-03-13")
    expect(page.locator('#calcResult [data-key="release_date"]')).to_contain_text("13. 3. 2026")
    expect(page.locator('#calcResult [data-key="release_date"]')).to_contain_text("petek")

    # English: the same fields and errors in English
    page.locator('[data-lang="en"]').tap()
    page.locator('#calcTiles [data-calc="parole_eligibility"]').tap()
    expect(page.get_by_label("Day")).to_be_visible()
    for key in "15032025":
        page.locator(f'#calcStep [data-pad="{key}"]').tap()
    page.locator("#calcNext").tap()
    expect(page.locator("#calcProgress")).to_have_text("Step 2 of 2")
    page.locator("#calcNext").tap()
    expect(error).to_have_text("Enter a number")
    page.locator('#calcStep [data-pad="0"]').tap()
    page.locator("#calcNext").tap()
    expect(error).to_have_text("Enter a number bigger than 0")
    page.locator("#calcPrev").tap()
    page.locator("#calcPrev").tap()

    # a value the calculator itself refuses: back at that question, with its message
    page.locator('#calcTiles [data-calc="child_stay"]').tap()
    for digits in ("10012026", "01092025"):
        for key in digits:
            page.locator(f'#calcStep [data-pad="{key}"]').tap()
        page.locator("#calcNext").tap()
    page.locator('#calcStep .choice[data-value="false"]').tap()
    page.locator("#calcNext").tap()
    expect(page.locator("#calcStep fieldset")).to_have_attribute("data-step", "mother_last_day_of_sentence")
    expect(error).to_contain_text("Please check this answer:")
    expect(error).to_contain_text("Zadnji dan kazni je pred rojstvom otroka")
    shot(page, "kiosk-calc-en-server-error")
    page.context.close()


def test_calculator_from_a_question(browser: Browser, server: LiveServer) -> None:
    """A question the router sends to the calculator offers its tile's form, at the step that is missing."""
    page = new_page(browser, 1080, 1920)
    open_kiosk(page, server)
    page.locator("#askBtn").tap()
    for ch in "koliko dopusta":
        page.locator(f'#keyboard [data-key="{"space" if ch == " " else ch}"]').tap()
    page.locator("#send").tap()
    offer = page.locator('[data-calc-open="leave_days"]')
    expect(offer).to_be_visible()
    offer.tap()
    expect(page.locator("#calcStep legend")).to_have_text("Koliko mesecev ste delali s polnim delovnim časom?")
    page.locator('#calcStep [data-pad="3"]').tap()
    page.locator("#calcNext").tap()
    expect(page.locator('#calcResult [data-key="total_leave_days"]')).to_have_attribute("data-value", "6")
    expect(page.locator("#calcResult .calc-words")).to_have_text("Pripada vam 6 dni letnega dopusta.")
    shot(page, "kiosk-portrait-8-calculator")
    page.context.close()


def test_tiles_cover_the_calculator_in_four_languages(browser: Browser, server: LiveServer) -> None:
    """One tile per kind the calculator offers; every step asks for a field of that kind, in sl, en, hr and sr."""
    page = new_page(browser, 1080, 1920)
    open_kiosk(page, server)
    tiles = page.evaluate(
        """() => window.KIOSK_CALC.kinds.map((k) => ({
            kind: k.kind, title: k.title,
            steps: k.steps.map((s) => ({ field: s.field, q: s.q, options: (s.options || []).map((o) => o[1]) }))
        }))"""
    )
    calculator = Calculator()
    assert sorted(t["kind"] for t in tiles) == sorted(calculator.kinds())
    for tile in tiles:
        fields = calculator.input_schema(tile["kind"])["properties"]
        for texts in [
            tile["title"],
            *(s["q"] for s in tile["steps"]),
            *(o for s in tile["steps"] for o in s["options"]),
        ]:
            assert all(texts.get(lang) for lang in ("sl", "en", "hr", "sr")), (tile["kind"], texts)
        for step in tile["steps"]:
            assert step["field"] in fields, (tile["kind"], step["field"])
    page.context.close()
