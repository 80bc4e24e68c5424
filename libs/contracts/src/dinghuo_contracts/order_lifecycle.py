"""Events of the order lifecycle (see events.py for the conventions: money as Money, additive
changes only, a breaking change is a new class with version = 2). Defining a class
registers it."""

from __future__ import annotations

import uuid  # noqa: F401
from datetime import date, datetime  # noqa: F401
from typing import Literal  # noqa: F401

from .envelope import Event  # noqa: F401
from .events import Money, OrderLine, Part  # noqa: F401

Actor = Literal["customer", "staff"]


class FieldChange(Part):
    """One changed field of a modified order; values as display strings ("801.50")."""

    field: str
    before: str | None = None
    after: str | None = None


class LineChange(Part):
    """A line added (before 0), removed (after 0) or whose quantity changed."""

    product_id: uuid.UUID
    name: str
    model: str
    quantity_before: int
    quantity_after: int


class ShippedLine(Part):
    product_id: uuid.UUID
    name: str
    model: str
    quantity: int


class ReceivedLine(Part):
    product_id: uuid.UUID
    name: str
    model: str
    quantity_shipped: int
    quantity_received: int


class ReturnLine(Part):
    product_id: uuid.UUID
    name: str
    model: str
    quantity: int
    unit_price: Money


class OrderModified(Event):
    """The customer changed its submitted, unreviewed order; it waits for review again
    (O-4). `changes`/`line_changes` say what changed; `lines` and `total` are the order
    as it is now."""

    type = "order.modified"
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    customer_name: str
    source: Literal["portal", "staff"] = "portal"
    total: Money
    previous_total: Money
    bill_type: str
    delivery_date: date
    changes: list[FieldChange] = []
    line_changes: list[LineChange] = []
    lines: list[OrderLine] = []
    order_version: int | None = None
    modified_by: str
    modified_at: datetime


class OrderSecondReviewRequired(Event):
    """A first reviewer approved an order above the two-level threshold; a different
    reviewer must approve it too (O-5, seed 003)."""

    type = "order.second_review_required"
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    customer_name: str
    total: Money
    first_reviewed_by: str
    first_reviewed_at: datetime


class OrderCancelled(Event):
    """The order is cancelled: by the customer before review, or by staff approving the
    customer's cancellation request after review (O-5)."""

    type = "order.cancelled"
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    customer_name: str = ""
    total: Money
    source: Literal["portal", "staff"] = "portal"
    reason: str | None = None
    cancelled_by: str
    cancelled_by_kind: Actor
    cancelled_at: datetime


class OrderCancellationRequested(Event):
    """The customer asks staff to cancel a reviewed order (O-5); staff approve or reject."""

    type = "order.cancellation_requested"
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    customer_name: str
    total: Money
    reason: str
    requested_by: str
    requested_at: datetime


class OrderCancellationRejected(Event):
    """Staff refused the customer's cancellation request; the order carries on."""

    type = "order.cancellation_rejected"
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    status: str
    reason: str | None = None
    decided_by: str
    decided_at: datetime


class OrderShipped(Event):
    """Staff shipped (part of) an order (O-8); `fully_shipped` once nothing is left."""

    type = "order.shipped"
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    shipment_id: uuid.UUID
    shipment_number: int
    courier: str
    tracking_number: str | None = None
    shipped_on: date
    lines: list[ShippedLine]
    fully_shipped: bool
    shipped_by: str


class OrderReceived(Event):
    """The customer confirmed receipt of one shipment with the quantities received (O-8);
    `shortage` when fewer arrived than were shipped (then `note` says why)."""

    type = "order.received"
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    customer_name: str
    shipment_id: uuid.UUID
    shipment_number: int
    lines: list[ReceivedLine]
    shortage: bool
    note: str | None = None
    received_by: str
    received_at: datetime


class OrderCompleted(Event):
    """Everything ordered was shipped and every shipment's receipt confirmed (O-8)."""

    type = "order.completed"
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    total: Money
    completed_at: datetime
    note: str | None = None


class ReturnRequested(Event):
    """The customer asks to return received goods, with a reason (O-9)."""

    type = "order.return_requested"
    return_id: uuid.UUID
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    customer_name: str
    lines: list[ReturnLine]
    amount: Money
    reason: str
    requested_by: str
    requested_at: datetime


class ReturnApproved(Event):
    """Staff approved a return and recorded the refund amount (O-9)."""

    type = "order.return_approved"
    return_id: uuid.UUID
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    refund_amount: Money
    lines: list[ReturnLine]
    source: Literal["portal", "staff"] = "portal"
    decided_by: str
    decided_at: datetime


class ReturnRejected(Event):
    """Staff rejected a return request, with a reason (O-9)."""

    type = "order.return_rejected"
    return_id: uuid.UUID
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    reason: str
    decided_by: str
    decided_at: datetime


PaymentDueStage = Literal["before", "due", "overdue"]


class OrderPaymentDue(Event):
    """A payment reminder (O-6, N-2), from the order service's daily job: an approved order
    with something outstanding is due in a few days (`before`,
    ORDER_REMINDER_DAYS_BEFORE), due today (`due`), or overdue (`overdue`, every
    ORDER_REMINDER_OVERDUE_EVERY_DAYS days while it stays unpaid; `days_overdue` counts
    the days since `due_date`, 0 for the other stages). At most one per order, due date
    and stage (and overdue period). The external notifier sends it by SMS/WeChat; notify
    puts it in the customer's inbox and prompts the staff when it is overdue."""

    type = "order.payment_due"
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    customer_name: str = ""
    amount_outstanding: Money
    due_date: date
    stage: PaymentDueStage
    days_overdue: int = 0


class PaymentReversed(Event):
    """A payment of a fully paid order was reversed (O-6): a staff member asked for the
    reversal of a wrongly recorded payment and another approved it, and the order is no
    longer fully paid (it was announced with order.payment_received). `amount` is the
    reversed payment, `paid_total` what remains paid; `reversed_by` the approver,
    `reversed_on` the business date (Asia/Shanghai) of the approval. Reversals that leave
    a partially paid order partially paid emit nothing. Notify prompts the staff; the
    points service makes the order's effective points pending again (P-2) until the order
    is fully paid once more (paid consumption counted on payment_received stays)."""

    type = "order.payment_reversed"
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    amount: Money
    paid_total: Money
    reason: str
    reversed_by: str
    reversed_on: date


class OrderCreditHeld(Event):
    """An order was put on credit hold (B-3): when it was submitted (`trigger`
    "submitted") or modified ("modified"), what the customer still owes on its other
    orders that are not rejected or cancelled (`outstanding`) plus this order's `total`
    exceeded its `credit_limit`. The order stays submitted but cannot be approved until
    finance releases the hold (or it is rejected). `reason`/`reason_en` say so in words,
    as both sides see it. Notify prompts the staff."""

    type = "order.credit_held"
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    customer_name: str
    total: Money
    outstanding: Money
    credit_limit: Money
    reason: str
    reason_en: str
    trigger: Literal["submitted", "modified"] = "submitted"
    held_at: datetime


class OrderCreditHoldReleased(Event):
    """Finance released an order's credit hold (B-3); it can now be reviewed as usual.
    A later modification that makes the order larger puts it on hold again."""

    type = "order.credit_hold_released"
    order_id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    total: Money
    note: str | None = None
    released_by: str
    released_at: datetime
