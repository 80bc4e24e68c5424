from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field


class CustomerAmount(BaseModel):
    customer_id: uuid.UUID
    customer_number: str | None
    name: str
    area: str | None
    amount: Decimal
    orders: int
    share: Decimal = Field(description="Per cent of the period's amount, one decimal")


class Summary(BaseModel):
    """Total and per-customer order amounts of a period (A-2); cancelled and rejected
    orders do not count."""

    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    total_amount: Decimal
    order_count: int
    customer_count: int
    customers: list[CustomerAmount] = Field(description="Largest amount first")


class ModelAmount(BaseModel):
    model: str
    name: str
    quantity: int
    amount: Decimal


class ConsumablesSummary(BaseModel):
    """Consumables ordered in a period by model (A-2); with `model`, that model per
    customer too."""

    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    model: str | None
    total_quantity: int
    total_amount: Decimal
    models: list[ModelAmount]
    customers: list[CustomerAmount] = Field(
        description="With `model`: the customers who ordered it (amount and share of it)")
