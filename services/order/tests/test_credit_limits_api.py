"""Integration: credit limits and credit holds (B-3) on the order service's real database.
The customer read model keeps each customer's limit from customer.credit_limit_changed;
an order submitted or modified that would take what the customer owes on its open orders
over the limit is held (not refused) with its reason on both sides; the batch review
refuses to approve it (409 naming the hold) until finance releases it; cancelling and
placing it again, or growing a released order, is held again."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from dinghuo_contracts import CatalogLine, CustomerApproved, CustomerCreditLimitChanged
from order_service.messaging import registry
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date
from sqlalchemy import text

TODAY = business_date()
DELIVERY = (TODAY + timedelta(days=3)).isoformat()


async def customer(order_db, limit=None, area="华东"):
    """An approved customer with one product at 100.00, and a credit limit if given."""
    cid, pid = uuid.uuid4(), uuid.uuid4()
    await h.deliver(order_db.sessionmaker, "order", registry, CustomerApproved(
        customer_id=cid, customer_number=f"C{cid.hex[:6]}", company_name=f"公司{cid.hex[:4]}",
        area=area, approved_by="admin", payment_terms_days=30,
        catalog=[CatalogLine(product_id=pid, name="墨水", model="INK-1L",
                             unit_price=Decimal("100.00"))]))
    if limit is not None:
        await set_limit(order_db, cid, limit)
    return cid, pid


async def set_limit(order_db, cid, limit, *, at=None):
    event = CustomerCreditLimitChanged(
        customer_id=cid, limit=None if limit is None else Decimal(limit), changed_by="fin")
    env = event.envelope("customer")
    if at is not None:
        env = env.model_copy(update={"occurred_at": at})
    await h.deliver(order_db.sessionmaker, "order", registry, env)


async def limit_of(order_db, cid):
    async with order_db.engine.connect() as c:
        row = (await c.execute(text(
            "SELECT credit_limit FROM customer_view WHERE customer_id = :id"),
            {"id": cid})).first()
    return "unknown" if row is None else row[0]


async def place(app, cid, pid, qty) -> dict:
    async with h.client(app, h.customer(cid)) as c:
        r = await c.post("/api/portal/orders", json={
            "delivery_date": DELIVERY, "bill_type": "none",
            "lines": [{"product_id": str(pid), "quantity": qty}]})
    assert r.status_code == 201, r.text
    return r.json()


async def modify(app, cid, order, pid, qty) -> dict:
    async with h.client(app, h.customer(cid)) as c:
        r = await c.put(f"/api/portal/orders/{order['id']}", json={
            "version": order["version"], "lines": [{"product_id": str(pid), "quantity": qty}]})
    assert r.status_code == 200, r.text
    return r.json()


async def review(app, *ids, decision="approve", staff=None):
    async with h.client(app, staff or h.staff(username="reviewer")) as s:
        return await s.post("/api/console/orders/review", json={
            "order_ids": [str(i) for i in ids], "decision": decision})


async def release(app, oid, note="客户已电话确认付款计划", staff=None):
    async with h.client(app, staff or h.staff(username="finance")) as s:
        return await s.post(f"/api/console/orders/{oid}/credit-hold/release",
                            json={"note": note})


async def mine(app, cid, oid) -> dict:
    async with h.client(app, h.customer(cid)) as c:
        return (await c.get(f"/api/portal/orders/{oid}")).json()


async def outbox(order_db, oid, event_type):
    async with order_db.engine.connect() as c:
        rows = (await c.execute(text(
            "SELECT envelope->'data' FROM outbox WHERE event_type = :t "
            "AND envelope->'data'->>'order_id' = :id ORDER BY seq"),
            {"t": event_type, "id": str(oid)})).all()
    return [r[0] for r in rows]


REASON = "超出信用额度：未付 ¥{o} + 本单 ¥{a} > 额度 ¥{m}"


class TestReadModelB3:
    async def test_limit_follows_the_events_late_ones_change_nothing(self, order_db):
        cid, _ = await customer(order_db)
        assert await limit_of(order_db, cid) is None
        await set_limit(order_db, cid, "500.00")
        assert await limit_of(order_db, cid) == Decimal("500.00")
        now = datetime.now(UTC)
        await set_limit(order_db, cid, None, at=now)
        await set_limit(order_db, cid, "1.00", at=now - timedelta(seconds=5))  # late
        assert await limit_of(order_db, cid) is None
        await set_limit(order_db, uuid.uuid4(), "5.00")  # unknown customer: skipped


class TestCreditHoldB3:
    async def test_within_passes_over_is_held_on_both_sides(self, order_app, order_db):
        cid, pid = await customer(order_db, limit="500.00")
        ok = await place(order_app, cid, pid, 3)          # 0 + 300 ≤ 500
        assert (ok["credit_hold"], ok["credit_hold_reason"]) == (False, None)
        assert "approve" in ok["actions"]
        held = await place(order_app, cid, pid, 3)        # 300 + 300 > 500
        reason = REASON.format(o="300.00", a="300.00", m="500.00")
        assert (held["status"], held["credit_hold"]) == ("submitted", True)
        assert held["credit_hold_reason"] == reason
        assert held["credit_hold_reason_en"] == (
            "Over the credit limit: outstanding ¥300.00 + this order ¥300.00 > limit ¥500.00")
        assert "approve" not in held["actions"] and "release_credit_hold" in held["actions"]
        portal = await mine(order_app, cid, held["id"])
        assert (portal["credit_hold"], portal["credit_hold_reason"]) == (True, reason)
        async with h.client(order_app, h.customer(cid)) as c:
            listed = (await c.get("/api/portal/orders")).json()
        assert {o["number"]: o["credit_hold_reason"] for o in listed} == {
            ok["number"]: None, held["number"]: reason}
        async with h.client(order_app, h.staff()) as s:
            queue = await s.get("/api/console/orders", params={
                "status": "submitted", "credit_hold": "true", "q": held["customer_name"]})
            timeline = (await s.get(f"/api/console/orders/{held['id']}/timeline")).json()
            credit = (await s.get(f"/api/console/orders/credit/{cid}")).json()
        assert [o["id"] for o in queue.json()] == [held["id"]]
        assert [e["action"] for e in timeline] == ["submitted", "credit_held"]
        assert timeline[1]["note"] == reason and timeline[1]["actor_kind"] == "system"
        assert credit == {"customer_id": str(cid), "credit_limit": "500.00",
                          "outstanding": "600.00", "available": "-100.00", "held_orders": 1}
        [event] = await outbox(order_db, held["id"], "order.credit_held")
        assert (event["credit_limit"], event["outstanding"], event["total"],
                event["trigger"], event["reason"]) == ("500.00", "300.00", "300.00",
                                                        "submitted", reason)
        assert await outbox(order_db, ok["id"], "order.credit_held") == []

    async def test_review_refuses_until_finance_releases(self, order_app, order_db):
        cid, pid = await customer(order_db, limit="100.00")
        held = await place(order_app, cid, pid, 2)
        free_cid, free_pid = await customer(order_db)
        free = await place(order_app, free_cid, free_pid, 1)
        r = await review(order_app, free["id"], held["id"])
        assert r.status_code == 409, r.text
        assert r.json()["error"] == "CreditHeld"
        assert held["number"] in r.json()["detail"] and "credit hold" in r.json()["detail"]
        assert "limit ¥100.00" in r.json()["detail"]
        assert (await mine(order_app, free_cid, free["id"]))["status"] == "submitted"
        # only finance (payments:review) releases; not a reviewer, not the customer
        r = await release(order_app, held["id"], staff=h.staff("orders:review", "orders:query"))
        assert r.status_code == 403 and "payments:review" in r.json()["detail"]
        async with h.client(order_app, h.customer(cid)) as c:
            r = await c.post(f"/api/console/orders/{held['id']}/credit-hold/release", json={})
            assert r.status_code == 403
        r = await release(order_app, held["id"], staff=h.staff("payments:review",
                                                               username="finance"))
        assert r.status_code == 200, r.text
        got = r.json()
        assert (got["credit_hold"], got["credit_hold_reason"]) == (False, None)
        assert (got["credit_released_by"], got["credit_release_note"]) == (
            "finance", "客户已电话确认付款计划")
        assert "approve" in got["actions"]
        r = await release(order_app, held["id"])
        assert r.status_code == 409 and "not on credit hold" in r.json()["detail"]
        r = await review(order_app, free["id"], held["id"])
        assert r.status_code == 200, r.text
        assert (await mine(order_app, cid, held["id"]))["status"] == "processing"
        [released] = await outbox(order_db, held["id"], "order.credit_hold_released")
        assert (released["released_by"], released["total"]) == ("finance", "200.00")

    async def test_a_held_order_can_be_rejected(self, order_app, order_db):
        cid, pid = await customer(order_db, limit="0")
        held = await place(order_app, cid, pid, 1)
        assert held["credit_hold"] is True
        r = await review(order_app, held["id"], decision="reject")
        assert r.status_code == 200 and r.json()["reviewed"][0]["status"] == "rejected"
        assert (await mine(order_app, cid, held["id"]))["credit_hold"] is False
        r = await release(order_app, held["id"])
        assert r.status_code == 409

    async def test_cancel_and_replace_is_held_again(self, order_app, order_db):
        cid, pid = await customer(order_db, limit="500.00")
        first = await place(order_app, cid, pid, 4)
        await review(order_app, first["id"])            # owes 400
        held = await place(order_app, cid, pid, 2)      # 400 + 200 > 500
        assert held["credit_hold"] is True
        async with h.client(order_app, h.customer(cid)) as c:
            r = await c.post(f"/api/portal/orders/{held['id']}/cancel", json={})
            assert r.status_code == 200, r.text
        again = await place(order_app, cid, pid, 2)
        assert again["credit_hold"] is True
        assert again["credit_hold_reason"] == held["credit_hold_reason"]
        # splitting does not dodge it either: a submitted order counts too
        async with h.client(order_app, h.customer(cid)) as c:
            await c.post(f"/api/portal/orders/{again['id']}/cancel", json={})
        small = await place(order_app, cid, pid, 1)     # 400 + 100 = 500: allowed
        assert small["credit_hold"] is False
        other = await place(order_app, cid, pid, 1)     # 500 + 100 > 500
        assert other["credit_hold"] is True

    async def test_payments_free_credit(self, order_app, order_db):
        cid, pid = await customer(order_db, limit="500.00")
        first = await place(order_app, cid, pid, 4)
        await review(order_app, first["id"])
        async with h.client(order_app, h.staff()) as s:
            r = await s.post(f"/api/console/orders/{first['id']}/payments", json={
                "amount": "300.00", "paid_on": TODAY.isoformat(), "method": "bank_transfer"})
            assert r.status_code == 201, r.text
        assert (await place(order_app, cid, pid, 4))["credit_hold"] is False  # 100 + 400

    async def test_modify_rejudges_and_a_release_lasts_until_the_total_grows(self, order_app,
                                                                          order_db):
        cid, pid = await customer(order_db, limit="500.00")
        order = await place(order_app, cid, pid, 5)     # 500: allowed
        assert order["credit_hold"] is False
        order = await modify(order_app, cid, order, pid, 6)   # own 500 not counted twice
        assert order["credit_hold"] is True
        assert order["credit_hold_reason"] == REASON.format(o="0.00", a="600.00", m="500.00")
        [held] = await outbox(order_db, order["id"], "order.credit_held")
        assert held["trigger"] == "modified"
        order = await modify(order_app, cid, order, pid, 4)   # back within: cleared
        assert order["credit_hold"] is False
        order = await modify(order_app, cid, order, pid, 7)   # held again
        assert order["credit_hold"] is True
        r = await release(order_app, order["id"])
        order = r.json()
        order = await modify(order_app, cid, order, pid, 6)   # smaller: stays released
        assert order["credit_hold"] is False
        order = await modify(order_app, cid, order, pid, 7)   # up to the released total
        assert order["credit_hold"] is False
        order = await modify(order_app, cid, order, pid, 8)   # larger: held again
        assert order["credit_hold"] is True
        assert order["credit_hold_reason"] == REASON.format(o="0.00", a="800.00", m="500.00")
        async with h.client(order_app, h.staff()) as s:
            timeline = (await s.get(f"/api/console/orders/{order['id']}/timeline")).json()
        assert [e["action"] for e in timeline if e["action"] != "modified"] == [
            "submitted", "credit_held", "credit_hold_cleared", "credit_held",
            "credit_hold_released", "credit_held"]

    async def test_no_limit_staff_entry_and_credit_of_other_areas(self, order_app, order_db):
        cid, pid = await customer(order_db, limit="50.00", area="华北")
        async with h.client(order_app, h.staff()) as s:
            r = await s.post("/api/console/orders", json={
                "customer_id": str(cid), "delivery_date": DELIVERY, "bill_type": "none",
                "lines": [{"product_id": str(pid), "quantity": 1}]})
            assert r.status_code == 201 and r.json()["credit_hold"] is True
        async with h.client(order_app, h.staff(areas=("华东",))) as s:
            assert (await s.get(f"/api/console/orders/credit/{cid}")).status_code == 404
            assert (await s.get(f"/api/console/orders/credit/{uuid.uuid4()}")
                    ).status_code == 404
        await set_limit(order_db, cid, None)
        assert (await place(order_app, cid, pid, 100))["credit_hold"] is False
        async with h.client(order_app, h.staff()) as s:
            credit = (await s.get(f"/api/console/orders/credit/{cid}")).json()
        assert (credit["credit_limit"], credit["available"], credit["held_orders"]) == (
            None, None, 1)
