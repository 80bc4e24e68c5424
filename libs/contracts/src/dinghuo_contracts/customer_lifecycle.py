"""Events of the customer lifecycle (see events.py for the conventions: money as Money, additive
changes only, a breaking change is a new class with version = 2). Defining a class
registers it."""

from __future__ import annotations

import uuid  # noqa: F401
from datetime import date, datetime  # noqa: F401
from typing import Literal  # noqa: F401

from .envelope import Event  # noqa: F401
from .events import Money, Part  # noqa: F401

GradeName = Literal["normal", "small", "large"]


class CustomerGradeChanged(Event):
    """The customer's grade changed (C-4): upgraded automatically when its cumulative paid
    consumption (`paid_total`) reached a threshold, or set explicitly by staff with a
    reason (the only way a grade ever goes down). Notify tells the customer and the
    staff."""

    type = "customer.grade_changed"
    customer_id: uuid.UUID
    customer_number: str
    company_name: str
    previous_grade: GradeName
    grade: GradeName
    paid_total: Money
    reason: str
    changed_by: str
    changed_by_kind: Literal["system", "staff"] = "system"
    area: str | None = None


class CustomerCycleChanged(Event):
    """Staff set (or cleared) the customer's ordering cycle (C-6): every `days` days, or
    every week on `weekday` (1 = Monday … 7 = Sunday); `kind` None means no cycle.
    Consumers keep it for reminders and anomaly analysis (A-3)."""

    type = "customer.cycle_changed"
    customer_id: uuid.UUID
    kind: Literal["days", "weekday"] | None = None
    days: int | None = None
    weekday: int | None = None
    changed_by: str


class CustomerPaymentTermsChanged(Event):
    """Staff set the customer's payment terms (O-6): an approved order is due `days`
    calendar days after the business date (Asia/Shanghai) of its approval; 0 means due on
    the day of approval. The order service keeps it to give each approved order its due
    date."""

    type = "customer.payment_terms_changed"
    customer_id: uuid.UUID
    days: int
    previous_days: int | None = None
    changed_by: str


class CustomerOrderingCycleDue(Event):
    """An ordering-cycle reminder (C-6, N-2), produced by the ORDER service's daily job
    (not the customer service): the customer's next ordering date by its cycle arrived
    today (`due_date`) and it has not ordered since its last cycle began. The date is the
    customer service's C-6 rule (`next_due`) on the order service's read model of the
    cycle and its own orders: every `days` days after `last_order_date`, or weekly on the
    first `weekday` (1 = Monday … 7 = Sunday) after it; a customer that has not ordered
    yet (`last_order_date` None) is due on the next day that fits from today (every-N-days:
    today, then again N days after its previous reminder). Sent on the due date only, at
    most once per customer and due date. The external notifier sends it by SMS/WeChat;
    notify puts it in the customer's inbox."""

    type = "customer.ordering_cycle_due"
    customer_id: uuid.UUID
    customer_name: str = ""
    due_date: date
    last_order_date: date | None = None
    kind: Literal["days", "weekday"]
    days: int | None = None
    weekday: int | None = None


class CustomerCreditLimitChanged(Event):
    """Staff set (or cleared, `limit` None) the customer's credit limit (B-3): the most the
    customer may owe on its orders that are not rejected or cancelled (their totals less
    what was paid). The order service keeps it and holds an order (submitted or modified)
    that would take the customer over it until finance releases it; `previous` is the
    limit before (None: there was none)."""

    type = "customer.credit_limit_changed"
    customer_id: uuid.UUID
    limit: Money | None = None
    previous: Money | None = None
    changed_by: str
