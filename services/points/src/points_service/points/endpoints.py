import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from servicekit.auth import CustomerPrincipal, require_permission
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from . import views
from .schemas import (
    AdjustmentIn,
    CustomerPoints,
    DescriptionIn,
    DescriptionOut,
    EventMonthOut,
    EventMonthsIn,
    PointsMovementOut,
    PointsSummary,
    RedemptionOut,
    RuleIn,
    RuleOut,
)
from .service import PointsService

portal = APIRouter(prefix="/api/portal/points", tags=["portal: points"])
console = APIRouter(prefix="/api/console/points", tags=["console: points"])

PointsQuery = require_permission("points:query")
PointsAdjust = require_permission("points:entry")
PointsModify = require_permission("points:modify")
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0)]


# ---------------------------------------------------------------- the programme (both sides)
async def _rules(session) -> list[RuleOut]:
    p = await PointsService(session).programme()
    return [views.rule(r, p.current) for r in reversed(p.rules)]


async def _event_months(session) -> list[EventMonthOut]:
    p = await PointsService(session).programme()
    return [views.event_month(m) for m in p.event_months]


async def _description(session) -> DescriptionOut:
    content, by, at = await PointsService(session).description()
    return DescriptionOut(content=content, updated_by=by, updated_at=at)  # type: ignore[arg-type]


# ---------------------------------------------------------------- portal
@portal.get("", response_model=PointsSummary, responses=error_responses(401, 403))
async def my_points(session: Session, customer: CustomerPrincipal) -> PointsSummary:
    """Your points: pending (orders not yet paid), total, redeemed, remaining, and whether
    you may redeem (P-1, P-2)."""
    assert customer.customer_id is not None
    return views.summary(await PointsService(session).balance(customer.customer_id))


@portal.get("/movements", response_model=list[PointsMovementOut],
            responses=error_responses(401, 403))
async def my_movements(session: Session, customer: CustomerPrincipal, response: Response,
                       limit: Limit = 50, offset: Offset = 0) -> list[PointsMovementOut]:
    """Your points records — every movement, newest first (X-Total-Count: all)."""
    assert customer.customer_id is not None
    items, total = await PointsService(session).movements(customer.customer_id, limit=limit,
                                                          offset=offset)
    set_total(response, total)
    return [views.movement(m) for m in items]


@portal.get("/redemptions", response_model=list[RedemptionOut],
            responses=error_responses(401, 403))
async def my_redemptions(session: Session, customer: CustomerPrincipal, response: Response,
                         limit: Limit = 50, offset: Offset = 0) -> list[RedemptionOut]:
    """Your redemption records (P-1): the points each order asked to pay with and what
    became of them, newest first (X-Total-Count: all)."""
    assert customer.customer_id is not None
    items, total = await PointsService(session).redemptions(customer.customer_id,
                                                            limit=limit, offset=offset)
    set_total(response, total)
    return [views.redemption(r) for r in items]


@portal.get("/rules", response_model=list[RuleOut], responses=error_responses(401, 403))
async def portal_rules(session: Session, _customer: CustomerPrincipal) -> list[RuleOut]:
    """The rule versions, newest first: the one in force and those announced (P-3)."""
    return await _rules(session)


@portal.get("/event-months", response_model=list[EventMonthOut],
            responses=error_responses(401, 403))
async def portal_event_months(session: Session,
                              _customer: CustomerPrincipal) -> list[EventMonthOut]:
    """Months in which orders earn no points (P-2)."""
    return await _event_months(session)


@portal.get("/description", response_model=DescriptionOut,
            responses=error_responses(401, 403))
async def portal_description(session: Session,
                             _customer: CustomerPrincipal) -> DescriptionOut:
    """The points description written by the supplier (P-1)."""
    return await _description(session)


# ---------------------------------------------------------------- console: customers
@console.get("/customers", response_model=list[CustomerPoints],
             responses=error_responses(401, 403))
async def customers(session: Session, staff: PointsQuery, response: Response,
                    q: Annotated[str | None, Query(max_length=100)] = None,
                    limit: Limit = 50, offset: Offset = 0) -> list[CustomerPoints]:
    """Customers with their points (your areas only, C-7); `q` searches name and number."""
    rows, total = await PointsService(session).customers(
        staff, q=(q or "").strip() or None, limit=limit, offset=offset)
    set_total(response, total)
    return [views.customer(c, b) for c, b in rows]


