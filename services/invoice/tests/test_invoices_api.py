"""Integration: the invoice service's HTTP API and order-event handlers on its real
database (migrations applied), with events written to the outbox (I-1..I-3)."""

import asyncio
import uuid
from datetime import date, timedelta
from decimal import Decimal

from dinghuo_contracts import OrderApproved, OrderRejected, OrderSubmitted
from invoice_service.messaging import registry
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date, utcnow
from sqlalchemy import text

from .invoice_fixtures import (
    _seq,
    approved,
    deliver,
    issue_body,
    known_customer,
    outbox,
    read_model_status,
    refunded,
    requested_invoice,
    reviewed,
    submitted,
)


class TestRequestInvoice:
    async def test_by_order_numbers_sums_totals_and_emits_requested_I1(
            self, invoice_app, invoice_db):
        cid = await known_customer(invoice_db)
        a = await approved(invoice_db, cid, "801.50")
        b = await approved(invoice_db, cid, "100.00")
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests", json={
                "order_ids": [a.number.lower(), str(b.order_id)],
                "title": " 上海印美有限公司 ", "tax_number": "91310000ma1fl0000x"})
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["status"] == "requested" and body["amount"] == "901.50"
        assert body["order_ids"] == [str(a.order_id), str(b.order_id)]
        assert body["order_numbers"] == [a.number, b.number]
        assert body["title"] == "上海印美有限公司" and body["tax_number"] == "91310000MA1FL0000X"
        assert body["invoice_type"] == "ordinary_vat" and body["actions"] == []
        assert body["customer_id"] == str(cid) and body["invoice_number"] is None
        assert body["fapiao"] == [] and body["requested_at"]
        events = await outbox(invoice_db, body["id"])
        assert [t for t, _ in events] == ["invoice.requested"]
        data = events[0][1]["data"]
        assert data["amount"] == "901.50" and data["order_numbers"] == [a.number, b.number]
        assert (data["invoice_type"], data["title"], data["resubmitted"]) == (
            "ordinary_vat", "上海印美有限公司", False)
        assert events[0][1]["source"] == "invoice"

    async def test_details_default_from_the_customer_profile_C1_I1(self, invoice_app,
                                                                  invoice_db):
        cid = await known_customer(invoice_db)
        a = await approved(invoice_db, cid, bill_type="special_vat")
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests", json={
                "order_ids": [a.number], "mail_to": "上海市徐汇区 张三 13900001111",
                "bank": "  "})
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["invoice_type"] == "special_vat"  # every order asked for one
        assert (body["title"], body["tax_number"], body["bank"], body["bank_account"],
                body["address_phone"], body["mail_to"]) == (
            "上海印美图文有限公司", "91310000MA1FL0XX1X", "工商银行徐汇支行", "1001234509876543",
            "上海市徐汇区漕溪北路 1 号 021-5888 1234", "上海市徐汇区 张三 13900001111")
        assert body["customer_name"] == "上海印美有限公司"

    async def test_special_vat_names_exactly_what_is_missing_I1(self, invoice_app,
                                                               invoice_db):
        cid = await known_customer(invoice_db, bank=None, bank_account=None, telephone=None,
                                   address=None)
        a = await approved(invoice_db, cid)
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests", json={
                "order_ids": [a.number], "invoice_type": "special_vat",
                "bank": "建设银行"})
            assert r.status_code == 422, r.text
            assert r.json()["error"] == "InvalidInvoice"
            # the mobile stands in for the telephone, but there is no address
            assert "missing: bank_account, address_phone." in r.json()["detail"]
            ok = await c.post("/api/portal/invoice-requests", json={
                "order_ids": [a.number], "invoice_type": "special_vat", "bank": "建设银行",
                "bank_account": "6222 0000 1111 2222", "address_phone": "上海市 021-5888"})
            assert ok.status_code == 201, ok.text
            assert ok.json()["bank_account"] == "6222000011112222"
            assert (await c.get("/api/portal/invoices")).headers["x-total-count"] == "1"

    async def test_ordinary_vat_needs_a_tax_number_I1(self, invoice_app, invoice_db):
        cid = await known_customer(invoice_db, tax_number=None, invoice_title=None)
        a = await approved(invoice_db, cid)
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests", json={"order_ids": [a.number]})
            assert r.status_code == 422
            assert r.json()["detail"] == (
                "An ordinary VAT fapiao needs title, tax_number; missing: tax_number. Give it "
                "in the request or in your company profile")
            r = await c.post("/api/portal/invoice-requests",
                             json={"order_ids": [a.number], "tax_number": "91310000MA1FL0XX1X"})
        assert r.status_code == 201, r.text
        assert r.json()["title"] == "上海印美有限公司"  # no invoice title: the company name

    async def test_an_unknown_customer_gets_the_name_the_orders_carry(self, invoice_app,
                                                                      invoice_db):
        cid = uuid.uuid4()
        a = await approved(invoice_db, cid)
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests", json={
                "order_ids": [a.number], "tax_number": "91310000MA1FL0XX1X"})
        assert r.status_code == 201, r.text
        assert r.json()["title"] == r.json()["customer_name"] == "上海印美"

    async def test_duplicates_are_removed(self, invoice_app, invoice_db):
        cid = await known_customer(invoice_db)
        a = await approved(invoice_db, cid, "10.00")
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests", json={
                "order_ids": [a.number, a.number, str(a.order_id)]})
        assert r.status_code == 201, r.text
        assert r.json()["order_numbers"] == [a.number] and r.json()["amount"] == "10.00"

    async def test_approved_returns_are_not_invoiced_O9(self, invoice_app, invoice_db):
        cid = await known_customer(invoice_db)
        a = await approved(invoice_db, cid, "801.50")
        b = await approved(invoice_db, cid, "100.00")
        ret = await refunded(invoice_db, a, "160.30")
        await deliver(invoice_db, ret.envelope("order"))  # the same return once more
        await refunded(invoice_db, a, "0.20")
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests",
                             json={"order_ids": [a.number, b.number]})
        assert r.status_code == 201, r.text
        assert r.json()["amount"] == "741.00"
        assert r.json()["orders"][0] == {"order_id": str(a.order_id), "number": a.number,
                                         "total": "801.50", "refund_amount": "160.50",
                                         "amount": "641.00"}

    async def test_an_order_refunded_in_full_is_409(self, invoice_app, invoice_db):
        cid = await known_customer(invoice_db)
        a = await approved(invoice_db, cid, "50.00")
        await refunded(invoice_db, a, "50.00")
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests", json={"order_ids": [a.number]})
        assert r.status_code == 409
        assert r.json()["detail"] == f"Order {a.number} was refunded in full; there is " \
                                     "nothing to invoice"

    async def test_an_unreviewed_order_is_409_naming_it_I1(self, invoice_app, invoice_db):
        cid = await known_customer(invoice_db)
        a = await approved(invoice_db, cid)
        b = await submitted(invoice_db, cid)
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests",
                             json={"order_ids": [a.number, b.number]})
        assert r.status_code == 409
        assert r.json()["detail"] == (f"Order {b.number} has not been reviewed yet; it can be "
                                      "invoiced once it is approved")

    async def test_unknown_or_other_customers_order_is_404(self, invoice_app, invoice_db):
        mine, theirs = await known_customer(invoice_db), uuid.uuid4()
        a = await approved(invoice_db, mine)
        other = await approved(invoice_db, theirs)
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
        cid = await known_customer(invoice_db)
        a = await submitted(invoice_db, cid)
        await deliver(invoice_db, reviewed(OrderRejected, a, reason="out of stock"))
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests", json={"order_ids": [a.number]})
        assert r.status_code == 409
        assert r.json()["detail"] == f"Order {a.number} was rejected and cannot be invoiced"

    async def test_order_already_on_an_invoice_is_409_naming_it(self, invoice_app, invoice_db):
        cid, ev, first = await requested_invoice(invoice_app, invoice_db)
        b = await approved(invoice_db, cid)
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests",
                             json={"order_ids": [b.number, ev.number]})
        assert r.status_code == 409
        assert r.json()["detail"] == f"Order {ev.number} is already on invoice request " \
                                     f"{first['id']}"
        async with h.client(invoice_app, h.staff()) as s:
            r = await s.post(f"/api/console/invoices/{first['id']}/issue", json=issue_body())
            assert r.status_code == 200
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests", json={"order_ids": [ev.number]})
            assert r.status_code == 409
            assert r.json()["detail"] == f"Order {ev.number} is already invoiced (invoice " \
                                         f"{first['id']})"
            assert (await c.get("/api/portal/invoices")).headers["x-total-count"] == "1"

    async def test_concurrent_requests_for_one_order_get_one_invoice(
            self, invoice_app, invoice_db):
        cid = await known_customer(invoice_db)
        a = await approved(invoice_db, cid)
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
                {"order_ids": ["DH1"], "invoice_type": "receipt"},
                {"order_ids": ["DH1"], "tax_number": "12-34"},
                {"order_ids": ["DH1"], "bank_account": "account 7"},
                {"order_ids": ["DH1"], "title": "x" * 201},
            )]
        for r in rs:
            assert r.status_code == 422, r.text
            assert r.json()["detail"]
        assert "order_ids" in rs[0].json()["detail"]
        assert "blank" in rs[2].json()["detail"]
        assert "string" in rs[3].json()["detail"]
        for r, field in zip(rs[6:], ("invoice_type", "tax_number", "bank_account", "title"),
                            strict=True):
            assert r.json()["detail"].startswith(field), r.json()

    async def test_staff_cannot_use_the_portal_route(self, invoice_app):
        async with h.client(invoice_app, h.staff()) as s:
            r = await s.post("/api/portal/invoice-requests", json={"order_ids": ["DH1"]})
        assert r.status_code == 403

    async def test_without_token_401(self, invoice_app):
        async with h.client(invoice_app) as c:
            assert (await c.get("/api/portal/invoices")).status_code == 401


