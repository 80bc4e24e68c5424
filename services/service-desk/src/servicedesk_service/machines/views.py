"""ORM rows → API schemas."""

from __future__ import annotations

from servicekit.timeutil import business_date

from ..models import CustomerView, Machine
from . import domain
from .schemas import MachineOut


def machine(m: Machine, customer: CustomerView | None) -> MachineOut:
    w = domain.warranty(m.purchase_date, m.warranty_months, business_date())
    return MachineOut(
        id=m.id, customer_id=m.customer_id,
        customer_name=customer.name if customer else None,
        customer_number=customer.customer_number if customer else None,
        area=customer.area if customer else None, purchase_date=m.purchase_date,
        name=m.name, model=m.model, quantity=m.quantity, machine_number=m.machine_number,
        collection_status=m.collection_status, warranty_months=m.warranty_months,
        warranty_until=w.until, in_warranty=w.in_warranty, warranty_days_left=w.days_left,
        consumable_payment_method=m.consumable_payment_method, salesperson=m.salesperson,
        installation_engineer=m.installation_engineer, integrity=m.integrity,
        remark=m.remark, created_by=m.created_by, updated_by=m.updated_by,
        created_at=m.created_at, updated_at=m.updated_at)
