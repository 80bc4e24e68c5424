"""Money is parsed strictly by its documented pattern, in bodies and in query parameters
(issue 8: no input makes a 500)."""

import json
import re
from decimal import Decimal
from typing import Annotated

import httpx
import pytest
from fastapi import FastAPI, Query
from pydantic import BaseModel, TypeAdapter, ValidationError
from servicekit.errors import install_error_handlers
from servicekit.money import MONEY_PATTERN, Money, NonNegativeMoney, PositiveMoney


class M(BaseModel):
    amount: Money


@pytest.mark.parametrize(("raw", "expected"), [
    ("801.50", "801.50"), ("801.5", "801.50"), ("12", "12.00"), ("0", "0.00"),
    ("-0", "0.00"), ("-12.30", "-12.30"), ("999999999999.99", "999999999999.99"),
    ("-999999999999.99", "-999999999999.99"), ("000000000012.5", "12.50"),
    (12, "12.00"), (-5, "-5.00"), (801.5, "801.50"), (0.1, "0.10"), (12.0, "12.00"),
    (Decimal("801.5"), "801.50"), (Decimal("3.000"), "3.00"), (Decimal("1E+2"), "100.00"),
])
def test_money_accepts_the_documented_forms(raw, expected):
    m = M(amount=raw)
    assert isinstance(m.amount, Decimal)
    assert m.model_dump(mode="json")["amount"] == expected


@pytest.mark.parametrize("raw", [
    "1e5", "1E+999999", "1e-2", "１２３.00", "١٢٣", " 12.00", "12.00 ", "12.00\n", "+5",
    "12.345", "Infinity", "-Infinity", "inf", "NaN", "nan", "1234567890123",
    "1000000000000", "1000000000000.00", "12,00", "1_000", ".5", "5.", "-", "", "0x10",
    True, False, None, [], {}, 10**12, -(10**12),
    1e16, 1e-5, float("inf"), float("nan"), 0.1 + 0.2, 1e15,
    Decimal("NaN"), Decimal("Infinity"), Decimal("1E+999999"), Decimal("1.005"),
    Decimal("1E-999999"), Decimal("1000000000000"),
])
def test_money_refuses_everything_else(raw):
    with pytest.raises(ValidationError):
        M(amount=raw)


def test_huge_inputs_are_refused_cheaply():
    for raw in ("1" * 10_000, "9" * 100_000 + ".00", 10**5000, -(10**5000)):
        with pytest.raises(ValidationError, match="too large"):
            M(amount=raw)


def test_a_json_number_goes_through_its_repr_and_the_same_pattern():
    """A float is read by its repr: 1e16 needs an exponent and is refused; JSON `1e5`
    decodes to the float 100000.0, the same value as `100000.0`, whose repr fits."""
    assert M.model_validate_json('{"amount": 801.5}').amount == Decimal("801.50")
    for text in ('{"amount": 1e16}', '{"amount": 1E+999999}', '{"amount": 1e-5}',
                 '{"amount": 12.345}', '{"amount": true}'):
        with pytest.raises(ValidationError):
            M.model_validate_json(text)
        with pytest.raises(ValidationError):  # as FastAPI decodes a body
            M.model_validate(json.loads(text))
    assert M.model_validate(json.loads('{"amount": 1e5}')).amount == Decimal("100000.00")


@pytest.mark.parametrize(("raw", "message"), [
    ("1e5", 'must be an amount of money such as "801.50": digits with at most two '
            "decimals, no exponent"),
    ("12.345", "must have at most two decimal places"),
    ("1234567890123", "is too large"),
])
def test_money_errors_are_sentences(raw, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        M(amount=raw)


def test_positive_and_non_negative_money():
    pos, nonneg = TypeAdapter(PositiveMoney), TypeAdapter(NonNegativeMoney)
    for v in ("0", "-0", "-1"):
        with pytest.raises(ValidationError, match="greater than zero"):
            pos.validate_python(v)
    with pytest.raises(ValidationError, match="must not be negative"):
        nonneg.validate_python("-0.01")
    assert nonneg.validate_python("-0") == Decimal("0.00")
    with pytest.raises(ValidationError):
        pos.validate_python("1e5")


def test_the_schema_declares_the_parsers_pattern():
    for t in (Money, PositiveMoney, NonNegativeMoney):
        schema = TypeAdapter(t).json_schema()
        assert schema == {"type": "string", "pattern": MONEY_PATTERN, "examples": ["801.50"]}
    assert MONEY_PATTERN == r"^-?[0-9]{1,12}(\.[0-9]{1,2})?$"


def _money_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/search")
    async def search(min_total: Annotated[Money | None, Query()] = None,
                     max_total: Annotated[PositiveMoney, Query()] = Decimal("100")) -> dict:
        return {"min_total": None if min_total is None else str(min_total),
                "max_total": str(max_total)}

    return app


async def _get(app: FastAPI, params: dict) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        return await c.get("/search", params=params)


async def test_money_query_parameter_parses_strictly():
    app = _money_app()
    r = await _get(app, {"min_total": "12.5", "max_total": "99"})
    assert r.status_code == 200
    assert r.json() == {"min_total": "12.50", "max_total": "99.00"}
    assert (await _get(app, {})).json() == {"min_total": None, "max_total": "100"}


@pytest.mark.parametrize("bad", ["1e5", "1E+999999", "１２３.00", " 12.00", "+5", "12.345",
                                 "Infinity", "NaN", "1234567890123", "abc", ""])
async def test_money_query_parameter_refusal_is_422_in_the_error_shape(bad):
    r = await _get(_money_app(), {"min_total": bad})
    assert r.status_code == 422
    body = r.json()
    assert set(body) == {"error", "detail", "errors"}
    assert body["error"] == "ValidationError"
    assert body["detail"].startswith("min_total: ")
    assert body["errors"][0]["loc"] == ["query", "min_total"]


async def test_money_query_parameter_schema_in_openapi():
    spec = _money_app().openapi()
    params = {p["name"]: p for p in spec["paths"]["/search"]["get"]["parameters"]}
    assert {"type": "string", "pattern": MONEY_PATTERN, "examples": ["801.50"]} in (
        params["min_total"]["schema"]["anyOf"])
    assert params["max_total"]["schema"]["pattern"] == MONEY_PATTERN