class TestRequestForm:
    """What the request page needs: the defaults and the orders it may choose (I-1)."""

    async def test_defaults_and_what_each_type_still_needs(self, invoice_app, invoice_db):
        cid = await known_customer(invoice_db, bank=None)
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.get("/api/portal/invoice-requests/defaults")
        assert r.status_code == 200, r.text
        assert r.json() == {
            "title": "上海印美图文有限公司", "tax_number": "91310000MA1FL0XX1X", "bank": None,
            "bank_account": "1001234509876543",
            "address_phone": "上海市徐汇区漕溪北路 1 号 021-5888 1234", "mail_to": None,
            "missing": {"ordinary_vat": [], "special_vat": ["bank"]}}
        async with h.client(invoice_app, h.customer()) as stranger:
            r = await stranger.get("/api/portal/invoice-requests/defaults")
        assert r.json()["missing"]["ordinary_vat"] == ["title", "tax_number"]

    async def test_invoiceable_orders_are_approved_free_and_not_refunded(self, invoice_app,
                                                                         invoice_db):
        cid = await known_customer(invoice_db)
        free = await approved(invoice_db, cid, "300.00", bill_type="special_vat")
        await submitted(invoice_db, cid)                       # not reviewed
        gone = await approved(invoice_db, cid, "20.00")
        await refunded(invoice_db, gone, "20.00")              # refunded in full
        part = await approved(invoice_db, cid, "100.00")
        await refunded(invoice_db, part, "30.00")
        taken = await approved(invoice_db, cid)
        await approved(invoice_db, uuid.uuid4())               # another customer's
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests", json={"order_ids": [taken.number]})
            assert r.status_code == 201
            r = await c.get("/api/portal/invoice-requests/orders")
            assert r.status_code == 200 and r.headers["x-total-count"] == "2"
            by_number = {o["number"]: o for o in r.json()}
            assert set(by_number) == {free.number, part.number}
            assert by_number[part.number] == {
                "order_id": str(part.order_id), "number": part.number,
                "bill_type": "ordinary_vat", "total": "100.00", "refund_amount": "30.00",
                "amount": "70.00"}
            page = await c.get("/api/portal/invoice-requests/orders", params={"limit": 1})
            assert len(page.json()) == 1 and page.headers["x-total-count"] == "2"


