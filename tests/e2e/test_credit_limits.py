"""Credit limits (B-3) through the gateway, against the running system: staff set a
customer's credit limit in the customer service, the order service learns it from
customer.credit_limit_changed; an order within it is submitted as usual, an order over
it is held (not refused) with the reason on both sides, the batch review refuses it with
a 409 until finance releases it, and cancelling and placing it again is held again. Staff
are prompted when an order is held (order.credit_held → notify)."""

from __future__ import annotations

import pytest

from .access_helpers import new_staff
from .api import eventually, order_body
from .test_slice import approved_customer, place

pytestmark = pytest.mark.e2e

REASON = "超出信用额度：未付 ¥{o} + 本单 ¥{a} > 额度 ¥{m}"


class TestCreditLimits:
    async def test_over_the_limit_is_held_until_finance_releases_it_B3(self, system, api,
                                                                        admin):
        customer, cid, catalog = await approved_customer(api, admin)
        ink = next(p for p in catalog if p["model"] == "INK-UV-K-1L")["product_id"]  # 160.30

        r = await admin.put(f"/api/console/customers/{cid}/credit-limit",
                            json={"limit": "500.00"})
        assert r.status_code == 200, r.text
        assert r.json()["credit_limit"] == "500.00"

        async def learned():
            r = await admin.get(f"/api/console/orders/credit/{cid}")
            return r.status_code == 200 and r.json()["credit_limit"] == "500.00"
        await eventually(learned)

        # within: 0 + 480.90 ≤ 500
        within = await place(customer, order_body([(ink, 3)]))
        assert (within["credit_hold"], within["credit_hold_reason"]) == (False, None)

        # over: 480.90 (the first, not yet paid) + 160.30 > 500 — held, not refused
        held = await place(customer, order_body([(ink, 1)]))
        reason = REASON.format(o="480.90", a="160.30", m="500.00")
        assert (held["status"], held["credit_hold"]) == ("submitted", True)
        assert held["credit_hold_reason"] == reason
        mine = (await customer.get(f"/api/portal/orders/{held['id']}")).json()
        assert (mine["credit_hold"], mine["credit_hold_reason"]) == (True, reason)
        listed = (await customer.get("/api/portal/orders")).json()
        assert {o["id"]: o["credit_hold"] for o in listed} == {within["id"]: False,
                                                                held["id"]: True}
        staff_view = (await admin.get(f"/api/console/orders/{held['id']}")).json()
        assert staff_view["credit_hold_reason"] == reason
        assert "release_credit_hold" in staff_view["actions"]
        assert "approve" not in staff_view["actions"]

        # staff are prompted
        async def prompted():
            r = await admin.get("/api/console/prompts", params={"limit": 200})
            assert r.status_code == 200, r.text
            return [p for p in r.json() if p["kind"] == "order_credit_held"
                    and p["data"].get("order_id") == held["id"]]
        [prompt] = await eventually(prompted)
        assert reason in prompt["message"] and held["number"] in prompt["message"]

        # the review refuses it, naming the hold; nothing of the batch is reviewed
        r = await admin.post("/api/console/orders/review", json={
            "order_ids": [within["id"], held["id"]], "decision": "approve"})
        assert r.status_code == 409, r.text
        assert r.json()["error"] == "CreditHeld"
        assert held["number"] in r.json()["detail"] and "credit hold" in r.json()["detail"]
        assert (await admin.get(f"/api/console/orders/{within['id']}")).json()[
            "status"] == "submitted"

        # only finance releases (payments:review), then the approval goes through
        reviewer, _ = await new_staff(admin, ["orders:query", "orders:review"])
        r = await reviewer.post(f"/api/console/orders/{held['id']}/credit-hold/release",
                                json={"note": "x"})
        assert r.status_code == 403, r.text
        finance, _ = await new_staff(admin, ["orders:query", "payments:review"])
        r = await finance.post(f"/api/console/orders/{held['id']}/credit-hold/release",
                               json={"note": "客户承诺月底付款"})
        assert r.status_code == 200, r.text
        assert (r.json()["credit_hold"], r.json()["credit_release_note"]) == (
            False, "客户承诺月底付款")
        r = await admin.post("/api/console/orders/review", json={
            "order_ids": [within["id"], held["id"]], "decision": "approve"})
        assert r.status_code == 200, r.text
        assert {o["status"] for o in r.json()["reviewed"]} == {"processing"}

        # cancelling and placing again does not dodge it: held again, every time
        again = await place(customer, order_body([(ink, 1)]))
        reason = REASON.format(o="641.20", a="160.30", m="500.00")
        assert (again["credit_hold"], again["credit_hold_reason"]) == (True, reason)
        r = await customer.post(f"/api/portal/orders/{again['id']}/cancel", json={})
        assert r.status_code == 200, r.text
        replaced = await place(customer, order_body([(ink, 1)]))
        assert (replaced["credit_hold"], replaced["credit_hold_reason"]) == (True, reason)

        credit = (await admin.get(f"/api/console/orders/credit/{cid}")).json()
        assert credit == {"customer_id": cid, "credit_limit": "500.00",
                          "outstanding": "801.50", "available": "-301.50",
                          "held_orders": 1}
        audit = (await admin.get(f"/api/console/customers/{cid}/audit")).json()
        assert [(a["before"], a["after"]) for a in audit
                if a["action"] == "credit_limit_changed"] == [
            ({"credit_limit": None}, {"credit_limit": "500.00"})]
