"""The payment ledger through the gateway, against the running system (O-6): two partial
payments and the ledger; a payment above the outstanding amount is a 409; a reversal
asked for by one staff member and approved by another lowers the paid total (and, as the
order was fully paid, notify prompts the staff); a refund after an approved return (O-9),
never more than refundable."""

from __future__ import annotations

import pytest
from servicekit.timeutil import business_date

from .access_helpers import new_staff
from .api import Api, eventually, order_body
from .test_orders_lifecycle import by_model, staff_prompt_about
from .test_slice import approved_customer, place

pytestmark = pytest.mark.e2e


class TestPaymentLedger:
    async def test_partial_payments_reversal_by_another_refund_O6_O9(self, system, api,
                                                                       admin: Api):
        customer, _, catalog = await approved_customer(api, admin)
        ink = by_model(catalog)["INK-UV-K-1L"]
        order = await place(customer, order_body([(ink, 5)]))
        oid, number = order["id"], order["number"]
        assert order["total"] == "801.50"
        r = await admin.post("/api/console/orders/review",
                             json={"order_ids": [oid], "decision": "approve"})
        assert r.status_code == 200, r.text
        clerk, _ = await new_staff(admin, ["payments:entry", "payments:query"])
        reviewer, _ = await new_staff(admin, ["payments:review", "payments:query"])
        today = business_date().isoformat()

        async def pay(amount: str):
            return await clerk.post(f"/api/console/orders/{oid}/payments", json={
                "amount": amount, "paid_on": today, "method": "bank_transfer"})

        # two partial payments; more than the outstanding amount is a 409 naming it
        first = await pay("300.00")
        assert first.status_code == 201, first.text
        wrong = (await pay("400.00")).json()["id"]
        over = await pay("200.00")
        assert over.status_code == 409 and "101.50" in over.json()["detail"], over.text
        assert (await pay("101.50")).json()["payment_status"] == "paid"
        ledger = (await clerk.get(f"/api/console/orders/{oid}/payments")).json()
        assert [(e["kind"], e["amount"]) for e in ledger["entries"]] == [
            ("payment", "300.00"), ("payment", "400.00"), ("payment", "101.50")]
        assert (ledger["paid_total"], ledger["outstanding"]) == ("801.50", "0.00")

        # a reversal: asked for by the clerk, approved by another staff member
        r = await clerk.post(f"/api/console/orders/{oid}/payments/{wrong}/reversal",
                             json={"reason": "重复登记"})
        assert r.status_code == 201, r.text
        assert (await clerk.post(f"/api/console/orders/{oid}/payments/{wrong}/reversal/"
                                 "approve")).status_code == 403  # no payments:review
        r = await reviewer.post(f"/api/console/orders/{oid}/payments/{wrong}/reversal/approve")
        assert r.status_code == 200, r.text
        assert (r.json()["paid_total"], r.json()["outstanding"],
                r.json()["payment_status"]) == ("401.50", "400.00", "partially_paid")
        order = (await admin.get(f"/api/console/orders/{oid}")).json()
        assert order["paid_total"] == "401.50"
        prompt = (await staff_prompt_about(admin, number, "payment_reversed"))[0]
        assert prompt["data"]["amount"] == "400.00"
        mine = (await customer.get(f"/api/portal/orders/{oid}/payments")).json()
        assert [(e["kind"], e["status"]) for e in mine["entries"]][-1] == (
            "reversal", "approved")
        # the order is no longer fully paid: its points are pending again (P-2)
        async def unpaid():
            moves = (await customer.get("/api/portal/points/movements")).json()
            return [m for m in moves if m["order_number"] == number and m["kind"] == "unpaid"]
        await eventually(unpaid)
        # the customer's timeline shows the reversal, not the staff's review of it
        actions = [e["action"] for e in
                   (await customer.get(f"/api/portal/orders/{oid}/timeline")).json()]
        assert "payment_reversed" in actions
        assert "payment_reversal_requested" not in actions
        staff_actions = [e["action"] for e in
                         (await admin.get(f"/api/console/orders/{oid}/timeline")).json()]
        assert "payment_reversal_requested" in staff_actions

        # a refund after an approved return: up to its refund amount
        r = await admin.post(f"/api/console/orders/{oid}/shipments", json={
            "lines": [{"product_id": ink, "quantity": 5}], "courier": "顺丰速运",
            "shipped_on": today})
        assert r.status_code == 201, r.text
        shipment = r.json()["shipments"][0]["id"]
        r = await customer.post(f"/api/portal/orders/{oid}/shipments/{shipment}/receipt",
                                json={})
        assert r.status_code == 200, r.text
        r = await customer.post(f"/api/portal/orders/{oid}/returns", json={
            "lines": [{"product_id": ink, "quantity": 2}], "reason": "颜色偏差"})
        assert r.status_code == 201, r.text
        r = await admin.post(f"/api/console/returns/{r.json()['id']}/approve",
                             json={"refund_amount": "320.60"})
        assert r.status_code == 200, r.text
        refund = {"refunded_on": today, "method": "bank_transfer", "reason": "退货退款"}
        too_much = await clerk.post(f"/api/console/orders/{oid}/refunds",
                                    json={"amount": "320.61", **refund})
        assert too_much.status_code == 409 and "320.60" in too_much.json()["detail"]
        r = await clerk.post(f"/api/console/orders/{oid}/refunds",
                             json={"amount": "320.60", **refund})
        assert r.status_code == 201, r.text
        assert (r.json()["refunded_total"], r.json()["refundable"]) == ("320.60", "0.00")
        assert r.json()["entries"][-1]["kind"] == "refund"
