"""Integration: the order lifecycle through the order service's HTTP API on its real
database (migrations and triggers applied), events written to the outbox: staff entry
(O-1), numbers under concurrency (O-2), modification with optimistic locking (O-4),
review, two-level review and the database freeze (O-5), shipments and receipts (O-8),
returns (O-9), export (O-10), reorder, templates and the timeline (O-11)."""

import asyncio
import io
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from dinghuo_contracts import CatalogLine, CustomerApproved, CustomerPriceChanged
from openpyxl import load_workbook
from order_service.app import create_app
from order_service.config import Settings
from order_service.messaging import registry
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

TODAY = business_date()  # the order date (Asia/Shanghai)


async def customer_with(order_db, prices=("160.30", "45.50"), area="华东"):
    """An approved customer with one product per price; returns (cid, [product ids])."""
    cid = uuid.uuid4()
    pids = [uuid.uuid4() for _ in prices]
    await h.deliver(order_db.sessionmaker, "order", registry, CustomerApproved(
        customer_id=cid, customer_number=f"C{cid.hex[:6]}", company_name=f"公司{cid.hex[:4]}",
        area=area, approved_by="admin",
        catalog=[CatalogLine(product_id=p, name=f"品{i}", model=f"M-{i}",
                             unit_price=Decimal(price), list_price=Decimal("200"))
                 for i, (p, price) in enumerate(zip(pids, prices, strict=True))]))
    return cid, pids


def body(lines, days=3, **kw):
    return {"delivery_date": (TODAY + timedelta(days=days)).isoformat(),
            "bill_type": "ordinary_vat",
            "lines": [{"product_id": str(p), "quantity": q} for p, q in lines], **kw}


async def place(c, lines, **kw) -> dict:
    r = await c.post("/api/portal/orders", json=body(lines, **kw))
    assert r.status_code == 201, r.text
    return r.json()


async def approve(order_app, *ids, staff="reviewer"):
    async with h.client(order_app, h.staff(username=staff)) as s:
        r = await s.post("/api/console/orders/review",
                         json={"order_ids": [str(i) for i in ids], "decision": "approve"})
    assert r.status_code == 200, r.text
    return r.json()


async def outbox(order_db, order_id, event_type=None):
    async with order_db.engine.connect() as c:
        rows = (await c.execute(text(
            "SELECT event_type, envelope->'data' FROM outbox "
            "WHERE envelope->'data'->>'order_id' = :id ORDER BY seq"),
            {"id": str(order_id)})).all()
    return [(t, d) for t, d in rows if event_type is None or t == event_type]


async def ship(order_app, oid, lines, **kw):
    async with h.client(order_app, h.staff()) as s:
        return await s.post(f"/api/console/orders/{oid}/shipments", json={
            "lines": [{"product_id": str(p), "quantity": q} for p, q in lines],
            "courier": "顺丰速运", "tracking_number": "SF1234567890",
            "shipped_on": TODAY.isoformat(), **kw})


class TestStaffEntry:
    async def test_staff_enter_an_order_for_a_customer_source_staff_O1(
            self, order_app, order_db):
        cid, (p1, _) = await customer_with(order_db)
        async with h.client(order_app, h.staff("orders:entry", username="clerk")) as s:
            r = await s.post("/api/console/orders", json={**body([(p1, 2)]),
                                                          "customer_id": str(cid)})
        assert r.status_code == 201, r.text
        order = r.json()
        assert (order["source"], order["created_by"], order["total"]) == (
            "staff", "clerk", "320.60")
        [(_, data)] = await outbox(order_db, order["id"])
        assert data["source"] == "staff"  # the points service gives no points for it (P-2)
        async with h.client(order_app, h.customer(cid)) as c:
            assert (await c.get(f"/api/portal/orders/{order['id']}")).status_code == 200

    async def test_needs_the_entry_permission_X1(self, order_app, order_db):
        cid, (p1, _) = await customer_with(order_db)
        async with h.client(order_app, h.staff("orders:query", "orders:review")) as s:
            r = await s.post("/api/console/orders", json={**body([(p1, 2)]),
                                                          "customer_id": str(cid)})
        assert r.status_code == 403

    async def test_unknown_or_other_area_customer_is_404(self, order_app, order_db):
        cid, (p1, _) = await customer_with(order_db, area="华北")
        async with h.client(order_app, h.staff(areas=("华东",))) as s:
            r = await s.post("/api/console/orders", json={**body([(p1, 2)]),
                                                          "customer_id": str(cid)})
            assert r.status_code == 404
            r = await s.post("/api/console/orders", json={**body([(p1, 2)]),
                                                          "customer_id": str(uuid.uuid4())})
            assert r.status_code == 404


