"""Integration: the invoice service's HTTP API and order-event handlers on its real
database (migrations applied), with events written to the outbox (I-1..I-3)."""

import asyncio
import itertools
import uuid
from datetime import date, timedelta
from decimal import Decimal

from dinghuo_contracts import OrderApproved, OrderLine, OrderRejected, OrderSubmitted
from invoice_service.messaging import registry
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date, utcnow
from sqlalchemy import text

_seq = itertools.count(1)


async def submitted(invoice_db, customer_id, total="801.50", *, number=None,
                    bill_type="ordinary_vat") -> OrderSubmitted:
    """Deliver an order.submitted for the customer; returns the event."""
    event = OrderSubmitted(
        order_id=uuid.uuid4(), number=number or f"DH20261123-{next(_seq):04d}",
        customer_id=customer_id, customer_name="上海印美", total=Decimal(total),
        bill_type=bill_type, delivery_date=date.today() + timedelta(days=3),
        lines=[OrderLine(product_id=uuid.uuid4(), name="墨水", model="INK-1L", quantity=1,
                         unit_price=Decimal(total), line_total=Decimal(total))],
        submitted_at=utcnow())
    await h.deliver(invoice_db.sessionmaker, "invoice", registry, event)
    return event


def reviewed(cls, ev: OrderSubmitted, **kw):
    return cls(order_id=ev.order_id, number=ev.number, customer_id=ev.customer_id,
               reviewed_by="admin", reviewed_at=utcnow(), **kw)


async def outbox(invoice_db, invoice_id):
    async with invoice_db.engine.connect() as c:
        rows = await c.execute(text(
            "SELECT event_type, envelope FROM outbox "
            "WHERE envelope->'data'->>'invoice_id' = :id ORDER BY seq"), {"id": str(invoice_id)})
        return [(r[0], r[1]) for r in rows]


async def read_model_status(invoice_db, order_id):
    async with invoice_db.engine.connect() as c:
        return (await c.execute(text(
            "SELECT status, total FROM invoiceable_orders WHERE order_id = :id"),
            {"id": order_id})).one()


def issue_body(**kw):
    return {"invoice_number": f"No.{uuid.uuid4().hex[:12]}",
            "invoice_date": business_date().isoformat(), **kw}


async def requested_invoice(invoice_app, invoice_db, cid=None, total="801.50"):
    cid = cid or uuid.uuid4()
    ev = await submitted(invoice_db, cid, total)
    async with h.client(invoice_app, h.customer(cid)) as c:
        r = await c.post("/api/portal/invoice-requests", json={"order_ids": [ev.number]})
    assert r.status_code == 201, r.text
    return cid, ev, r.json()


