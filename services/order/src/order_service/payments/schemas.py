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
