import dataclasses
import uuid
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from servicekit.auth import CustomerPrincipal, require_permission
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from . import views
from .domain import InvoiceFilter
from .schemas import (
    InvoiceableOrderOut,
    InvoiceDefaultsOut,
    InvoiceOut,
    InvoiceRequestIn,
    InvoiceResubmitIn,
    IssueIn,
    RejectIn,
    StatusName,
)
from .service import InvoiceService

portal = APIRouter(prefix="/api/portal", tags=["portal: invoices"])
console = APIRouter(prefix="/api/console/invoices", tags=["console: invoices"])

InvoicesQuery = require_permission("invoices:query")
InvoicesEntry = require_permission("invoices:entry")
InvoicesReview = require_permission("invoices:review")
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0)]
Search = Annotated[str | None, Query(
    max_length=100, description="Part of the title, customer name, tax number, an order "
                                "number or a fapiao number")]


def fapiao_limit(request: Request) -> Decimal:
    return request.app.state.settings.max_amount_per_fapiao


def console_filter(status: StatusName | None = None, customer_id: uuid.UUID | None = None,
                   q: Search = None) -> InvoiceFilter:
    return InvoiceFilter(customer_id=customer_id, status=status, q=q)


Filters = Annotated[InvoiceFilter, Depends(console_filter)]
FapiaoLimit = Annotated[Decimal, Depends(fapiao_limit)]


# ==================================================================== portal
@portal.post("/invoice-requests", status_code=201, response_model=InvoiceOut,
             responses=error_responses(401, 403, 404, 409, 422))
async def request_invoice(body: InvoiceRequestIn, session: Session,
                          customer: CustomerPrincipal) -> InvoiceOut:
    """Ask for an invoice for some of your approved orders, named by order number or id
    (I-1). Details you leave out come from your company profile; a 422 names what the
    fapiao type still needs."""
    return views.detail(await InvoiceService(session).request(customer, body), "customer")


@portal.get("/invoice-requests/defaults", response_model=InvoiceDefaultsOut,
            responses=error_responses(401, 403))
async def request_defaults(session: Session, customer: CustomerPrincipal) -> InvoiceDefaultsOut:
    """What a request would show from your company profile, and what an ordinary or a
    special VAT fapiao would still need from you (`missing`)."""
    details, missing = await InvoiceService(session).defaults(customer)
    return views.defaults(details, missing)


@portal.get("/invoice-requests/orders", response_model=list[InvoiceableOrderOut],
            responses=error_responses(401, 403))
async def invoiceable_orders(session: Session, customer: CustomerPrincipal,
                             response: Response, limit: Limit = 50,
                             offset: Offset = 0) -> list[InvoiceableOrderOut]:
    """Your orders you may ask an invoice for now: approved, not on another open or
    issued invoice, something left after refunds; newest first (X-Total-Count)."""
    items, total = await InvoiceService(session).invoiceable_orders(
        customer, limit=limit, offset=offset)
    set_total(response, total)
    return [views.invoiceable(o) for o in items]


@portal.put("/invoice-requests/{invoice_id}", response_model=InvoiceOut,
            responses=error_responses(401, 403, 404, 409, 422))
async def resubmit_invoice_request(invoice_id: uuid.UUID, body: InvoiceResubmitIn,
                                   session: Session, customer: CustomerPrincipal) -> InvoiceOut:
    """Correct a rejected request and submit it again (it is `requested` once more, same
    id). The body is a whole request, with the same defaults from your profile; without
    `order_ids` it covers the same orders. Only a rejected request (409 otherwise)."""
    return views.detail(await InvoiceService(session).resubmit(customer, invoice_id, body),
                        "customer")


@portal.get("/invoices", response_model=list[InvoiceOut], responses=error_responses(401, 403))
async def my_invoices(session: Session, customer: CustomerPrincipal, response: Response,
                      status: StatusName | None = None, limit: Limit = 50,
                      offset: Offset = 0) -> list[InvoiceOut]:
    """Your invoices and requests, newest first (X-Total-Count holds the count of all
    matching)."""
    items, total = await InvoiceService(session).list(
        InvoiceFilter(customer_id=customer.customer_id, status=status), limit=limit,
        offset=offset)
    set_total(response, total)
    return [views.detail(i, "customer") for i in items]


@portal.get("/invoices/{invoice_id}", response_model=InvoiceOut,
            responses=error_responses(401, 403, 404))
async def my_invoice(invoice_id: uuid.UUID, session: Session,
                     customer: CustomerPrincipal) -> InvoiceOut:
    """One of your invoices with its orders and, once issued, its fapiao and courier."""
    return views.detail(await InvoiceService(session).get_for_customer(customer, invoice_id),
                        "customer")


@portal.post("/invoices/{invoice_id}/confirm-receipt", response_model=InvoiceOut,
             responses=error_responses(401, 403, 404, 409))
async def confirm_receipt(invoice_id: uuid.UUID, session: Session,
                          customer: CustomerPrincipal) -> InvoiceOut:
    """Confirm that you received the issued invoice; its orders become invoiced (I-3)."""
    return views.detail(await InvoiceService(session).confirm_receipt(customer, invoice_id),
                        "customer")


# ==================================================================== console
@console.get("", response_model=list[InvoiceOut], responses=error_responses(401, 403, 422))
async def list_invoices(session: Session, staff: InvoicesQuery, response: Response,
                        f: Filters, per_fapiao: FapiaoLimit, limit: Limit = 50,
                        offset: Offset = 0) -> list[InvoiceOut]:
    """Invoices of all customers (of your areas, C-7), newest first; `status=requested`
    is finance's queue."""
    items, total = await InvoiceService(session).list(
        dataclasses.replace(f, areas=staff.areas), limit=limit, offset=offset)
    set_total(response, total)
    return [views.detail(i, "staff", per_fapiao) for i in items]


@console.get("/{invoice_id}", response_model=InvoiceOut,
             responses=error_responses(401, 403, 404))
async def get_invoice(invoice_id: uuid.UUID, session: Session, staff: InvoicesQuery,
                      per_fapiao: FapiaoLimit) -> InvoiceOut:
    """One invoice with its orders and fapiao."""
    return views.detail(await InvoiceService(session).get_for_staff(staff, invoice_id),
                        "staff", per_fapiao)


@console.post("/{invoice_id}/issue", response_model=InvoiceOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def issue_invoice(invoice_id: uuid.UUID, body: IssueIn, session: Session,
                        staff: InvoicesEntry, per_fapiao: FapiaoLimit) -> InvoiceOut:
    """Enter the issued invoice: its fapiao — one `invoice_number`, or `fapiao` (number
    and amount each) when the amount is above INVOICE_MAX_AMOUNT_PER_FAPIAO — the date,
    sending time, courier and tracking number (I-2). Numbers are unique (409 naming the
    number). Emits invoice.issued for the finance system (I-4)."""
    invoice = await InvoiceService(session).issue(staff, invoice_id, body, per_fapiao)
    return views.detail(invoice, "staff", per_fapiao)


@console.post("/{invoice_id}/reject", response_model=InvoiceOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def reject_invoice(invoice_id: uuid.UUID, body: RejectIn, session: Session,
                         staff: InvoicesReview, per_fapiao: FapiaoLimit) -> InvoiceOut:
    """Reject a requested invoice with a reason the customer reads (409 once issued); its
    orders are free again and the customer may correct and resubmit the request."""
    invoice = await InvoiceService(session).reject(staff, invoice_id, body.reason)
    return views.detail(invoice, "staff", per_fapiao)