@console.get("/customers/{customer_id}", response_model=PointsSummary,
             responses=error_responses(401, 403, 404))
async def customer_points(customer_id: uuid.UUID, session: Session,
                          staff: PointsQuery) -> PointsSummary:
    """A customer's points summary; a customer without movements has zero points."""
    service = PointsService(session)
    await service.visible_customer(staff, customer_id)
    return views.summary(await service.balance(customer_id))


@console.get("/customers/{customer_id}/movements", response_model=list[PointsMovementOut],
             responses=error_responses(401, 403, 404))
async def customer_movements(customer_id: uuid.UUID, session: Session, staff: PointsQuery,
                             response: Response, limit: Limit = 50,
                             offset: Offset = 0) -> list[PointsMovementOut]:
    """A customer's points ledger, newest first."""
    service = PointsService(session)
    await service.visible_customer(staff, customer_id)
    items, total = await service.movements(customer_id, limit=limit, offset=offset)
    set_total(response, total)
    return [views.movement(m) for m in items]


@console.get("/customers/{customer_id}/redemptions", response_model=list[RedemptionOut],
             responses=error_responses(401, 403, 404))
async def customer_redemptions(customer_id: uuid.UUID, session: Session, staff: PointsQuery,
                               response: Response, limit: Limit = 50,
                               offset: Offset = 0) -> list[RedemptionOut]:
    """A customer's redemption records, newest first."""
    service = PointsService(session)
    await service.visible_customer(staff, customer_id)
    items, total = await service.redemptions(customer_id, limit=limit, offset=offset)
    set_total(response, total)
    return [views.redemption(r) for r in items]


@console.post("/customers/{customer_id}/adjustments", response_model=PointsMovementOut,
              status_code=201, responses=error_responses(401, 403, 404, 422))
async def adjust(customer_id: uuid.UUID, body: AdjustmentIn, session: Session,
                 staff: PointsAdjust) -> PointsMovementOut:
    """Add (positive) or deduct (negative) points with a reason; the movement records who
    and when (X-3)."""
    return views.movement(await PointsService(session).adjust(
        staff, customer_id, points=body.points, reason=body.reason))


# ---------------------------------------------------------------- console: programme
@console.get("/rules", response_model=list[RuleOut], responses=error_responses(401, 403))
async def console_rules(session: Session, _staff: PointsQuery) -> list[RuleOut]:
    """The rule versions, newest first (P-3)."""
    return await _rules(session)


@console.post("/rules", response_model=RuleOut, status_code=201,
              responses=error_responses(401, 403, 422))
async def announce_rule(body: RuleIn, session: Session, staff: PointsModify) -> RuleOut:
    """Announce a new rule version; `effective_from` must be at least one calendar month
    after today (Asia/Shanghai), else 422 (P-3). Customers see it at once."""
    service = PointsService(session)
    row = await service.announce_rule(staff, yuan_per_point=body.yuan_per_point,
                                      redeem_threshold=body.redeem_threshold,
                                      effective_from=body.effective_from)
    return views.rule(row, (await service.programme()).current)


@console.get("/event-months", response_model=list[EventMonthOut],
             responses=error_responses(401, 403))
async def console_event_months(session: Session,
                               _staff: PointsQuery) -> list[EventMonthOut]:
    """Months in which orders earn no points (P-2)."""
    return await _event_months(session)


@console.put("/event-months", response_model=list[EventMonthOut],
             responses=error_responses(401, 403, 422))
async def announce_event_months(body: EventMonthsIn, session: Session,
                                staff: PointsModify) -> list[EventMonthOut]:
    """Announce event months; each must start at least one calendar month after today
    (422 otherwise, P-3). Months already announced stay. Returns all event months."""
    return [views.event_month(m) for m in
            await PointsService(session).announce_event_months(staff, body.months)]


@console.get("/description", response_model=DescriptionOut,
             responses=error_responses(401, 403))
async def console_description(session: Session, _staff: PointsQuery) -> DescriptionOut:
    """The points description shown on the portal (P-1)."""
    return await _description(session)


@console.put("/description", response_model=DescriptionOut,
             responses=error_responses(401, 403, 422))
async def set_description(body: DescriptionIn, session: Session,
                          staff: PointsModify) -> DescriptionOut:
    """Replace the points description (plain text or Markdown, at most 5,000 characters)."""
    await PointsService(session).set_description(staff, body.content)
    return await _description(session)
