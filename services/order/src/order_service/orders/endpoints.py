"""Orders over HTTP: the customer's side (/api/portal/orders) and the staff's
(/api/console/orders). Lists take the same filters and sorts as the Excel export."""

import dataclasses
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from servicekit.auth import CustomerPrincipal, require_permission
from servicekit.dates import RANGE, BusinessDate
from servicekit.db import Session
from servicekit.errors import Unprocessable, error_responses
from servicekit.money import Money
from servicekit.pagination import set_total
from servicekit.timeutil import business_date

from . import views
from .domain import OrderFilter
from .schemas import (
    CompleteIn,
    CreditReleaseIn,
    CustomerCreditOut,
    OrderIn,
    OrderModifyIn,
    OrderOut,
    OrderStatusName,
    OrderSummary,
    ReasonIn,
    ReorderIn,
    ReorderOut,
    RequiredReasonIn,
    ReviewedOrder,
    ReviewIn,
    ReviewOut,
    SkippedLine,
    Sort,
    StaffOrderIn,
    TimelineEntry,
)
from .service import OrderService

portal = APIRouter(prefix="/api/portal/orders", tags=["portal: orders"])
console = APIRouter(prefix="/api/console/orders", tags=["console: orders"])

OrdersQuery = require_permission("orders:query")
OrdersEntry = require_permission("orders:entry")
OrdersModify = require_permission("orders:modify")
OrdersReview = require_permission("orders:review")
PaymentsReview = require_permission("payments:review")
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
SortQuery = Annotated[Sort, Query(description=(
    "date = order date, amount = total, quantity = total quantity of the lines; "
    "a leading '-' sorts descending"))]


def order_filter(
    status: Annotated[list[OrderStatusName] | None, Query(
        description="One or more statuses (repeat the parameter)")] = None,
    date_from: Annotated[BusinessDate | None, Query(
        alias="from", description=f"Order date on or after (a date {RANGE})")] = None,
    date_to: Annotated[BusinessDate | None, Query(
        alias="to", description=f"Order date on or before (a date {RANGE})")] = None,
    min_total: Annotated[Money | None, Query(description="Total at least")] = None,
    max_total: Annotated[Money | None, Query(description="Total at most")] = None,
    paid: Annotated[bool | None, Query(
        description="true: fully paid; false: something outstanding")] = None,
    invoiced: bool | None = None,
    overdue: Annotated[bool | None, Query(
        description="true: due date before today (Asia/Shanghai) with something "
                    "outstanding; false: every other order (O-6)")] = None,
    credit_hold: Annotated[bool | None, Query(
        description="true: on credit hold, waiting for finance (B-3); false: not held")
    ] = None,
    q: Annotated[str | None, Query(max_length=100, description=(
        "Search text: part of the order number, the customer's name or number, or a "
        "line's product name or code, any case (issue 15)"))] = None,
) -> OrderFilter:
    """The filters shared by the lists and the Excel export (O-10, A-1, O-6)."""
    return OrderFilter(statuses=tuple(status or ()), date_from=date_from, date_to=date_to,
                       min_total=min_total, max_total=max_total, paid=paid,
                       invoiced=invoiced, overdue=overdue, credit_hold=credit_hold,
                       today=business_date(),
                       q=search_text(q)).check()


def search_text(q: str | None) -> str | None:
    """The search box's text, trimmed; control characters (a NUL would fail the query)
    are refused with a 422 rather than a 500."""
    text = (q or "").strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise Unprocessable("q: the search text must not contain control characters")
    return text or None


Filters = Annotated[OrderFilter, Depends(order_filter)]
AreaQuery = Annotated[str | None, Query(max_length=100, description=(
    "Only customers of this area; within your own areas if you are bound to some (C-7)"))]


def visible_areas(own: frozenset[str], area: str | None) -> frozenset[str] | None:
    """The areas a list is limited to: the staff member's own (C-7), narrowed to `area`
    when one is asked for; None when `area` is outside one's own (nothing to list — a
    filter never widens what one sees)."""
    wanted = (area or "").strip()
    if not wanted:
        return own
    if own and wanted not in own:
        return None
    return frozenset({wanted})


def parse_if_match(value: str | None) -> int | None:
    """`If-Match: "3"` (or W/"3", or 3) → 3."""
    if value is None:
        return None
    raw = value.strip().removeprefix("W/").strip('"')
    if not raw.isdigit():
        raise Unprocessable("If-Match: must be the order's version, e.g. \"3\"")
    return int(raw)


def _etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'


def threshold(request: Request):
    return request.app.state.settings.second_review_threshold


def default_terms(request: Request) -> int:
    return request.app.state.settings.default_payment_terms_days


# ==================================================================== portal
@portal.post("", status_code=201, response_model=OrderOut,
             responses=error_responses(401, 403, 422))