class TestNumbers:
    async def test_50_concurrent_submissions_get_50_distinct_numbers_O2(
            self, order_app, order_db):
        cid, (p1, _) = await customer_with(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            rs = await asyncio.gather(*[c.post("/api/portal/orders", json=body([(p1, 1)]))
                                        for _ in range(50)])
        assert [r.status_code for r in rs] == [201] * 50
        numbers = [r.json()["number"] for r in rs]
        assert len(set(numbers)) == 50
        assert all(n.startswith(f"DH{TODAY:%Y%m%d}-") for n in numbers)


class TestModify:
    async def test_modify_changes_lines_and_emits_what_changed_O4(self, order_app, order_db):
        cid, (p1, p2) = await customer_with(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            order = await place(c, [(p1, 5)])
            r = await c.put(f"/api/portal/orders/{order['id']}", json={
                "lines": [{"product_id": str(p1), "quantity": 7},
                          {"product_id": str(p2), "quantity": 2}],
                "remark": "请周五前送到", "version": order["version"]})
            assert r.status_code == 200, r.text
            got = r.json()
            assert got["status"] == "submitted" and got["total"] == "1213.10"
            assert got["total_quantity"] == 9 and got["version"] == order["version"] + 1
            assert r.headers["etag"] == f'"{got["version"]}"'
            assert got["delivery_date"] == order["delivery_date"]  # left out: unchanged
            timeline = (await c.get(f"/api/portal/orders/{order['id']}/timeline")).json()
        assert [e["action"] for e in timeline] == ["submitted", "modified"]
        [(_, data)] = await outbox(order_db, order["id"], "order.modified")
        assert {c["field"] for c in data["changes"]} == {"remark", "total"}
        assert [(lc["quantity_before"], lc["quantity_after"])
                for lc in data["line_changes"]] == [(5, 7), (0, 2)]
        assert data["previous_total"] == "801.50" and data["total"] == "1213.10"

    async def test_if_match_header_works_too(self, order_app, order_db):
        cid, (p1, _) = await customer_with(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            order = await place(c, [(p1, 5)])
            r = await c.put(f"/api/portal/orders/{order['id']}", json={"bill_type": "none"},
                            headers={"If-Match": f'"{order["version"]}"'})
            assert r.status_code == 200, r.text
            stale = await c.put(f"/api/portal/orders/{order['id']}", json={"bill_type": "none"},
                                headers={"If-Match": f'"{order["version"]}"'})
            assert stale.status_code == 409 and "reload" in stale.json()["detail"]
            missing = await c.put(f"/api/portal/orders/{order['id']}",
                                  json={"bill_type": "none"})
            assert missing.status_code == 422 and "version" in missing.json()["detail"]

    async def test_two_concurrent_modifications_one_wins_one_409_no_lost_update_O4(
            self, order_app, order_db):
        cid, (p1, _) = await customer_with(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            order = await place(c, [(p1, 5)])
            url = f"/api/portal/orders/{order['id']}"
            a, b = await asyncio.gather(
                c.put(url, json={"lines": [{"product_id": str(p1), "quantity": 11}],
                                 "version": order["version"]}),
                c.put(url, json={"lines": [{"product_id": str(p1), "quantity": 22}],
                                 "version": order["version"]}))
            assert sorted([a.status_code, b.status_code]) == [200, 409], (a.text, b.text)
            winner = a if a.status_code == 200 else b
            final = (await c.get(url)).json()
        assert final["lines"][0]["quantity"] == winner.json()["lines"][0]["quantity"]
        assert final["version"] == order["version"] + 1
        assert len(await outbox(order_db, order["id"], "order.modified")) == 1

    async def test_delivery_before_order_date_and_unknown_product_are_422_O3(
            self, order_app, order_db):
        cid, (p1, _) = await customer_with(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            order = await place(c, [(p1, 5)])
            url = f"/api/portal/orders/{order['id']}"
            r1 = await c.put(url, json={"delivery_date": (TODAY - timedelta(days=1)).isoformat(),
                                        "version": order["version"]})
            r2 = await c.put(url, json={"lines": [{"product_id": str(uuid.uuid4()),
                                                   "quantity": 1}],
                                        "version": order["version"]})
        assert r1.status_code == 422 and "delivery_date" in r1.json()["detail"]
        assert r2.status_code == 422 and "catalogue" in r2.json()["detail"]

    async def test_reviewed_order_cannot_be_modified_O5(self, order_app, order_db):
        cid, (p1, _) = await customer_with(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            order = await place(c, [(p1, 5)])
            await approve(order_app, order["id"])
            fresh = (await c.get(f"/api/portal/orders/{order['id']}")).json()
            r = await c.put(f"/api/portal/orders/{order['id']}",
                            json={"remark": "x", "version": fresh["version"]})
        assert r.status_code == 409
        assert "processing and cannot be modified" in r.json()["detail"]

    async def test_other_customer_cannot_modify_404(self, order_app, order_db):
        cid, (p1, _) = await customer_with(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            order = await place(c, [(p1, 5)])
        async with h.client(order_app, h.customer()) as other:
            r = await other.put(f"/api/portal/orders/{order['id']}",
                                json={"remark": "x", "version": 1})
            assert r.status_code == 404


class TestDatabaseFreeze:
    async def _reviewed(self, order_app, order_db):
        cid, (p1, _) = await customer_with(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            order = await place(c, [(p1, 5)])
        await approve(order_app, order["id"])
        return order["id"]

    @pytest.mark.parametrize("statement", [
        "UPDATE order_lines SET quantity = 50 WHERE order_id = :id",
        "UPDATE order_lines SET unit_price = 1 WHERE order_id = :id",
        "DELETE FROM order_lines WHERE order_id = :id",
        "UPDATE orders SET total = 1 WHERE id = :id",
        "UPDATE orders SET delivery_date = delivery_date + 1 WHERE id = :id",
        "UPDATE orders SET status = 'submitted' WHERE id = :id",
        "UPDATE orders SET due_date = due_date + 1 WHERE id = :id",
        "UPDATE orders SET due_date = NULL WHERE id = :id",
        "DELETE FROM orders WHERE id = :id",
        "DELETE FROM order_events WHERE order_id = :id",
    ])
    async def test_direct_sql_change_of_a_reviewed_order_is_refused_O5_X1(
            self, order_app, order_db, statement):
        oid = await self._reviewed(order_app, order_db)
        async with order_db.engine.connect() as conn:
            with pytest.raises(DBAPIError, match="reviewed|append-only"):
                await conn.execute(text(statement), {"id": oid})
            await conn.rollback()
        async with order_db.engine.connect() as conn:
            total, qty = (await conn.execute(text(
                "SELECT o.total, l.quantity FROM orders o JOIN order_lines l ON "
                "l.order_id = o.id WHERE o.id = :id"), {"id": oid})).one()
        assert (total, qty) == (Decimal("801.50"), 5)

    async def test_bookkeeping_on_a_reviewed_order_is_allowed(self, order_app, order_db):
        oid = await self._reviewed(order_app, order_db)
        async with order_db.engine.begin() as conn:
            await conn.execute(text(
                "UPDATE orders SET paid_total = 10, invoiced = true, version = version + 1, "
                "status = 'partially_shipped', updated_at = now() WHERE id = :id"), {"id": oid})

    async def test_an_unreviewed_order_can_still_change(self, order_app, order_db):
        cid, (p1, _) = await customer_with(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            order = await place(c, [(p1, 5)])
        async with order_db.engine.begin() as conn:
            await conn.execute(text("UPDATE order_lines SET quantity = 6 WHERE order_id = :id"),
                               {"id": order["id"]})


class TestTwoLevelReview:
    @pytest.fixture
    async def strict_app(self, order_db_url):
        app = create_app(Settings(database_url=order_db_url, environment="test",
                                  second_review_threshold=Decimal("1000")))
        yield app
        await app.state.db.dispose()

    async def test_above_threshold_needs_a_second_different_reviewer_O5(
            self, strict_app, order_db):
        cid, (p1, _) = await customer_with(order_db)
        async with h.client(strict_app, h.customer(cid)) as c:
            big = await place(c, [(p1, 7)])    # 1122.10 > 1000
            small = await place(c, [(p1, 1)])  # 160.30
        first = await approve(strict_app, big["id"], small["id"], staff="alice")
        assert [o["status"] for o in first["reviewed"]] == [
            "pending_second_review", "processing"]
        async with h.client(strict_app, h.staff(username="alice")) as s:
            again = await s.post("/api/console/orders/review",
                                 json={"order_ids": [big["id"]], "decision": "approve"})
            assert again.status_code == 409 and "different reviewer" in again.json()["detail"]
            modify_refused = (await s.get(f"/api/console/orders/{big['id']}")).json()
            assert modify_refused["actions"] == [
                "second_approve", "reject", "request_cancellation"]
        second = await approve(strict_app, big["id"], staff="bob")
        assert second["reviewed"][0]["status"] == "processing"
        async with h.client(strict_app, h.staff()) as s:
            got = (await s.get(f"/api/console/orders/{big['id']}")).json()
        assert (got["first_reviewed_by"], got["reviewed_by"]) == ("alice", "bob")
        assert [t for t, _ in await outbox(order_db, big["id"])] == [
            "order.submitted", "order.second_review_required", "order.approved"]


class TestCancellation:
    async def test_customer_cancels_before_review(self, order_app, order_db):
        cid, (p1, _) = await customer_with(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            order = await place(c, [(p1, 5)])
            r = await c.post(f"/api/portal/orders/{order['id']}/cancel",
                             json={"reason": "下错了"})
            assert r.status_code == 200 and r.json()["status"] == "cancelled"
            again = await c.post(f"/api/portal/orders/{order['id']}/cancel", json={})
            assert again.status_code == 409
        [(_, data)] = await outbox(order_db, order["id"], "order.cancelled")
        assert data["cancelled_by_kind"] == "customer" and data["reason"] == "下错了"

    async def test_after_review_only_by_request_that_staff_decide_O5(
            self, order_app, order_db):
        cid, (p1, _) = await customer_with(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            a = await place(c, [(p1, 5)])
            b = await place(c, [(p1, 1)])
            await approve(order_app, a["id"], b["id"])
            direct = await c.post(f"/api/portal/orders/{a['id']}/cancel", json={})
            assert direct.status_code == 409
            assert "ask for a cancellation" in direct.json()["detail"]
            for o in (a, b):
                r = await c.post(f"/api/portal/orders/{o['id']}/cancellation-request",
                                 json={"reason": "客户停产"})
                assert r.json()["status"] == "cancellation_requested", r.text
        async with h.client(order_app, h.staff("orders:review", username="boss")) as s:
            ok = await s.post(f"/api/console/orders/{a['id']}/cancellation/approve", json={})
            no = await s.post(f"/api/console/orders/{b['id']}/cancellation/reject",
                              json={"reason": "已备货"})
            assert (ok.json()["status"], no.json()["status"]) == ("cancelled", "processing")
        async with h.client(order_app, h.staff()) as s:
            timeline = (await s.get(f"/api/console/orders/{b['id']}/timeline")).json()
        assert [e["action"] for e in timeline] == [
            "submitted", "approved", "processing", "cancellation_requested",
            "cancellation_rejected"]
        assert timeline[-1]["actor"] == "boss" and timeline[-1]["note"] == "已备货"
        assert [t for t, _ in await outbox(order_db, b["id"])][-2:] == [
            "order.cancellation_requested", "order.cancellation_rejected"]


class TestShipReceiveReturn:
    async def test_two_shipments_receipt_with_shortage_return_refund_O8_O9(
            self, order_app, order_db):
        cid, (p1, p2) = await customer_with(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            order = await place(c, [(p1, 5), (p2, 2)])
        oid = order["id"]
        await approve(order_app, oid)
        early = await ship(order_app, oid, [(p1, 6)])
        assert early.status_code == 422 and "more than is left" in early.json()["detail"]
        first = await ship(order_app, oid, [(p1, 3)])
        assert first.status_code == 201 and first.json()["status"] == "partially_shipped"
        second = await ship(order_app, oid, [(p1, 2), (p2, 2)])
        assert second.json()["status"] == "shipped"
        more = await ship(order_app, oid, [(p2, 1)])
        assert more.status_code == 409
        s1, s2 = [s["id"] for s in second.json()["shipments"]]
        async with h.client(order_app, h.customer(cid)) as c:
            r = await c.post(f"/api/portal/orders/{oid}/shipments/{s1}/receipt", json={})
            assert r.json()["status"] == "shipped"
            no_note = await c.post(f"/api/portal/orders/{oid}/shipments/{s2}/receipt", json={
                "lines": [{"product_id": str(p2), "quantity_received": 1}]})
            assert no_note.status_code == 422 and "note" in no_note.json()["detail"]
            r = await c.post(f"/api/portal/orders/{oid}/shipments/{s2}/receipt", json={
                "lines": [{"product_id": str(p2), "quantity_received": 1}],
                "note": "少一瓶清洗液"})
            got = r.json()
            assert got["status"] == "received", r.text  # shortage waits for staff
            assert [ln["received_quantity"] for ln in got["lines"]] == [5, 1]
            twice = await c.post(f"/api/portal/orders/{oid}/shipments/{s2}/receipt", json={})
            assert twice.status_code == 409
            # O-9: return at most what was received
            over = await c.post(f"/api/portal/orders/{oid}/returns", json={
                "lines": [{"product_id": str(p2), "quantity": 2}], "reason": "破损"})
            assert over.status_code == 422
            ret = await c.post(f"/api/portal/orders/{oid}/returns", json={
                "lines": [{"product_id": str(p1), "quantity": 3}], "reason": "颜色不对"})
            assert ret.status_code == 201, ret.text
            assert ret.json()["amount"] == "480.90" and ret.json()["status"] == "requested"
            pending = await c.post(f"/api/portal/orders/{oid}/returns", json={
                "lines": [{"product_id": str(p1), "quantity": 3}], "reason": "again"})
            assert pending.status_code == 422  # 3 of 5 are already waiting to go back
        rid = ret.json()["id"]
        async with h.client(order_app, h.staff()) as s:
            queue = await s.get("/api/console/returns", params={"status": "requested",
                                                                "customer_id": str(cid)})
            assert [x["id"] for x in queue.json()] == [rid]
            assert queue.headers["x-total-count"] == "1"
            too_much = await s.post(f"/api/console/returns/{rid}/approve",
                                    json={"refund_amount": "480.91"})
            assert too_much.status_code == 422
            ok = await s.post(f"/api/console/returns/{rid}/approve",
                              json={"refund_amount": "480.90"})
            assert ok.json()["status"] == "approved" and ok.json()["refund_amount"] == "480.90"
            again = await s.post(f"/api/console/returns/{rid}/reject", json={"reason": "x"})
            assert again.status_code == 409
            done = await s.post(f"/api/console/orders/{oid}/complete",
                                json={"note": "补发一瓶"})
            assert done.json()["status"] == "completed"
        async with h.client(order_app, h.customer(cid)) as c:
            mine = (await c.get("/api/portal/returns")).json()
            assert [(x["id"], x["status"]) for x in mine] == [(rid, "approved")]
            detail = (await c.get(f"/api/portal/orders/{oid}")).json()
            assert [ln["returned_quantity"] for ln in detail["lines"]] == [3, 0]
            timeline = (await c.get(f"/api/portal/orders/{oid}/timeline")).json()
        assert [e["action"] for e in timeline] == [
            "submitted", "approved", "processing", "shipped", "shipped", "received",
            "received", "return_requested", "return_approved", "completed"]
        types = [t for t, _ in await outbox(order_db, oid)]
        assert types == ["order.submitted", "order.approved", "order.shipped", "order.shipped",
                         "order.received", "order.received", "order.return_requested",
                         "order.return_approved", "order.completed"]

    async def test_full_receipt_completes_at_once(self, order_app, order_db):
        cid, (p1, _) = await customer_with(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            order = await place(c, [(p1, 2)])
        await approve(order_app, order["id"])
        shipped = (await ship(order_app, order["id"], [(p1, 2)])).json()
        async with h.client(order_app, h.customer(cid)) as c:
            r = await c.post(f"/api/portal/orders/{order['id']}/shipments/"
                             f"{shipped['shipments'][0]['id']}/receipt", json={})
        assert r.json()["status"] == "completed" and r.json()["completed_at"]
        assert [t for t, _ in await outbox(order_db, order["id"])][-2:] == [
            "order.received", "order.completed"]

    async def test_shipping_needs_modify_permission_and_a_reviewed_order(
            self, order_app, order_db):
        cid, (p1, _) = await customer_with(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            order = await place(c, [(p1, 2)])
        assert (await ship(order_app, order["id"], [(p1, 1)])).status_code == 409
        async with h.client(order_app, h.staff("orders:query")) as s:
            r = await s.post(f"/api/console/orders/{order['id']}/shipments", json={
                "lines": [{"product_id": str(p1), "quantity": 1}], "courier": "x",
                "shipped_on": TODAY.isoformat()})
        assert r.status_code == 403

    async def test_customer_b_cannot_touch_a_returns_or_receipts_404(
            self, order_app, order_db):
        cid, (p1, _) = await customer_with(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            order = await place(c, [(p1, 2)])
        await approve(order_app, order["id"])
        shipped = (await ship(order_app, order["id"], [(p1, 2)])).json()
        sid = shipped["shipments"][0]["id"]
        async with h.client(order_app, h.customer()) as b:
            r = await b.post(f"/api/portal/orders/{order['id']}/shipments/{sid}/receipt",
                             json={})
            assert r.status_code == 404
            r = await b.post(f"/api/portal/orders/{order['id']}/returns", json={
                "lines": [{"product_id": str(p1), "quantity": 1}], "reason": "x"})
            assert r.status_code == 404


class TestReorderAndTemplates:
    async def test_reorder_at_todays_prices_reports_lines_that_left_O11(
            self, order_app, order_db):
        cid, (p1, p2) = await customer_with(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            old = await place(c, [(p1, 5), (p2, 2)], days=4)
        for event in (
            CustomerPriceChanged(customer_id=cid, product_id=p1, name="品0", model="M-0",
                                 unit_price=Decimal("170.00")),
            CustomerPriceChanged(customer_id=cid, product_id=p2, name="品1", model="M-1",
                                 unit_price=Decimal("45.50"), active=False),
        ):
            await h.deliver(order_db.sessionmaker, "order", registry, event)
        async with h.client(order_app, h.customer(cid)) as c:
            r = await c.post(f"/api/portal/orders/{old['id']}/reorder")
            assert r.status_code == 201, r.text
            new = r.json()
            assert new["order"]["total"] == "850.00" and new["order"]["status"] == "submitted"
            assert new["order"]["delivery_date"] == (TODAY + timedelta(days=4)).isoformat()
            assert [(s["model"], s["quantity"]) for s in new["skipped_lines"]] == [("M-1", 2)]
            timeline = (await c.get(f"/api/portal/orders/{new['order']['id']}/timeline")).json()
        assert timeline[0]["data"]["reordered_from"] == old["number"]

    async def test_templates_keep_order_and_delete_O11(self, order_app, order_db):
        cid, (p1, p2) = await customer_with(order_db)
        async with h.client(order_app, h.customer(cid)) as c:
            r = await c.post("/api/portal/order-templates", json={
                "name": "每月墨水", "lines": [{"product_id": str(p1), "quantity": 4}],
                "bill_type": "special_vat"})
            assert r.status_code == 201, r.text
            tid = r.json()["id"]
            dup = await c.post("/api/portal/order-templates", json={
                "name": "每月墨水", "lines": [{"product_id": str(p1), "quantity": 1}]})
            assert dup.status_code == 409
            old = await place(c, [(p2, 3)])
            copied = await c.post("/api/portal/order-templates", json={
                "name": "清洗液", "from_order_id": old["id"]})
            assert copied.json()["lines"][0]["quantity"] == 3
            listed = await c.get("/api/portal/order-templates")
            by_name = {t["name"]: t for t in listed.json()}
            assert set(by_name) == {"清洗液", "每月墨水"}
            assert by_name["每月墨水"]["lines"][0]["unit_price"] == "160.30"
            r = await c.post(f"/api/portal/order-templates/{tid}/order", json={
                "delivery_date": (TODAY + timedelta(days=2)).isoformat()})
            assert r.status_code == 201, r.text
            assert (r.json()["order"]["total"], r.json()["order"]["bill_type"]) == (
                "641.20", "special_vat")
            assert (await c.delete(f"/api/portal/order-templates/{tid}")).status_code == 204
            assert (await c.delete(f"/api/portal/order-templates/{tid}")).status_code == 404
        async with h.client(order_app, h.customer()) as other:
            r = await other.post(f"/api/portal/order-templates/{copied.json()['id']}/order",
                                 json={"delivery_date": TODAY.isoformat()})
            assert r.status_code == 404


class TestListsAndExport:
    async def _orders(self, order_app, order_db):
        cid, (p1, p2) = await customer_with(order_db, prices=("10.00", "1.00"))
        async with h.client(order_app, h.customer(cid)) as c:
            a = await place(c, [(p1, 1)])             # 10.00, qty 1
            b = await place(c, [(p2, 50)])            # 50.00, qty 50
            cc = await place(c, [(p1, 3), (p2, 5)])   # 35.00, qty 8
        await approve(order_app, b["id"], cc["id"])
        async with h.client(order_app, h.staff()) as s:
            await s.post(f"/api/console/orders/{b['id']}/payments", json={
                "amount": "50.00", "paid_on": TODAY.isoformat(), "method": "cash"})
        return cid, a, b, cc

    async def test_filters_sorts_and_total_count_O10_A1(self, order_app, order_db):
        cid, a, b, cc = await self._orders(order_app, order_db)
        async with h.client(order_app, h.staff()) as s:
            async def numbers(**params):
                r = await s.get("/api/console/orders", params={"customer_id": str(cid),
                                                               **params})
                assert r.status_code == 200, r.text
                return [o["number"] for o in r.json()], r.headers["x-total-count"]
            assert await numbers(sort="-amount") == ([b["number"], cc["number"], a["number"]],
                                                     "3")
            assert (await numbers(sort="quantity"))[0] == [a["number"], cc["number"],
                                                           b["number"]]
            assert (await numbers(paid="true"))[0] == [b["number"]]
            assert (await numbers(paid="false", sort="number"))[0] == [a["number"],
                                                                       cc["number"]]
            assert (await numbers(min_total="20", max_total="40"))[0] == [cc["number"]]
            assert (await numbers(status="processing", sort="number"))[0] == [
                b["number"], cc["number"]]
            assert await numbers(**{"from": (TODAY + timedelta(days=1)).isoformat()}) == (
                [], "0")
            assert await numbers(limit=1, offset=1, sort="number") == ([b["number"]], "3")
            bad = await s.get("/api/console/orders", params={"sort": "price"})
            assert bad.status_code == 422
            inverted = await s.get("/api/console/orders", params={"min_total": "5",
                                                                  "max_total": "1"})
            assert inverted.status_code == 422 and "min_total" in inverted.json()["detail"]

    async def test_excel_holds_exactly_the_filtered_rows_and_columns_O10(
            self, order_app, order_db):
        cid, a, b, cc = await self._orders(order_app, order_db)
        async with h.client(order_app, h.staff()) as s:
            r = await s.get("/api/console/orders/export.xlsx", params={
                "customer_id": str(cid), "paid": "false", "sort": "number", "lang": "en",
                "columns": "number,customer_name,total,status,lines"})
            assert r.status_code == 200, r.text
            assert r.headers["content-type"].startswith(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            assert 'filename="orders-' in r.headers["content-disposition"]
            assert r.headers["x-total-count"] == "2"
            bad = await s.get("/api/console/orders/export.xlsx", params={"columns": "number,x"})
            assert bad.status_code == 422 and "unknown column x" in bad.json()["detail"]
        rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
        assert rows[0] == ("Order number", "Customer", "Total", "Status", "Lines")
        assert [(n, Decimal(str(t)), st) for n, _, t, st, _ in rows[1:]] == [
            (a["number"], Decimal("10"), "submitted"),
            (cc["number"], Decimal("35"), "processing")]
        assert rows[2][4] == "品0 M-0 ×3; 品1 M-1 ×5"

    async def test_customer_exports_only_its_own(self, order_app, order_db):
        cid, a, b, cc = await self._orders(order_app, order_db)
        await self._orders(order_app, order_db)  # another customer's
        async with h.client(order_app, h.customer(cid)) as c:
            r = await c.get("/api/portal/orders/export.xlsx")
            assert r.status_code == 200, r.text
        rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
        assert rows[0][0] == "订单号"
        assert sorted(row[0] for row in rows[1:]) == sorted(
            [a["number"], b["number"], cc["number"]])
