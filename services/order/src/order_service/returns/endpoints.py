"""Returns over HTTP (O-9): the customer asks, staff decide, both sides list them."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from servicekit.auth import CustomerPrincipal, require_permission
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from ..orders.schemas import RequiredReasonIn
from . import views
from .schemas import ReturnApproveIn, ReturnIn, ReturnOut, ReturnStatusName
from .service import ReturnService

router = APIRouter(tags=["returns"])

OrdersQuery = require_permission("orders:query")
OrdersReview = require_permission("orders:review")
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


@router.post("/api/portal/orders/{order_id}/returns", status_code=201,
             response_model=ReturnOut, responses=error_responses(401, 403, 404, 409, 422))
async def request_return(order_id: uuid.UUID, body: ReturnIn, session: Session,
                         customer: CustomerPrincipal) -> ReturnOut:
    """Ask to return received goods of your order, with a reason; staff approve or
    reject it."""
    return views.detail(await ReturnService(session).request(customer, order_id, body))


@router.get("/api/portal/returns", response_model=list[ReturnOut],
            responses=error_responses(401, 403, 422))
async def my_returns(session: Session, customer: CustomerPrincipal, response: Response,
                     status: ReturnStatusName | None = None, order_id: uuid.UUID | None = None,
                     limit: Limit = 50, offset: Offset = 0) -> list[ReturnOut]:
    """Your return requests, newest first, with their status."""
    items, total = await ReturnService(session).list(
        customer, status=status, customer_id=None, order_id=order_id, limit=limit,
        offset=offset)
    set_total(response, total)
    return [views.detail(r) for r in items]


@router.get("/api/portal/returns/{return_id}", response_model=ReturnOut,
            responses=error_responses(401, 403, 404))
async def my_return(return_id: uuid.UUID, session: Session,
                    customer: CustomerPrincipal) -> ReturnOut:
    """One of your return requests."""
    return views.detail(await ReturnService(session).get(customer, return_id))


@router.get("/api/console/returns", response_model=list[ReturnOut],
            responses=error_responses(401, 403, 422))
async def list_returns(session: Session, staff: OrdersQuery, response: Response,
                       status: ReturnStatusName | None = None,
                       customer_id: uuid.UUID | None = None,
                       order_id: uuid.UUID | None = None, limit: Limit = 50,
                       offset: Offset = 0) -> list[ReturnOut]:
    """Return requests of all customers (of your areas), newest first;
    `status=requested` is the queue to decide."""
    items, total = await ReturnService(session).list(
        staff, status=status, customer_id=customer_id, order_id=order_id, limit=limit,
        offset=offset)
    set_total(response, total)
    return [views.detail(r) for r in items]


@router.get("/api/console/returns/{return_id}", response_model=ReturnOut,
            responses=error_responses(401, 403, 404))
async def get_return(return_id: uuid.UUID, session: Session, staff: OrdersQuery) -> ReturnOut:
    """One return request."""
    return views.detail(await ReturnService(session).get(staff, return_id))


@router.post("/api/console/returns/{return_id}/approve", response_model=ReturnOut,
             responses=error_responses(401, 403, 404, 409, 422))
async def approve_return(return_id: uuid.UUID, body: ReturnApproveIn, session: Session,
                         staff: OrdersReview) -> ReturnOut:
    """Approve a return and record the refund amount (at most the goods' value)."""
    return views.detail(await ReturnService(session).approve(staff, return_id, body))


@router.post("/api/console/returns/{return_id}/reject", response_model=ReturnOut,
             responses=error_responses(401, 403, 404, 409, 422))
async def reject_return(return_id: uuid.UUID, body: RequiredReasonIn, session: Session,
                        staff: OrdersReview) -> ReturnOut:
    """Reject a return request with a reason."""
    return views.detail(await ReturnService(session).reject(staff, return_id, body.reason))
