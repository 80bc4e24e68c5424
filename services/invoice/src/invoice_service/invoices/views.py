"""ORM rows → API schemas."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from ..models import Invoice, InvoiceableOrder
from . import domain
from .schemas import (
    FapiaoOut,
    InvoiceableOrderOut,
    InvoiceDefaultsOut,
    InvoiceOrderOut,
    InvoiceOut,
)


def detail(inv: Invoice, side: Literal["staff", "customer"],
           limit: Decimal | None = None) -> InvoiceOut:
    """The invoice as `side` sees it: the actions it may take and, for staff and a
    requested invoice, the fapiao amounts it would be issued as (`limit` per fapiao)."""
    status = domain.InvoiceStatus(inv.status)
    suggested = (domain.suggest_split(inv.amount, limit)
                 if side == "staff" and limit is not None
                 and status is domain.InvoiceStatus.REQUESTED else [])
    return InvoiceOut(
        id=inv.id, status=inv.status, customer_id=inv.customer_id,
        customer_name=inv.customer_name, amount=inv.amount, invoice_type=inv.invoice_type,
        order_ids=[o.order_id for o in inv.orders],
        order_numbers=[o.number for o in inv.orders],
        orders=[InvoiceOrderOut(order_id=o.order_id, number=o.number, total=o.total,
                                refund_amount=o.refund_amount,
                                amount=domain.net_amount(o.total, o.refund_amount))
                for o in inv.orders],
        title=inv.title, tax_number=inv.tax_number, bank=inv.bank,
        bank_account=inv.bank_account, address_phone=inv.address_phone, mail_to=inv.mail_to,
        remark=inv.remark, requested_by=inv.requested_by, requested_at=inv.requested_at,
        rejection_reason=inv.rejection_reason, rejected_by=inv.rejected_by,
        rejected_at=inv.rejected_at,
        invoice_number=inv.fapiao[0].invoice_number if inv.fapiao else None,
        fapiao=[FapiaoOut(invoice_number=f.invoice_number, amount=f.amount)
                for f in inv.fapiao],
        invoice_date=inv.invoice_date, sent_at=inv.sent_at, courier=inv.courier,
        tracking_number=inv.tracking_number, issued_by=inv.issued_by,
        issued_at=inv.issued_at, confirmed_at=inv.confirmed_at,
        created_at=inv.created_at, updated_at=inv.updated_at,
        actions=domain.actions(status, side), suggested_fapiao=suggested,
    )


def defaults(details: domain.Details, missing: dict[str, list[str]]) -> InvoiceDefaultsOut:
    return InvoiceDefaultsOut(
        title=details.title, tax_number=details.tax_number, bank=details.bank,
        bank_account=details.bank_account, address_phone=details.address_phone,
        mail_to=details.mail_to, missing=missing)


def invoiceable(o: InvoiceableOrder) -> InvoiceableOrderOut:
    assert o.total is not None
    return InvoiceableOrderOut(order_id=o.order_id, number=o.number, bill_type=o.bill_type,
                               total=o.total, refund_amount=o.refund_amount,
                               amount=domain.net_amount(o.total, o.refund_amount))
