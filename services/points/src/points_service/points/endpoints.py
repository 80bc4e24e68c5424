import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from servicekit.auth import CustomerPrincipal, require_permission
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from . import views
from .schemas import PointsRecord, PointsSummary
from .service import PointsService

portal = APIRouter(prefix="/api/portal/points", tags=["portal: points"])
console = APIRouter(prefix="/api/console/points", tags=["console: points"])

PointsQuery = require_permission("points:query")
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0)]


@portal.get("", response_model=PointsSummary, responses=error_responses(401, 403))
async def my_points(session: Session, customer: CustomerPrincipal) -> PointsSummary:
    """Your points: pending (orders not yet paid), total, redeemed and remaining (P-1)."""
    assert customer.customer_id is not None
    return views.summary(await PointsService(session).balance(customer.customer_id))


@portal.get("/records", response_model=list[PointsRecord],
            responses=error_responses(401, 403))
async def my_records(session: Session, customer: CustomerPrincipal, response: Response,
                     limit: Limit = 50, offset: Offset = 0) -> list[PointsRecord]:
    """Your points records, newest first (X-Total-Count holds the count of all)."""
    assert customer.customer_id is not None
    items, total = await PointsService(session).records(customer.customer_id, limit=limit,
                                                        offset=offset)
    set_total(response, total)
    return [views.record(e) for e in items]


@console.get("/customers/{customer_id}", response_model=PointsSummary,
             responses=error_responses(401, 403))
async def customer_points(customer_id: uuid.UUID, session: Session,
                          _staff: PointsQuery) -> PointsSummary:
    """A customer's points summary; a customer without entries has zero points."""
    return views.summary(await PointsService(session).balance(customer_id))


@console.get("/customers/{customer_id}/records", response_model=list[PointsRecord],
             responses=error_responses(401, 403))
async def customer_records(customer_id: uuid.UUID, session: Session, _staff: PointsQuery,
                           response: Response, limit: Limit = 50,
                           offset: Offset = 0) -> list[PointsRecord]:
    """A customer's points records, newest first."""
    items, total = await PointsService(session).records(customer_id, limit=limit,
                                                        offset=offset)
    set_total(response, total)
    return [views.record(e) for e in items]
