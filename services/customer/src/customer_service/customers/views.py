"""ORM rows → API schemas."""

from __future__ import annotations

from datetime import date

from servicekit.timeutil import business_date

from ..catalog import views as catalog_views
from ..contacts import views as contact_views
from ..models import Customer, CustomerPrice, PriceHistory, SupplierContact
from . import domain
from .domain import CustomerStatus
from .schemas import CustomerDetail, CustomerOut, CustomerSummary, CycleOut, RegistrationOut


def registration(c: Customer) -> RegistrationOut:
    return RegistrationOut(customer_id=c.id, customer_number=c.number, status=c.status)


def _next_due(c: Customer, today: date) -> date | None:
    cycle = domain.make_cycle(c.cycle_kind, c.cycle_days, c.cycle_weekday)
    return domain.next_due(cycle, c.last_order_date, today)


def cycle(c: Customer, today: date | None = None) -> CycleOut:
    today = today or business_date()
    due = _next_due(c, today)
    return CycleOut(kind=c.cycle_kind, days=c.cycle_days, weekday=c.cycle_weekday,
                    last_order_date=c.last_order_date, next_due_date=due,
                    overdue=due is not None and due < today)


def summary(c: Customer, today: date | None = None) -> CustomerSummary:
    return CustomerSummary(
        customer_id=c.id, customer_number=c.number, name=c.name,
        contact_person=c.contact_person, mobile=c.mobile, area=c.area, status=c.status,
        grade=c.grade, paid_total=c.paid_total,
        next_due_date=_next_due(c, today or business_date()), created_at=c.created_at)


def full(c: Customer) -> CustomerOut:
    today = business_date()
    return CustomerOut(
        **summary(c, today).model_dump(), address=c.address, email=c.email,
        area_code=c.area_code, telephone=c.telephone,
        fax=c.fax, qq=c.qq, tax_number=c.tax_number, invoice_title=c.invoice_title,
        bank=c.bank, bank_account=c.bank_account,
        rejection_reason=c.rejection_reason if c.status == CustomerStatus.REJECTED else None,
        reviewed_by=c.reviewed_by, reviewed_at=c.reviewed_at, grade_source=c.grade_source,
        ordering_cycle=cycle(c, today), payment_terms_days=c.payment_terms_days,
        credit_limit=c.credit_limit,
        updated_at=c.updated_at)


def detail(c: Customer, catalog: list[CustomerPrice], history: list[PriceHistory],
           contacts: list[SupplierContact]) -> CustomerDetail:
    return CustomerDetail(**full(c).model_dump(),
                          catalog=[catalog_views.catalog_line(p) for p in catalog],
                          price_history=[catalog_views.history(h) for h in history],
                          contacts=[contact_views.contact(x) for x in contacts])
