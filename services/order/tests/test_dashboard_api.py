"""Integration: the console home's charts (X-4) on the order service's real database —
the period (last 12 months by default, every month with zeros, 422 when wrong); orders
and amount per month and per area, the top consumables (machines and cancelled/rejected
orders do not count), customers by grade and the daily anomaly counts; amounts null
until the query password is entered (A-2); staff bound to areas see only theirs (C-7).

The database is shared by the whole run: each test makes customers of its own areas and
asks as staff bound to them, so the figures are exactly its own."""

import dataclasses
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from dinghuo_contracts import CatalogLine, CustomerApproved, CustomerGradeChanged
from order_service.analysis import dashboard_domain as rules
from order_service.analysis.domain import InvalidPeriod
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date
from sqlalchemy import text

from .test_credit_limits_api import review
from .test_redemption_api import deliver, place

URL = "/api/console/analysis/dashboard"


def unlocked(*perms, areas=()):
    return dataclasses.replace(h.staff(*perms, areas=areas), sensitive=True)


def new_area() -> str:
    return f"看板{uuid.uuid4().hex[:8]}"


async def customer(order_db, area, grade=None):
    """An approved customer of `area` with ink (consumable, 100.00), toner (consumable,
    40.00) and a printer (machine, 30000.00)."""
    cid, ink, toner, printer = (uuid.uuid4() for _ in range(4))
    number = f"C{cid.hex[:6]}"
    await deliver(order_db, CustomerApproved(
        customer_id=cid, customer_number=number, company_name=f"看板客户{cid.hex[:4]}",
        area=area, approved_by="admin", payment_terms_days=30, catalog=[
            CatalogLine(product_id=ink, name="墨水", model="INK-1L",
                        unit_price=Decimal("100.00"), category="consumable"),
            CatalogLine(product_id=toner, name="碳粉", model="TON-1",
                        unit_price=Decimal("40.00"), category="consumable"),
            CatalogLine(product_id=printer, name="喷绘机", model="P-1",
                        unit_price=Decimal("30000.00"), category="machine")]))
    if grade:
        await deliver(order_db, CustomerGradeChanged(
            customer_id=cid, customer_number=number, company_name="看板客户",
            previous_grade="normal", grade=grade, paid_total=Decimal("0.00"),
            reason="test", changed_by="admin", changed_by_kind="staff", area=area))
    return cid, ink, toner, printer


async def order(app, cid, lines) -> dict:
    r = await place(app, cid, lines, 0)
    assert r.status_code == 201, r.text
    return r.json()


async def move(order_db, oid, day: date) -> None:
    """Date an order earlier, as if it had been placed that day."""
    async with order_db.engine.begin() as c:
        await c.execute(text("UPDATE orders SET order_date = :d WHERE id = :id"),
                        {"d": day, "id": oid})


async def snapshot(order_db, day: date, area: str, customers: int) -> None:
    """A daily anomaly count, as the analysis's daily job writes it."""
    async with order_db.engine.begin() as c:
        await c.execute(text("INSERT INTO anomaly_snapshots (day, area, customers) "
                             "VALUES (:d, :a, :n)"), {"d": day, "a": area, "n": customers})


async def figures(app, principal, **params):
    async with h.client(app, principal) as s:
        return await s.get(URL, params=params)


class TestRules:
    def test_the_default_period_is_the_last_12_months_X4(self):
        today = date(2026, 12, 7)
        assert rules.period(None, None, today) == (date(2026, 1, 1), today)
        assert rules.period(None, date(2026, 2, 10), today) == (date(2025, 3, 1),
                                                                 date(2026, 2, 10))
        assert rules.period(date(2026, 11, 15), None, today) == (date(2026, 11, 15), today)

    def test_a_wrong_or_long_period_is_refused_X4(self):
        with pytest.raises(InvalidPeriod):
            rules.period(date(2026, 12, 8), date(2026, 12, 7), date(2026, 12, 7))
        with pytest.raises(InvalidPeriod):
            rules.period(date(2022, 1, 1), date(2026, 12, 7), date(2026, 12, 7))

    def test_every_month_of_the_period_with_zeros_X4(self):
        rows = [(date(2025, 12, 1), 2, Decimal("10.00"))]
        assert rules.per_month(date(2025, 11, 15), date(2026, 2, 3), rows) == [
            ("2025-11", 0, Decimal("0.00")), ("2025-12", 2, Decimal("10.00")),
            ("2026-01", 0, Decimal("0.00")), ("2026-02", 0, Decimal("0.00"))]
        assert rules.months(date(2026, 12, 31), date(2026, 12, 31)) == ["2026-12"]

    def test_every_grade_in_order(self):
        assert rules.per_grade([("large", 2), ("vip", 1)]) == [
            ("normal", 0), ("small", 0), ("large", 2), ("vip", 1)]

    def test_amounts_hidden_while_locked_A2(self):
        assert rules.shown(Decimal("5.00"), locked=True) is None
        assert rules.shown(Decimal("5.00"), locked=False) == Decimal("5.00")


