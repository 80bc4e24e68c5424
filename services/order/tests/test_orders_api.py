"""Integration: the order service's HTTP API and handlers on its real database
(migrations applied), with events written to the outbox (O-1..O-7)."""

import asyncio
import uuid
from datetime import date, timedelta
from decimal import Decimal

from dinghuo_contracts import CatalogLine, CustomerApproved, InvoiceConfirmed
from order_service.messaging import registry
from servicekit.testing import helpers as h
from sqlalchemy import text


async def approved_customer(order_db, price="160.30"):
    cid, pid = uuid.uuid4(), uuid.uuid4()
    await h.deliver(order_db.sessionmaker, "order", registry, CustomerApproved(
        customer_id=cid, customer_number="C0001", company_name="上海印美",
        catalog=[CatalogLine(product_id=pid, name="墨水", model="INK-1L",
                             unit_price=Decimal(price), list_price=Decimal("200"))],
        approved_by="admin"))
    return cid, pid


def order_body(pid, qty=5, **kw):
    return {"delivery_date": (date.today() + timedelta(days=3)).isoformat(),
            "bill_type": "ordinary_vat", "lines": [{"product_id": str(pid), "quantity": qty}],
            **kw}


async def outbox_types(order_db, order_id):
    async with order_db.engine.connect() as c:
        rows = await c.execute(text(
            "SELECT event_type FROM outbox WHERE envelope->'data'->>'order_id' = :id "
            "ORDER BY seq"), {"id": str(order_id)})
        return [r[0] for r in rows]


