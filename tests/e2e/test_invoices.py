"""Fapiao requests through the running system (issue 10: I-1, I-2, I-3, C-7): the
customer requests a special VAT fapiao for an approved order, its details taken from its
profile; finance staff of its area reject it with a reason, which reaches the customer's
inbox; the customer corrects and resubmits it; staff issue it as two fapiao (the amount is
above the default per-fapiao limit of 100,000.00 yuan), find it in the list and the
export; the customer confirms receipt and the order becomes invoiced."""

from __future__ import annotations

import io
import uuid
from datetime import date

import pytest
from openpyxl import load_workbook

from .access_helpers import new_staff
from .api import Api, eventually, order_body

pytestmark = pytest.mark.e2e

PRODUCTS = [{"name": "UV 墨水（黑）", "model": "INK-UV-K-1L", "unit_price": "160.30"}]
TAX = {"invoice_title": "杭州彩印图文有限公司", "tax_number": "91330106MA2B0XXX1X",
       "bank": "工商银行西湖支行", "bank_account": "1202021109900012345",
       "area_code": "0571", "telephone": "8888 1234"}


async def customer_with_order(api: Api, admin: Api, area: str) -> tuple[Api, str, dict]:
    """An approved customer of `area` with its tax information, and its approved order of
    700 × 160.30 = 112,210.00 yuan."""
    cid, user, pw = await api.register(area=area, **TAX)
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    customer = api.as_user()
    await customer.login(user, pw)
    catalog = (await customer.get("/api/portal/catalog")).json()

    async def place():
        r = await customer.post("/api/portal/orders", json=order_body(
            [(catalog[0]["product_id"], 700)], bill_type="special_vat"))
        return r if r.status_code == 201 else None
    order = (await eventually(place)).json()
    assert order["total"] == "112210.00"
    r = await admin.post("/api/console/orders/review",
                         json={"order_ids": [order["id"]], "decision": "approve"})
    assert r.status_code == 200, r.text
    return customer, cid, order


class TestFapiaoRequests:
    async def test_request_reject_resubmit_issue_two_fapiao_confirm_I1_I2_I3_C7(
            self, system, api, admin):
        customer, cid, order = await customer_with_order(api, admin, "华东")
        finance, _ = await new_staff(admin, ["invoices:query", "invoices:entry",
                                             "invoices:review"], areas=["华东"])
        elsewhere, _ = await new_staff(admin, ["invoices:query", "invoices:entry",
                                               "invoices:review"], areas=["华北"])

        # I-1: the form's defaults come from the profile (C-1) once its events arrived
        async def defaults():
            d = (await customer.get("/api/portal/invoice-requests/defaults")).json()
            return d if d["tax_number"] == TAX["tax_number"] else None
        d = await eventually(defaults)
        assert d["title"] == TAX["invoice_title"] and d["missing"]["special_vat"] == []
        assert d["address_phone"] == "杭州市西湖区文三路 1 号 0571-8888 1234"
        orders = (await customer.get("/api/portal/invoice-requests/orders")).json()
        assert [o["number"] for o in orders] == [order["number"]]

        r = await customer.post("/api/portal/invoice-requests",
                                json={"order_ids": [order["number"]]})
        assert r.status_code == 201, r.text
        invoice = r.json()
        assert (invoice["invoice_type"], invoice["amount"]) == ("special_vat", "112210.00")
        assert invoice["bank_account"] == TAX["bank_account"]
        url = f"/api/console/invoices/{invoice['id']}"

        # C-7: staff of another area neither see nor reject it
        assert (await elsewhere.get(url)).status_code == 404
        assert (await elsewhere.post(f"{url}/reject", json={"reason": "x"})).status_code == 404
        listed = (await elsewhere.get("/api/console/invoices",
                                      params={"customer_id": cid})).json()
        assert listed == []

        # rejected with a reason, which reaches the customer's inbox
        r = await finance.post(f"{url}/reject", json={"reason": "请填写收票地址"})
        assert r.status_code == 200 and r.json()["status"] == "rejected", r.text

        async def rejected_message():
            messages = (await customer.get("/api/portal/messages")).json()
            return [m for m in messages if m["kind"] == "invoice_rejected"]
        [message] = await eventually(rejected_message)
        assert "请填写收票地址" in message["message"]
        assert message["data"]["invoice_id"] == invoice["id"]

        # corrected and resubmitted: requested again, same id
        r = await customer.put(f"/api/portal/invoice-requests/{invoice['id']}",
                               json={"mail_to": "杭州市西湖区文三路 1 号 张三 13900001111"})
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "requested" and r.json()["id"] == invoice["id"]

        # I-2: above the per-fapiao limit one number is refused; two fapiao are issued
        detail = (await finance.get(url)).json()
        assert detail["suggested_fapiao"] == ["100000.00", "12210.00"]
        today = date.today().isoformat()
        one, two = (f"E2E{uuid.uuid4().hex[:10]}" for _ in range(2))
        r = await finance.post(f"{url}/issue", json={"invoice_number": one,
                                                     "invoice_date": today})
        assert r.status_code == 422 and "100000.00" in r.json()["detail"]
        r = await finance.post(f"{url}/issue", json={
            "invoice_date": today, "courier": "顺丰速运", "tracking_number": "SF1234567890",
            "fapiao": [{"invoice_number": one, "amount": "100000.00"},
                       {"invoice_number": two, "amount": "12210.00"}]})
        assert r.status_code == 200, r.text
        assert [f["invoice_number"] for f in r.json()["fapiao"]] == [one, two]

        found = await finance.get("/api/console/invoices", params={"q": two})
        assert [i["id"] for i in found.json()] == [invoice["id"]]
        export = await finance.get("/api/console/invoices/export.xlsx",
                                   params={"customer_id": cid})
        assert export.status_code == 200 and export.headers["x-total-count"] == "1"
        header, row = list(load_workbook(io.BytesIO(export.content)).active.values)
        assert dict(zip(header, row, strict=True))["发票号码"] == f"{one}、{two}"

        async def issued_message():
            messages = (await customer.get("/api/portal/messages")).json()
            return [m for m in messages if m["kind"] == "invoice_issued"]
        [issued] = await eventually(issued_message)
        assert one in issued["message"] and two in issued["message"]

        # I-3: receipt confirmed → the order is invoiced (O-7)
        assert (await customer.get(f"/api/portal/orders/{order['id']}")).json()[
            "invoiced"] is False
        r = await customer.post(f"/api/portal/invoices/{invoice['id']}/confirm-receipt")
        assert r.status_code == 200 and r.json()["status"] == "confirmed", r.text

        async def invoiced():
            return (await customer.get(f"/api/portal/orders/{order['id']}")).json()[
                "invoiced"]
        await eventually(invoiced)
        # and it cannot be requested again
        r = await customer.post("/api/portal/invoice-requests",
                                json={"order_ids": [order["number"]]})
        assert r.status_code == 409 and "already invoiced" in r.json()["detail"]
