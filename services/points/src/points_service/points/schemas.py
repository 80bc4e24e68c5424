from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel


class PointsSummary(BaseModel):
    """My points (P-1): `total` took effect (orders paid), `pending` waits for payment,
    `remaining` = total − redeemed."""

    pending: int
    total: int
    redeemed: int
    remaining: int


class PointsRecord(BaseModel):
    id: uuid.UUID
    order_id: uuid.UUID
    order_number: str | None
    points: int
    status: str
    rule_version: int
    created_at: datetime
    effective_at: datetime | None
    cancelled_at: datetime | None
