from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

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


# ------------------------------------------------------------------ online payment (B-2)
OnlineProvider = Literal["wechat", "alipay", "sandbox"]
IntentStatusName = Literal["created", "paid", "expired", "failed"]


class PayIn(BaseModel):
    """Pay an order online (B-2, O-6): everything outstanding, through one provider."""

    model_config = ConfigDict(extra="forbid")

    provider: OnlineProvider = Field(description=(
        "wechat (WeChat Pay, scan the QR code), alipay (Alipay, scan the QR code) or "
        "sandbox (development: open code_url); GET /api/portal/payment-providers lists "
        "the enabled ones"))


class PaymentIntentOut(BaseModel):
    intent_id: uuid.UUID
    order_id: uuid.UUID
    provider: OnlineProvider
    code_url: str = Field(description=(
        "The QR code's content (WeChat Pay / Alipay); for the sandbox the address of its "
        "payment page"))
    amount: Money = Field(description="What is paid: the order's outstanding amount when "
                                      "the intent was made")
    currency: Literal["CNY"]
    expires_at: datetime = Field(description="Until when the QR code can be paid")
    status: IntentStatusName = Field(description=(
        "created: waiting for the payment; paid: the provider confirmed it (the payment "
        "is recorded on the order); expired: not paid in time (ask again); failed: the "
        "provider closed the trade"))
    paid_at: datetime | None


class PaymentProviderOut(BaseModel):
    provider: OnlineProvider
    method: str = Field(description="How its payments are recorded on the order "
                                    "(wechat_pay, alipay, sandbox)")


# ------------------------------------------------------------------ the ledger (O-6)
LedgerKind = Literal["payment", "reversal", "refund"]
LedgerStatus = Literal["recorded", "reversal_pending", "reversed", "pending", "approved",
                       "rejected"]


class LedgerEntryOut(BaseModel):
    """One row of an order's payment ledger. Amounts are positive; `kind` says which
    way the money went: a payment counts towards the paid total, an approved reversal
    takes its payment back off it, a refund was paid back to the customer."""

    id: uuid.UUID
    kind: LedgerKind
    amount: Money
    entry_date: date = Field(description=(
        "payment: paid on; reversal: the business date it was asked for, or decided once "
        "decided; refund: refunded on"))
    method: str | None = None
    reference: str | None = None
    recorded_by: str | None = Field(default=None, description=(
        "Who recorded the payment or refund, or asked for the reversal (not shown to "
        "customers)"))
    created_at: datetime
    status: LedgerStatus = Field(description=(
        "payment: recorded, reversal_pending or reversed; reversal: pending, approved or "
        "rejected; refund: recorded"))
    reason: str | None = Field(default=None, description="Why reversed or refunded")
    payment_id: uuid.UUID | None = Field(default=None,
                                         description="A reversal's payment")
    reversal_id: uuid.UUID | None = Field(default=None, description=(
        "A payment's pending or approved reversal"))
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None


class LedgerOut(BaseModel):
    """An order's payments, reversals and refunds (O-6), oldest first, with the totals."""

    order_id: uuid.UUID
    number: str
    total: Money
    paid_total: Money = Field(description="Payments less approved reversals")
    refunded_total: Money
    outstanding: Money
    refundable: Money = Field(description=(
        "What may still be refunded: approved returns' refund amounts (for a cancelled "
        "order everything paid) less refunds recorded, at most what was paid"))
    payment_status: str
    entries: list[LedgerEntryOut]


def _reason(v: str) -> str:
    v = v.strip()
    if not v:
        raise ValueError("reason must not be blank")
    return v


class ReversalIn(BaseModel):
    """Ask for a wrongly recorded payment to be reversed (O-6); another staff member
    approves or rejects it."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500)

    @field_validator("reason")
    @classmethod
    def _strip(cls, v: str) -> str:
        return _reason(v)


class ReversalRejectIn(ReversalIn):
    """Refuse a requested reversal; the payment keeps counting."""


class RefundIn(BaseModel):
    """Money paid back to the customer (O-6): for approved returns or a cancelled order,
    up to what may be refunded."""

    model_config = ConfigDict(extra="forbid")

    amount: PositiveMoney
    refunded_on: BusinessDate
    method: str = Field(min_length=1, max_length=40,
                        description="How it was paid back, e.g. bank_transfer, cash")
    reference: str | None = Field(default=None, max_length=100)
    reason: str = Field(min_length=1, max_length=500)

    @field_validator("method", "reason")
    @classmethod
    def _strip(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("must not be blank")
        return v
