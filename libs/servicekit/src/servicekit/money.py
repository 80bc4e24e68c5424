"""Money: Decimal yuan with two places; on the wire a string like "801.50".

A money value from outside is parsed strictly by one pattern, `MONEY_PATTERN`, which is
also the pattern the JSON schema declares: an optional minus, 1 to 12 ASCII digits, and at
most two decimals. No spaces, no plus sign, no exponent ("1e5"), no other digits ("１２３"),
no "NaN"/"Infinity". Twelve integer digits keep |amount| < 1,000,000,000,000, which fits
`NUMERIC(14,2)`, and nothing that reaches Decimal arithmetic can overflow it.

JSON numbers are still accepted as clients send them: an int as its digits, a float as its
`repr` ("801.5"), both then held to the same pattern, so a float whose repr needs an
exponent (1e16, 1e-05) or is not finite is refused. (A JSON `1e5` arrives as the float
100000.0, indistinguishable from `100000.0`, and is therefore read as 100000.00.)
A `Decimal` (only ever from our own code: database rows, computed totals) is checked by
value: finite, at most two decimal places, under the limit.

`Money`, `NonNegativeMoney` and `PositiveMoney` work the same in bodies and in query
parameters (`Annotated[Money | None, Query(...)]`).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_INTEGER_DIGITS = 12
LIMIT = Decimal(10) ** MAX_INTEGER_DIGITS  # |amount| < 1,000,000,000,000
MONEY_PATTERN = rf"^-?[0-9]{{1,{MAX_INTEGER_DIGITS}}}(\.[0-9]{{1,2}})?$"
EXAMPLE = "801.50"

_MONEY_RE = re.compile(MONEY_PATTERN)
_PLAIN_NUMBER_RE = re.compile(r"-?([0-9]+)(?:\.([0-9]+))?")

FORM = (f'must be an amount of money such as "{EXAMPLE}": digits with at most two '
        "decimals, no exponent")
TOO_LARGE = (f"is too large: at most {MAX_INTEGER_DIGITS} digits before the decimal point "
             "(less than 1,000,000,000,000)")
TOO_PRECISE = "must have at most two decimal places"


def quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _from_text(text: str) -> Decimal:
    if _MONEY_RE.fullmatch(text) is None:
        # Say what is wrong when it is a plain number that is only too long.
        plain = _PLAIN_NUMBER_RE.fullmatch(text)
        if plain is not None and len(plain.group(1)) > MAX_INTEGER_DIGITS:
            raise ValueError(TOO_LARGE)
        if plain is not None and plain.group(2) is not None:
            raise ValueError(TOO_PRECISE)
        raise ValueError(FORM)
    return Decimal(text)


def _from_decimal(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError(FORM)
    if abs(value) >= LIMIT:
        raise ValueError(TOO_LARGE)
    if value != value.quantize(CENT):
        raise ValueError(TOO_PRECISE)
    return value


def _parse(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        d = _from_decimal(value)
    elif isinstance(value, bool):  # before int: True is an int
        raise ValueError(FORM)
    elif isinstance(value, int):
        if abs(value) >= LIMIT:  # before str(): a huge int is expensive to print
            raise ValueError(TOO_LARGE)
        d = Decimal(value)
    elif isinstance(value, float):
        d = _from_text(repr(value))
    elif isinstance(value, str):
        d = _from_text(value)
    else:
        raise ValueError(FORM)
    d = quantize(d)
    return d if d else ZERO  # "-0" is 0.00


def parse_money(value: Any) -> Decimal:
    """The strict parser on its own (raises ValueError with a sentence)."""
    return _parse(value)


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise ValueError("must be greater than zero")
    return value


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError("must not be negative")
    return value


_schema = WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN,
                          "examples": [EXAMPLE]})
_ser = PlainSerializer(lambda d: f"{quantize(d)}", return_type=str)

Money = Annotated[Decimal, BeforeValidator(_parse), _ser, _schema]
PositiveMoney = Annotated[Decimal, BeforeValidator(lambda v: _positive(_parse(v))), _ser, _schema]
NonNegativeMoney = Annotated[
    Decimal, BeforeValidator(lambda v: _non_negative(_parse(v))), _ser, _schema
]


def fmt(value: Decimal) -> str:
    return f"{quantize(value)}"
