"""Domain values and ORM rows → API schemas."""

from __future__ import annotations

from ..models import PointsEntry
from .domain import Balance
from .schemas import PointsRecord, PointsSummary


def summary(b: Balance) -> PointsSummary:
    return PointsSummary(pending=b.pending, total=b.total, redeemed=b.redeemed,
                         remaining=b.remaining)


def record(e: PointsEntry) -> PointsRecord:
    return PointsRecord(id=e.id, order_id=e.order_id, order_number=e.order_number,
                        points=e.points, status=e.status, rule_version=e.rule_version,
                        created_at=e.created_at, effective_at=e.effective_at,
                        cancelled_at=e.cancelled_at)
