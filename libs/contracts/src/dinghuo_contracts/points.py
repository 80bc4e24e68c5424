"""Events of points redemption, a saga across the order and points services (P-2), and
of the points balances the order service keeps a read model of (see events.py for the
conventions: additive changes only, a breaking change is a new class with version = 2).
Defining a class registers it.

The saga, for an order submitted with `points_requested` > 0 (order.submitted):

    points ── points.reserved ─▶ order ── order.points_confirmed ─▶ points (held)
           └─ points.refused ──▶ order (the order is payable in full)
    order.approved (points_used) ─▶ points ── points.redeemed ─▶ order
    order.cancelled / order.rejected ─▶ points ── points.released ─▶ order
    a reservation not confirmed within the points service's timeout ─▶ points.released
    (cause "timeout") ─▶ order (payable in full again)

Every step is consumed through the receiver's inbox, so a redelivery changes nothing; a
lost reply never leaves points reserved for ever (the timeout releases them)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from .envelope import Event

# Why points were refused or released (the portal shows the reason in the customer's
# language).
Refusal = Literal["insufficient", "threshold", "redeemable"]
ReleaseCause = Literal["cancelled", "rejected", "timeout", "not_confirmed", "order_paid"]


class PointsReserved(Event):
    """The points service set `points` aside for the order (P-2). The order answers with
    order.points_confirmed; unconfirmed, the reservation is released after a timeout."""

    type = "points.reserved"
    customer_id: uuid.UUID
    order_id: uuid.UUID
    order_number: str | None = None
    points: int
    reserved_at: datetime


class PointsRefused(Event):
    """The points service could not set the requested points aside: not enough points
    (`insufficient`), the redemption threshold not reached (`threshold`) or more than the
    order's consumables and accessories are worth (`redeemable`). The order is payable
    in full; the customer is told."""

    type = "points.refused"
    customer_id: uuid.UUID
    order_id: uuid.UUID
    order_number: str | None = None
    points: int
    reason: Refusal
    detail: str


class PointsReleased(Event):
    """Points reserved (or redeemed) for an order went back to the customer: the order was
    cancelled or rejected, or the reservation was never confirmed (`timeout`)."""

    type = "points.released"
    customer_id: uuid.UUID
    order_id: uuid.UUID
    order_number: str | None = None
    points: int
    cause: ReleaseCause
    released_at: datetime


class PointsRedeemed(Event):
    """The approved order used its reserved points: they are spent (P-2)."""

    type = "points.redeemed"
    customer_id: uuid.UUID
    order_id: uuid.UUID
    order_number: str | None = None
    points: int
    redeemed_at: datetime


class PointsBalanceChanged(Event):
    """A customer's points after a change of what it can redeem (P-1: effective, reserved
    or redeemed points; a change of pending points alone is not announced, and `pending`
    is as of the announcement), for read models: the order service refuses an order
    asking for more points than this at once (422) and leaves the final word to the
    saga. `as_of` orders the announcements."""

    type = "points.balance_changed"
    customer_id: uuid.UUID
    pending: int
    total: int
    redeemed: int
    reserved: int
    remaining: int
    threshold: int
    can_redeem: bool
    as_of: datetime


class OrderPointsConfirmed(Event):
    """The order recorded the points reserved for it (the saga's acknowledgement): the
    reservation is held until the order is approved, cancelled or rejected."""

    type = "order.points_confirmed"
    customer_id: uuid.UUID
    order_id: uuid.UUID
    points: int
