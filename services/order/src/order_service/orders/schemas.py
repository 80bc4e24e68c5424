from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from servicekit.dates import BusinessDate
from servicekit.money import Money

BillType = Literal["none", "ordinary_vat", "special_vat"]
OrderStatusName = Literal[
    "submitted", "pending_second_review", "approved", "rejected", "cancellation_requested",
    "cancelled", "processing", "partially_shipped", "shipped", "received", "completed"]
Sort = Literal["date", "-date", "amount", "-amount", "quantity", "-quantity", "number",
               "-number"]


def _strip_or_none(v: str | None) -> str | None:
    if v is None:
        return None
    v = v.strip()
    return v or None


class OrderLineIn(BaseModel):
    product_id: uuid.UUID
    quantity: int = Field(gt=0, le=1_000_000, description="A positive whole number")

    @field_validator("quantity", mode="before")
    @classmethod
    def _whole(cls, v):
        if isinstance(v, bool) or (isinstance(v, float) and not v.is_integer()):
            raise ValueError("quantity must be a positive whole number")
        return v


class OrderContent(BaseModel):
    """What every new order says (O-3). The order date is today (Asia/Shanghai); the
    delivery date may not be before it; prices and totals are the server's."""

    model_config = ConfigDict(extra="forbid")

    delivery_date: BusinessDate
    bill_type: BillType
    remark: str | None = Field(default=None, max_length=500)
    lines: list[OrderLineIn] = Field(min_length=1, max_length=200)


class OrderIn(OrderContent):
    """A new order from the customer's own catalogue (O-3), optionally paying part of it
    with points (P-2): 1 point = 1 yuan against its consumables and accessories, once the
    customer's points reached the threshold, never more than it has left — otherwise 422
    and nothing is placed. The points service then reserves them (the order shows
    `points_status`), and the order is payable at total − points used."""

    points_to_use: int = Field(default=0, ge=0, le=1_000_000,
                               description="Points to pay with (1 point = 1 yuan)")


class StaffOrderIn(OrderContent):
    """Staff self-entry of an order on a customer's behalf (O-1); it earns no points."""

    customer_id: uuid.UUID


class OrderModifyIn(BaseModel):
    """Change a submitted, unreviewed order (O-4). Fields left out stay as they are;
    `lines` replaces all lines. Send the version you loaded (here or as If-Match)."""

    model_config = ConfigDict(extra="forbid")

    delivery_date: BusinessDate | None = None
    bill_type: BillType | None = None
    remark: str | None = Field(default=None, max_length=500)
    lines: list[OrderLineIn] | None = Field(default=None, min_length=1, max_length=200)
    version: int | None = Field(default=None, ge=1,
                                description="The order's version as loaded (or If-Match)")


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=500)

    @field_validator("reason")
    @classmethod
    def _strip(cls, v: str | None) -> str | None:
        return _strip_or_none(v)


class RequiredReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500)

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("reason must not be blank")
        return v


