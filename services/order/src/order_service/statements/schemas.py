from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from servicekit.money import Money

EntryKindName = Literal["order", "cancellation", "return", "payment", "reversal", "refund"]
StatementStatusName = Literal["open", "confirmed", "disputed"]
StatementActionName = Literal["confirm", "dispute", "resolve"]

MONTH_DESCRIPTION = ("A month as YYYY-MM (e.g. 2026-11), from 2000-01 to the current month "
                     "(Asia/Shanghai); a malformed, earlier or later month is a 422")


class NoteIn(BaseModel):
    """A dispute (the customer: what is wrong) or staff's answer to one."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=500)

    @field_validator("note")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("note must not be blank")
        return v


class ConfirmIn(BaseModel):
    """Confirm a month's statement; naming the closing balance you saw makes sure you
    confirm those figures (409 when the statement changed meanwhile)."""

    model_config = ConfigDict(extra="forbid")

    closing_balance: Money | None = Field(
        default=None, description="The closing balance shown when you confirmed")


class StatementEntryOut(BaseModel):
    kind: EntryKindName = Field(description=(
        "order: an approved order's total; cancellation: an approved order cancelled "
        "(its total back); return: an approved return's refund amount; payment: money "
        "received; reversal: a wrongly recorded payment reversed; refund: money paid back"))
    id: uuid.UUID = Field(description="The order, return, payment, reversal or refund")
    entry_date: date = Field(description="Its business date (Asia/Shanghai)")
    order_id: uuid.UUID | None
    order_number: str | None
    method: str | None = None
    reference: str | None = None
    debit: Money | None = Field(description="What it added to the balance")
    credit: Money | None = Field(description="What it took off the balance")
    balance: Money = Field(description="The balance after it")


class StatementTotalsOut(BaseModel):
    """Each kind's total in the month, as recorded (positive)."""

    orders: Money
    cancellations: Money
    returns: Money
    payments: Money
    reversals: Money
    refunds: Money


class StatementHistoryOut(BaseModel):
    action: Literal["confirmed", "disputed", "resolved"]
    actor: str | None = Field(description="Who (staff names are not shown to customers)")
    actor_kind: Literal["customer", "staff"]
    note: str | None
    opening_balance: Money
    closing_balance: Money
    occurred_at: datetime


class StatementOut(BaseModel):
    """A customer's monthly statement (B-1): what it owed at the start of the month, every
    entry of the month by business date with the balance after it, what it owes at the
    end (negative: a credit in its favour), and its acknowledgement."""

    customer_id: uuid.UUID
    customer_name: str | None
    customer_number: str | None
    area: str | None
    month: str = Field(description="YYYY-MM", examples=["2026-11"])
    period_start: date
    period_end: date
    ended: bool = Field(description="The month is over; only then can it be confirmed or "
                                    "disputed (an open month shows its entries so far)")
    opening_balance: Money
    closing_balance: Money
    total_debit: Money
    total_credit: Money
    totals: StatementTotalsOut
    entries: list[StatementEntryOut]
    status: StatementStatusName = Field(description=(
        "open: not acknowledged (or answered after a dispute); confirmed: the customer "
        "agreed; disputed: the customer disagreed and staff have to answer"))
    changed_since_acknowledged: bool = Field(description=(
        "The figures differ from those the customer confirmed or disputed (an entry was "
        "recorded late): a confirmed statement can then be confirmed or disputed again"))
    acknowledged_opening_balance: Money | None
    acknowledged_closing_balance: Money | None
    confirmed_by: str | None
    confirmed_at: datetime | None
    dispute_note: str | None
    disputed_by: str | None
    disputed_at: datetime | None
    resolution_note: str | None
    resolved_by: str | None
    resolved_at: datetime | None
    actions: list[StatementActionName] = Field(
        description="What you may do with it now (confirm, dispute; staff: resolve)")
    history: list[StatementHistoryOut]


class StatementSummaryOut(BaseModel):
    """An acknowledged statement in the staff's list (B-1): its figures as acknowledged."""

    customer_id: uuid.UUID
    customer_name: str | None
    customer_number: str | None
    area: str | None
    month: str
    status: StatementStatusName
    opening_balance: Money
    closing_balance: Money
    confirmed_at: datetime | None
    dispute_note: str | None
    disputed_by: str | None
    disputed_at: datetime | None
    resolution_note: str | None
    resolved_at: datetime | None
    updated_at: datetime