class TestIssueAndConfirm:
    async def test_full_flow_emits_requested_issued_confirmed_I2_I3(
            self, invoice_app, invoice_db):
        cid, ev, inv = await requested_invoice(invoice_app, invoice_db)
        async with h.client(invoice_app, h.staff("invoices:entry", "invoices:query",
                                                 username="finance")) as s:
            assert (await s.get(f"/api/console/invoices/{inv['id']}")).json()[
                "actions"] == ["issue", "reject"]
            r = await s.post(f"/api/console/invoices/{inv['id']}/issue", json=issue_body(
                invoice_number=" 04400123 ", sent_at=utcnow().isoformat(), courier="顺丰",
                tracking_number="SF1234567890"))
        assert r.status_code == 200, r.text
        issued = r.json()
        assert issued["status"] == "issued" and issued["invoice_number"] == "04400123"
        assert issued["fapiao"] == [{"invoice_number": "04400123", "amount": "801.50"}]
        assert issued["courier"] == "顺丰" and issued["tracking_number"] == "SF1234567890"
        assert issued["issued_by"] == "finance" and issued["actions"] == []
        async with h.client(invoice_app, h.customer(cid)) as c:
            assert (await c.get(f"/api/portal/invoices/{inv['id']}")).json()[
                "actions"] == ["confirm_receipt"]
            r = await c.post(f"/api/portal/invoices/{inv['id']}/confirm-receipt")
            assert r.status_code == 200, r.text
            assert r.json()["status"] == "confirmed" and r.json()["confirmed_at"]
            assert (await c.get(f"/api/portal/invoices/{inv['id']}")).json()[
                "status"] == "confirmed"
        events = await outbox(invoice_db, inv["id"])
        assert [t for t, _ in events] == [
            "invoice.requested", "invoice.issued", "invoice.confirmed"]
        issued_ev, confirmed = events[1][1]["data"], events[2][1]["data"]
        assert issued_ev["invoice_date"] == business_date().isoformat()
        assert (issued_ev["courier"], issued_ev["tracking_number"]) == ("顺丰", "SF1234567890")
        assert issued_ev["fapiao"] == [{"invoice_number": "04400123", "amount": "801.50"}]
        assert confirmed["order_ids"] == [str(ev.order_id)]
        assert confirmed["invoice_number"] == "04400123" and confirmed["amount"] == "801.50"
        assert confirmed["fapiao"] == issued_ev["fapiao"]

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
        assert r2.status_code == 409
        assert r2.json()["detail"] == f"Invoice number {number} is already used by another " \
                                      "invoice"
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
                "not both": issue_body(fapiao=[{"invoice_number": "A", "amount": "801.50"}]),
                "greater than zero": {"invoice_date": business_date().isoformat(),
                                      "fapiao": [{"invoice_number": "A", "amount": "0"}]},
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
            r = await s.post(f"/api/console/invoices/{uuid.uuid4()}/reject",
                             json={"reason": "x"})
            assert r.status_code == 404
            assert (await s.get("/api/console/invoices/not-a-uuid")).status_code == 422


