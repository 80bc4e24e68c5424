from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field, field_validator
from servicekit.dates import BusinessDate


class ShipmentLineIn(BaseModel):
    product_id: uuid.UUID
    quantity: int = Field(gt=0, le=1_000_000, description="A positive whole number")


class ShipmentIn(BaseModel):
    """A shipment of (part of) an order (O-8); never more than is left to ship."""

    model_config = ConfigDict(extra="forbid")

    lines: list[ShipmentLineIn] = Field(min_length=1, max_length=200)
    courier: str = Field(min_length=1, max_length=100, description="e.g. 顺丰速运, SF Express")
    tracking_number: str | None = Field(default=None, max_length=100)
    shipped_on: BusinessDate

    @field_validator("courier")
    @classmethod
    def _courier(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("courier must not be blank")
        return v

    @field_validator("tracking_number")
    @classmethod
    def _tracking(cls, v: str | None) -> str | None:
        return (v or "").strip() or None


class ReceiptLineIn(BaseModel):
    product_id: uuid.UUID
    quantity_received: int = Field(ge=0, le=1_000_000)


class ReceiptIn(BaseModel):
    """The quantities received of one shipment (O-8). A line left out arrived in full;
    when fewer arrived than were shipped, `note` says what is missing."""

    model_config = ConfigDict(extra="forbid")

    lines: list[ReceiptLineIn] = Field(default_factory=list, max_length=200)
    note: str | None = Field(default=None, max_length=500)
