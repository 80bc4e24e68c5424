"""Integration: anomaly analysis of ordering cycles on the order service's real database
(A-3, A-4, B-6, C-6, C-7): table 1 lists the customers past their cycle with the days
overdue, the usual order value and the processing status, filtered, sorted and paged;
table 2 gives one customer's details, recent orders, cycle history and follow-up log;
a follow-up belongs to the current miss (409 when not overdue); ordering again takes the
customer off table 1; the order status per customer and its consumables behind the query
password; staff bound to other areas see none of it; the daily count job fills the last
90 days from the order history, the same rows when run twice."""

import dataclasses
import uuid
from datetime import date, timedelta
from decimal import Decimal

from dinghuo_contracts import CatalogLine, CustomerApproved, CustomerCycleChanged
from order_service.analysis.anomalies_domain import (
    SNAPSHOT_JOB,
    abnormal_on,
    cycle_of,
    snapshot_window,
)
from order_service.analysis.tasks import jobs
from order_service.messaging import registry
from servicekit.scheduler import Scheduler
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date
from sqlalchemy import text

from .test_credit_limits_api import review

TABLE = "/api/console/analysis/anomalies"
DELIVERY = (business_date() + timedelta(days=3)).isoformat()


def ago(n: int) -> date:
    return business_date() - timedelta(days=n)


def unlocked(*perms, areas=()):
    return dataclasses.replace(h.staff(*perms, areas=areas), sensitive=True)


def analyst(areas=()):
    return h.staff("reports:query", username="analyst", areas=areas)


@dataclasses.dataclass
class Customer:
    id: uuid.UUID
    name: str
    ink: uuid.UUID
    printer: uuid.UUID


async def deliver(order_db, event):
    return await h.deliver(order_db.sessionmaker, "order", registry, event, source="customer")


async def customer(order_db, area: str | None, *, name: str | None = None,
                   cycle: tuple | None = ("days", 7, None),
                   since: date | None = None) -> Customer:
    """An approved customer with ink (consumable, 100.00) and a printer (machine,
    30000.00), its ordering cycle set (`since`: the day it was set, default today)."""
    cid, ink, printer = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    name = name or f"周期客户{cid.hex[:6]}"
    await deliver(order_db, CustomerApproved(
        customer_id=cid, customer_number=f"A{cid.hex[:7]}", company_name=name, area=area,
        approved_by="admin", payment_terms_days=30, catalog=[
            CatalogLine(product_id=ink, name="墨水", model="INK-AN", unit_price=Decimal("100.00"),
                        category="consumable"),
            CatalogLine(product_id=printer, name="喷绘机", model="P-AN",
                        unit_price=Decimal("30000.00"), category="machine")]))
    if cycle is not None:
        kind, days, weekday = cycle
        await deliver(order_db, CustomerCycleChanged(customer_id=cid, kind=kind, days=days,
                                                     weekday=weekday, changed_by="staff"))
    if since is not None:
        await sql(order_db, "UPDATE customer_view SET cycle_since = :d WHERE customer_id = :c",
                  d=since, c=cid)
    return Customer(cid, name, ink, printer)


async def sql(order_db, statement: str, **params):
    async with order_db.engine.begin() as c:
        return await c.execute(text(statement), params)


async def order(app, order_db, c: Customer, *, ink=1, printer=0, on: date | None = None) -> dict:
    """An order placed by the customer, dated `on` (backdated in the database, as it is
    still waiting for review)."""
    lines = [{"product_id": str(c.ink), "quantity": ink}]
    if printer:
        lines.append({"product_id": str(c.printer), "quantity": printer})
    async with h.client(app, h.customer(c.id)) as client:
        r = await client.post("/api/portal/orders", json={
            "delivery_date": DELIVERY, "bill_type": "none", "lines": lines})
    assert r.status_code == 201, r.text
    if on is not None:
        await sql(order_db, "UPDATE orders SET order_date = :d WHERE id = :id", d=on,
                  id=uuid.UUID(r.json()["id"]))
    return r.json()


async def table(app, staff=None, **params):
    async with h.client(app, staff or analyst()) as s:
        r = await s.get(TABLE, params=params)
    assert r.status_code == 200, r.text
    return r.json(), int(r.headers["X-Total-Count"])


