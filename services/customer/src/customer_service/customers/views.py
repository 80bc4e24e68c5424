"""ORM rows → API schemas."""

from __future__ import annotations

from ..catalog import views as catalog_views
from ..models import Customer, CustomerPrice
from .domain import CustomerStatus
from .schemas import CustomerDetail, CustomerOut, CustomerSummary, RegistrationOut


def registration(c: Customer) -> RegistrationOut:
    return RegistrationOut(customer_id=c.id, customer_number=c.number, status=c.status)


def summary(c: Customer) -> CustomerSummary:
    return CustomerSummary(
        customer_id=c.id, customer_number=c.number, name=c.name,
        contact_person=c.contact_person, mobile=c.mobile, area=c.area, status=c.status,
        grade=c.grade, paid_total=c.paid_total, created_at=c.created_at)


def full(c: Customer) -> CustomerOut:
    return CustomerOut(
        **summary(c).model_dump(), address=c.address, email=c.email, telephone=c.telephone,
        fax=c.fax, qq=c.qq, tax_number=c.tax_number, invoice_title=c.invoice_title,
        bank=c.bank, bank_account=c.bank_account,
        rejection_reason=c.rejection_reason if c.status == CustomerStatus.REJECTED else None,
        reviewed_by=c.reviewed_by, reviewed_at=c.reviewed_at, updated_at=c.updated_at)


def detail(c: Customer, catalog: list[CustomerPrice]) -> CustomerDetail:
    return CustomerDetail(**full(c).model_dump(),
                          catalog=[catalog_views.catalog_line(p) for p in catalog])
