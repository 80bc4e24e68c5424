"""Integration: finance staff reject a request with a reason (its orders are free again,
invoice.rejected tells the customer); the customer corrects and resubmits it with
PUT /api/portal/invoice-requests/{id}: requested again, same id, a new invoice.requested
(I-1, I-2)."""

import uuid

from dinghuo_contracts import CustomerUpdated
from servicekit.testing import helpers as h

from .invoice_fixtures import (
    TAX,
    approved,
    deliver,
    issue_body,
    known_customer,
    outbox,
    requested_invoice,
)


async def reject(invoice_app, invoice_id, reason="税号与营业执照不符", **staff):
    async with h.client(invoice_app, h.staff(username="finance", **staff)) as s:
        return await s.post(f"/api/console/invoices/{invoice_id}/reject",
                            json={"reason": reason})


class TestReject:
    async def test_rejects_a_request_with_a_reason_and_frees_its_orders(self, invoice_app,
                                                                        invoice_db):
        cid, ev, inv = await requested_invoice(invoice_app, invoice_db)
        r = await reject(invoice_app, inv["id"], "  税号与营业执照不符  ")
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["status"] == "rejected" and body["actions"] == []
        assert (body["rejection_reason"], body["rejected_by"]) == ("税号与营业执照不符",
                                                                   "finance")
        assert body["rejected_at"] and body["suggested_fapiao"] == []
        events = await outbox(invoice_db, inv["id"])
        assert [t for t, _ in events] == ["invoice.requested", "invoice.rejected"]
        data = events[1][1]["data"]
        assert data["reason"] == "税号与营业执照不符" and data["customer_id"] == str(cid)
        assert data["order_ids"] == [str(ev.order_id)]
        assert (data["order_numbers"], data["amount"]) == ([ev.number], "801.50")
        async with h.client(invoice_app, h.customer(cid)) as c:
            mine = (await c.get(f"/api/portal/invoices/{inv['id']}")).json()
            assert mine["status"] == "rejected" and mine["actions"] == ["resubmit"]
            free = await c.get("/api/portal/invoice-requests/orders")
            assert [o["number"] for o in free.json()] == [ev.number]
            # the orders may go on a new request as well
            again = await c.post("/api/portal/invoice-requests",
                                 json={"order_ids": [ev.number]})
            assert again.status_code == 201, again.text

    async def test_only_a_requested_invoice_is_rejected_409(self, invoice_app, invoice_db):
        _, _, inv = await requested_invoice(invoice_app, invoice_db)
        assert (await reject(invoice_app, inv["id"])).status_code == 200
        twice = await reject(invoice_app, inv["id"])
        assert twice.status_code == 409
        assert twice.json()["detail"] == "the invoice request is already rejected"
        _, _, issued = await requested_invoice(invoice_app, invoice_db)
        async with h.client(invoice_app, h.staff()) as s:
            r = await s.post(f"/api/console/invoices/{issued['id']}/issue", json=issue_body())
            assert r.status_code == 200
        late = await reject(invoice_app, issued["id"])
        assert late.status_code == 409
        assert late.json()["detail"] == ("the invoice is already issued and can no longer be "
                                         "rejected")
        async with h.client(invoice_app, h.staff()) as s:
            r = await s.post(f"/api/console/invoices/{inv['id']}/issue", json=issue_body())
        assert r.status_code == 409 and "resubmitted" in r.json()["detail"]
        events = await outbox(invoice_db, inv["id"])
        assert [t for t, _ in events].count("invoice.rejected") == 1

    async def test_a_reason_is_required(self, invoice_app, invoice_db):
        _, _, inv = await requested_invoice(invoice_app, invoice_db)
        async with h.client(invoice_app, h.staff()) as s:
            for body in ({"reason": "   "}, {}, {"reason": "x" * 501}):
                r = await s.post(f"/api/console/invoices/{inv['id']}/reject", json=body)
                assert r.status_code == 422, r.text
                assert "reason" in r.json()["detail"]
            assert (await s.get(f"/api/console/invoices/{inv['id']}")).json()[
                "status"] == "requested"


