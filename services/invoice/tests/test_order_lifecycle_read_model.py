"""Integration: the invoiceable-orders read model follows the order lifecycle — a modified
order is invoiced at its new total (O-4), a cancelled order cannot be invoiced (O-5)."""

import uuid
from decimal import Decimal

import pytest
from dinghuo_contracts import OrderCancelled, OrderModified
from invoice_service.invoices import domain
from invoice_service.messaging import registry
from servicekit.testing import helpers as h
from servicekit.timeutil import utcnow

from .test_invoices_api import read_model_status, submitted


class TestLifecycle:
    async def test_modified_order_is_invoiced_at_its_new_total_O4(self, invoice_app,
                                                                  invoice_db):
        cid = uuid.uuid4()
        ev = await submitted(invoice_db, cid, "801.50")
        await h.deliver(invoice_db.sessionmaker, "invoice", registry, OrderModified(
            order_id=ev.order_id, number=ev.number, customer_id=cid, customer_name="上海印美",
            total=Decimal("1213.10"), previous_total=ev.total, bill_type="special_vat",
            delivery_date=ev.delivery_date, modified_by="buyer", modified_at=utcnow()))
        assert tuple(await read_model_status(invoice_db, ev.order_id)) == (
            "submitted", Decimal("1213.10"))
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests", json={"order_ids": [ev.number]})
        assert r.status_code == 201 and r.json()["amount"] == "1213.10"

    async def test_cancelled_order_cannot_be_invoiced_O5(self, invoice_app, invoice_db):
        cid = uuid.uuid4()
        ev = await submitted(invoice_db, cid)
        await h.deliver(invoice_db.sessionmaker, "invoice", registry, OrderCancelled(
            order_id=ev.order_id, number=ev.number, customer_id=cid, total=ev.total,
            cancelled_by="buyer", cancelled_by_kind="customer", cancelled_at=utcnow()))
        assert (await read_model_status(invoice_db, ev.order_id))[0] == "cancelled"
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests", json={"order_ids": [ev.number]})
        assert r.status_code == 409
        assert r.json()["detail"] == f"Order {ev.number} was cancelled and cannot be invoiced"

    def test_cancelled_is_refused_like_rejected(self):
        facts = domain.OrderFacts(uuid.uuid4(), "DH1", "cancelled", Decimal("1"))
        with pytest.raises(domain.OrderNotInvoiceable, match="DH1 was cancelled"):
            domain.check_invoiceable([facts])
