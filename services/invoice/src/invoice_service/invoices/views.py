"""ORM rows → API schemas."""

from __future__ import annotations

from ..models import Invoice
from .schemas import InvoiceOrderOut, InvoiceOut


def detail(inv: Invoice) -> InvoiceOut:
    return InvoiceOut(
        id=inv.id, status=inv.status, customer_id=inv.customer_id,
        customer_name=inv.customer_name, amount=inv.amount,
        order_ids=[o.order_id for o in inv.orders],
        order_numbers=[o.number for o in inv.orders],
        orders=[InvoiceOrderOut(order_id=o.order_id, number=o.number, total=o.total)
                for o in inv.orders],
        title=inv.title, tax_number=inv.tax_number, remark=inv.remark,
        requested_by=inv.requested_by, invoice_number=inv.invoice_number,
        invoice_date=inv.invoice_date, sent_at=inv.sent_at, courier=inv.courier,
        tracking_number=inv.tracking_number, issued_by=inv.issued_by,
        issued_at=inv.issued_at, confirmed_at=inv.confirmed_at,
        created_at=inv.created_at, updated_at=inv.updated_at,
    )