async def get(app, path, staff=None, **params):
    async with h.client(app, staff or analyst()) as s:
        return await s.get(path, params=params)


async def follow_up(app, cid, staff=None, **body):
    async with h.client(app, staff or analyst()) as s:
        return await s.post(f"{TABLE}/{cid}/follow-ups", json=body)


def area() -> str:
    return f"测试区{uuid.uuid4().hex[:6]}"


class TestTable1A3:
    async def test_a_7_day_cycle_ten_days_after_the_last_order_is_3_days_overdue(
            self, order_app, order_db):
        where = area()
        c = await customer(order_db, where)
        first = await order(order_app, order_db, c, ink=2, on=ago(24))
        last = await order(order_app, order_db, c, ink=4, on=ago(10))
        gone = await order(order_app, order_db, c, ink=50)  # today, then rejected
        assert (await review(order_app, gone["id"], decision="reject")).status_code == 200

        rows, total = await table(order_app, area=where)
        assert total == 1
        [row] = rows
        assert row["customer_id"] == str(c.id) and row["name"] == c.name
        assert (row["area"], row["grade"], row["customer_number"]) == (
            where, "normal", f"A{c.id.hex[:7]}")
        assert row["last_order_date"] == ago(10).isoformat()  # the rejected order: no
        assert row["cycle"] == {"kind": "days", "days": 7, "weekday": None}
        assert (row["expected_date"], row["days_overdue"]) == (ago(3).isoformat(), 3)
        expected = (Decimal(first["total"]) + Decimal(last["total"])) / 2
        assert Decimal(row["usual_value"]) == expected == Decimal("300.00")
        assert row["processing_status"] == "open"

        # filters: part of the area as typed, days overdue, processing status, name /
        # number
        assert (await table(order_app, area=where[3:]))[1] == 1
        assert (await table(order_app, area=where + "x"))[1] == 0
        assert (await table(order_app, area=where, min_days=3))[1] == 1
        assert (await table(order_app, area=where, min_days=4))[1] == 0
        assert (await table(order_app, area=where, status="open"))[1] == 1
        assert (await table(order_app, area=where, status="contacted"))[1] == 0
        assert (await table(order_app, q=c.name))[0][0]["customer_id"] == str(c.id)
        assert (await table(order_app, q=f"a{c.id.hex[:7]}".upper()))[1] == 1

        # it orders again: off table 1
        await order(order_app, order_db, c)
        assert (await table(order_app, area=where))[1] == 0

    async def test_no_order_yet_weekly_and_early_customers_A3_C6(self, order_app, order_db):
        where = area()
        never = await customer(order_db, where, since=ago(10))  # every 7 days, set 10 ago
        fresh = await customer(order_db, where, since=ago(2))
        set_on = ago(10)
        weekly_day = set_on.isoweekday()  # weekly on the weekday it was set: due 3 ago
        weekly = await customer(order_db, where, cycle=("weekday", None, weekly_day),
                                since=set_on)
        early = await customer(order_db, where, cycle=("days", 30, None))
        await order(order_app, order_db, early, on=ago(5))  # ordered before its 30 days
        none = await customer(order_db, where, cycle=None)
        await order(order_app, order_db, none, on=ago(300))

        rows, total = await table(order_app, area=where)
        got = {r["customer_id"]: r for r in rows}
        assert set(got) == {str(never.id), str(weekly.id)} and total == 2
        assert got[str(never.id)]["last_order_date"] is None
        assert got[str(never.id)]["usual_value"] is None
        assert (got[str(never.id)]["expected_date"], got[str(never.id)]["days_overdue"]) == (
            ago(3).isoformat(), 3)
        assert got[str(weekly.id)]["cycle"] == {"kind": "weekday", "days": None,
                                                "weekday": weekly_day}
        assert got[str(weekly.id)]["days_overdue"] == 3

        for c, status in ((fresh, "normal"), (early, "normal"), (none, "normal"),
                          (never, "abnormal")):
            r = await get(order_app, f"/api/console/analysis/customers/{c.id}/status")
            assert r.status_code == 200 and r.json()["status"] == status, (c.name, r.text)
        r = (await get(order_app, f"/api/console/analysis/customers/{early.id}/status")).json()
        assert r == {"status": "normal", "reason_code": "on_time", "days_overdue": 0,
                     "expected_date": (ago(5) + timedelta(days=30)).isoformat(),
                     "last_order_date": ago(5).isoformat(), "reason": r["reason"]}
        assert "next order is expected by" in r["reason"]
        r = (await get(order_app, f"/api/console/analysis/customers/{never.id}/status")).json()
        assert (r["reason_code"], r["days_overdue"], r["last_order_date"]) == (
            "overdue", 3, None)
        assert r["reason"].startswith("Past its ordering cycle (every 7 days, no order yet)")
        r = (await get(order_app, f"/api/console/analysis/customers/{none.id}/status")).json()
        assert (r["reason_code"], r["expected_date"]) == ("no_cycle", None)

    async def test_sorted_paged_and_bad_input_A3(self, order_app, order_db):
        where = area()
        for n in (12, 9, 30):
            c = await customer(order_db, where, name=f"排序客户{n}-{uuid.uuid4().hex[:4]}")
            await order(order_app, order_db, c, on=ago(n))
        rows, total = await table(order_app, area=where)
        assert total == 3 and [r["days_overdue"] for r in rows] == [23, 5, 2]
        rows, _ = await table(order_app, area=where, sort="days_overdue")
        assert [r["days_overdue"] for r in rows] == [2, 5, 23]
        rows, _ = await table(order_app, area=where, sort="-last_order_date")
        assert [r["days_overdue"] for r in rows] == [2, 5, 23]
        rows, total = await table(order_app, area=where, limit=1, offset=1)
        assert total == 3 and [r["days_overdue"] for r in rows] == [5]
        async with h.client(order_app, analyst()) as s:
            for bad in ({"status": "nonsense"}, {"min_days": "-1"}, {"sort": "x"},
                        {"limit": "0"}, {"q": "x" * 101}, {"area": "y" * 101},
                        {"q": "a\x00b"}, {"area": "\x00"}):
                r = await s.get(TABLE, params=bad)
                assert r.status_code == 422 and r.json()["detail"], bad
            r = await s.get(f"{TABLE}/not-a-uuid")
            assert r.status_code == 422

    async def test_staff_of_other_areas_see_nothing_C7(self, order_app, order_db):
        where = area()
        c = await customer(order_db, where)
        await order(order_app, order_db, c, on=ago(10))
        mine = analyst(areas=(where,))
        other = h.staff("reports:query", areas=("别的区域",))
        assert (await table(order_app, mine))[1] == 1
        assert str(c.id) not in {r["customer_id"] for r in (await table(order_app, other))[0]}
        for path in (f"{TABLE}/{c.id}", f"/api/console/analysis/customers/{c.id}/status"):
            assert (await get(order_app, path, other)).status_code == 404
            assert (await get(order_app, path, mine)).status_code == 200
        r = await get(order_app, f"/api/console/analysis/customers/{c.id}/consumables",
                      unlocked("reports:query", areas=("别的区域",)))
        assert r.status_code == 404
        r = await follow_up(order_app, c.id, other, status="contacted")
        assert r.status_code == 404
        async with h.client(order_app, h.staff("orders:query")) as s:
            assert (await s.get(TABLE)).status_code == 403
        async with h.client(order_app, h.customer(c.id)) as s:
            assert (await s.get(f"{TABLE}/{c.id}")).status_code == 403