class CompleteIn(BaseModel):
    """Staff settle a shortage and close the order (O-8)."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=500,
                      description="How the shortage was settled (resent, refunded, ...)")


class ReorderIn(BaseModel):
    """A new order from a previous one or a template, at today's prices (O-11). Defaults:
    the same lead time (delivery date − order date), the same bill choice, no remark."""

    model_config = ConfigDict(extra="forbid")

    delivery_date: BusinessDate | None = None
    bill_type: BillType | None = None
    remark: str | None = Field(default=None, max_length=500)


class OrderLineOut(BaseModel):
    product_id: uuid.UUID
    name: str
    model: str
    quantity: int
    unit_price: Money
    list_price: Money | None
    line_total: Money
    shipped_quantity: int = 0
    received_quantity: int = 0
    returned_quantity: int = Field(0, description="Approved returns")
    returnable_quantity: int = Field(
        0, description="Received minus returned or waiting to be returned")


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
    paid_total: Money = Field(description="The payments recorded against the order so far")
    points_requested: int = Field(description="Points the customer asked to pay with (P-2)")
    points_used: int = Field(description=(
        "Points counted against the order (1 point = 1 yuan): those the points service "
        "reserved; 0 while it has not answered and when it refused or gave them back"))
    points_status: str = Field(description=(
        "none | requested (waiting for the points service) | reserved | redeemed (the "
        "approved order spent them) | refused | released (given back)"))
    points_reason: str | None = Field(description=(
        "Why refused or released: insufficient | threshold | redeemable | timeout | "
        "not_confirmed | order_paid | cancelled | rejected"))
    payable: Money = Field(description="What the customer pays: total − points_used")
    outstanding: Money = Field(description=(
        "What is still to be paid: payable − paid_total; 0 for a rejected or cancelled "
        "order (what was paid on it is refunded, never owed)"))
    payment_status: str
    due_date: date | None = Field(description=(
        "When payment is due (O-6): the business date (Asia/Shanghai) of the approval "
        "plus the customer's payment terms in days; null until the order is approved. "
        "Never changes once set"))
    overdue: bool = Field(description=(
        "true when the due date is before today (Asia/Shanghai) and something is still "
        "outstanding; never for a rejected or cancelled order"))
    invoiced: bool
    credit_hold: bool = Field(default=False, description=(
        "On credit hold (B-3): what the customer owed on its other open orders plus this "
        "order's total exceeded its credit limit when it was submitted or modified; it "
        "waits for finance (待财务审核) and cannot be approved until released"))
    credit_hold_reason: str | None = Field(default=None, description=(
        "Why it is held, in Chinese (超出信用额度：未付 ¥x + 本单 ¥y > 额度 ¥z); null when "
        "not held"))
    credit_hold_reason_en: str | None = Field(default=None, description=(
        "Why it is held, in English; null when not held"))
    total_quantity: int
    version: int = Field(description="Send it back to modify the order (optimistic locking)")
    created_by: str
    created_at: datetime
    updated_at: datetime


class ShipmentLineOut(BaseModel):
    product_id: uuid.UUID
    name: str
    model: str
    quantity: int
    quantity_received: int | None


class ShipmentOut(BaseModel):
    id: uuid.UUID
    number: int
    courier: str
    tracking_number: str | None
    shipped_on: date
    shipped_by: str
    created_at: datetime
    status: Literal["shipped", "received"]
    received_at: datetime | None
    received_by: str | None
    receipt_note: str | None
    shortage: bool
    lines: list[ShipmentLineOut]


class OrderReturnBrief(BaseModel):
    id: uuid.UUID
    status: str
    amount: Money
    refund_amount: Money | None
    created_at: datetime


class OrderOut(OrderSummary):
    remark: str | None
    first_reviewed_by: str | None
    first_reviewed_at: datetime | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_reason: str | None
    cancel_reason: str | None
    cancelled_at: datetime | None
    completed_at: datetime | None
    credit_released_by: str | None = Field(default=None, description=(
        "Who released the order's last credit hold (B-3)"))
    credit_released_at: datetime | None = None
    credit_release_note: str | None = None
    lines: list[OrderLineOut]
    payments: list[PaymentOut]
    shipments: list[ShipmentOut]
    returns: list[OrderReturnBrief]
    actions: list[str] = Field(description=(
        "What the order's state allows now (modify, cancel, approve, second_approve, "
        "reject, request_cancellation, approve_cancellation, reject_cancellation, ship, "
        "confirm_receipt, complete, request_return, release_credit_hold); each side shows "
        "its own"))


class SkippedLine(BaseModel):
    product_id: uuid.UUID
    name: str
    model: str
    quantity: int
    reason: str


class ReorderOut(BaseModel):
    order: OrderOut
    skipped_lines: list[SkippedLine] = Field(
        description="Lines left out because the product is no longer in your catalogue")


class TimelineEntry(BaseModel):
    seq: int
    occurred_at: datetime
    action: str
    status: str
    actor: str
    actor_kind: str
    note: str | None
    data: dict[str, Any]


class ReviewIn(BaseModel):
    """Batch review (O-5): every listed order gets the same decision, all or none."""

    model_config = ConfigDict(extra="forbid")

    order_ids: list[uuid.UUID] = Field(min_length=1, max_length=500)
    decision: Literal["approve", "reject"]
    reason: str | None = Field(default=None, max_length=500)


class CreditReleaseIn(BaseModel):
    """Finance releases an order's credit hold (B-3), with an optional note."""

    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=500)

    @field_validator("note")
    @classmethod
    def _strip(cls, v: str | None) -> str | None:
        return _strip_or_none(v)


class CustomerCreditOut(BaseModel):
    """A customer's credit position (B-3) as the order service judges it."""

    customer_id: uuid.UUID
    credit_limit: Money | None = Field(description="null: no limit")
    outstanding: Money = Field(description=(
        "What the customer owes on its orders that are not rejected or cancelled "
        "(totals less payments), submitted ones included"))
    available: Money | None = Field(description=(
        "credit_limit − outstanding (may be negative); null without a limit"))
    held_orders: int = Field(description="Orders on credit hold now")


class ReviewedOrder(BaseModel):
    id: uuid.UUID
    number: str
    status: str


class ReviewOut(BaseModel):
    decision: str
    reviewed: list[ReviewedOrder]
