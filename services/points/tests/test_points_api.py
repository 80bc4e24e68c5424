"""Integration: points earned from order events and the points API on the real database
(migrations applied), with points.earned written to the outbox (P-1, P-2)."""

import itertools
import uuid
from datetime import date, timedelta
from decimal import Decimal

from dinghuo_contracts import (
    CatalogLine,
    CustomerApproved,
    OrderLine,
    OrderRejected,
    OrderSubmitted,
    PaymentReceived,
)
from points_service.messaging import registry
from servicekit.testing import helpers as h
from servicekit.timeutil import utcnow
from sqlalchemy import text

_seq = itertools.count(1)


def submitted(customer_id, total="801.50", source="portal") -> OrderSubmitted:
    return OrderSubmitted(
        order_id=uuid.uuid4(), number=f"DH20261123-{next(_seq):04d}", customer_id=customer_id,
        customer_name="上海印美", total=Decimal(total), bill_type="ordinary_vat",
        delivery_date=date.today() + timedelta(days=3), source=source,
        lines=[OrderLine(product_id=uuid.uuid4(), name="墨水", model="INK-1L", quantity=1,
                         unit_price=Decimal(total), line_total=Decimal(total))],
        submitted_at=utcnow())


def paid(ev: OrderSubmitted) -> PaymentReceived:
    return PaymentReceived(order_id=ev.order_id, number=ev.number, customer_id=ev.customer_id,
                           total=ev.total, amount_paid=ev.total, paid_on=date.today(),
                           source=ev.source)


def rejected(ev: OrderSubmitted) -> OrderRejected:
    return OrderRejected(order_id=ev.order_id, number=ev.number, customer_id=ev.customer_id,
                         reason="out of stock", reviewed_by="admin", reviewed_at=utcnow())


async def deliver(points_db, event):
    return await h.deliver(points_db.sessionmaker, "points", registry, event, source="order")


async def earned(points_db, order_id):
    """(points, status) of every points.earned in the outbox for the order."""
    async with points_db.engine.connect() as c:
        rows = await c.execute(text(
            "SELECT envelope->'data' FROM outbox WHERE event_type = 'points.earned' "
            "AND envelope->'data'->>'order_id' = :id ORDER BY seq"), {"id": str(order_id)})
        return [(r[0]["points"], r[0]["status"]) for r in rows]


async def summary(points_app, cid):
    async with h.client(points_app, h.customer(cid)) as c:
        r = await c.get("/api/portal/points")
    assert r.status_code == 200, r.text
    body = r.json()
    # P-1's names; `reserved` and `threshold` are checked by the redemption tests.
    assert body.pop("reserved") >= 0 and body.pop("threshold") >= 0
    return body


async def records(points_app, cid):
    async with h.client(points_app, h.customer(cid)) as c:
        r = await c.get("/api/portal/points/movements")
    assert r.status_code == 200, r.text
    assert r.headers["x-total-count"] == str(len(r.json()))
    return r.json()