class TestTable2AndFollowUpsA3B6:
    async def test_details_history_and_the_follow_up_log(self, order_app, order_db):
        where = area()
        c = await customer(order_db, where)
        await sql(order_db, "UPDATE customer_view SET machine_count = 2, grade = 'large' "
                            "WHERE customer_id = :c", c=c.id)
        for n in (40, 33, 20, 10):
            await order(order_app, order_db, c, ink=1 + n // 10, on=ago(n))
        detail = (await get(order_app, f"{TABLE}/{c.id}")).json()
        assert detail["customer"] | {"cycle_since": None} == {
            "customer_id": str(c.id), "customer_number": f"A{c.id.hex[:7]}", "name": c.name,
            "area": where, "grade": "large", "machines": 2, "status": "approved",
            "cycle": {"kind": "days", "days": 7, "weekday": None}, "cycle_since": None}
        assert detail["standing"]["status"] == "abnormal"
        assert detail["standing"]["days_overdue"] == 3
        assert detail["processing_status"] == "open"
        assert [o["order_date"] for o in detail["recent_orders"]] == [
            ago(n).isoformat() for n in (10, 20, 33, 40)]
        assert detail["usual_value"] == "350.00"  # (200 + 300 + 400 + 500) / 4
        assert [(s["days_since_previous"], s["late"]) for s in detail["cycle_history"]] == [
            (10, True), (13, True), (7, False), (None, None)]
        assert detail["follow_ups"] == []

        # a follow-up of the current miss: in the log and table 1's status
        r = await follow_up(order_app, c.id, status="contacted", note="  电话联系，下周订货  ")
        assert r.status_code == 201, r.text
        step = r.json()
        assert (step["status"], step["note"], step["due_date"], step["recorded_by"]) == (
            "contacted", "电话联系，下周订货", ago(3).isoformat(), "analyst")
        r = await follow_up(order_app, c.id, h.staff("reports:query", username="王经理"),
                            status="will_order")
        assert r.status_code == 201 and r.json()["note"] is None
        rows, _ = await table(order_app, area=where)
        assert rows[0]["processing_status"] == "will_order"
        assert (await table(order_app, area=where, status="will_order"))[1] == 1
        assert (await table(order_app, area=where, status="open"))[1] == 0
        log = (await get(order_app, f"{TABLE}/{c.id}")).json()
        assert [(f["status"], f["recorded_by"]) for f in log["follow_ups"]] == [
            ("will_order", "王经理"), ("contacted", "analyst")]
        assert log["processing_status"] == "will_order"

        # bad follow-ups
        for bad in ({"status": "called"}, {}, {"status": "lost", "note": "x" * 1001},
                    {"status": "lost", "extra": 1}, {"status": "lost", "note": "a\x00"}):
            r = await follow_up(order_app, c.id, **bad)
            assert r.status_code == 422 and r.json()["detail"], bad
        assert (await follow_up(order_app, uuid.uuid4(), status="lost")).status_code == 404

        # it orders: off table 1, normal, the log stays; nothing to follow up now
        await order(order_app, order_db, c)
        assert (await table(order_app, area=where))[1] == 0
        detail = (await get(order_app, f"{TABLE}/{c.id}")).json()
        assert detail["standing"]["status"] == "normal"
        assert detail["processing_status"] is None and len(detail["follow_ups"]) == 2
        r = await follow_up(order_app, c.id, status="resolved")
        assert r.status_code == 409 and r.json()["error"] == "NotOverdue"
        assert "not overdue" in r.json()["detail"]

    async def test_a_new_miss_starts_open_again_B6(self, order_app, order_db):
        where = area()
        c = await customer(order_db, where)
        await order(order_app, order_db, c, on=ago(20))
        assert (await follow_up(order_app, c.id, status="lost")).status_code == 201
        assert (await table(order_app, area=where))[0][0]["processing_status"] == "lost"
        await order(order_app, order_db, c, on=ago(9))  # ordered late, missed again since
        [row], _ = await table(order_app, area=where)
        assert (row["days_overdue"], row["processing_status"]) == (2, "open")
        detail = (await get(order_app, f"{TABLE}/{c.id}")).json()
        assert [f["due_date"] for f in detail["follow_ups"]] == [ago(13).isoformat()]


class TestConsumablesA4:
    async def test_locked_until_the_query_password_then_the_lines(self, order_app, order_db):
        c = await customer(order_db, area())
        old = await order(order_app, order_db, c, ink=3, printer=1, on=ago(40))
        new = await order(order_app, order_db, c, ink=2)
        await order(order_app, order_db, c, ink=9, on=ago(400))  # older than 12 months
        path = f"/api/console/analysis/customers/{c.id}/consumables"
        r = await get(order_app, path)
        assert r.status_code == 403 and r.json()["error"] == "SensitiveLocked"
        assert "query password" in r.json()["detail"]
        assert (await get(order_app, path, unlocked("orders:query"))).status_code == 403

        r = await get(order_app, path, unlocked("reports:query"))
        assert r.status_code == 200, r.text
        body = r.json()
        assert (body["months"], body["to"]) == (12, business_date().isoformat())
        assert [(x["order_number"], x["model"], x["quantity"], x["amount"])
                for x in body["lines"]] == [(new["number"], "INK-AN", 2, "200.00"),
                                            (old["number"], "INK-AN", 3, "300.00")]
        assert body["lines"][1]["order_date"] == ago(40).isoformat()
        assert (body["total_quantity"], body["total_amount"]) == (5, "500.00")
        r = await get(order_app, path, unlocked("reports:query"), months=36)
        assert r.json()["total_quantity"] == 14
        for months in (0, 37, "x"):
            r = await get(order_app, path, unlocked("reports:query"), months=months)
            assert r.status_code == 422, months
        r = await get(order_app, f"/api/console/analysis/customers/{uuid.uuid4()}/consumables",
                      unlocked("reports:query"))
        assert r.status_code == 404


class TestDailyCountsJobA3:
    async def test_filled_from_the_history_and_the_same_rows_when_run_twice(
            self, order_app, order_db):
        where = area()
        today = business_date()
        start, end = snapshot_window(today)
        a = await customer(order_db, where, since=ago(100))
        for n in (60, 20):
            await order(order_app, order_db, a, on=ago(n))
        b = await customer(order_db, where, cycle=("weekday", None, 5), since=ago(30))
        await order(order_app, order_db, b, on=ago(45))
        await customer(order_db, where, cycle=("days", 30, None), since=ago(10))
        d = await customer(order_db, where, since=ago(100))
        gone = await order(order_app, order_db, d, on=ago(50))
        assert (await review(order_app, gone["id"], decision="reject")).status_code == 200
        expected_by_rule = {
            day: sum(abnormal_on(cycle, dates, since, day) for cycle, dates, since in (
                (cycle_of("days", 7, None), [ago(60), ago(20)], ago(100)),
                (cycle_of("weekday", None, 5), [ago(45)], ago(30)),
                (cycle_of("days", 30, None), [], ago(10)),
                (cycle_of("days", 7, None), [], ago(100))))
            for day in (start + timedelta(days=i) for i in range(91))}

        # the days are missing (an earlier run of the job in this database filled none
        # of this area's customers in): start from an empty table
        await sql(order_db, "DELETE FROM anomaly_snapshots")
        scheduler = Scheduler(order_db.sessionmaker, jobs(order_app.state.settings))
        assert (await scheduler.run_now(SNAPSHOT_JOB)) == {SNAPSHOT_JOB: 91}

        async def rows():
            result = await sql(order_db, "SELECT day, area, customers FROM anomaly_snapshots "
                                         "ORDER BY day, area")
            return [tuple(r) for r in result]

        first = await rows()
        mine = {day: n for day, a_, n in first if a_ == where}
        assert {day for day, _, _ in first} == set(expected_by_rule)
        assert mine == expected_by_rule
        assert mine[today] == 3  # a, b and d are past their cycles today; c is not
        assert mine[today] == (await table(order_app, area=where))[1]

        # again: the same rows, only today recounted
        assert (await scheduler.run_now(SNAPSHOT_JOB)) == {SNAPSHOT_JOB: 1}
        assert await rows() == first
        # a lost day is filled in again as it was
        await sql(order_db, "DELETE FROM anomaly_snapshots WHERE day = :d", d=ago(30))
        assert (await scheduler.run_now(SNAPSHOT_JOB)) == {SNAPSHOT_JOB: 2}
        assert await rows() == first

        # today follows the day's orders
        await order(order_app, order_db, a)
        await scheduler.run_now(SNAPSHOT_JOB)
        result = await sql(order_db, "SELECT customers FROM anomaly_snapshots "
                                     "WHERE day = :d AND area = :a", d=today, a=where)
        assert result.scalar_one() == 2
        runs = await sql(order_db, "SELECT count(*) FROM scheduled_runs WHERE job = :j "
                                   "AND outcome = 'ok'", j=SNAPSHOT_JOB)
        assert runs.scalar_one() >= 4
