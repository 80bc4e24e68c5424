"""Product and price rules, pure: product categories, the per-customer price change rule
with its history (C-3) and the consumables filled in during review (C-2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from servicekit.errors import Unprocessable
from servicekit.money import quantize


class InvalidPrice(Unprocessable):
    """A price that cannot be set (422)."""


class Category(StrEnum):
    CONSUMABLE = "consumable"
    ACCESSORY = "accessory"
    MACHINE = "machine"
    SERVICE = "service"


class ChangeReason(StrEnum):
    APPROVAL = "approval"  # filled in while reviewing the registration (C-2)
    CHANGE = "change"  # changed later by staff (C-3)


@dataclass(frozen=True)
class PriceChange:
    """One history row: the price went from `old` (None: first price) to `new`."""

    old: Decimal | None
    new: Decimal
    reason: ChangeReason


def price_change(old: Decimal | None, new: Decimal,
                 reason: ChangeReason = ChangeReason.CHANGE) -> PriceChange | None:
    """Setting a customer's price (C-3): it must be greater than zero; the last price set
    stays and every actual change is kept in the history. Setting the same price again
    changes nothing and writes no history (None)."""
    new = quantize(new)
    if new <= 0:
        raise InvalidPrice("unit_price must be greater than zero")
    if old is not None and quantize(old) == new:
        return None
    return PriceChange(old=None if old is None else quantize(old), new=new, reason=reason)


def product_key(name: str, model: str) -> tuple[str, str]:
    """How the product master identifies a product: its trimmed name and model."""
    return name.strip(), model.strip()


def first_duplicate(keys: Iterable[object]) -> int | None:
    """The 0-based index of the first key that repeats an earlier one, or None."""
    seen: set[object] = set()
    for i, key in enumerate(keys):
        if key in seen:
            return i
        seen.add(key)
    return None