class TestEarning:
    async def test_pending_on_submission_then_effective_when_paid_P2(
            self, points_app, points_db):
        cid = uuid.uuid4()
        ev = submitted(cid, "801.50")
        await deliver(points_db, ev)
        assert await summary(points_app, cid) == {
            "pending": 40, "total": 0, "redeemed": 0, "remaining": 0, "can_redeem": False}
        [rec] = await records(points_app, cid)
        assert (rec["order_number"], rec["points"], rec["kind"]) == (ev.number, 40, "earned")
        assert rec["rule_version"] == 1
        await deliver(points_db, paid(ev))
        assert await summary(points_app, cid) == {
            "pending": 0, "total": 40, "redeemed": 0, "remaining": 40, "can_redeem": False}
        made, earned_ = await records(points_app, cid)  # newest first
        assert (made["kind"], made["points"], earned_["kind"]) == ("effective", 40, "earned")
        assert await earned(points_db, ev.order_id) == [(40, "pending"), (40, "effective")]

    async def test_points_add_up_over_orders_P1(self, points_app, points_db):
        cid = uuid.uuid4()
        a, b, c = submitted(cid, "100.00"), submitted(cid, "59.99"), submitted(cid, "45.00")
        for ev in (a, b, c):
            await deliver(points_db, ev)
        await deliver(points_db, paid(a))
        await deliver(points_db, paid(b))
        assert await summary(points_app, cid) == {
            "pending": 2, "total": 7, "redeemed": 0, "remaining": 7, "can_redeem": False}
        assert len(await records(points_app, cid)) == 5  # 3 earned, 2 made effective

    async def test_duplicate_delivery_changes_state_once(self, points_app, points_db):
        cid = uuid.uuid4()
        ev = submitted(cid, "200.00")
        env = ev.envelope("order")
        await deliver(points_db, env)
        await deliver(points_db, env)
        assert (await summary(points_app, cid))["pending"] == 10
        pay = paid(ev).envelope("order")
        await deliver(points_db, pay)
        await deliver(points_db, pay)
        # a second, distinct payment event for the same order is also harmless
        await deliver(points_db, paid(ev))
        assert await summary(points_app, cid) == {
            "pending": 0, "total": 10, "redeemed": 0, "remaining": 10, "can_redeem": False}
        assert await earned(points_db, ev.order_id) == [(10, "pending"), (10, "effective")]

    async def test_self_entry_earns_none_P2(self, points_app, points_db):
        cid = uuid.uuid4()
        ev = submitted(cid, "801.50", source="staff")
        await deliver(points_db, ev)
        await deliver(points_db, paid(ev))
        assert await summary(points_app, cid) == {
            "pending": 0, "total": 0, "redeemed": 0, "remaining": 0, "can_redeem": False}
        assert await records(points_app, cid) == []
        assert await earned(points_db, ev.order_id) == []

    async def test_order_below_twenty_yuan_earns_none(self, points_app, points_db):
        cid = uuid.uuid4()
        ev = submitted(cid, "19.99")
        await deliver(points_db, ev)
        await deliver(points_db, paid(ev))
        assert (await summary(points_app, cid))["total"] == 0
        assert await records(points_app, cid) == []
        assert await earned(points_db, ev.order_id) == []


class TestRejection:
    async def test_rejected_order_reverses_pending_points(self, points_app, points_db):
        cid = uuid.uuid4()
        ev = submitted(cid, "400.00")
        await deliver(points_db, ev)
        await deliver(points_db, rejected(ev))
        assert await summary(points_app, cid) == {
            "pending": 0, "total": 0, "redeemed": 0, "remaining": 0, "can_redeem": False}
        reversed_, earned_ = await records(points_app, cid)
        assert (reversed_["kind"], reversed_["points"]) == ("reversed", -20)
        assert (earned_["kind"], earned_["points"]) == ("earned", 20)

    async def test_rejection_before_submission_earns_nothing(self, points_app, points_db):
        cid = uuid.uuid4()
        ev = submitted(cid, "400.00")
        await deliver(points_db, rejected(ev))
        await deliver(points_db, ev)
        assert (await summary(points_app, cid))["pending"] == 0
        assert await records(points_app, cid) == []
        assert await earned(points_db, ev.order_id) == []


