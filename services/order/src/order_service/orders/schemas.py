from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from servicekit.money import Money

BillType = Literal["none", "ordinary_vat", "special_vat"]


class OrderLineIn(BaseModel):
    product_id: uuid.UUID
    quantity: int = Field(gt=0, le=1_000_000, description="A positive whole number")

    @field_validator("quantity", mode="before")
    @classmethod
    def _whole(cls, v):
        if isinstance(v, bool) or (isinstance(v, float) and not v.is_integer()):
            raise ValueError("quantity must be a positive whole number")
        return v


class OrderIn(BaseModel):
    """A new order from the customer's own catalogue (O-3)."""

    model_config = ConfigDict(extra="forbid")

    delivery_date: date
    bill_type: BillType
    remark: str | None = Field(default=None, max_length=500)
    lines: list[OrderLineIn] = Field(min_length=1, max_length=200)


class OrderLineOut(BaseModel):
    product_id: uuid.UUID
    name: str
    model: str
    quantity: int
    unit_price: Money
    list_price: Money | None
    line_total: Money


class PaymentOut(BaseModel):
    id: uuid.UUID
    amount: Money
    paid_on: date
    method: str
    reference: str | None
    recorded_by: str
    created_at: datetime


class OrderSummary(BaseModel):
    id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    customer_name: str
    source: str
    status: str
    order_date: date
    delivery_date: date
    bill_type: BillType
    total: Money
    list_total: Money
    paid_total: Money
    outstanding: Money
    payment_status: str
    invoiced: bool
    created_at: datetime


class OrderOut(OrderSummary):
    remark: str | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_reason: str | None
    lines: list[OrderLineOut]
    payments: list[PaymentOut]


class ReviewIn(BaseModel):
    """Batch review (O-5): every listed order gets the same decision, all or none."""

    model_config = ConfigDict(extra="forbid")

    order_ids: list[uuid.UUID] = Field(min_length=1, max_length=500)
    decision: Literal["approve", "reject"]
    reason: str | None = Field(default=None, max_length=500)


class ReviewedOrder(BaseModel):
    id: uuid.UUID
    number: str
    status: str


class ReviewOut(BaseModel):
    decision: str
    reviewed: list[ReviewedOrder]