class TestRequestInvoice:
    async def test_by_order_numbers_sums_totals_and_emits_requested_I1(
            self, invoice_app, invoice_db):
        cid = uuid.uuid4()
        a = await submitted(invoice_db, cid, "801.50")
        b = await submitted(invoice_db, cid, "100.00")
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests", json={
                "order_ids": [a.number.lower(), str(b.order_id)],
                "title": " 上海印美有限公司 ", "tax_number": "91310000MA1FL0000X"})
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["status"] == "requested" and body["amount"] == "901.50"
        assert body["order_ids"] == [str(a.order_id), str(b.order_id)]
        assert body["order_numbers"] == [a.number, b.number]
        assert body["title"] == "上海印美有限公司"
        assert body["customer_id"] == str(cid) and body["invoice_number"] is None
        events = await outbox(invoice_db, body["id"])
        assert [t for t, _ in events] == ["invoice.requested"]
        data = events[0][1]["data"]
        assert data["amount"] == "901.50" and data["order_numbers"] == [a.number, b.number]
        assert events[0][1]["source"] == "invoice"

    async def test_duplicates_are_removed(self, invoice_app, invoice_db):
        cid = uuid.uuid4()
        a = await submitted(invoice_db, cid, "10.00")
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests", json={
                "order_ids": [a.number, a.number, str(a.order_id)]})
        assert r.status_code == 201, r.text
        assert r.json()["order_numbers"] == [a.number] and r.json()["amount"] == "10.00"

    async def test_unknown_or_other_customers_order_is_404(self, invoice_app, invoice_db):
        mine, theirs = uuid.uuid4(), uuid.uuid4()
        a = await submitted(invoice_db, mine)
        other = await submitted(invoice_db, theirs)
        async with h.client(invoice_app, h.customer(mine)) as c:
            r1 = await c.post("/api/portal/invoice-requests",
                              json={"order_ids": [a.number, other.number]})
            r2 = await c.post("/api/portal/invoice-requests",
                              json={"order_ids": [str(other.order_id)]})
            r3 = await c.post("/api/portal/invoice-requests",
                              json={"order_ids": ["DH19990101-0001"]})
        assert r1.status_code == 404
        assert r1.json() == {"error": "NotFound", "detail": f"Order {other.number} not found"}
        assert r2.status_code == 404 and str(other.order_id) in r2.json()["detail"]
        assert r3.json()["detail"] == "Order DH19990101-0001 not found"
        async with h.client(invoice_app, h.customer(mine)) as c:
            assert (await c.get("/api/portal/invoices")).json() == []  # nothing was created

    async def test_rejected_order_is_409(self, invoice_app, invoice_db):
        cid = uuid.uuid4()
        a = await submitted(invoice_db, cid)
        await h.deliver(invoice_db.sessionmaker, "invoice", registry,
                        reviewed(OrderRejected, a, reason="out of stock"))
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests", json={"order_ids": [a.number]})
        assert r.status_code == 409
        assert r.json()["detail"] == f"Order {a.number} was rejected and cannot be invoiced"

    async def test_order_already_on_an_invoice_is_409_naming_it(self, invoice_app, invoice_db):
        cid, ev, first = await requested_invoice(invoice_app, invoice_db)
        b = await submitted(invoice_db, cid)
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests",
                             json={"order_ids": [b.number, ev.number]})
        assert r.status_code == 409
        assert ev.number in r.json()["detail"] and first["id"] in r.json()["detail"]
        async with h.client(invoice_app, h.customer(cid)) as c:
            assert (await c.get("/api/portal/invoices")).headers["x-total-count"] == "1"

    async def test_concurrent_requests_for_one_order_get_one_invoice(
            self, invoice_app, invoice_db):
        cid = uuid.uuid4()
        a = await submitted(invoice_db, cid)
        async with h.client(invoice_app, h.customer(cid)) as c:
            rs = await asyncio.gather(*[
                c.post("/api/portal/invoice-requests", json={"order_ids": [a.number]})
                for _ in range(5)])
        assert sorted(r.status_code for r in rs) == [201, 409, 409, 409, 409]

    async def test_bad_input_gets_clear_422(self, invoice_app):
        async with h.client(invoice_app, h.customer()) as c:
            rs = [await c.post("/api/portal/invoice-requests", json=body) for body in (
                {"order_ids": []},
                {"order_ids": [f"DH{i}" for i in range(101)]},
                {"order_ids": ["  "]},
                {"order_ids": [7]},
                {"order_ids": ["DH1"], "color": "red"},
                {},
            )]
        for r in rs:
            assert r.status_code == 422, r.text
            assert r.json()["detail"]
        assert "order_ids" in rs[0].json()["detail"]
        assert "blank" in rs[2].json()["detail"]
        assert "string" in rs[3].json()["detail"]

    async def test_staff_cannot_use_the_portal_route(self, invoice_app):
        async with h.client(invoice_app, h.staff()) as s:
            r = await s.post("/api/portal/invoice-requests", json={"order_ids": ["DH1"]})
        assert r.status_code == 403

    async def test_without_token_401(self, invoice_app):
        async with h.client(invoice_app) as c:
            assert (await c.get("/api/portal/invoices")).status_code == 401