class TestAccess:
    async def test_other_customers_invoice_is_404(self, invoice_app, invoice_db):
        _cid, _ev, inv = await requested_invoice(invoice_app, invoice_db)
        async with h.client(invoice_app, h.customer()) as other:
            assert (await other.get(f"/api/portal/invoices/{inv['id']}")).status_code == 404
            r = await other.post(f"/api/portal/invoices/{inv['id']}/confirm-receipt")
            assert r.status_code == 404
            r = await other.put(f"/api/portal/invoice-requests/{inv['id']}", json={})
            assert r.status_code == 404
            mine = await other.get("/api/portal/invoices")
            assert mine.json() == [] and mine.headers["x-total-count"] == "0"

    async def test_customer_gets_403_on_console(self, invoice_app, invoice_db):
        cid, _ev, inv = await requested_invoice(invoice_app, invoice_db)
        async with h.client(invoice_app, h.customer(cid)) as c:
            assert (await c.get("/api/console/invoices")).status_code == 403
            r = await c.post(f"/api/console/invoices/{inv['id']}/issue", json=issue_body())
            assert r.status_code == 403
            r = await c.post(f"/api/console/invoices/{inv['id']}/reject", json={"reason": "x"})
            assert r.status_code == 403
            assert (await c.get("/api/console/invoices/export.xlsx")).status_code == 403

    async def test_permissions_are_separate_X1(self, invoice_app, invoice_db):
        _cid, _ev, inv = await requested_invoice(invoice_app, invoice_db)
        async with h.client(invoice_app, h.staff("invoices:query")) as q:
            assert (await q.get(f"/api/console/invoices/{inv['id']}")).status_code == 200
            r = await q.post(f"/api/console/invoices/{inv['id']}/issue", json=issue_body())
            assert r.status_code == 403 and "invoices:entry" in r.json()["detail"]
        async with h.client(invoice_app, h.staff("invoices:entry")) as e:
            r = await e.post(f"/api/console/invoices/{inv['id']}/reject", json={"reason": "x"})
            assert r.status_code == 403 and "invoices:review" in r.json()["detail"]
        async with h.client(invoice_app, h.staff("orders:query")) as o:
            assert (await o.get("/api/console/invoices")).status_code == 403


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
        cid = await known_customer(invoice_db)
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

    async def test_a_request_waits_a_moment_for_the_approval_in_flight(self, invoice_app,
                                                                      invoice_db):
        """The customer asks the instant staff approved its order: not refused."""
        cid = await known_customer(invoice_db)
        ev = await submitted(invoice_db, cid)

        async def approve_soon():
            await asyncio.sleep(0.3)
            await deliver(invoice_db, reviewed(OrderApproved, ev), "order")
        async with h.client(invoice_app, h.customer(cid)) as c:
            r, _ = await asyncio.gather(
                c.post("/api/portal/invoice-requests", json={"order_ids": [ev.number]}),
                approve_soon())
        assert r.status_code == 201, r.text