async def submit_order(body: OrderIn, session: Session, customer: CustomerPrincipal) -> OrderOut:
    """Submit an order for review; the total is computed from your own prices (O-1, O-3)."""
    return views.detail(await OrderService(session).submit(customer, body))


@portal.get("", response_model=list[OrderSummary], responses=error_responses(401, 403, 422))
async def my_orders(session: Session, customer: CustomerPrincipal, response: Response,
                    f: Filters, sort: SortQuery = "-date", limit: Limit = 50,
                    offset: Offset = 0) -> list[OrderSummary]:
    """Your orders, newest first by default, with their due dates and whether they are
    overdue (`overdue=true` lists those only). X-Total-Count holds the count of all
    matching."""
    items, total = await OrderService(session).list(
        dataclasses.replace(f, customer_id=customer.customer_id), sort=sort, limit=limit,
        offset=offset)
    set_total(response, total)
    return [views.summary(o, f.today) for o in items]


@portal.get("/{order_id}", response_model=OrderOut, responses=error_responses(401, 403, 404))
async def my_order(order_id: uuid.UUID, session: Session, customer: CustomerPrincipal,
                   response: Response) -> OrderOut:
    """One of your orders with its lines, payments, shipments, returns and the actions
    its state allows. The ETag is its version (send it back to modify)."""
    order = await OrderService(session).get_for_customer(customer, order_id)
    _etag(response, order.version)
    return views.detail(order)


@portal.put("/{order_id}", response_model=OrderOut,
            responses=error_responses(401, 403, 404, 409, 422))
async def modify_order(order_id: uuid.UUID, body: OrderModifyIn, session: Session,
                       customer: CustomerPrincipal, response: Response,
                       if_match: Annotated[str | None, Header()] = None) -> OrderOut:
    """Change your order while it is submitted and not yet reviewed (O-4): lines (priced
    at today's prices), delivery date, bill choice, remark (fields left out stay; a
    change that changes nothing keeps the version). It goes back to review and
    staff are prompted with what changed. Send the version you loaded (`version` or
    If-Match); if someone changed the order since, you get a 409 — reload and retry."""
    order = await OrderService(session).modify(customer, order_id, body,
                                               parse_if_match(if_match))
    _etag(response, order.version)
    return views.detail(order)


@portal.post("/{order_id}/cancel", response_model=OrderOut,
             responses=error_responses(401, 403, 404, 409, 422))
async def cancel_order(order_id: uuid.UUID, body: ReasonIn, session: Session,
                       customer: CustomerPrincipal) -> OrderOut:
    """Cancel your order before it is reviewed. After review, ask for a cancellation."""
    return views.detail(await OrderService(session).cancel(customer, order_id, body.reason))


@portal.post("/{order_id}/cancellation-request", response_model=OrderOut,
             responses=error_responses(401, 403, 404, 409, 422))
async def request_cancellation(order_id: uuid.UUID, body: RequiredReasonIn, session: Session,
                               customer: CustomerPrincipal) -> OrderOut:
    """Ask staff to cancel a reviewed order that has not shipped; they approve or
    reject, and both are on the order's timeline (O-5)."""
    return views.detail(await OrderService(session).request_cancellation(
        customer, order_id, body.reason))


@portal.get("/{order_id}/timeline", response_model=list[TimelineEntry],
            responses=error_responses(401, 403, 404))
async def my_order_timeline(order_id: uuid.UUID, session: Session,
                            customer: CustomerPrincipal) -> list[TimelineEntry]:
    """Everything that happened to your order: who, when, what, oldest first (O-11);
    the staff's internal review of a payment reversal is left out (O-6)."""
    return views.customer_timeline(await OrderService(session).timeline(customer, order_id))


@portal.post("/{order_id}/reorder", status_code=201, response_model=ReorderOut,
             responses=error_responses(401, 403, 404, 422))
async def reorder(order_id: uuid.UUID, session: Session, customer: CustomerPrincipal,
                  body: ReorderIn | None = None) -> ReorderOut:
    """Order again what a previous order held, at today's prices (O-11). Lines whose
    product is no longer in your catalogue are listed in `skipped_lines`."""
    order, skipped = await OrderService(session).reorder(customer, order_id,
                                                         body or ReorderIn())
    return ReorderOut(order=views.detail(order), skipped_lines=[
        SkippedLine(**dataclasses.asdict(s)) for s in skipped])


