import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from servicekit.auth import CustomerPrincipal
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from . import views
from .auth import CustomersQuery, CustomersReview
from .schemas import (
    ApproveIn,
    CustomerDetail,
    CustomerOut,
    CustomerStatus,
    CustomerSummary,
    ProfileIn,
    RegisterIn,
    RegistrationOut,
    RejectIn,
)
from .service import CustomerService

portal = APIRouter(prefix="/api/portal", tags=["portal: company"])
console = APIRouter(prefix="/api/console/customers", tags=["console: customers"])

Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0)]
Text = Annotated[str | None, Query(max_length=100)]


@portal.post("/register", status_code=201, response_model=RegistrationOut,
             responses=error_responses(401, 403, 409, 422))
async def register(body: RegisterIn, session: Session,
                   customer: CustomerPrincipal) -> RegistrationOut:
    """Register your company; staff review it before you can order (C-2)."""
    return views.registration(await CustomerService(session).register(customer, body.company))


@portal.get("/profile", response_model=CustomerOut, responses=error_responses(401, 403, 404))
async def my_profile(session: Session, customer: CustomerPrincipal) -> CustomerOut:
    """Your company's information, review status, customer number, grade and paid total."""
    return views.full(await CustomerService(session).own(customer))


@portal.put("/profile", response_model=CustomerOut,
            responses=error_responses(401, 403, 404, 422))
async def update_my_profile(body: ProfileIn, session: Session,
                            customer: CustomerPrincipal) -> CustomerOut:
    """Correct your company's information; a rejected registration is resubmitted for
    review, and staff are told what changed (C-2, C-5)."""
    return views.full(await CustomerService(session).update_profile(customer, body.company))


@console.get("", response_model=list[CustomerSummary], responses=error_responses(401, 403))
async def list_customers(session: Session, staff: CustomersQuery, response: Response,
                         status: CustomerStatus | None = None, area: Text = None,
                         q: Text = None, limit: Limit = 50,
                         offset: Offset = 0) -> list[CustomerSummary]:
    """Customers, newest first; `status=pending_review` is the review queue and `q`
    searches name, number, contact person and mobile. Staff bound to areas see theirs
    only (C-7). X-Total-Count holds the count of all matching."""
    items, total = await CustomerService(session).list(
        staff, status=status, area=area, q=q, limit=limit, offset=offset)
    set_total(response, total)
    return [views.summary(c) for c in items]


@console.get("/{customer_id}", response_model=CustomerDetail,
             responses=error_responses(401, 403, 404))
async def get_customer(customer_id: uuid.UUID, session: Session,
                       staff: CustomersQuery) -> CustomerDetail:
    """One customer with its own prices and, if rejected, the reason."""
    return views.detail(*await CustomerService(session).detail(staff, customer_id))


@console.post("/{customer_id}/approve", response_model=CustomerDetail,
              responses=error_responses(401, 403, 404, 409, 422))
async def approve_customer(customer_id: uuid.UUID, body: ApproveIn, session: Session,
                           staff: CustomersReview) -> CustomerDetail:
    """Approve a registration with the consumables the customer uses and its unit prices
    (C-2); products are found or created in the product master by name and model."""
    return views.detail(*await CustomerService(session).approve(staff, customer_id, body))


@console.post("/{customer_id}/reject", response_model=CustomerDetail,
              responses=error_responses(401, 403, 404, 409, 422))
async def reject_customer(customer_id: uuid.UUID, body: RejectIn, session: Session,
                          staff: CustomersReview) -> CustomerDetail:
    """Reject a registration; the reason is shown to the customer (C-2)."""
    return views.detail(*await CustomerService(session).reject(staff, customer_id, body))