class TestOutOfOrder:
    async def test_payment_before_submission_is_effective_once(self, points_app, points_db):
        cid = uuid.uuid4()
        ev = submitted(cid, "801.50")
        await deliver(points_db, paid(ev))
        await deliver(points_db, ev)
        assert await summary(points_app, cid) == {
            "pending": 0, "total": 40, "redeemed": 0, "remaining": 40, "can_redeem": False}
        made, earned_ = await records(points_app, cid)
        assert (made["kind"], earned_["kind"]) == ("effective", "earned")
        assert made["order_number"] == ev.number
        assert await earned(points_db, ev.order_id) == [(40, "effective")]

    async def test_payment_before_a_submission_with_a_machine_ends_as_in_order_P2_X2(
            self, points_app, points_db):
        """The payment knows only the total; the late submission's lines say that the
        machine earns nothing: the entry is re-based and the ledger moves the difference,
        so both orders of arrival end with the same points (issue 14)."""
        ink, machine = uuid.uuid4(), uuid.uuid4()
        finals = []
        for first_paid in (False, True):
            cid = uuid.uuid4()
            await deliver(points_db, CustomerApproved(
                customer_id=cid, customer_number="C1", company_name="上海印美",
                approved_by="admin", catalog=[
                    CatalogLine(product_id=ink, name="墨水", model="INK", unit_price=Decimal(
                        "100.00"), category="consumable"),
                    CatalogLine(product_id=machine, name="打印机", model="UV-1",
                                unit_price=Decimal("2000.00"), category="machine")]))
            ev = submitted(cid, "2400.00").model_copy(update={"lines": [
                OrderLine(product_id=ink, name="墨水", model="INK", quantity=4,
                          unit_price=Decimal("100.00"), line_total=Decimal("400.00")),
                OrderLine(product_id=machine, name="打印机", model="UV-1", quantity=1,
                          unit_price=Decimal("2000.00"), line_total=Decimal("2000.00"))]})
            for event in ([paid(ev), ev] if first_paid else [ev, paid(ev)]):
                await deliver(points_db, event)
            await deliver(points_db, ev)  # a late duplicate submission changes nothing
            finals.append(await summary(points_app, cid))
        assert finals[0] == finals[1] == {"pending": 0, "total": 20, "redeemed": 0,
                                          "remaining": 20, "can_redeem": False}

    async def test_rejection_after_payment_reverses_effective_points_P2(
            self, points_app, points_db):
        cid = uuid.uuid4()
        ev = submitted(cid, "100.00")
        await deliver(points_db, ev)
        await deliver(points_db, paid(ev))
        await deliver(points_db, rejected(ev))  # not reachable in the order service
        assert (await summary(points_app, cid))["total"] == 0
        await deliver(points_db, rejected(ev))  # a second one takes nothing more
        assert len(await records(points_app, cid)) == 3


class TestAccess:
    async def test_customer_sees_only_own_records(self, points_app, points_db):
        cid = uuid.uuid4()
        await deliver(points_db, submitted(cid, "100.00"))
        other = uuid.uuid4()
        assert await records(points_app, other) == []
        assert (await summary(points_app, other))["pending"] == 0

    async def test_staff_see_a_customers_summary_with_points_query(
            self, points_app, points_db):
        cid = uuid.uuid4()
        ev = submitted(cid, "801.50")
        await deliver(points_db, ev)
        await deliver(points_db, paid(ev))
        async with h.client(points_app, h.staff("points:query")) as s:
            r = await s.get(f"/api/console/points/customers/{cid}")
            assert r.status_code == 200
            assert r.json() == {"pending": 0, "total": 40, "redeemed": 0, "remaining": 40,
                                "can_redeem": False, "reserved": 0, "threshold": 100}
            recs = await s.get(f"/api/console/points/customers/{cid}/movements")
            assert recs.headers["x-total-count"] == "2"
            assert recs.json()[0]["points"] == 40
            bad = await s.get("/api/console/points/customers/nobody")
            assert bad.status_code == 422 and "customer_id" in bad.json()["detail"]

    async def test_missing_permission_is_403_X1(self, points_app):
        async with h.client(points_app, h.staff("orders:query")) as s:
            r = await s.get(f"/api/console/points/customers/{uuid.uuid4()}")
        assert r.status_code == 403 and "points:query" in r.json()["detail"]

    async def test_customer_gets_403_on_console(self, points_app):
        cid = uuid.uuid4()
        async with h.client(points_app, h.customer(cid)) as c:
            assert (await c.get(f"/api/console/points/customers/{cid}")).status_code == 403

    async def test_staff_get_403_on_portal_and_no_token_401(self, points_app):
        async with h.client(points_app, h.staff()) as s:
            assert (await s.get("/api/portal/points")).status_code == 403
        async with h.client(points_app) as c:
            assert (await c.get("/api/portal/points")).status_code == 401
