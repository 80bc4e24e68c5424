from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field


class PointsSummary(BaseModel):
    """My points (P-1): `total` took effect (paid orders, staff adjustments), `pending`
    waits for payment, `remaining` = total − redeemed (− reserved); `can_redeem` once
    the cumulative effective points reach the rule's threshold (P-2)."""

    pending: int
    total: int
    redeemed: int
    remaining: int
    can_redeem: bool
    reserved: int = Field(description="Set aside for orders not yet approved")
    threshold: int = Field(description="Effective points needed before any can be used")


class RedemptionOut(BaseModel):
    """Points an order asked to pay with (P-2): `reserved` (set aside), `redeemed` (spent
    on the approved order), `released` (given back: `reason` cancelled | rejected |
    timeout | not_confirmed) or `refused` (`reason` insufficient | threshold |
    redeemable). A reservation the order confirmed shows as `reserved` until approval."""

    id: uuid.UUID
    subject: Literal["order", "repair"] = Field(
        description="What the points paid for: an order, or a repair charge (S-3), whose "
                    "maintenance record's id is then in order_id")
    order_id: uuid.UUID
    order_number: str | None
    points: int
    status: str
    reason: str | None
    created_at: datetime
    updated_at: datetime


class PointsMovementOut(BaseModel):
    """One movement of the ledger: `kind` earned (pending) | effective | reversed |
    adjusted (reserved | redeemed | released come with redemption); `points` signed."""

    id: uuid.UUID
    kind: str
    points: int
    order_id: uuid.UUID | None
    order_number: str | None
    reference: str | None
    rule_version: int
    reason: str | None
    actor: str | None
    created_at: datetime


class CustomerPoints(BaseModel):
    customer_id: uuid.UUID
    customer_number: str | None
    company_name: str
    area: str | None
    pending: int
    total: int
    remaining: int


class AdjustmentIn(BaseModel):
    points: int = Field(description="Signed: 50 adds, -20 deducts")
    reason: str = Field(min_length=1, max_length=500)


class RuleIn(BaseModel):
    yuan_per_point: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    redeem_threshold: int = Field(ge=0, le=1_000_000)
    effective_from: date


class RuleOut(BaseModel):
    version: int
    yuan_per_point: Decimal
    redeem_threshold: int
    effective_from: date
    announced_at: datetime
    announced_by: str
    current: bool = Field(description="The version in force today")
    upcoming: bool = Field(description="Announced, not yet in force")


class EventMonthsIn(BaseModel):
    months: list[str] = Field(max_length=24, description='Months like "2026-12"')


class EventMonthOut(BaseModel):
    month: str
    announced_at: datetime
    announced_by: str


class DescriptionIn(BaseModel):
    content: str = Field(max_length=5000, description="Plain text or Markdown")


class DescriptionOut(BaseModel):
    content: str
    updated_by: str | None
    updated_at: datetime | None