class TestIssueAndConfirm:
    async def test_full_flow_emits_requested_issued_confirmed_I2_I3(
            self, invoice_app, invoice_db):
        cid, ev, inv = await requested_invoice(invoice_app, invoice_db)
        async with h.client(invoice_app, h.staff("invoices:entry", username="finance")) as s:
            r = await s.post(f"/api/console/invoices/{inv['id']}/issue", json=issue_body(
                invoice_number=" 04400123 ", sent_at=utcnow().isoformat(), courier="顺丰",
                tracking_number="SF1234567890"))
        assert r.status_code == 200, r.text
        issued = r.json()
        assert issued["status"] == "issued" and issued["invoice_number"] == "04400123"
        assert issued["courier"] == "顺丰" and issued["issued_by"] == "finance"
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post(f"/api/portal/invoices/{inv['id']}/confirm-receipt")
            assert r.status_code == 200, r.text
            assert r.json()["status"] == "confirmed" and r.json()["confirmed_at"]
            assert (await c.get(f"/api/portal/invoices/{inv['id']}")).json()[
                "status"] == "confirmed"
        events = await outbox(invoice_db, inv["id"])
        assert [t for t, _ in events] == [
            "invoice.requested", "invoice.issued", "invoice.confirmed"]
        confirmed = events[2][1]["data"]
        assert confirmed["order_ids"] == [str(ev.order_id)]
        assert confirmed["invoice_number"] == "04400123" and confirmed["amount"] == "801.50"
        assert events[1][1]["data"]["invoice_date"] == business_date().isoformat()

    async def test_state_machine_conflicts_are_409(self, invoice_app, invoice_db):
        cid, _ev, inv = await requested_invoice(invoice_app, invoice_db)
        url = f"/api/console/invoices/{inv['id']}/issue"
        async with h.client(invoice_app, h.customer(cid)) as c:
            early = await c.post(f"/api/portal/invoices/{inv['id']}/confirm-receipt")
        assert early.status_code == 409 and "not been issued" in early.json()["detail"]
        async with h.client(invoice_app, h.staff()) as s:
            assert (await s.post(url, json=issue_body())).status_code == 200
            again = await s.post(url, json=issue_body())
        assert again.status_code == 409
        assert again.json()["detail"] == "the invoice is already issued and cannot be issued again"
        async with h.client(invoice_app, h.customer(cid)) as c:
            ok = await c.post(f"/api/portal/invoices/{inv['id']}/confirm-receipt")
            twice = await c.post(f"/api/portal/invoices/{inv['id']}/confirm-receipt")
        assert ok.status_code == 200
        assert twice.status_code == 409 and "already been confirmed" in twice.json()["detail"]
        events = await outbox(invoice_db, inv["id"])
        assert [t for t, _ in events].count("invoice.confirmed") == 1

    async def test_duplicate_invoice_number_is_409(self, invoice_app, invoice_db):
        _, _, one = await requested_invoice(invoice_app, invoice_db)
        _, _, two = await requested_invoice(invoice_app, invoice_db)
        number = f"No.{uuid.uuid4().hex[:10]}"
        async with h.client(invoice_app, h.staff()) as s:
            r1 = await s.post(f"/api/console/invoices/{one['id']}/issue",
                              json=issue_body(invoice_number=number))
            r2 = await s.post(f"/api/console/invoices/{two['id']}/issue",
                              json=issue_body(invoice_number=number))
            still = await s.get(f"/api/console/invoices/{two['id']}")
        assert r1.status_code == 200
        assert r2.status_code == 409 and number in r2.json()["detail"]
        assert still.json()["status"] == "requested"

    async def test_bad_issue_input_gets_clear_422(self, invoice_app, invoice_db):
        _, _, inv = await requested_invoice(invoice_app, invoice_db)
        url = f"/api/console/invoices/{inv['id']}/issue"
        tomorrow = (business_date() + timedelta(days=1)).isoformat()
        async with h.client(invoice_app, h.staff()) as s:
            cases = {
                "blank": issue_body(invoice_number="   "),
                "at most 50": issue_body(invoice_number="1" * 51),
                "future": issue_body(invoice_date=tomorrow),
                "invoice_date": {"invoice_number": "X1", "invoice_date": "23/11/2026"},
                "timezone": issue_body(sent_at="2026-11-23T10:00:00"),
                "invoice_number": {"invoice_date": business_date().isoformat()},
            }
            for expected, body in cases.items():
                r = await s.post(url, json=body)
                assert r.status_code == 422, (expected, r.text)
                assert expected in r.json()["detail"], (expected, r.json())
            assert (await s.get(f"/api/console/invoices/{inv['id']}")).json()[
                "status"] == "requested"

    async def test_unknown_invoice_is_404(self, invoice_app):
        async with h.client(invoice_app, h.staff()) as s:
            r = await s.post(f"/api/console/invoices/{uuid.uuid4()}/issue", json=issue_body())
            assert r.status_code == 404 and r.json()["detail"] == "Invoice not found"
            assert (await s.get("/api/console/invoices/not-a-uuid")).status_code == 422


