from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator
from servicekit.dates import RANGE, BoundedDateTime, BusinessDate
from servicekit.money import Money

from .domain import MAX_ORDERS


def _blank_to_none(v: str | None) -> str | None:
    if v is None:
        return None
    v = v.strip()
    return v or None


class InvoiceRequestIn(BaseModel):
    """Ask for an invoice covering some of your orders (I-1). Each entry of `order_ids`
    is an order number such as DH20261123-0007 or an order id."""

    model_config = ConfigDict(extra="forbid")

    order_ids: list[str] = Field(min_length=1, max_length=MAX_ORDERS)
    title: str | None = Field(default=None, max_length=200,
                              description="Invoice title (the buyer's company name)")
    tax_number: str | None = Field(default=None, max_length=50)
    remark: str | None = Field(default=None, max_length=500)

    @field_validator("order_ids", mode="before")
    @classmethod
    def _strings(cls, v):
        # Accept numbers typed as JSON strings only; a bare 7 is not an order number.
        if isinstance(v, list):
            for i, item in enumerate(v):
                if not isinstance(item, str):
                    raise ValueError(f"entry {i + 1} must be an order number as a string, "
                                     "such as \"DH20261123-0007\"")
                if len(item) > 64:
                    raise ValueError(f"entry {i + 1} is too long to be an order number")
        return v

    @field_validator("title", "tax_number", "remark")
    @classmethod
    def _clean(cls, v: str | None) -> str | None:
        return _blank_to_none(v)


class IssueIn(BaseModel):
    """The issued invoice's details, entered by finance staff (I-2)."""

    model_config = ConfigDict(extra="forbid")

    invoice_number: str = Field(max_length=200, description="At most 50 characters, unique")
    invoice_date: BusinessDate = Field(
        description=f"Not in the future (Asia/Shanghai date); a date {RANGE}")
    sent_at: BoundedDateTime | None = Field(
        default=None, description=f"When it was sent, with its UTC offset; its date "
                                  f"(Asia/Shanghai) {RANGE}")
    courier: str | None = Field(default=None, max_length=50)
    tracking_number: str | None = Field(default=None, max_length=50)

    @field_validator("courier", "tracking_number")
    @classmethod
    def _clean(cls, v: str | None) -> str | None:
        return _blank_to_none(v)


class InvoiceOrderOut(BaseModel):
    order_id: uuid.UUID
    number: str
    total: Money


class InvoiceOut(BaseModel):
    id: uuid.UUID
    status: str
    customer_id: uuid.UUID
    customer_name: str | None
    amount: Money
    order_ids: list[uuid.UUID]
    order_numbers: list[str]
    orders: list[InvoiceOrderOut]
    title: str | None
    tax_number: str | None
    remark: str | None
    requested_by: str
    invoice_number: str | None
    invoice_date: date | None
    sent_at: datetime | None
    courier: str | None
    tracking_number: str | None
    issued_by: str | None
    issued_at: datetime | None
    confirmed_at: datetime | None
    created_at: datetime
    updated_at: datetime
