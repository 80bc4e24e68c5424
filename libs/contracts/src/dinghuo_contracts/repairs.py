"""Events of paying a repair charge with points (P-2, S-3): a short saga between the
service desk, which keeps the maintenance record and its charge, and the points service.
Conventions as in events.py (additive changes only). Defining a class registers it.

A repair has no review step, so the points are spent at once when they can be:

    servicedesk.repair_points_requested ─▶ points ── points.repair_redeemed ─▶ servicedesk
                                                   └─ points.repair_refused ─▶ servicedesk
    servicedesk.repair_points_release_requested ─▶ points ── points.repair_released ─▶ servicedesk

Nothing is ever held waiting for a reply: a request is answered by one of the two events
(both consumed through the inbox), so a redelivery changes nothing and no points stay
reserved."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Literal

from .envelope import Event
from .points import Refusal


class RepairPointsRequested(Event):
    """Staff, at the customer's request, pay part of a repair charge with points."""

    type = "servicedesk.repair_points_requested"
    record_id: uuid.UUID
    customer_id: uuid.UUID
    points: int
    charge: Decimal
    requested_by: str


class RepairPointsReleaseRequested(Event):
    """Staff give back the points a repair charge was paid with (a wrong entry, the charge
    waived)."""

    type = "servicedesk.repair_points_release_requested"
    record_id: uuid.UUID
    customer_id: uuid.UUID
    points: int
    requested_by: str


class PointsRepairRedeemed(Event):
    """The points service spent `points` on the repair's charge."""

    type = "points.repair_redeemed"
    record_id: uuid.UUID
    customer_id: uuid.UUID
    points: int
    redeemed_at: datetime


class PointsRepairRefused(Event):
    """The points could not be used: not enough, the threshold not reached, or more than
    the charge (`reason`); `detail` says it in English for the staff's log."""

    type = "points.repair_refused"
    record_id: uuid.UUID
    customer_id: uuid.UUID
    points: int
    reason: Refusal | Literal["already_used"]
    detail: str


class PointsRepairReleased(Event):
    """The points spent on a repair went back to the customer."""

    type = "points.repair_released"
    record_id: uuid.UUID
    customer_id: uuid.UUID
    points: int
    released_at: datetime
