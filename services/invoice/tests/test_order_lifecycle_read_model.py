"""Integration: the invoiceable-orders read model follows the order lifecycle — a modified
order is invoiced at its new total (O-4), a cancelled order cannot be invoiced (O-5), an
approved return's refund is not invoiced, once per return (O-9)."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from dinghuo_contracts import OrderApproved, OrderCancelled, OrderModified, OrderSubmitted
from invoice_service.invoices import domain
from servicekit.testing import helpers as h
from servicekit.timeutil import utcnow
from sqlalchemy import text

from .invoice_fixtures import (
    deliver,
    known_customer,
    read_model_status,
    refunded,
    reviewed,
    submitted,
)


class TestLifecycle:
    async def test_modified_order_is_invoiced_at_its_new_total_O4(self, invoice_app,
                                                                  invoice_db):
        cid = await known_customer(invoice_db)
        ev = await submitted(invoice_db, cid, "801.50")
        await deliver(invoice_db, OrderModified(
            order_id=ev.order_id, number=ev.number, customer_id=cid, customer_name="上海印美",
            total=Decimal("1213.10"), previous_total=ev.total, bill_type="special_vat",
            delivery_date=ev.delivery_date, modified_by="buyer", modified_at=utcnow()))
        assert tuple(await read_model_status(invoice_db, ev.order_id)) == (
            "submitted", Decimal("1213.10"))
        await deliver(invoice_db, reviewed(OrderApproved, ev))
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests", json={"order_ids": [ev.number]})
        assert r.status_code == 201 and r.json()["amount"] == "1213.10"
        assert r.json()["invoice_type"] == "special_vat"  # the modified bill choice

    async def test_cancelled_order_cannot_be_invoiced_O5(self, invoice_app, invoice_db):
        cid = await known_customer(invoice_db)
        ev = await submitted(invoice_db, cid)
        await deliver(invoice_db, OrderCancelled(
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

    async def test_refunds_count_once_per_return_and_may_come_first_O9(self, invoice_db):
        cid = uuid.uuid4()
        ev = OrderSubmitted(
            order_id=uuid.uuid4(), number="DH20261123-9001", customer_id=cid,
            customer_name="上海印美", total=Decimal("500.00"), bill_type="none",
            delivery_date=date.today(), lines=[], submitted_at=utcnow())
        early = await refunded(invoice_db, ev, "100.00")  # before anything else arrived
        await refunded(invoice_db, ev, "100.00", return_id=early.return_id)  # replayed
        await deliver(invoice_db, ev)
        await refunded(invoice_db, ev, "50.00")

        async with invoice_db.engine.connect() as c:
            row = (await c.execute(text(
                "SELECT status, total, refund_amount FROM invoiceable_orders "
                "WHERE order_id = :id"), {"id": ev.order_id})).one()
        # a return is approved only for a reviewed order
        assert tuple(row) == ("approved", Decimal("500.00"), Decimal("150.00"))
