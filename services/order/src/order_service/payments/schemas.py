from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator
from servicekit.dates import BusinessDate
from servicekit.money import Money, PositiveMoney


class PaymentIn(BaseModel):
    """A payment received against an order (O-6)."""

    model_config = ConfigDict(extra="forbid")

    amount: PositiveMoney
    paid_on: BusinessDate
    method: str = Field(min_length=1, max_length=40,
                        description="How it was paid, e.g. bank_transfer, cash, wechat")
    reference: str | None = Field(default=None, max_length=100)

    @field_validator("method")
    @classmethod
    def _strip(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("method must not be blank")
        return v


class PaymentRecorded(BaseModel):
    id: uuid.UUID
    order_id: uuid.UUID
    amount: Money
    paid_on: date
    method: str
    paid_total: Money
    outstanding: Money
    payment_status: str
