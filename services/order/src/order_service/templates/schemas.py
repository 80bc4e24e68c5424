from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from servicekit.dates import BusinessDate
from servicekit.money import Money

from ..orders.schemas import BillType, OrderLineIn


class TemplateIn(BaseModel):
    """A favourite order (O-11): give the lines, or `from_order_id` to copy an order's."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    lines: list[OrderLineIn] | None = Field(default=None, min_length=1, max_length=200)
    from_order_id: uuid.UUID | None = None
    bill_type: BillType | None = None
    remark: str | None = Field(default=None, max_length=500)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("name must not be blank")
        return v

    @model_validator(mode="after")
    def _one_source(self) -> TemplateIn:
        if (self.lines is None) == (self.from_order_id is None):
            raise ValueError("give either lines or from_order_id")
        return self


class TemplateLineOut(BaseModel):
    product_id: uuid.UUID
    quantity: int
    name: str | None
    model: str | None
    unit_price: Money | None = Field(description="Today's price")
    available: bool = Field(description="Still in your catalogue")


class TemplateOut(BaseModel):
    id: uuid.UUID
    name: str
    bill_type: BillType | None
    remark: str | None
    created_at: datetime
    lines: list[TemplateLineOut]


class TemplateOrderIn(BaseModel):
    """Order from a template at today's prices; bill choice and remark default to the
    template's."""

    model_config = ConfigDict(extra="forbid")

    delivery_date: BusinessDate
    bill_type: BillType | None = None
    remark: str | None = Field(default=None, max_length=500)