class TestAccess:
    async def test_other_customers_invoice_is_404(self, invoice_app, invoice_db):
        _cid, _ev, inv = await requested_invoice(invoice_app, invoice_db)
        async with h.client(invoice_app, h.customer()) as other:
            assert (await other.get(f"/api/portal/invoices/{inv['id']}")).status_code == 404
            r = await other.post(f"/api/portal/invoices/{inv['id']}/confirm-receipt")
            assert r.status_code == 404
            mine = await other.get("/api/portal/invoices")
            assert mine.json() == [] and mine.headers["x-total-count"] == "0"

    async def test_customer_gets_403_on_console(self, invoice_app, invoice_db):
        cid, _ev, inv = await requested_invoice(invoice_app, invoice_db)
        async with h.client(invoice_app, h.customer(cid)) as c:
            assert (await c.get("/api/console/invoices")).status_code == 403
            r = await c.post(f"/api/console/invoices/{inv['id']}/issue", json=issue_body())
            assert r.status_code == 403

    async def test_permissions_are_separate_X1(self, invoice_app, invoice_db):
        _cid, _ev, inv = await requested_invoice(invoice_app, invoice_db)
        async with h.client(invoice_app, h.staff("invoices:query")) as q:
            assert (await q.get(f"/api/console/invoices/{inv['id']}")).status_code == 200
            r = await q.post(f"/api/console/invoices/{inv['id']}/issue", json=issue_body())
            assert r.status_code == 403 and "invoices:entry" in r.json()["detail"]
        async with h.client(invoice_app, h.staff("orders:query")) as o:
            assert (await o.get("/api/console/invoices")).status_code == 403

    async def test_console_lists_by_status(self, invoice_app, invoice_db):
        cid, _ev, inv = await requested_invoice(invoice_app, invoice_db)
        async with h.client(invoice_app, h.staff("invoices:query")) as q:
            r = await q.get("/api/console/invoices",
                            params={"status": "requested", "customer_id": str(cid)})
            assert r.status_code == 200 and r.headers["x-total-count"] == "1"
            assert [i["id"] for i in r.json()] == [inv["id"]]
            assert r.json()[0]["customer_name"] == "上海印美"
            bad = await q.get("/api/console/invoices", params={"status": "paid"})
            assert bad.status_code == 422 and "status" in bad.json()["detail"]


class TestOrderEvents:
    async def test_duplicate_delivery_changes_state_once(self, invoice_app, invoice_db):
        cid = uuid.uuid4()
        ev = await submitted(invoice_db, cid)
        env = ev.envelope("order")
        await h.deliver(invoice_db.sessionmaker, "invoice", registry, env)
        await h.deliver(invoice_db.sessionmaker, "invoice", registry,
                        reviewed(OrderApproved, ev))
        await h.deliver(invoice_db.sessionmaker, "invoice", registry, env)  # duplicate
        assert (await read_model_status(invoice_db, ev.order_id)).status == "approved"
        async with invoice_db.engine.connect() as c:
            n = (await c.execute(text("SELECT count(*) FROM inbox WHERE event_id = :id"),
                                 {"id": env.id})).scalar_one()
        assert n == 1

    async def test_review_arriving_before_submission_is_tolerated(
            self, invoice_app, invoice_db):
        cid = uuid.uuid4()
        ev = OrderSubmitted(
            order_id=uuid.uuid4(), number=f"DH20261123-{next(_seq):04d}", customer_id=cid,
            customer_name="上海印美", total=Decimal("40.00"), bill_type="special_vat",
            delivery_date=date.today(), lines=[], submitted_at=utcnow())
        await h.deliver(invoice_db.sessionmaker, "invoice", registry,
                        reviewed(OrderApproved, ev))
        async with h.client(invoice_app, h.customer(cid)) as c:
            early = await c.post("/api/portal/invoice-requests",
                                 json={"order_ids": [ev.number]})
            assert early.status_code == 409 and "still being processed" in early.json()[
                "detail"]
            await h.deliver(invoice_db.sessionmaker, "invoice", registry, ev)
            row = await read_model_status(invoice_db, ev.order_id)
            assert (row.status, row.total) == ("approved", Decimal("40.00"))
            r = await c.post("/api/portal/invoice-requests", json={"order_ids": [ev.number]})
            assert r.status_code == 201 and r.json()["amount"] == "40.00"
