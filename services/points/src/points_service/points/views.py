"""Domain values and ORM rows → API schemas."""

from __future__ import annotations

from servicekit.timeutil import business_date

from ..models import CustomerView, EventMonth, PointsMovement, PointsRedemption, RuleVersion
from .domain import Balance
from .schemas import (
    CustomerPoints,
    EventMonthOut,
    PointsMovementOut,
    PointsSummary,
    RedemptionOut,
    RuleOut,
)


def summary(b: Balance) -> PointsSummary:
    return PointsSummary(pending=b.pending, total=b.total, redeemed=b.redeemed,
                         remaining=b.remaining, can_redeem=b.can_redeem,
                         reserved=b.reserved, threshold=b.threshold)


def redemption(r: PointsRedemption) -> RedemptionOut:
    # "held" is the saga's inner state (the order confirmed): still reserved to a person.
    status = "reserved" if r.status == "held" else r.status
    return RedemptionOut(id=r.id, subject=r.subject, order_id=r.order_id,
                         order_number=r.order_number, points=r.points, status=status,
                         reason=r.reason, created_at=r.created_at, updated_at=r.updated_at)


def movement(m: PointsMovement) -> PointsMovementOut:
    return PointsMovementOut(id=m.id, kind=m.kind, points=m.points, order_id=m.order_id,
                             order_number=m.order_number, reference=m.reference,
                             rule_version=m.rule_version, reason=m.reason, actor=m.actor,
                             created_at=m.created_at)


def customer(c: CustomerView, b: Balance) -> CustomerPoints:
    return CustomerPoints(customer_id=c.customer_id, customer_number=c.customer_number,
                          company_name=c.company_name, area=c.area, pending=b.pending,
                          total=b.total, remaining=b.remaining)


def rule(r: RuleVersion, current: int) -> RuleOut:
    return RuleOut(version=r.version, yuan_per_point=r.yuan_per_point,
                   redeem_threshold=r.redeem_threshold, effective_from=r.effective_from,
                   announced_at=r.announced_at, announced_by=r.announced_by,
                   current=r.version == current,
                   upcoming=r.effective_from > business_date())


def event_month(m: EventMonth) -> EventMonthOut:
    return EventMonthOut(month=m.month, announced_at=m.announced_at,
                         announced_by=m.announced_by)
