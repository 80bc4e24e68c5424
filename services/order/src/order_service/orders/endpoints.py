import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from servicekit.auth import CustomerPrincipal, require_permission
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from . import views
from .schemas import OrderIn, OrderOut, OrderSummary, ReviewedOrder, ReviewIn, ReviewOut
from .service import OrderService

portal = APIRouter(prefix="/api/portal/orders", tags=["portal: orders"])
console = APIRouter(prefix="/api/console/orders", tags=["console: orders"])

OrdersQuery = require_permission("orders:query")
OrdersReview = require_permission("orders:review")
Status = Literal["submitted", "approved", "rejected"]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


@portal.post("", status_code=201, response_model=OrderOut,
             responses=error_responses(401, 403, 422))
async def submit_order(body: OrderIn, session: Session, customer: CustomerPrincipal) -> OrderOut:
    """Submit an order for review; the total is computed from your own prices."""
    return views.detail(await OrderService(session).submit(customer, body))


@portal.get("", response_model=list[OrderSummary], responses=error_responses(401, 403))
async def my_orders(session: Session, customer: CustomerPrincipal, response: Response,
                    status: Status | None = None, limit: Limit = 50,
                    offset: Offset = 0) -> list[OrderSummary]:
    """Your orders, newest first (X-Total-Count holds the count of all matching)."""
    items, total = await OrderService(session).list(
        customer_id=customer.customer_id, status=status, limit=limit, offset=offset)
    set_total(response, total)
    return [views.summary(o) for o in items]


@portal.get("/{order_id}", response_model=OrderOut, responses=error_responses(401, 403, 404))
async def my_order(order_id: uuid.UUID, session: Session,
                   customer: CustomerPrincipal) -> OrderOut:
    """One of your orders with its lines, payments and whether it is invoiced."""
    return views.detail(await OrderService(session).get_for_customer(customer, order_id))


@console.get("", response_model=list[OrderSummary], responses=error_responses(401, 403))
async def list_orders(session: Session, _staff: OrdersQuery, response: Response,
                      status: Status | None = None, customer_id: uuid.UUID | None = None,
                      limit: Limit = 50, offset: Offset = 0) -> list[OrderSummary]:
    """Orders of all customers, newest first; `status=submitted` is the review queue."""
    items, total = await OrderService(session).list(
        customer_id=customer_id, status=status, limit=limit, offset=offset)
    set_total(response, total)
    return [views.summary(o) for o in items]


@console.post("/review", response_model=ReviewOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def review_orders(body: ReviewIn, session: Session, staff: OrdersReview) -> ReviewOut:
    """Approve or reject a batch of submitted orders (all or none)."""
    orders = await OrderService(session).review(staff, body)
    return ReviewOut(decision=body.decision, reviewed=[
        ReviewedOrder(id=o.id, number=o.number, status=o.status) for o in orders])


@console.get("/{order_id}", response_model=OrderOut, responses=error_responses(401, 403, 404))
async def get_order(order_id: uuid.UUID, session: Session, _staff: OrdersQuery) -> OrderOut:
    """One order with its lines and payments."""
    return views.detail(await OrderService(session).get(order_id))
