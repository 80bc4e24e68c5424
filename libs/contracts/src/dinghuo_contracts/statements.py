"""Events of monthly account statements (对账单, B-1), from the order service (see
events.py for the conventions: money as Money, additive changes only, a breaking change
is a new class with version = 2). Defining a class registers it.

A statement is a customer's month: opening balance, every order, cancellation, return,
payment, reversal and refund of the month by business date (Asia/Shanghai), closing
balance (what the customer owes; negative: a credit). `month` is "YYYY-MM"."""

from __future__ import annotations

import uuid
from datetime import datetime

from .envelope import Event
from .events import Money


class StatementConfirmed(Event):
    """The customer confirmed a month's statement (B-1): it agrees with the balances.
    `opening_balance`/`closing_balance` are the figures it confirmed (a late entry may
    change them later; the customer then confirms again). Notify prompts the staff."""

    type = "order.statement_confirmed"
    customer_id: uuid.UUID
    customer_name: str
    area: str | None = None
    month: str
    opening_balance: Money
    closing_balance: Money
    confirmed_by: str
    confirmed_at: datetime


class StatementDisputed(Event):
    """The customer disputed a month's statement with a `note` saying what is wrong (B-1);
    the figures it disputed travel along. Notify prompts the staff of the customer's
    `area`, whose answer (order.statement_dispute_resolved) opens the statement again."""

    type = "order.statement_disputed"
    customer_id: uuid.UUID
    customer_name: str
    area: str | None = None
    month: str
    opening_balance: Money
    closing_balance: Money
    note: str
    disputed_by: str
    disputed_at: datetime


class StatementDisputeResolved(Event):
    """Staff answered a disputed statement with a `note` (corrected entries, or why the
    figures stand); the statement is open again for the customer to confirm or dispute
    (B-1). `closing_balance` is the balance at the answer. Notify tells the customer."""

    type = "order.statement_dispute_resolved"
    customer_id: uuid.UUID
    customer_name: str
    month: str
    closing_balance: Money
    note: str
    resolved_by: str
    resolved_at: datetime
