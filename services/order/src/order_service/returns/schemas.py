from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from servicekit.money import Money, NonNegativeMoney

ReturnStatusName = Literal["requested", "approved", "rejected"]


class ReturnLineIn(BaseModel):
    product_id: uuid.UUID
    quantity: int = Field(gt=0, le=1_000_000, description="A positive whole number")


class ReturnIn(BaseModel):
    """Return received goods of an order (O-9): at most what was received minus what is
    already returned or waiting to be."""

    model_config = ConfigDict(extra="forbid")

    lines: list[ReturnLineIn] = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=500)

    @field_validator("reason")
    @classmethod
    def _reason(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("reason must not be blank")
        return v


class ReturnApproveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refund_amount: NonNegativeMoney = Field(
        description="At most the returned goods' value at the order's prices")
    note: str | None = Field(default=None, max_length=500)


class ReturnLineOut(BaseModel):
    product_id: uuid.UUID
    name: str
    model: str
    quantity: int
    unit_price: Money
    line_total: Money


class ReturnOut(BaseModel):
    id: uuid.UUID
    order_id: uuid.UUID
    order_number: str
    customer_id: uuid.UUID
    customer_name: str
    status: ReturnStatusName
    reason: str
    amount: Money = Field(description="The returned goods' value at the order's prices")
    refund_amount: Money | None
    requested_by: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    lines: list[ReturnLineOut]