class TestPeriod:
    async def test_the_last_12_months_by_default_every_month_zero_X4(self, order_app):
        area = new_area()
        r = await figures(order_app, unlocked("reports:query", areas=(area,)))
        assert r.status_code == 200, r.text
        body = r.json()
        today = business_date()
        assert (body["from"], body["to"]) == (rules.add_months(today, -11).isoformat(),
                                              today.isoformat())
        assert len(body["months"]) == 12
        assert body["months"][-1]["month"] == today.strftime("%Y-%m")
        assert all((m["orders"], m["amount"]) == (0, "0.00") for m in body["months"])
        assert (body["order_count"], body["amount"]) == (0, "0.00")
        assert body["areas"] == body["consumables"] == body["anomalies"] == []
        assert body["grades"] == [{"grade": g, "customers": 0}
                                  for g in ("normal", "small", "large")]

    async def test_a_chosen_period_lists_its_months_X4(self, order_app):
        r = await figures(order_app, unlocked("reports:query", areas=(new_area(),)),
                          **{"from": "2025-11-15", "to": "2026-02-03"})
        assert r.status_code == 200, r.text
        assert [m["month"] for m in r.json()["months"]] == [
            "2025-11", "2025-12", "2026-01", "2026-02"]

    @pytest.mark.parametrize(("params", "words"), [
        ({"from": "2026-03-02", "to": "2026-03-01"}, "must not be after"),
        ({"from": "2020-01-01", "to": "2026-03-01"}, "at most three years"),
        ({"from": "x"}, "date"),
        ({"to": "2026-02-30"}, "date"),
    ])
    async def test_a_wrong_period_is_422_X4(self, order_app, params, words):
        r = await figures(order_app, unlocked("reports:query"), **params)
        assert r.status_code == 422, r.text
        assert words in r.text

    async def test_reports_query_is_needed(self, order_app):
        r = await figures(order_app, unlocked("orders:query"))
        assert r.status_code == 403 and "reports:query" in r.json()["detail"]
        async with h.client(order_app, h.customer()) as c:
            assert (await c.get(URL)).status_code == 403


