import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from servicekit.auth import CustomerPrincipal, require_permission
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from . import views
from .schemas import InvoiceOut, InvoiceRequestIn, IssueIn
from .service import InvoiceService

portal = APIRouter(prefix="/api/portal", tags=["portal: invoices"])
console = APIRouter(prefix="/api/console/invoices", tags=["console: invoices"])

InvoicesQuery = require_permission("invoices:query")
InvoicesEntry = require_permission("invoices:entry")
Status = Literal["requested", "issued", "confirmed"]
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0)]


@portal.post("/invoice-requests", status_code=201, response_model=InvoiceOut,
             responses=error_responses(401, 403, 404, 409, 422))
async def request_invoice(body: InvoiceRequestIn, session: Session,
                          customer: CustomerPrincipal) -> InvoiceOut:
    """Ask for an invoice for some of your orders, named by order number (I-1)."""
    return views.detail(await InvoiceService(session).request(customer, body))


@portal.get("/invoices", response_model=list[InvoiceOut], responses=error_responses(401, 403))
async def my_invoices(session: Session, customer: CustomerPrincipal, response: Response,
                      status: Status | None = None, limit: Limit = 50,
                      offset: Offset = 0) -> list[InvoiceOut]:
    """Your invoices, newest first (X-Total-Count holds the count of all matching)."""
    items, total = await InvoiceService(session).list(
        customer_id=customer.customer_id, status=status, limit=limit, offset=offset)
    set_total(response, total)
    return [views.detail(i) for i in items]


@portal.get("/invoices/{invoice_id}", response_model=InvoiceOut,
            responses=error_responses(401, 403, 404))
async def my_invoice(invoice_id: uuid.UUID, session: Session,
                     customer: CustomerPrincipal) -> InvoiceOut:
    """One of your invoices with its orders and, once issued, its number and courier."""
    return views.detail(await InvoiceService(session).get_for_customer(customer, invoice_id))


@portal.post("/invoices/{invoice_id}/confirm-receipt", response_model=InvoiceOut,
             responses=error_responses(401, 403, 404, 409))
async def confirm_receipt(invoice_id: uuid.UUID, session: Session,
                          customer: CustomerPrincipal) -> InvoiceOut:
    """Confirm that you received the issued invoice; its orders become invoiced (I-3)."""
    return views.detail(await InvoiceService(session).confirm_receipt(customer, invoice_id))


@console.get("", response_model=list[InvoiceOut], responses=error_responses(401, 403))
async def list_invoices(session: Session, _staff: InvoicesQuery, response: Response,
                        status: Status | None = None, customer_id: uuid.UUID | None = None,
                        limit: Limit = 50, offset: Offset = 0) -> list[InvoiceOut]:
    """Invoices of all customers, newest first; `status=requested` is finance's queue."""
    items, total = await InvoiceService(session).list(
        customer_id=customer_id, status=status, limit=limit, offset=offset)
    set_total(response, total)
    return [views.detail(i) for i in items]


@console.get("/{invoice_id}", response_model=InvoiceOut,
             responses=error_responses(401, 403, 404))
async def get_invoice(invoice_id: uuid.UUID, session: Session,
                      _staff: InvoicesQuery) -> InvoiceOut:
    """One invoice with its orders."""
    return views.detail(await InvoiceService(session).get(invoice_id))


@console.post("/{invoice_id}/issue", response_model=InvoiceOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def issue_invoice(invoice_id: uuid.UUID, body: IssueIn, session: Session,
                        staff: InvoicesEntry) -> InvoiceOut:
    """Enter the issued invoice: number, date, sending time, courier and tracking
    number (I-2). Emits invoice.issued for the finance system (I-4)."""
    return views.detail(await InvoiceService(session).issue(staff, invoice_id, body))
