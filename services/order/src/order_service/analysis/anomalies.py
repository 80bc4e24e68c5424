"""Anomaly analysis of ordering cycles (A-3, B-6) and order status per customer (A-4):
staff holding reports:query; customers of their areas only (C-7). The consumables of a
customer also need the query password (X-3)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from servicekit.auth import require_permission, require_sensitive
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total
from servicekit.timeutil import business_date

from .anomalies_domain import MONTHS_MAX
from .anomalies_schemas import (
    AnomalyDetail,
    AnomalyRow,
    AnomalySort,
    CustomerConsumables,
    CustomerStatusOut,
    FollowUpIn,
    FollowUpOut,
    ProcessingStatusName,
)
from .anomalies_service import AnomalyService

router = APIRouter(prefix="/api/console/analysis", tags=["console: analysis"])

ReportsQuery = require_permission("reports:query")
SensitiveReports = require_sensitive("reports:query")
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


@router.get("/anomalies", response_model=list[AnomalyRow],
            responses=error_responses(401, 403, 422))
async def anomalies(
    session: Session, staff: ReportsQuery, response: Response,
    area: Annotated[str | None, Query(max_length=100, description=(
        "Only areas containing this ('深圳' finds '广东省/深圳市'; "
        "'' for customers without one)"))] = None,
    status: Annotated[ProcessingStatusName | None, Query(
        description="Processing status; open = nobody followed it up yet")] = None,
    min_days: Annotated[int | None, Query(ge=1, le=100_000,
                                          description="At least this many days overdue")
                        ] = None,
    q: Annotated[str | None, Query(max_length=100,
                                   description="Part of the name or customer number")] = None,
    sort: Annotated[AnomalySort, Query(description="A leading '-' sorts descending")
                    ] = "-days_overdue",
    limit: Limit = 50, offset: Offset = 0,
) -> list[AnomalyRow]:
    """Table 1 (A-3): approved customers whose ordering cycle (C-6) has passed without an
    order — last order, cycle, expected date, days overdue, usual order value (average
    of the last 5 orders) and the processing status of the current miss (B-6); most
    days overdue first. Orders cancelled or rejected do not count. X-Total-Count holds
    the number of such customers."""
    rows, total = await AnomalyService(session).overdue(
        staff, business_date(), area=area, processing=status, min_days=min_days,
        q=(q or "").strip() or None, sort=sort, limit=limit, offset=offset)
    set_total(response, total)
    return rows


@router.get("/anomalies/{customer_id}", response_model=AnomalyDetail,
            responses=error_responses(401, 403, 404, 422))
async def anomaly(customer_id: uuid.UUID, session: Session,
                  staff: ReportsQuery) -> AnomalyDetail:
    """Table 2 (A-3, B-6): the customer's details, its order status (normal/abnormal,
    expected date, days overdue), its last 10 orders, the cycle history of its last 12
    counted orders (days since the previous one, late against the current cycle) and
    every follow-up, newest first. A customer outside your areas is not found (C-7)."""
    return await AnomalyService(session).detail(staff, customer_id, business_date())


@router.post("/anomalies/{customer_id}/follow-ups", response_model=FollowUpOut,
             status_code=201, responses=error_responses(401, 403, 404, 409, 422))
async def add_follow_up(customer_id: uuid.UUID, body: FollowUpIn, session: Session,
                        staff: ReportsQuery) -> FollowUpOut:
    """Record what was done about a customer past its ordering cycle (B-6): contacted,
    will order, lost or resolved, with a note. It belongs to the customer's current
    expected date; 409 when the customer is not overdue. The customer leaves table 1
    when it orders again; its follow-ups stay in the log."""
    return await AnomalyService(session).add_follow_up(staff, customer_id, body,
                                                       business_date())


@router.get("/customers/{customer_id}/status", response_model=CustomerStatusOut,
            responses=error_responses(401, 403, 404, 422))
async def customer_status(customer_id: uuid.UUID, session: Session,
                          staff: ReportsQuery) -> CustomerStatusOut:
    """A customer's order status (A-4): abnormal when its ordering cycle has passed
    without an order, with the reason in a sentence, the expected date, the days overdue
    and its last order date."""
    return await AnomalyService(session).status(staff, customer_id, business_date())


@router.get("/customers/{customer_id}/consumables", response_model=CustomerConsumables,
            response_model_by_alias=True, responses=error_responses(401, 403, 404, 422))
async def customer_consumables(
    customer_id: uuid.UUID, session: Session, staff: SensitiveReports,
    months: Annotated[int, Query(ge=1, le=MONTHS_MAX,
                                 description="How many months back from today")] = 12,
) -> CustomerConsumables:
    """The customer's consumables over the last `months` months (A-4): date, order
    number, model, name, quantity and amount, newest first, with totals. Needs the
    query password (403 `SensitiveLocked` until it is entered)."""
    return await AnomalyService(session).consumables(staff, customer_id, months,
                                                     business_date())
