"""Monthly statements through the gateway, against the running system (B-1, O-6, O-9,
C-7, N-3, N-5): a customer's month of orders, partial payments, an approved return and its
refund, and a paid order cancelled and refunded; the closing balance equals opening +
orders − cancellations − returns − payments + refunds and what the orders still owe; a
payment dated back into last month lands there and carries into this month's opening
balance; last month is confirmed (twice is a 409), changed by a late entry, disputed —
the staff of the customer's area are prompted — answered (the customer is told) and
confirmed again; bad months are 422s; another customer and staff of another area see
nothing; both Excel files open."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from servicekit.timeutil import business_date

from .access_helpers import new_staff
from .api import Api, order_body
from .test_orders_lifecycle import by_model, customer_message_about, staff_prompt_about
from .test_slice import PRODUCTS, place

pytestmark = pytest.mark.e2e

KINDS = ("orders", "cancellations", "returns", "payments", "reversals", "refunds")


def months(today: date) -> tuple[str, str, date]:
    """This month, last month and last month's last day."""
    first = today.replace(day=1)
    last_day = first - timedelta(days=1)
    return first.strftime("%Y-%m"), last_day.strftime("%Y-%m"), last_day


async def customer_in(api: Api, admin: Api, area: str) -> tuple[Api, str, dict[str, str]]:
    cid, user, pw = await api.register(area=area)
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    customer = api.as_user()
    await customer.login(user, pw)
    return customer, cid, by_model((await customer.get("/api/portal/catalog")).json())


async def approve(admin: Api, *orders: dict) -> None:
    r = await admin.post("/api/console/orders/review", json={
        "order_ids": [o["id"] for o in orders], "decision": "approve"})
    assert r.status_code == 200, r.text


async def pay(admin: Api, order: dict, amount: str, on: date) -> None:
    r = await admin.post(f"/api/console/orders/{order['id']}/payments", json={
        "amount": amount, "paid_on": on.isoformat(), "method": "bank_transfer"})
    assert r.status_code == 201, r.text


async def refund(admin: Api, order: dict, amount: str, reason: str) -> None:
    r = await admin.post(f"/api/console/orders/{order['id']}/refunds", json={
        "amount": amount, "refunded_on": business_date().isoformat(), "method": "bank_transfer",
        "reason": reason})
    assert r.status_code == 201, r.text


async def statement(customer: Api, month: str | None = None) -> dict:
    r = await customer.get("/api/portal/statements",
                           params={"month": month} if month else {})
    assert r.status_code == 200, r.text
    return r.json()


def money(value: str) -> Decimal:
    return Decimal(value)


