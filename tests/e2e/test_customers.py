"""A customer's life through the gateway, as a new user would try it (issue 3, C-1..C-7,
N-4, X-3): register with full basic information, be rejected with a reason, correct,
be approved with three consumables at own prices, change the phone number (staff are
prompted), pay enough to reach the "small" grade (told by message), and find every
change in the audit log."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from .api import Api, eventually, order_body

pytestmark = pytest.mark.e2e

CONSUMABLES = [
    {"name": "UV 墨水（黄）", "model": "INK-UV-Y-1L", "unit_price": "160.30",
     "list_price": "198.00"},
    {"name": "UV 墨水（品红）", "model": "INK-UV-M-1L", "unit_price": "168.00",
     "list_price": "198.00"},
    {"name": "喷头保湿液", "model": "MST-500ML", "unit_price": "45.50", "list_price": "58.00"},
]


def full_company(area: str) -> dict:
    return {"area": area, "area_code": "0571", "telephone": "8888 1234", "fax": "8888 1235",
            "qq": "12345678", "tax_number": "91330100MA2H0XX12X",
            "invoice_title": "杭州彩印图文有限公司", "bank": "工商银行西湖支行",
            "bank_account": "6222 0212 3456 7890"}


async def prompts_about(admin: Api, customer_id: str, kind: str) -> list[dict]:
    r = await admin.get("/api/console/prompts", params={"kind": kind, "limit": 200})
    assert r.status_code == 200, r.text
    return [p for p in r.json() if p["data"].get("customer_id") == customer_id]


class TestCustomerLife:
    async def test_register_reject_correct_approve_edit_pay_to_small_C1_C2_C4_C5_X3(
            self, system, api, admin):
        area = f"浙江-{uuid.uuid4().hex[:4]}"
        cid, user, pw = await api.register(**full_company(area))
        customer = api.as_user()
        await customer.login(user, pw)
        profile = (await customer.get("/api/portal/profile")).json()
        assert profile["status"] == "pending_review" and profile["grade"] == "normal"
        assert profile["customer_number"].startswith("KH")
        assert (profile["area_code"], profile["bank_account"]) == ("0571", "6222021234567890")

        # C-2: rejected with a reason the customer sees
        r = await admin.post(f"/api/console/customers/{cid}/reject",
                             json={"reason": "营业执照与税号不符"})
        assert r.status_code == 200, r.text
        profile = (await customer.get("/api/portal/profile")).json()
        assert (profile["status"], profile["rejection_reason"]) == ("rejected",
                                                                    "营业执照与税号不符")

        # bad corrections are refused clearly; a good one goes back to review
        company = {k: profile[k] for k in (
            "name", "contact_person", "mobile", "address", "email", "area", "area_code",
            "telephone", "fax", "qq", "tax_number", "invoice_title", "bank", "bank_account")}
        for field, bad in (("qq", "12"), ("mobile", "12345"), ("email", "x@"),
                           ("tax_number", "123")):
            r = await customer.put("/api/portal/profile",
                                   json={"company": company | {field: bad}})
            assert r.status_code == 422 and f"company.{field}" in r.json()["detail"], r.text
        company["tax_number"] = "91330100MA2H0YY34Y"
        r = await customer.put("/api/portal/profile", json={"company": company})
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "pending_review"

        # C-2, C-3: approved with three consumables at its own prices
        r = await admin.post(f"/api/console/customers/{cid}/approve",
                             json={"products": CONSUMABLES})
        assert r.status_code == 200, r.text
        catalog = (await customer.get("/api/portal/catalog")).json()
        assert {p["model"]: (p["unit_price"], p["list_price"]) for p in catalog} == {
            "INK-UV-Y-1L": ("160.30", "198.00"), "INK-UV-M-1L": ("168.00", "198.00"),
            "MST-500ML": ("45.50", "58.00")}

        # C-5, N-3: the customer changes its phone number; staff are prompted
        r = await customer.put("/api/portal/profile",
                               json={"company": company | {"telephone": "8666 0001"}})
        assert r.status_code == 200 and r.json()["telephone"] == "8666 0001"
        async def phone_prompt():
            return [p for p in await prompts_about(admin, cid, "customer_updated")
                    if p["data"]["changed_fields"] == ["telephone"]]

        [prompt] = await eventually(phone_prompt)
        assert "电话" in prompt["message"] and "telephone" in prompt["message_en"]

        # N-4: the supplier's contact for the customer's area
        r = await admin.post("/api/console/contacts", json={
            "area": area, "name": "耗材专员 刘", "phone": "0571-8888 6666", "qq": "88886666"})
        assert r.status_code == 201, r.text
        contacts = (await customer.get("/api/portal/contacts")).json()
        assert contacts == [{"name": "耗材专员 刘", "phone": "0571-8888 6666",
                             "qq": "88886666", "role": "consumables"}]

        # C-6: an ordering cycle; the order moves the last order date on
        r = await admin.put(f"/api/console/customers/{cid}/cycle",
                            json={"kind": "days", "days": 30})
        assert r.status_code == 200, r.text

        # C-4: orders paid in full reach 10,000 yuan → "small"
        ink = next(p for p in catalog if p["model"] == "INK-UV-Y-1L")

        async def place():
            r = await customer.post("/api/portal/orders",
                                    json=order_body([(ink["product_id"], 63)]))
            return r if r.status_code != 403 else None  # approval travels by event

        r = await eventually(place)
        assert r.status_code == 201, r.text
        order = r.json()
        assert order["total"] == "10098.90"
        r = await admin.post("/api/console/orders/review",
                             json={"order_ids": [order["id"]], "decision": "approve"})
        assert r.status_code == 200, r.text
        r = await admin.post(f"/api/console/orders/{order['id']}/payments", json={
            "amount": order["total"], "paid_on": date.today().isoformat(),
            "method": "bank_transfer"})
        assert r.status_code == 201, r.text

        async def small():
            p = (await customer.get("/api/portal/profile")).json()
            return p if p["grade"] == "small" else None

        profile = await eventually(small)
        assert profile["paid_total"] == "10098.90"
        assert profile["ordering_cycle"]["last_order_date"] is not None
        assert profile["ordering_cycle"]["next_due_date"] is not None

        async def grade_message():
            r = await customer.get("/api/portal/messages")
            return [m for m in r.json() if m["kind"] == "grade_changed"]

        [message] = await eventually(grade_message)
        assert message["data"]["grade"] == "small" and "小级别" in message["message"]
        await eventually(lambda: prompts_about(admin, cid, "customer_grade_changed"))

        # the audit log shows each change, who made it and what it was before
        r = await admin.get(f"/api/console/customers/{cid}/audit")
        assert r.status_code == 200, r.text
        rows = list(reversed(r.json()))
        assert [(a["action"], a["actor_kind"]) for a in rows] == [
            ("registered", "customer"), ("rejected", "staff"), ("profile_updated", "customer"),
            ("approved", "staff"), ("profile_updated", "customer"), ("cycle_changed", "staff"),
            ("grade_changed", "system")]
        assert rows[0]["actor"] == user and rows[1]["actor"] == "admin"
        assert rows[2]["before"] == {"tax_number": "91330100MA2H0XX12X",
                                     "status": "rejected"}
        assert rows[4]["before"] == {"telephone": "8888 1234"}
        assert rows[4]["after"] == {"telephone": "8666 0001"}
        assert rows[6]["after"]["grade"] == "small"

        # the staff view: filters, detail with prices, history, cycle and contacts
        listed = (await admin.get("/api/console/customers",
                                  params={"area": area, "grade": "small"})).json()
        assert [c["customer_id"] for c in listed] == [cid]
        detail = (await admin.get(f"/api/console/customers/{cid}")).json()
        assert len(detail["catalog"]) == 3 and len(detail["price_history"]) == 3
        assert detail["contacts"][0]["name"] == "耗材专员 刘"
        assert detail["ordering_cycle"]["kind"] == "days"


class TestStaffChanges:
    async def test_staff_edit_grade_and_price_are_audited_C3_C4_X3(self, system, api, admin):
        cid, user, pw = await api.register(area="华南")
        r = await admin.post(f"/api/console/customers/{cid}/approve",
                             json={"products": CONSUMABLES})
        assert r.status_code == 200, r.text
        pid = r.json()["catalog"][0]["product_id"]
        company = {k: r.json()[k] for k in ("name", "contact_person", "mobile", "address",
                                            "email", "area")}
        r = await admin.put(f"/api/console/customers/{cid}",
                            json={"company": company | {"qq": "5566778"}})
        assert r.status_code == 200 and r.json()["qq"] == "5566778"
        for body in ({"company": company | {"mobile": "1"}}, {"company": {}}, {}):
            r = await admin.put(f"/api/console/customers/{cid}", json=body)
            assert r.status_code == 422, r.text
        r = await admin.put(f"/api/console/customers/{cid}/prices/{pid}",
                            json={"unit_price": "-1"})
        assert r.status_code == 422 and "unit_price" in r.json()["detail"]
        r = await admin.put(f"/api/console/customers/{cid}/prices/{pid}",
                            json={"unit_price": "99.00"})
        assert r.status_code == 200, r.text
        r = await admin.put(f"/api/console/customers/{cid}/grade",
                            json={"grade": "large", "reason": "战略合作伙伴"})
        assert r.status_code == 200 and r.json()["grade"] == "large"
        customer = api.as_user()
        await customer.login(user, pw)
        assert (await customer.get("/api/portal/profile")).json()["grade"] == "large"
        assert (await customer.put(f"/api/console/customers/{cid}/grade",
                                   json={"grade": "normal", "reason": "x"})).status_code == 403
        actions = [a["action"] for a in (await admin.get(
            f"/api/console/customers/{cid}/audit")).json()]
        assert actions[:3] == ["grade_changed", "price_changed", "updated"]