class TestSubmitOrder:
    async def test_total_from_own_prices_and_event_in_outbox_O3(self, order_app, order_db):
        cid, pid = await approved_customer(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/orders", json=order_body(pid))
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["status"] == "submitted" and body["total"] == "801.50"
        assert body["number"].startswith("DH")
        assert await outbox_types(order_db, body["id"]) == ["order.submitted"]

    async def test_unapproved_customer_gets_403(self, order_app):
        async with h.client(order_app, h.customer()) as c:
            r = await c.post("/api/portal/orders", json=order_body(uuid.uuid4()))
        assert r.status_code == 403
        assert r.json()["error"] == "Forbidden"

    async def test_an_approval_in_flight_is_waited_for_not_blocked_issue16(
            self, order_app, order_db):
        """Issue 16: a submission reads its customer once, locked (B-3). A customer
        registered but not yet approved in this service's read model must not keep that
        lock while the submission waits for the approval (its handler updates that very
        row): the approval delivered 0.3 s later lands, and the order is placed."""
        from dinghuo_contracts import CustomerRegistered

        cid, pid = uuid.uuid4(), uuid.uuid4()
        await h.deliver(order_db.sessionmaker, "order", registry, CustomerRegistered(
            customer_id=cid, customer_number="C0002", company_name="上海印美",
            contact_person="王丽", mobile="13812345678"))

        async def approve_later() -> float:
            await asyncio.sleep(0.3)
            await asyncio.wait_for(h.deliver(
                order_db.sessionmaker, "order", registry, CustomerApproved(
                    customer_id=cid, customer_number="C0002", company_name="上海印美",
                    catalog=[CatalogLine(product_id=pid, name="墨水", model="INK-1L",
                                         unit_price=Decimal("160.30"))],
                    approved_by="admin")), 1.0)  # not held up by the submission's lock
            return asyncio.get_running_loop().time()

        async with h.client(order_app, h.customer(cid)) as c:
            approved_at, r = await asyncio.gather(
                approve_later(), c.post("/api/portal/orders", json=order_body(pid)))
        assert r.status_code == 201, r.text
        assert r.json()["total"] == "801.50"
        assert approved_at > 0

    async def test_without_token_401(self, order_app):
        async with h.client(order_app) as c:
            r = await c.get("/api/portal/orders")
        assert r.status_code == 401

    async def test_bad_input_gets_clear_422(self, order_app, order_db):
        cid, pid = await approved_customer(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            r1 = await c.post("/api/portal/orders", json=order_body(pid, qty=0))
            r2 = await c.post("/api/portal/orders", json=order_body(pid, bill_type="cash"))
            r3 = await c.post("/api/portal/orders", json=order_body(
                pid, delivery_date=(date.today() - timedelta(days=2)).isoformat()))
            r4 = await c.post("/api/portal/orders", json=order_body(uuid.uuid4()))
        for r in (r1, r2, r3, r4):
            assert r.status_code == 422, r.text
            assert r.json()["detail"]
        assert "quantity" in r1.json()["detail"]
        assert "bill_type" in r2.json()["detail"]
        assert "delivery_date" in r3.json()["detail"]
        assert "catalogue" in r4.json()["detail"]

    async def test_concurrent_submissions_get_distinct_numbers_O2(self, order_app, order_db):
        cid, pid = await approved_customer(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            rs = await asyncio.gather(*[c.post("/api/portal/orders", json=order_body(pid))
                                        for _ in range(20)])
        numbers = [r.json()["number"] for r in rs]
        assert all(r.status_code == 201 for r in rs)
        assert len(set(numbers)) == 20


class TestIsolation:
    async def test_other_customers_order_is_404(self, order_app, order_db):
        cid, pid = await approved_customer(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            oid = (await c.post("/api/portal/orders", json=order_body(pid))).json()["id"]
        async with h.client(order_app, h.customer()) as other:
            assert (await other.get(f"/api/portal/orders/{oid}")).status_code == 404
            mine = await other.get("/api/portal/orders")
            assert mine.json() == [] and mine.headers["x-total-count"] == "0"

    async def test_customer_gets_403_on_console(self, order_app):
        async with h.client(order_app, h.customer()) as c:
            assert (await c.get("/api/console/orders")).status_code == 403


class TestReviewAndPay:
    async def test_batch_review_then_payment_emits_payment_received_O5_O6(
            self, order_app, order_db):
        cid, pid = await approved_customer(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            ids = [(await c.post("/api/portal/orders", json=order_body(pid, qty=q))).json()["id"]
                   for q in (1, 2)]
        async with h.client(order_app, h.staff()) as s:
            r = await s.post("/api/console/orders/review",
                             json={"order_ids": ids, "decision": "approve"})
            assert r.status_code == 200, r.text
            # reviewed orders move to the "processed" group at once (O-5)
            assert {o["status"] for o in r.json()["reviewed"]} == {"processing"}
            again = await s.post("/api/console/orders/review",
                                 json={"order_ids": ids, "decision": "reject"})
            assert again.status_code == 409
            p1 = await s.post(f"/api/console/orders/{ids[0]}/payments",
                              json={"amount": "100.00", "paid_on": date.today().isoformat(),
                                    "method": "bank_transfer"})
            assert p1.status_code == 201, p1.text
            assert p1.json()["payment_status"] == "partially_paid"
            over = await s.post(f"/api/console/orders/{ids[0]}/payments",
                                json={"amount": "100.00", "paid_on": date.today().isoformat(),
                                      "method": "cash"})
            assert over.status_code == 409 and "outstanding balance 60.30" in (
                over.json()["detail"])
            p2 = await s.post(f"/api/console/orders/{ids[0]}/payments",
                              json={"amount": "60.30", "paid_on": date.today().isoformat(),
                                    "method": "cash"})
            assert p2.json()["payment_status"] == "paid"
        assert await outbox_types(order_db, ids[0]) == [
            "order.submitted", "order.approved", "order.payment_received"]

    async def test_review_needs_permission_X1(self, order_app):
        async with h.client(order_app, h.staff("orders:query")) as s:
            r = await s.post("/api/console/orders/review",
                             json={"order_ids": [str(uuid.uuid4())], "decision": "approve"})
        assert r.status_code == 403

    async def test_batch_with_unknown_order_changes_nothing(self, order_app, order_db):
        cid, pid = await approved_customer(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            oid = (await c.post("/api/portal/orders", json=order_body(pid))).json()["id"]
        async with h.client(order_app, h.staff()) as s:
            r = await s.post("/api/console/orders/review", json={
                "order_ids": [oid, str(uuid.uuid4())], "decision": "approve"})
            assert r.status_code == 404
            assert (await s.get(f"/api/console/orders/{oid}")).json()["status"] == "submitted"


class TestInvoicedFlag:
    async def test_invoice_confirmed_marks_orders_invoiced_O7(self, order_app, order_db):
        cid, pid = await approved_customer(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            oid = (await c.post("/api/portal/orders", json=order_body(pid))).json()["id"]
            ev = InvoiceConfirmed(invoice_id=uuid.uuid4(), customer_id=cid,
                                  order_ids=[uuid.UUID(oid)], invoice_number="No.1",
                                  amount=Decimal("801.50"),
                                  confirmed_at="2026-11-23T10:00:00Z")
            env = await h.deliver(order_db.sessionmaker, "order", registry, ev)
            await h.deliver(order_db.sessionmaker, "order", registry, env)  # duplicate
            assert (await c.get(f"/api/portal/orders/{oid}")).json()["invoiced"] is True
