"""Whatever comes in, the calculator answers or rejects with CalculatorInputError: it never crashes."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.calculator import INPUT_MODELS, Calculator, CalculatorInputError

CALC = Calculator()
_VOCABULARY = (
    "kazen sem nastopila 15. 3. 2025 mesecev let leti dni ur EUR dopust počitek obisk paket prihranek "
    "obrok otrok rodil zadnji dan predčasni pogojni odpust pripor prekinitev -3 3,5 pol in zaprtem "
    "režimu noseča nisem tednih 60 x 40 x 36 cm vikend koncu tedna zaposlena študentka izteče 30. 2. 2025 "
    "minus dve tri štiri petindvajset"
)
WORDS = st.sampled_from(_VOCABULARY.split())
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["2025-02-30", "15. 3. 2025", "zaprti", "nadzorovan", "da", "60x40x36", "1.480,00"]),
    st.lists(st.integers(-5, 800), max_size=4),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, max_size=25).map(" ".join))
def test_route_never_crashes(question: str) -> None:
    route = CALC.route(question)
    if route is not None:
        assert route.to_dict()["kind"] in CALC.kinds()
        assert (route.result is not None) + (route.error is not None) + bool(route.missing) == 1


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(INPUT_MODELS)), st.data())
def test_calculate_answers_or_rejects(kind: str, data: st.DataObject) -> None:
    fields = sorted(INPUT_MODELS[kind].model_fields)
    chosen = data.draw(st.lists(st.sampled_from(fields), unique=True, max_size=len(fields)))
    inputs: dict[str, Any] = {name: data.draw(VALUES) for name in chosen}
    try:
        result = CALC.calculate(kind, inputs)
    except CalculatorInputError as exc:
        assert exc.message and exc.message[0].isupper() and exc.message.endswith(".")
        return
    assert result.outputs and result.steps and result.summary
