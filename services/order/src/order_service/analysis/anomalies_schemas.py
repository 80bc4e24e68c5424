from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .anomalies_domain import NOTE_MAX

FollowUpStatusName = Literal["contacted", "will_order", "lost", "resolved"]
ProcessingStatusName = Literal["open", "contacted", "will_order", "lost", "resolved"]
StandingName = Literal["normal", "abnormal"]
ReasonName = Literal["overdue", "on_time", "waiting_first", "no_cycle", "not_approved"]
AnomalySort = Literal["-days_overdue", "days_overdue", "-last_order_date", "last_order_date",
                      "expected_date", "-expected_date", "name", "-name"]


class CycleOut(BaseModel):
    """An ordering cycle (C-6): every `days` days, or weekly on `weekday` (1 = Monday)."""

    kind: Literal["days", "weekday"]
    days: int | None
    weekday: int | None


class AnomalyRow(BaseModel):
    """A customer past its ordering cycle (table 1, A-3)."""

    customer_id: uuid.UUID
    customer_number: str | None
    name: str
    area: str | None
    grade: str
    last_order_date: date | None = Field(
        description="Its latest order that counts (not cancelled or rejected); null: none")
    cycle: CycleOut
    expected_date: date = Field(description="When it should have ordered")
    days_overdue: int = Field(description="Today − expected date, at least 1")
    usual_value: Decimal | None = Field(
        description="Average total of its last 5 counted orders; null without orders")
    processing_status: ProcessingStatusName = Field(
        description="The latest follow-up recorded for the current expected date; "
                    "'open' (未处理) when none")


class CustomerStatusOut(BaseModel):
    """A customer's order status (A-4): abnormal when it is past its ordering cycle."""

    status: StandingName
    reason: str = Field(description="Why, in a sentence")
    reason_code: ReasonName
    expected_date: date | None = Field(description="When it should (have) order(ed) next; "
                                                   "null without a cycle")
    days_overdue: int
    last_order_date: date | None


class RecentOrder(BaseModel):
    id: uuid.UUID
    number: str
    order_date: date
    status: str
    total: Decimal


class CycleStep(BaseModel):
    """An order of the cycle history and the days since the previous counted one; `late`
    against the current cycle (null for the first order, nothing to compare)."""

    order_number: str
    order_date: date
    days_since_previous: int | None
    expected_date: date | None
    late: bool | None


class FollowUpOut(BaseModel):
    """A follow-up step (B-6); `due_date` is the expected date it was recorded for."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    status: FollowUpStatusName
    note: str | None
    due_date: date | None
    recorded_by: str
    recorded_at: datetime


class AnomalyCustomer(BaseModel):
    customer_id: uuid.UUID
    customer_number: str | None
    name: str
    area: str | None
    grade: str
    machines: int = Field(description="Installed machines (S-2)")
    status: str = Field(description="The customer's own status (approved, …)")
    cycle: CycleOut | None
    cycle_since: date | None = Field(description="The day the cycle was set")


class AnomalyDetail(BaseModel):
    """Table 2 (A-3, B-6): the customer, its order status, recent orders, cycle history
    and the follow-up log."""

    customer: AnomalyCustomer
    standing: CustomerStatusOut
    usual_value: Decimal | None
    processing_status: ProcessingStatusName | None = Field(
        description="While abnormal: the latest follow-up recorded for the current "
                    "expected date, 'open' when none; null while normal")
    recent_orders: list[RecentOrder] = Field(description="The last 10, newest first")
    cycle_history: list[CycleStep] = Field(
        description="The last 12 counted orders with the days since the previous one, "
                    "newest first")
    follow_ups: list[FollowUpOut] = Field(description="All, newest first")


class FollowUpIn(BaseModel):
    """What was done about the customer's missed cycle (B-6)."""

    model_config = ConfigDict(extra="forbid")

    status: FollowUpStatusName
    note: str | None = Field(default=None, max_length=NOTE_MAX)

    @field_validator("note")
    @classmethod
    def _strip(cls, v: str | None) -> str | None:
        v = (v or "").strip()
        return v or None


class ConsumableLine(BaseModel):
    order_date: date
    order_number: str
    model: str
    name: str
    quantity: int
    amount: Decimal


class CustomerConsumables(BaseModel):
    """A customer's consumables over the last months (A-4), newest first."""

    customer_id: uuid.UUID
    months: int
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    total_quantity: int
    total_amount: Decimal
    lines: list[ConsumableLine]
