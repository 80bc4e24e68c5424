"""Money: Decimal yuan with two places; on the wire a string like "801.50"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

CENT = Decimal("0.01")


def quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _parse(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("must be an amount of money such as \"801.50\"")
    if isinstance(value, float):
        value = repr(value)
    try:
        d = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError("must be an amount of money such as \"801.50\"") from exc
    if not d.is_finite():
        raise ValueError("must be a finite amount")
    if d != d.quantize(CENT) and d.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError("must have at most two decimal places")
    if abs(d) >= Decimal("1000000000000"):
        raise ValueError("is too large")
    return quantize(d)


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise ValueError("must be greater than zero")
    return value


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError("must not be negative")
    return value


_schema = WithJsonSchema({"type": "string", "pattern": r"^-?\d+(\.\d{1,2})?$",
                          "examples": ["801.50"]})
_ser = PlainSerializer(lambda d: f"{quantize(d)}", return_type=str)

Money = Annotated[Decimal, BeforeValidator(_parse), _ser, _schema]
PositiveMoney = Annotated[Decimal, BeforeValidator(lambda v: _positive(_parse(v))), _ser, _schema]
NonNegativeMoney = Annotated[
    Decimal, BeforeValidator(lambda v: _non_negative(_parse(v))), _ser, _schema
]


def fmt(value: Decimal) -> str:
    return f"{quantize(value)}"