class TestResubmit:
    async def test_corrected_and_resubmitted_is_requested_again_with_the_same_id_I1(
            self, invoice_app, invoice_db):
        cid, ev, inv = await requested_invoice(invoice_app, invoice_db)
        assert (await reject(invoice_app, inv["id"])).status_code == 200
        # the customer fixes its profile; the resubmission takes the new defaults
        await deliver(invoice_db, CustomerUpdated(
            customer_id=cid, company_name="上海印美有限公司", changed_fields=["tax_number"],
            changed_by_kind="customer", **{**TAX, "tax_number": "91310000MA1FL0YY2Y"}),
            "customer")
        async with h.client(invoice_app, h.customer(cid, username="buyer2")) as c:
            r = await c.put(f"/api/portal/invoice-requests/{inv['id']}",
                            json={"mail_to": "上海市 张三 13900001111"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["id"] == inv["id"] and body["status"] == "requested"
        assert body["tax_number"] == "91310000MA1FL0YY2Y"
        assert body["mail_to"] == "上海市 张三 13900001111"
        assert body["order_numbers"] == [ev.number] and body["amount"] == "801.50"
        assert body["requested_by"] == "buyer2" and body["requested_at"] > inv["requested_at"]
        assert body["rejection_reason"] == "税号与营业执照不符"  # the last rejection stays
        events = await outbox(invoice_db, inv["id"])
        assert [t for t, _ in events] == [
            "invoice.requested", "invoice.rejected", "invoice.requested"]
        again = events[2][1]["data"]
        assert again["resubmitted"] is True and again["tax_number"] == "91310000MA1FL0YY2Y"
        assert events[2][1]["id"] != events[0][1]["id"]
        # the orders are taken again
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/invoice-requests", json={"order_ids": [ev.number]})
        assert r.status_code == 409 and inv["id"] in r.json()["detail"]
        # and it can be issued now
        async with h.client(invoice_app, h.staff()) as s:
            r = await s.post(f"/api/console/invoices/{inv['id']}/issue", json=issue_body())
        assert r.status_code == 200, r.text

    async def test_resubmission_may_change_the_orders(self, invoice_app, invoice_db):
        cid = await known_customer(invoice_db)
        a = await approved(invoice_db, cid, "100.00")
        b = await approved(invoice_db, cid, "200.00")
        c_ = await approved(invoice_db, cid, "300.00")
        async with h.client(invoice_app, h.customer(cid)) as c:
            inv = (await c.post("/api/portal/invoice-requests",
                                json={"order_ids": [a.number, b.number]})).json()
        assert (await reject(invoice_app, inv["id"], "订单 B 不需要开票")).status_code == 200
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.put(f"/api/portal/invoice-requests/{inv['id']}",
                            json={"order_ids": [c_.number, a.number],
                                  "invoice_type": "special_vat"})
            assert r.status_code == 200, r.text
            assert r.json()["order_numbers"] == [c_.number, a.number]
            assert r.json()["amount"] == "400.00" and r.json()["invoice_type"] == "special_vat"
            # B is free, A and C are not
            free = await c.get("/api/portal/invoice-requests/orders")
            assert [o["number"] for o in free.json()] == [b.number]

    async def test_orders_taken_meanwhile_are_409_and_nothing_changes(self, invoice_app,
                                                                      invoice_db):
        cid, ev, inv = await requested_invoice(invoice_app, invoice_db)
        assert (await reject(invoice_app, inv["id"])).status_code == 200
        async with h.client(invoice_app, h.customer(cid)) as c:
            other = await c.post("/api/portal/invoice-requests", json={"order_ids": [ev.number]})
            assert other.status_code == 201
            r = await c.put(f"/api/portal/invoice-requests/{inv['id']}", json={})
            assert r.status_code == 409
            assert r.json()["detail"] == f"Order {ev.number} is already on invoice request " \
                                         f"{other.json()['id']}"
            assert (await c.get(f"/api/portal/invoices/{inv['id']}")).json()[
                "status"] == "rejected"

    async def test_only_a_rejected_request_is_resubmitted_409(self, invoice_app, invoice_db):
        cid, _, inv = await requested_invoice(invoice_app, invoice_db)
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.put(f"/api/portal/invoice-requests/{inv['id']}", json={})
            assert r.status_code == 409
            assert "only a rejected request can be resubmitted" in r.json()["detail"]
            r = await c.put(f"/api/portal/invoice-requests/{uuid.uuid4()}", json={})
            assert r.status_code == 404
            r = await c.put(f"/api/portal/invoice-requests/{inv['id']}",
                            json={"order_ids": []})
            assert r.status_code == 422

    async def test_resubmission_is_checked_like_a_request(self, invoice_app, invoice_db):
        cid, _, inv = await requested_invoice(invoice_app, invoice_db)
        assert (await reject(invoice_app, inv["id"])).status_code == 200
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.put(f"/api/portal/invoice-requests/{inv['id']}",
                            json={"invoice_type": "special_vat", "bank": None,
                                  "address_phone": None})
            assert r.status_code == 200, r.text
            # explicit blanks fall back to the profile, which has them
            await deliver(invoice_db, CustomerUpdated(
                customer_id=cid, company_name="上海印美有限公司", changed_fields=["bank"],
                changed_by_kind="customer", **{**TAX, "bank": None}), "customer")
        assert (await reject(invoice_app, inv["id"])).status_code == 200
        async with h.client(invoice_app, h.customer(cid)) as c:
            r = await c.put(f"/api/portal/invoice-requests/{inv['id']}",
                            json={"invoice_type": "special_vat"})
            assert r.status_code == 422 and "missing: bank." in r.json()["detail"]
            r = await c.put(f"/api/portal/invoice-requests/{inv['id']}",
                            json={"order_ids": ["DH19990101-0001"]})
            assert r.status_code == 404
