import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from servicekit.auth import CustomerPrincipal
from servicekit.db import Session
from servicekit.errors import error_responses
from servicekit.pagination import set_total

from ..audit import views as audit_views
from ..audit.schemas import AuditEntryOut
from . import views
from .auth import CustomersModify, CustomersQuery, CustomersReview
from .schemas import (
    ApproveIn,
    CreditLimitIn,
    CustomerDetail,
    CustomerOut,
    CustomerSort,
    CustomerStatus,
    CustomerSummary,
    CustomerUpdateIn,
    CycleIn,
    GradeIn,
    GradeName,
    PaymentTermsIn,
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
    """Your company's information, review status, customer number, grade, paid total,
    ordering cycle with the next due date and payment terms (C-1, C-4, C-6, A-5, O-6)."""
    return views.full(await CustomerService(session).own(customer))


@portal.put("/profile", response_model=CustomerOut,
            responses=error_responses(401, 403, 404, 422))
async def update_my_profile(body: ProfileIn, session: Session,
                            customer: CustomerPrincipal) -> CustomerOut:
    """Correct your company's information; a rejected registration is resubmitted for
    review, and staff are told what changed (C-2, C-5)."""
    return views.full(await CustomerService(session).update_profile(customer, body.company))


@console.get("", response_model=list[CustomerSummary],
             responses=error_responses(401, 403, 422))
async def list_customers(session: Session, staff: CustomersQuery, response: Response,
                         status: CustomerStatus | None = None, area: Text = None,
                         grade: GradeName | None = None, q: Text = None,
                         sort: CustomerSort = "-created_at", limit: Limit = 50,
                         offset: Offset = 0) -> list[CustomerSummary]:
    """Customers, newest first unless `sort` says otherwise (`name`, `paid_total`,
    `created_at`; `-` first for descending). `status=pending_review` is the review queue,
    `grade` filters by grade, `area` finds the customers whose area contains it ("深圳"
    finds "广东省/深圳市") and `q` searches name, number, contact person and mobile.
    Staff bound to areas see theirs only (C-7). X-Total-Count holds the count of all
    matching."""
    items, total = await CustomerService(session).list(
        staff, status=status, area=area, grade=grade, q=q, sort=sort, limit=limit,
        offset=offset)
    set_total(response, total)
    return [views.summary(c) for c in items]


@console.get("/{customer_id}", response_model=CustomerDetail,
             responses=error_responses(401, 403, 404, 422))
async def get_customer(customer_id: uuid.UUID, session: Session,
                       staff: CustomersQuery) -> CustomerDetail:
    """One customer: its information, grade, ordering cycle, payment terms, own prices,
    latest price changes, the supplier's contacts for its area and, if rejected, the
    reason."""
    return views.detail(*await CustomerService(session).detail(staff, customer_id))


@console.put("/{customer_id}", response_model=CustomerDetail,
             responses=error_responses(401, 403, 404, 422))
async def update_customer(customer_id: uuid.UUID, body: CustomerUpdateIn, session: Session,
                          staff: CustomersModify) -> CustomerDetail:
    """Replace a customer's basic information (C-1, C-3); the change is audited and
    published as customer.updated. Staff bound to areas may change only their customers
    and keep them in their areas (C-7)."""
    service = CustomerService(session)
    customer = await service.update(staff, customer_id, body.company)
    return views.detail(*await service.detail_parts(customer))


@console.put("/{customer_id}/grade", response_model=CustomerDetail,
             responses=error_responses(401, 403, 404, 422))
async def set_grade(customer_id: uuid.UUID, body: GradeIn, session: Session,
                    staff: CustomersReview) -> CustomerDetail:
    """Set the customer's grade explicitly with a reason — the only way a grade goes
    down; grades otherwise rise automatically with paid consumption (C-4). Audited and
    published as customer.grade_changed."""
    service = CustomerService(session)
    customer = await service.set_grade(staff, customer_id, body)
    return views.detail(*await service.detail_parts(customer))


@console.put("/{customer_id}/cycle", response_model=CustomerDetail,
             responses=error_responses(401, 403, 404, 422))
async def set_cycle(customer_id: uuid.UUID, body: CycleIn, session: Session,
                    staff: CustomersModify) -> CustomerDetail:
    """Set the customer's ordering cycle — every N days (1-365) or weekly on a weekday
    (1 = Monday) — or clear it with `{"kind": null}` (C-6). Audited and published as
    customer.cycle_changed."""
    service = CustomerService(session)
    customer = await service.set_cycle(staff, customer_id, body)
    return views.detail(*await service.detail_parts(customer))


@console.put("/{customer_id}/payment-terms", response_model=CustomerDetail,
             responses=error_responses(401, 403, 404, 422))
async def set_payment_terms(customer_id: uuid.UUID, body: PaymentTermsIn, session: Session,
                            staff: CustomersModify) -> CustomerDetail:
    """Set the customer's payment terms in days (0-365; 0 = due on approval): each order
    approved from now on is due that many days after the business date of its approval
    (O-6). Staff bound to areas may change only their customers (C-7). Audited and
    published as customer.payment_terms_changed."""
    service = CustomerService(session)
    customer = await service.set_payment_terms(staff, customer_id, body)
    return views.detail(*await service.detail_parts(customer))


@console.put("/{customer_id}/credit-limit", response_model=CustomerDetail,
             responses=error_responses(401, 403, 404, 422))
async def set_credit_limit(customer_id: uuid.UUID, body: CreditLimitIn, session: Session,
                           staff: CustomersModify) -> CustomerDetail:
    """Set the customer's credit limit (B-3; `null` removes it): an order submitted or
    modified that would take what the customer owes on its open orders above the limit is
    held until finance releases it. Staff bound to areas may change only their customers
    (C-7). Audited and published as customer.credit_limit_changed."""
    service = CustomerService(session)
    customer = await service.set_credit_limit(staff, customer_id, body)
    return views.detail(*await service.detail_parts(customer))


@console.get("/{customer_id}/audit", response_model=list[AuditEntryOut],
             responses=error_responses(401, 403, 404, 422))
async def customer_audit(customer_id: uuid.UUID, session: Session, staff: CustomersQuery,
                         response: Response,
                         entity: Literal["customer", "price"] | None = None,
                         limit: Limit = 50, offset: Offset = 0) -> list[AuditEntryOut]:
    """Who changed what of this customer's data and prices, when, with the values before
    and after, newest first (X-3). X-Total-Count holds the count of all matching."""
    items, total = await CustomerService(session).audit_log(
        staff, customer_id, entity=entity, limit=limit, offset=offset)
    set_total(response, total)
    return [audit_views.entry(e) for e in items]


@console.post("/{customer_id}/approve", response_model=CustomerDetail,
              responses=error_responses(401, 403, 404, 409, 422))
async def approve_customer(customer_id: uuid.UUID, body: ApproveIn, session: Session,
                           staff: CustomersReview) -> CustomerDetail:
    """Approve a registration with the consumables the customer uses and its unit prices
    (C-2); products are found or created in the product master by name and model."""
    service = CustomerService(session)
    customer = await service.approve(staff, customer_id, body)
    return views.detail(*await service.detail_parts(customer))


@console.post("/{customer_id}/reject", response_model=CustomerDetail,
              responses=error_responses(401, 403, 404, 409, 422))
async def reject_customer(customer_id: uuid.UUID, body: RejectIn, session: Session,
                          staff: CustomersReview) -> CustomerDetail:
    """Reject a registration; the reason is shown to the customer (C-2)."""
    service = CustomerService(session)
    customer = await service.reject(staff, customer_id, body)
    return views.detail(*await service.detail_parts(customer))