class TestFigures:
    async def test_months_areas_consumables_grades_of_the_orders_X4(self, order_app,
                                                                     order_db):
        east, west = new_area(), new_area()
        a, ink_a, toner_a, printer_a = await customer(order_db, east, grade="large")
        b, ink_b, toner_b, _ = await customer(order_db, east)
        c, ink_c, _, _ = await customer(order_db, west, grade="small")
        today = business_date()
        this_month = today.replace(day=1)
        o1 = await order(order_app, a, [(ink_a, 3), (printer_a, 1)])      # 30300.00
        o2 = await order(order_app, b, [(toner_b, 10)])                    # 400.00
        o3 = await order(order_app, c, [(ink_c, 1)])                       # 100.00
        earlier = await order(order_app, a, [(toner_a, 5)])                # 200.00
        await move(order_db, earlier["id"], rules.add_months(this_month, -2))
        gone = await order(order_app, b, [(ink_b, 50)])
        assert (await review(order_app, gone["id"], decision="reject")).status_code == 200

        staff = unlocked("reports:query", areas=(east, west))
        body = (await figures(order_app, staff)).json()
        assert body["amounts_locked"] is False
        months = {m["month"]: m for m in body["months"]}
        assert months[today.strftime("%Y-%m")] == {
            "month": today.strftime("%Y-%m"), "orders": 3, "amount": "30800.00"}
        two_ago = rules.add_months(this_month, -2).strftime("%Y-%m")
        assert (months[two_ago]["orders"], months[two_ago]["amount"]) == (1, "200.00")
        one_ago = rules.add_months(this_month, -1).strftime("%Y-%m")
        assert (months[one_ago]["orders"], months[one_ago]["amount"]) == (0, "0.00")
        assert (body["order_count"], body["amount"]) == (4, "31000.00")
        assert sum(Decimal(x["total"]) for x in (o1, o2, o3, earlier)) == Decimal("31000.00")

        assert body["areas"] == [{"area": east, "orders": 3, "amount": "30900.00"},
                                 {"area": west, "orders": 1, "amount": "100.00"}]
        # consumables only (not the printer), largest amount first
        assert body["consumables_ranked_by"] == "amount"
        assert body["consumables"] == [
            {"model": "TON-1", "name": "碳粉", "quantity": 15, "amount": "600.00"},
            {"model": "INK-1L", "name": "墨水", "quantity": 4, "amount": "400.00"}]
        assert body["grades"] == [{"grade": "normal", "customers": 1},
                                  {"grade": "small", "customers": 1},
                                  {"grade": "large", "customers": 1}]

        # a period of this month only
        r = await figures(order_app, staff, **{"from": this_month.isoformat(),
                                               "to": today.isoformat()})
        assert [m["month"] for m in r.json()["months"]] == [today.strftime("%Y-%m")]
        assert r.json()["order_count"] == 3

    async def test_amounts_null_until_the_query_password_counts_still_shown_A2(
            self, order_app, order_db):
        area = new_area()
        a, ink, toner, _ = await customer(order_db, area)
        await order(order_app, a, [(ink, 3), (toner, 5)])  # 300.00 + 200.00
        locked = h.staff("reports:query", areas=(area,))
        r = await figures(order_app, locked)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["amounts_locked"] is True and body["amount"] is None
        assert body["order_count"] == 1
        assert all(m["amount"] is None for m in body["months"])
        assert body["areas"] == [{"area": area, "orders": 1, "amount": None}]
        # ranked by what is shown: quantity
        assert body["consumables_ranked_by"] == "quantity"
        assert body["consumables"] == [
            {"model": "TON-1", "name": "碳粉", "quantity": 5, "amount": None},
            {"model": "INK-1L", "name": "墨水", "quantity": 3, "amount": None}]

        body = (await figures(order_app, unlocked("reports:query", areas=(area,)))).json()
        assert (body["amounts_locked"], body["amount"]) == (False, "500.00")
        assert [c["model"] for c in body["consumables"]] == ["INK-1L", "TON-1"]

    async def test_staff_bound_to_areas_see_only_theirs_C7(self, order_app, order_db):
        mine, other = new_area(), new_area()
        a, ink_a, _, _ = await customer(order_db, mine, grade="small")
        b, ink_b, _, _ = await customer(order_db, other, grade="large")
        await order(order_app, a, [(ink_a, 2)])
        await order(order_app, b, [(ink_b, 7)])
        today = business_date()
        await snapshot(order_db, today, mine, 2)
        await snapshot(order_db, today, other, 9)

        body = (await figures(order_app, unlocked("reports:query", areas=(mine,)))).json()
        assert body["order_count"] == 1 and body["amount"] == "200.00"
        assert [x["area"] for x in body["areas"]] == [mine]
        assert body["consumables"] == [
            {"model": "INK-1L", "name": "墨水", "quantity": 2, "amount": "200.00"}]
        assert {g["grade"]: g["customers"] for g in body["grades"]} == {
            "normal": 0, "small": 1, "large": 0}
        assert body["anomalies"] == [{"day": today.isoformat(), "customers": 2}]

        # unbound staff see both areas among everyone's
        body = (await figures(order_app, unlocked("reports:query"))).json()
        assert {mine, other} <= {x["area"] for x in body["areas"]}
        assert body["order_count"] >= 2


class TestAnomalies:
    async def test_the_daily_counts_summed_over_the_staffs_areas_X4(self, order_app,
                                                                    order_db):
        one, two, three = new_area(), new_area(), new_area()
        today = business_date()
        days = [today - timedelta(days=n) for n in (40, 2, 1)]
        for day, (x, y, z) in zip(days, [(1, 2, 50), (3, 0, 50), (4, 6, 50)], strict=True):
            await snapshot(order_db, day, one, x)
            await snapshot(order_db, day, two, y)
            await snapshot(order_db, day, three, z)
        staff = unlocked("reports:query", areas=(one, two))
        body = (await figures(order_app, staff)).json()
        assert body["anomalies"] == [
            {"day": days[0].isoformat(), "customers": 3},
            {"day": days[1].isoformat(), "customers": 3},
            {"day": days[2].isoformat(), "customers": 10}]
        # only the days of the period
        r = await figures(order_app, h.staff("reports:query", areas=(one, two)),
                          **{"from": days[1].isoformat(), "to": today.isoformat()})
        assert [d["customers"] for d in r.json()["anomalies"]] == [3, 10]
