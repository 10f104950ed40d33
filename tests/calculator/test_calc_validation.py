"""Bad input is rejected with a Slovenian message that names the field: never a wrong number."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.calculator import Calculator, CalculatorInputError


@pytest.mark.parametrize(
    ("kind", "inputs", "field", "message"),
    [
        (
            "leave_days",
            {"full_time_months": -3},
            "full_time_months",
            "Število mesecev dela ne sme biti negativno.",
        ),
        (
            "leave_days",
            {"full_time_months": 1201},
            "full_time_months",
            "Število mesecev dela ne more presegati 1200.",
        ),
        (
            "leave_days",
            {"full_time_months": 2.5},
            "full_time_months",
            "Število mesecev dela mora biti celo število.",
        ),
        (
            "leave_days",
            {"full_time_months": "pet"},
            "full_time_months",
            "Število mesecev dela mora biti število.",
        ),
        ("leave_days", {}, "full_time_months", "Manjka število mesecev dela."),
        (
            "leave_days",
            {"hours_worked_per_month": [100]},
            "monthly_full_time_hours",
            "Manjka mesečna obveznost ur za polni delovni čas.",
        ),
        (
            "leave_days",
            {"hours_worked_per_month": [100, -5], "monthly_full_time_hours": 174},
            "hours_worked_per_month",
            "Število opravljenih ur dela ne sme biti negativno.",
        ),
        (
            "leave_days",
            {"hours_worked_per_month": [549.3], "monthly_full_time_hours": 1.2e-38},
            "monthly_full_time_hours",
            "Mesečna obveznost ur za polni delovni čas ne more biti manjša od 1.",
        ),
        (
            "extra_meal",
            {"daily_work_or_work_therapy_hours": 26},
            "daily_work_or_work_therapy_hours",
            "Dnevno število ur ne more presegati 24.",
        ),
        (
            "savings",
            {"monthly_pay_eur": -200, "monthly_social_assistance_eur": 500},
            "monthly_pay_eur",
            "Plačilo za delo ne sme biti negativno.",
        ),
        (
            "savings",
            {"monthly_pay_eur": 200, "monthly_social_assistance_eur": 0},
            "monthly_social_assistance_eur",
            "Znesek mesečne denarne socialne pomoči mora biti večji od 0.",
        ),
        (
            "packages",
            {"regime": "strogi", "period_months": 12},
            "regime",
            "Neznan režim »strogi« – dovoljeni so le zaprti, polodprti in odprti režim.",
        ),
        (
            "packages",
            {"dimensions_cm": [60, 40]},
            "dimensions_cm",
            "Mere paketa morajo biti tri pozitivna števila v centimetrih (npr. 60 x 40 x 36).",
        ),
        (
            "early_release",
            {"sentence_start_date": "2025-06-01", "sentence_last_day": "2024-12-31"},
            "sentence_last_day",
            "Zadnji dan kazni je pred začetkom prestajanja – neveljavni datumi.",
        ),
        (
            "early_release",
            {"sentence_start_date": "2025-02-30", "sentence_length_months": 12},
            "sentence_start_date",
            "Začetek prestajanja kazni: datum »2025-02-30« ne obstaja.",
        ),
        (
            "early_release",
            {"sentence_start_date": "prejšnji teden", "sentence_length_months": 12},
            "sentence_start_date",
            "Začetek prestajanja kazni: »prejšnji teden« ni veljaven datum "
            "(vpišite ga kot 15. 3. 2025 ali 2025-03-15).",
        ),
        (
            "early_release",
            {"sentence_start_date": "2025-01-01", "sentence_length_months": 0},
            "sentence_length_months",
            "Dolžina kazni v mesecih mora biti večja od 0.",
        ),
        (
            "parole_eligibility",
            {"sentence_start_date": "2025-05-01", "sentence_length_months": 12, "credited_pripor_days": -5},
            "credited_pripor_days",
            "Število dni pripora ne sme biti negativno.",
        ),
        (
            "child_stay",
            {"child_birth_date": "2025-05-01", "mother_last_day_of_sentence": "2025-01-01"},
            "mother_last_day_of_sentence",
            "Zadnji dan kazni je pred rojstvom otroka – otrok ne more bivati z vami v zavodu.",
        ),
        (
            "visits",
            {"visit_type": "nadzorovan", "location": "zunaj zavoda"},
            "visit_type",
            "Obisk zunaj zavoda je po priročniku nenadzorovan – nadzorovan obisk tam ni predviden.",
        ),
        (
            "visits",
            {"visit_type": "video"},
            "visit_type",
            "Neznana vrsta obiska »video« – obisk je lahko nadzorovan ali nenadzorovan.",
        ),
        (
            "extra_meal",
            {"pregnant_or_breastfeeding": "morda"},
            "pregnant_or_breastfeeding",
            "Nosečnost ali dojenje: odgovor mora biti da ali ne.",
        ),
        (
            "weekend_prison_eligibility",
            {"sentence_months": 0, "status": "zaposlena"},
            "sentence_months",
            "Dolžina kazni v mesecih mora biti večja od 0.",
        ),
    ],
)
def test_invalid_input_message(calc: Calculator, kind: str, inputs: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(CalculatorInputError) as info:
        calc.calculate(kind, inputs)
    assert info.value.field == field
    assert info.value.message == message
    assert str(info.value) == message


def test_unknown_kind_and_unknown_field(calc: Calculator) -> None:
    with pytest.raises(CalculatorInputError) as info:
        calc.calculate("horoscope", {})
    assert info.value.field is None
    assert info.value.message.startswith("Neznana vrsta izračuna »horoscope«. Možne so: leave_days,")
    with pytest.raises(CalculatorInputError) as info:
        calc.calculate("leave_days", {"bogus": 1})
    assert info.value.field == "bogus"
    assert info.value.message.startswith("Neznan vhodni podatek »bogus« za izračun leave_days.")
    with pytest.raises(CalculatorInputError):
        calc.input_schema("horoscope")


@pytest.mark.parametrize(
    "regime",
    [
        "zaprti",
        "zaprt",
        "zaprtem",
        "ZAPRTEM",
        "polodprti",
        "polodprtem",
        "odprti",
        "odprtem",
        "Odprtem režimu",
        "'zaprtem'",
    ],
)
def test_regime_spellings_are_accepted(calc: Calculator, regime: str) -> None:
    assert calc.calculate("packages", {"regime": regime}).inputs["regime"] in {
        "zaprti",
        "polodprti",
        "odprti",
    }


@pytest.mark.parametrize("regime", ["strogi", "strožji", "zaprt polodprt", "", "1"])
def test_other_regimes_are_rejected(calc: Calculator, regime: str) -> None:
    if regime == "":
        with pytest.raises(CalculatorInputError, match="Manjka režim"):
            calc.calculate("packages", {"regime": regime})
        return
    with pytest.raises(CalculatorInputError, match="Neznan režim"):
        calc.calculate("packages", {"regime": regime})


def test_lenient_values_are_parsed(calc: Calculator) -> None:
    result = calc.calculate(
        "savings",
        {
            "monthly_pay_eur": "300,00 EUR",
            "current_mandatory_savings_eur": "1.480,00",
            "monthly_social_assistance_eur": "500",
        },
    )
    assert result.inputs == {
        "monthly_pay_eur": 300.0,
        "current_mandatory_savings_eur": 1480.0,
        "monthly_social_assistance_eur": 500.0,
    }
    dated = calc.calculate("release_day", {"last_day_of_sentence": "16. marca 2025"})
    assert dated.inputs == {"last_day_of_sentence": "2025-03-16"}
    assert calc.calculate("extra_meal", {"daily_work_or_work_therapy_hours": "3,5"}).outputs["extra_meal"] is False
