"""The order lifecycle through the gateway, against the running system: submission,
modification and re-review (O-4), review and the freeze of a reviewed order — by the API
and by the database (O-5, X-1), shipment in two parts and receipt with a shortage (O-8),
return and refund (O-9), the timeline and notices to both sides (O-11, N-3, N-5), the
Excel export (O-10), and isolation between customers (X-3)."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import asyncpg
import pytest
from openpyxl import load_workbook
from servicekit.timeutil import business_date

from .api import Api, eventually, order_body
from .test_slice import approved_customer, place

pytestmark = pytest.mark.e2e


def by_model(catalog: list[dict]) -> dict[str, str]:
    return {p["model"]: p["product_id"] for p in catalog}


async def staff_prompt_about(admin: Api, number: str, kind: str):
    async def check():
        prompts = (await admin.get("/api/console/prompts", params={"limit": 200})).json()
        return [p for p in prompts if p["kind"] == kind
                and number in json.dumps(p, ensure_ascii=False)]
    return await eventually(check)


async def customer_message_about(customer: Api, number: str, kind: str):
    async def check():
        messages = (await customer.get("/api/portal/messages", params={"limit": 200})).json()
        return [m for m in messages if m["kind"] == kind
                and number in json.dumps(m, ensure_ascii=False)]
    return await eventually(check)


class TestLifecycle:
    async def test_submit_modify_approve_ship_twice_receive_short_return_refund_O4_O5_O8_O9(
            self, system, api, admin):
        customer, _, catalog = await approved_customer(api, admin)
        p = by_model(catalog)
        ink, cleaner = p["INK-UV-K-1L"], p["CLN-500ML"]
        order = await place(customer, order_body([(ink, 5)]))
        oid, number = order["id"], order["number"]
        assert order["total"] == "801.50" and order["version"] == 1

        # O-4: modify while unreviewed; staff get a prompt saying what changed
        r = await customer.put(f"/api/portal/orders/{oid}", json={
            "lines": [{"product_id": ink, "quantity": 6}, {"product_id": cleaner,
                                                            "quantity": 2}],
            "remark": "请周五前送到", "version": order["version"]})
        assert r.status_code == 200, r.text
        assert (r.json()["total"], r.json()["status"], r.json()["version"]) == (
            "1052.80", "submitted", 2)
        stale = await customer.put(f"/api/portal/orders/{oid}",
                                   json={"remark": "x", "version": 1})
        assert stale.status_code == 409
        prompt = (await staff_prompt_about(admin, number, "order_modified"))[0]
        assert "lines" in prompt["data"]["changed_fields"]

        # O-5: approval moves it to processing; from then on nobody can change it
        r = await admin.post("/api/console/orders/review",
                             json={"order_ids": [oid], "decision": "approve"})
        assert r.status_code == 200 and r.json()["reviewed"][0]["status"] == "processing"
        r = await customer.put(f"/api/portal/orders/{oid}",
                               json={"remark": "late change", "version": 3})
        assert r.status_code == 409 and "cannot be modified" in r.json()["detail"]
        assert (await customer.post(f"/api/portal/orders/{oid}/cancel", json={})
                ).status_code == 409
        await customer_message_about(customer, number, "order_approved")

        # O-8: two shipments, never more than ordered
        today = business_date().isoformat()
        r = await admin.post(f"/api/console/orders/{oid}/shipments", json={
            "lines": [{"product_id": ink, "quantity": 4}], "courier": "顺丰速运",
            "tracking_number": "SF1001", "shipped_on": today})
        assert r.status_code == 201, r.text
        assert r.json()["status"] == "partially_shipped"
        too_many = await admin.post(f"/api/console/orders/{oid}/shipments", json={
            "lines": [{"product_id": ink, "quantity": 3}], "courier": "顺丰速运",
            "shipped_on": today})
        assert too_many.status_code == 422
        r = await admin.post(f"/api/console/orders/{oid}/shipments", json={
            "lines": [{"product_id": ink, "quantity": 2}, {"product_id": cleaner,
                                                            "quantity": 2}],
            "courier": "中通快递", "tracking_number": "ZT2002", "shipped_on": today})
        assert r.json()["status"] == "shipped"
        first, second = [s["id"] for s in r.json()["shipments"]]
        await customer_message_about(customer, number, "order_shipped")

        # the customer confirms each shipment; the second arrived one bottle short
        r = await customer.post(f"/api/portal/orders/{oid}/shipments/{first}/receipt",
                                json={})
        assert r.status_code == 200 and r.json()["status"] == "shipped", r.text
        r = await customer.post(f"/api/portal/orders/{oid}/shipments/{second}/receipt", json={
            "lines": [{"product_id": cleaner, "quantity_received": 1}],
            "note": "清洗液少了一瓶"})
        assert r.status_code == 200, r.text
        got = r.json()
        assert got["status"] == "received"
        assert [(ln["shipped_quantity"], ln["received_quantity"]) for ln in got["lines"]] == [
            (6, 6), (2, 1)]
        # two receipts, two prompts: wait for the one with the shortage (events travel
        # asynchronously, the first receipt's prompt may be the only one yet)
        async def shortage_prompt():
            return [pr for pr in await staff_prompt_about(admin, number, "order_received")
                    if pr["data"]["shortage"]]
        assert await eventually(shortage_prompt)

        # O-9: return at most what was received; staff approve with the refund
        over = await customer.post(f"/api/portal/orders/{oid}/returns", json={
            "lines": [{"product_id": cleaner, "quantity": 2}], "reason": "破损"})
        assert over.status_code == 422
        r = await customer.post(f"/api/portal/orders/{oid}/returns", json={
            "lines": [{"product_id": ink, "quantity": 2}], "reason": "颜色偏差"})
        assert r.status_code == 201, r.text
        ret = r.json()
        assert (ret["status"], ret["amount"]) == ("requested", "320.60")
        await staff_prompt_about(admin, number, "return_requested")
        queue = (await admin.get("/api/console/returns", params={"status": "requested"})).json()
        assert ret["id"] in [x["id"] for x in queue]
        r = await admin.post(f"/api/console/returns/{ret['id']}/approve",
                             json={"refund_amount": "320.60", "note": "退回两瓶"})
        assert r.status_code == 200 and r.json()["status"] == "approved", r.text
        mine = (await customer.get("/api/portal/returns")).json()
        assert [(x["id"], x["status"], x["refund_amount"]) for x in mine] == [
            (ret["id"], "approved", "320.60")]
        await customer_message_about(customer, number, "return_approved")

        # staff settle the shortage; the order is completed
        r = await admin.post(f"/api/console/orders/{oid}/complete",
                             json={"note": "补发一瓶清洗液"})
        assert r.status_code == 200 and r.json()["status"] == "completed", r.text
        await customer_message_about(customer, number, "order_completed")

        # O-11: every step on the timeline, the same on both sides
        timeline = (await customer.get(f"/api/portal/orders/{oid}/timeline")).json()
        assert [e["action"] for e in timeline] == [
            "submitted", "modified", "approved", "processing", "shipped", "shipped",
            "received", "received", "return_requested", "return_approved", "completed"]
        assert timeline == (await admin.get(f"/api/console/orders/{oid}/timeline")).json()
        assert timeline[2]["actor"] == "admin" and timeline[1]["actor_kind"] == "customer"

    async def test_a_reviewed_order_is_refused_by_the_database_too_O5_X1(
            self, system, api, admin):
        customer, _, catalog = await approved_customer(api, admin)
        order = await place(customer, order_body([(catalog[0]["product_id"], 2)]))
        r = await admin.post("/api/console/orders/review",
                             json={"order_ids": [order["id"]], "decision": "approve"})
        assert r.status_code == 200
        dsn = system.config.database_url("order").replace("postgresql+asyncpg", "postgresql")
        conn = await asyncpg.connect(dsn)
        try:
            for sql in ("UPDATE order_lines SET quantity = 99 WHERE order_id = $1",
                        "UPDATE orders SET total = 1 WHERE id = $1",
                        "DELETE FROM order_lines WHERE order_id = $1"):
                with pytest.raises(asyncpg.PostgresError, match="reviewed"):
                    await conn.execute(sql, order["id"])
        finally:
            await conn.close()
        got = (await customer.get(f"/api/portal/orders/{order['id']}")).json()
        assert (got["total"], got["lines"][0]["quantity"]) == (order["total"], 2)

    async def test_cancel_before_review_and_by_request_after_O5(self, system, api, admin):
        customer, _, catalog = await approved_customer(api, admin)
        pid = catalog[0]["product_id"]
        a = await place(customer, order_body([(pid, 1)]))
        b = await place(customer, order_body([(pid, 1)]))
        r = await customer.post(f"/api/portal/orders/{a['id']}/cancel", json={"reason": "重复"})
        assert r.json()["status"] == "cancelled"
        await staff_prompt_about(admin, a["number"], "order_cancelled")
        await admin.post("/api/console/orders/review",
                         json={"order_ids": [b["id"]], "decision": "approve"})
        r = await customer.post(f"/api/portal/orders/{b['id']}/cancellation-request",
                                json={"reason": "项目取消"})
        assert r.json()["status"] == "cancellation_requested"
        await staff_prompt_about(admin, b["number"], "order_cancellation_requested")
        r = await admin.post(f"/api/console/orders/{b['id']}/cancellation/approve", json={})
        assert r.json()["status"] == "cancelled"
        await customer_message_about(customer, b["number"], "order_cancelled")


class TestReorder:
    async def test_reorder_and_templates_O11(self, system, api, admin):
        customer, _, catalog = await approved_customer(api, admin)
        pid = catalog[0]["product_id"]
        old = await place(customer, order_body([(pid, 3)]))
        r = await customer.post(f"/api/portal/orders/{old['id']}/reorder")
        assert r.status_code == 201, r.text
        assert r.json()["order"]["total"] == old["total"] and r.json()["skipped_lines"] == []
        r = await customer.post("/api/portal/order-templates",
                                json={"name": "常用", "from_order_id": old["id"]})
        assert r.status_code == 201, r.text
        tid = r.json()["id"]
        r = await customer.post(f"/api/portal/order-templates/{tid}/order", json={
            "delivery_date": (business_date() + timedelta(days=5)).isoformat()})
        assert r.status_code == 201 and r.json()["order"]["status"] == "submitted", r.text
        assert (await customer.request("DELETE", f"/api/portal/order-templates/{tid}")
                ).status_code == 204


class TestExport:
    async def test_excel_opens_and_holds_exactly_the_filtered_rows_O10(
            self, system, api, admin):
        customer, cid, catalog = await approved_customer(api, admin)
        pid = catalog[2]["product_id"]  # 45.50
        orders = [await place(customer, order_body([(pid, q)])) for q in (1, 3, 10)]
        # 45.50, 136.50, 455.00: the amount range keeps the middle one and the last
        r = await admin.get("/api/console/orders/export.xlsx", params={
            "customer_id": cid, "min_total": "100", "sort": "amount",
            "columns": "number,customer_name,total,total_quantity,status"})
        assert r.status_code == 200, r.text
        assert "attachment" in r.headers["content-disposition"]
        assert ".xlsx" in r.headers["content-disposition"]
        sheet = load_workbook(io.BytesIO(r.content), read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == ("订单号", "客户名称", "金额", "数量", "状态")
        assert [(n, float(t), q) for n, _, t, q, _ in rows[1:]] == [
            (orders[1]["number"], 136.5, 3), (orders[2]["number"], 455.0, 10)]
        bad = await admin.get("/api/console/orders/export.xlsx", params={"columns": "nope"})
        assert bad.status_code == 422 and "nope" in bad.json()["detail"]
        mine = await customer.get("/api/portal/orders/export.xlsx", params={"lang": "en"})
        assert mine.status_code == 200
        numbers = [row[0] for row in load_workbook(io.BytesIO(mine.content)).active.iter_rows(
            min_row=2, values_only=True)]
        assert sorted(numbers) == sorted(o["number"] for o in orders)


class TestIsolation:
    async def test_customer_b_cannot_touch_customer_a_order_or_returns_X3(
            self, system, api, admin):
        a, _, catalog = await approved_customer(api, admin)
        pid = catalog[0]["product_id"]
        order = await place(a, order_body([(pid, 2)]))
        oid = order["id"]
        await admin.post("/api/console/orders/review",
                         json={"order_ids": [oid], "decision": "approve"})
        shipped = await admin.post(f"/api/console/orders/{oid}/shipments", json={
            "lines": [{"product_id": pid, "quantity": 2}], "courier": "顺丰速运",
            "shipped_on": business_date().isoformat()})
        sid = shipped.json()["shipments"][0]["id"]
        await a.post(f"/api/portal/orders/{oid}/shipments/{sid}/receipt", json={})
        ret = (await a.post(f"/api/portal/orders/{oid}/returns", json={
            "lines": [{"product_id": pid, "quantity": 1}], "reason": "破损"})).json()

        b, _, _ = await approved_customer(api, admin)
        attempts = [
            ("GET", f"/api/portal/orders/{oid}", None),
            ("PUT", f"/api/portal/orders/{oid}", {"remark": "x", "version": 1}),
            ("POST", f"/api/portal/orders/{oid}/cancel", {}),
            ("POST", f"/api/portal/orders/{oid}/cancellation-request", {"reason": "x"}),
            ("GET", f"/api/portal/orders/{oid}/timeline", None),
            ("POST", f"/api/portal/orders/{oid}/reorder", None),
            ("POST", f"/api/portal/orders/{oid}/shipments/{sid}/receipt", {}),
            ("POST", f"/api/portal/orders/{oid}/returns",
             {"lines": [{"product_id": pid, "quantity": 1}], "reason": "x"}),
            ("GET", f"/api/portal/returns/{ret['id']}", None),
        ]
        for method, path, body in attempts:
            r = await b.request(method, path, json=body)
            assert r.status_code == 404, (method, path, r.status_code, r.text)
        assert (await b.get("/api/portal/returns")).json() == []
        assert (await a.get(f"/api/portal/returns/{ret['id']}")).status_code == 200