class TestStatements:
    async def test_a_month_of_orders_payments_returns_and_refunds_B1(self, system, api,
                                                                     admin: Api):
        today = business_date()
        this_month, last_month, last_day = months(today)
        customer, cid, products = await customer_in(api, admin, "华东")
        ink, cleaner = products["INK-UV-K-1L"], products["CLN-500ML"]

        # an order returned in part, a paid order cancelled, one rejected, one waiting
        o1 = await place(customer, order_body([(ink, 5)]))              # 801.50
        o2 = await place(customer, order_body([(cleaner, 2)]))          # 91.00
        o3 = await place(customer, order_body([(cleaner, 1)]))          # rejected
        await place(customer, order_body([(cleaner, 3)]))               # not reviewed
        await approve(admin, o1, o2)
        r = await admin.post("/api/console/orders/review", json={
            "order_ids": [o3["id"]], "decision": "reject", "reason": "重复下单"})
        assert r.status_code == 200, r.text
        # a payment made at the end of last month (an advance), then partial payments
        await pay(admin, o1, "100.00", last_day)
        await pay(admin, o1, "300.00", today)
        await pay(admin, o2, "91.00", today)
        r = await customer.post(f"/api/portal/orders/{o2['id']}/cancellation-request",
                                json={"reason": "改用其他型号"})
        assert r.status_code == 200, r.text
        r = await admin.post(f"/api/console/orders/{o2['id']}/cancellation/approve", json={})
        assert r.status_code == 200 and r.json()["status"] == "cancelled", r.text
        await refund(admin, o2, "91.00", "订单取消")
        r = await admin.post(f"/api/console/orders/{o1['id']}/shipments", json={
            "lines": [{"product_id": ink, "quantity": 5}], "courier": "顺丰速运",
            "shipped_on": today.isoformat()})
        assert r.status_code == 201, r.text
        shipment = r.json()["shipments"][0]["id"]
        r = await customer.post(f"/api/portal/orders/{o1['id']}/shipments/{shipment}/receipt",
                                json={})
        assert r.status_code == 200, r.text
        r = await customer.post(f"/api/portal/orders/{o1['id']}/returns", json={
            "lines": [{"product_id": ink, "quantity": 2}], "reason": "颜色偏差"})
        assert r.status_code == 201, r.text
        r = await admin.post(f"/api/console/returns/{r.json()['id']}/approve",
                             json={"refund_amount": "320.60"})
        assert r.status_code == 200, r.text
        await refund(admin, o1, "320.60", "退货退款")

        # last month: the advance alone; this month opens with it
        before = await statement(customer, last_month)
        assert before["ended"] is True and before["opening_balance"] == "0.00"
        assert [(e["kind"], e["entry_date"], e["credit"], e["order_number"])
                for e in before["entries"]] == [
            ("payment", last_day.isoformat(), "100.00", o1["number"])]
        assert before["closing_balance"] == "-100.00"
        assert (await statement(customer))["month"] == last_month  # the default
        now = await statement(customer, this_month)
        assert now["ended"] is False and now["opening_balance"] == before["closing_balance"]
        assert [(e["kind"], e["order_number"], e["debit"] or e["credit"])
                for e in now["entries"]] == [
            ("order", o1["number"], "801.50"), ("order", o2["number"], "91.00"),
            ("cancellation", o2["number"], "91.00"), ("return", o1["number"], "320.60"),
            ("payment", o1["number"], "300.00"), ("payment", o2["number"], "91.00"),
            ("refund", o2["number"], "91.00"), ("refund", o1["number"], "320.60")]
        t = {k: money(now["totals"][k]) for k in KINDS}
        closing = money(now["closing_balance"])
        assert closing == money(now["opening_balance"]) + t["orders"] - t["cancellations"] \
            - t["returns"] - t["payments"] + t["reversals"] + t["refunds"] == Decimal("401.50")
        assert money(now["entries"][-1]["balance"]) == closing
        # consistent with what the orders still owe (every credit has been paid back)
        owed = [o for o in (await customer.get("/api/portal/orders")).json()
                if o["due_date"] and o["status"] not in ("cancelled", "rejected")]
        assert [o["number"] for o in owed] == [o1["number"]]
        assert closing == sum((money(o["outstanding"]) for o in owed), Decimal("0"))

        # the customer cannot acknowledge a month that is not over
        r = await customer.post(f"/api/portal/statements/{this_month}/confirm")
        assert r.status_code == 422 and "has not ended" in r.json()["detail"]

        # both Excel files open
        r = await customer.get(f"/api/portal/statements/{this_month}/export")
        assert r.status_code == 200, r.text
        sheet = load_workbook(io.BytesIO(r.content)).worksheets[0]
        cells = [row for row in sheet.iter_rows(values_only=True)]
        assert cells[1][1] == "期初余额" and cells[-1][1] == "期末余额"
        assert Decimal(str(cells[-1][6])) == closing and len(cells) == 2 + 8 + 1
        r = await admin.get(f"/api/console/customers/{cid}/statements/{this_month}/export",
                            params={"lang": "en"})
        assert r.status_code == 200 and load_workbook(io.BytesIO(r.content)).sheetnames == [
            f"Statement {this_month}", "Summary"]

        # another customer's statement has none of it
        other, _, _ = await customer_in(api, admin, "华北")
        theirs = await statement(other, this_month)
        assert (theirs["entries"], theirs["closing_balance"]) == ([], "0.00")

    async def test_confirm_dispute_answer_and_areas_B1_C7_N3_N5(self, system, api,
                                                                admin: Api):
        today = business_date()
        this_month, last_month, last_day = months(today)
        customer, cid, products = await customer_in(api, admin, "华南")
        order = await place(customer, order_body([(products["INK-UV-K-1L"], 5)]))
        await approve(admin, order)
        await pay(admin, order, "500.00", last_day)

        r = await customer.post(f"/api/portal/statements/{last_month}/confirm",
                                json={"closing_balance": "-500.00"})
        assert r.status_code == 200, r.text
        assert (r.json()["status"], r.json()["actions"]) == ("confirmed", [])
        again = await customer.post(f"/api/portal/statements/{last_month}/confirm")
        assert again.status_code == 409 and "already confirmed" in again.json()["detail"]
        await staff_prompt_about(admin, cid, "statement_confirmed")

        # a late entry: a transfer of last month recorded today changes the statement
        await pay(admin, order, "100.00", last_day)
        s = await statement(customer, last_month)
        assert (s["status"], s["changed_since_acknowledged"], s["closing_balance"],
                s["acknowledged_closing_balance"]) == ("confirmed", True, "-600.00", "-500.00")
        r = await customer.post(f"/api/portal/statements/{last_month}/dispute",
                                json={"note": ""})
        assert r.status_code == 422
        note = "100 元那笔是本月 2 日才转的，不应记在上月"
        r = await customer.post(f"/api/portal/statements/{last_month}/dispute",
                                json={"note": note})
        assert r.status_code == 200 and r.json()["status"] == "disputed", r.text
        assert (await customer.post(
            f"/api/portal/statements/{last_month}/confirm")).status_code == 409

        # the staff are prompted (N-3), with the customer's area and month
        [prompt] = await staff_prompt_about(admin, cid, "statement_disputed")
        assert (prompt["data"]["month"], prompt["data"]["area"], prompt["data"]["note"]) == (
            last_month, "华南", note)
        assert prompt["window"] is True

        # staff of the area see it waiting; staff of another area neither see nor answer
        south, _ = await new_staff(admin, ["payments:query"], areas=["华南"])
        north, _ = await new_staff(admin, ["payments:query", "payments:review"],
                                   areas=["华北"])
        waiting = (await south.get("/api/console/statements", params={
            "status": "disputed", "month": last_month})).json()
        assert [(x["customer_id"], x["dispute_note"]) for x in waiting] == [(cid, note)]
        assert (await south.post(f"/api/console/customers/{cid}/statements/{last_month}/"
                                 "resolve", json={"note": "x"})).status_code == 403
        assert cid not in {x["customer_id"] for x in (await north.get(
            "/api/console/statements", params={"status": "disputed"})).json()}
        r = await north.get(f"/api/console/customers/{cid}/statements",
                            params={"month": last_month})
        assert r.status_code == 404
        r = await north.post(f"/api/console/customers/{cid}/statements/{last_month}/resolve",
                             json={"note": "x"})
        assert r.status_code == 404

        # the answer reopens it and reaches the customer's inbox (N-5)
        staff_view = (await admin.get(f"/api/console/customers/{cid}/statements",
                                      params={"month": last_month})).json()
        assert (staff_view["status"], staff_view["actions"]) == ("disputed", ["resolve"])
        answer = "已核实：100 元于本月 2 日到账，已冲正并按实际日期重记"
        r = await admin.post(f"/api/console/customers/{cid}/statements/{last_month}/resolve",
                             json={"note": answer})
        assert r.status_code == 200 and r.json()["status"] == "open", r.text
        [message] = await customer_message_about(customer, last_month,
                                                 "statement_dispute_resolved")
        assert answer in message["message"]
        s = await statement(customer, last_month)
        assert (s["status"], s["resolution_note"], s["actions"]) == (
            "open", answer, ["confirm", "dispute"])
        r = await customer.post(f"/api/portal/statements/{last_month}/confirm",
                                json={"closing_balance": s["closing_balance"]})
        assert r.status_code == 200 and r.json()["status"] == "confirmed", r.text
        assert [h["action"] for h in r.json()["history"]] == [
            "confirmed", "disputed", "resolved", "confirmed"]
        rows = (await admin.get("/api/console/statements", params={
            "status": "confirmed", "customer_id": cid})).json()
        assert [(x["month"], x["closing_balance"]) for x in rows] == [
            (last_month, "-600.00")]

    async def test_bad_months_are_422_with_a_reason(self, system, api, admin: Api):
        customer, cid, _ = await customer_in(api, admin, "华东")
        today = business_date()
        first = today.replace(day=1)
        next_month = (first + timedelta(days=32)).strftime("%Y-%m")
        for month, words in (("2026-13", "months are 01 to 12"), ("11-2026", "YYYY-MM"),
                             ("1999-12", "2000-01"), (next_month, "has not begun")):
            r = await customer.get("/api/portal/statements", params={"month": month})
            assert r.status_code == 422 and words in r.json()["detail"], (month, r.text)
            r = await customer.post(f"/api/portal/statements/{month}/dispute",
                                    json={"note": "不对"})
            assert r.status_code == 422, (month, r.text)
            r = await admin.get(f"/api/console/customers/{cid}/statements",
                                params={"month": month})
            assert r.status_code == 422, (month, r.text)