# ==================================================================== console
@console.post("", status_code=201, response_model=OrderOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def enter_order(body: StaffOrderIn, session: Session, staff: OrdersEntry) -> OrderOut:
    """Enter an order on a customer's behalf (self-entry, O-1): priced at the customer's
    prices, marked source "staff", earns no points."""
    return views.detail(await OrderService(session).enter_for_customer(staff, body))


@console.get("", response_model=list[OrderSummary], responses=error_responses(401, 403, 422))
async def list_orders(session: Session, staff: OrdersQuery, response: Response, f: Filters,
                      customer_id: uuid.UUID | None = None,
                      area: AreaQuery = None,
                      sort: SortQuery = "-date",
                      limit: Limit = 50, offset: Offset = 0) -> list[OrderSummary]:
    """Orders of all customers (of your areas), newest first by default;
    `status=submitted&status=pending_second_review` is the review queue and
    `overdue=true` the orders whose payment is overdue (O-6); `q` searches numbers,
    customers and products (issue 15). X-Total-Count holds the count of all matching
    (`limit=1` gives a queue's size)."""
    areas = visible_areas(staff.areas, area)
    if areas is None:
        set_total(response, 0)
        return []
    items, total = await OrderService(session).list(
        dataclasses.replace(f, customer_id=customer_id, areas=areas),
        sort=sort, limit=limit, offset=offset)
    set_total(response, total)
    return [views.summary(o, f.today) for o in items]


@console.post("/review", response_model=ReviewOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def review_orders(body: ReviewIn, session: Session, staff: OrdersReview,
                        request: Request) -> ReviewOut:
    """Approve or reject a batch of orders (all or none, O-5). Approved orders move to
    processing and are due the customer's payment terms after today (O-6); above
    ORDER_SECOND_REVIEW_THRESHOLD the first approval leaves the order
    `pending_second_review` until a different reviewer approves it too."""
    orders = await OrderService(session).review(staff, body, threshold(request),
                                                default_terms(request))
    return ReviewOut(decision=body.decision, reviewed=[
        ReviewedOrder(id=o.id, number=o.number, status=o.status) for o in orders])


@console.get("/credit/{customer_id}", response_model=CustomerCreditOut,
             responses=error_responses(401, 403, 404, 422))
async def customer_credit(customer_id: uuid.UUID, session: Session,
                          staff: OrdersQuery) -> CustomerCreditOut:
    """A customer's credit position (B-3): its credit limit, what it owes on its orders
    that are not rejected or cancelled, what is left and how many orders are held."""
    customer, outstanding, held = await OrderService(session).credit(staff, customer_id)
    limit = customer.credit_limit
    return CustomerCreditOut(
        customer_id=customer_id, credit_limit=limit, outstanding=outstanding,
        available=None if limit is None else limit - outstanding, held_orders=held)


@console.get("/{order_id}", response_model=OrderOut, responses=error_responses(401, 403, 404))
async def get_order(order_id: uuid.UUID, session: Session, staff: OrdersQuery,
                    response: Response) -> OrderOut:
    """One order with its lines, payments, shipments and returns."""
    order = await OrderService(session).get(order_id, staff)
    _etag(response, order.version)
    return views.detail(order)


@console.get("/{order_id}/timeline", response_model=list[TimelineEntry],
             responses=error_responses(401, 403, 404))
async def order_timeline(order_id: uuid.UUID, session: Session,
                         staff: OrdersQuery) -> list[TimelineEntry]:
    """Everything that happened to the order: who, when, what, oldest first (O-11)."""
    return [views.timeline_entry(e)
            for e in await OrderService(session).timeline(staff, order_id)]


@console.post("/{order_id}/cancellation/approve", response_model=OrderOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def approve_cancellation(order_id: uuid.UUID, session: Session, staff: OrdersReview,
                               body: ReasonIn | None = None) -> OrderOut:
    """Grant the customer's cancellation request: the order is cancelled."""
    return views.detail(await OrderService(session).decide_cancellation(
        staff, order_id, approve=True, reason=(body or ReasonIn()).reason))


@console.post("/{order_id}/cancellation/reject", response_model=OrderOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def reject_cancellation(order_id: uuid.UUID, body: RequiredReasonIn, session: Session,
                              staff: OrdersReview) -> OrderOut:
    """Refuse the customer's cancellation request: the order goes back where it was."""
    return views.detail(await OrderService(session).decide_cancellation(
        staff, order_id, approve=False, reason=body.reason))


@console.post("/{order_id}/complete", response_model=OrderOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def complete_order(order_id: uuid.UUID, body: CompleteIn, session: Session,
                         staff: OrdersModify) -> OrderOut:
    """Close an order whose receipt showed a shortage, saying how it was settled."""
    return views.detail(await OrderService(session).complete(staff, order_id,
                                                             body.note.strip()))


@console.post("/{order_id}/credit-hold/release", response_model=OrderOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def release_credit_hold(order_id: uuid.UUID, session: Session, staff: PaymentsReview,
                              body: CreditReleaseIn | None = None) -> OrderOut:
    """Release the order's credit hold (B-3, finance): it can then be approved in the
    normal review. The release holds for the order's current total; if the customer
    modifies it to a larger total it is held again. 409 when the order is not held or
    already reviewed."""
    return views.detail(await OrderService(session).release_credit_hold(
        staff, order_id, (body or CreditReleaseIn()).note))
