"""The order query (A-1, C-7) on the order service's real database: conditions combined
(customer, text, area, grade, payment method, paid / unpaid / overdue, status, period,
amount range, model), rejected and cancelled orders only when asked by status, the sorts
(amount, machines, cycle, date) with a stable tie-break, the totals row over every
match, staff bound to areas, the 422s, and the Excel export with its totals row. The
query's pure rules are tested first, without a database."""

import io
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from dinghuo_contracts import (
    CatalogLine,
    CustomerApproved,
    CustomerCycleChanged,
    CustomerGradeChanged,
    ServiceDeskMachinesCounted,
)
from openpyxl import load_workbook
from order_service.analysis import query as query_endpoints
from order_service.analysis import query_domain as domain
from order_service.messaging import registry
from servicekit.errors import Unprocessable
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date

URL = "/api/console/analysis/orders"
EXPORT = "/api/console/analysis/orders/export.xlsx"
TODAY = business_date()
ANALYST = h.staff("reports:query", username="analyst")


# ====================================================================== pure rules
class TestQueryRulesA1:
    def test_cycle_length_weekly_is_seven_and_no_cycle_is_none(self):
        assert domain.cycle_length("days", 14) == 14
        assert domain.cycle_length("weekday", None) == 7
        assert domain.cycle_length(None, None) is None

    def test_contradicting_conditions_are_refused(self):
        with pytest.raises(Unprocessable, match="period is the wrong way round"):
            domain.OrderQuery(date_from=TODAY, date_to=TODAY - timedelta(days=1)).check()
        with pytest.raises(Unprocessable, match="amount range is the wrong way round"):
            domain.OrderQuery(amount_min=Decimal("10"), amount_max=Decimal("9.99")).check()
        with pytest.raises(Unprocessable, match="Unknown order status lost"):
            domain.OrderQuery(statuses=("lost",)).check()
        assert domain.OrderQuery(date_from=TODAY, date_to=TODAY,
                                 amount_min=Decimal("1"), amount_max=Decimal("1")).check()

    def test_payment_states_are_the_order_lists_filters(self):
        f = domain.OrderQuery(payment="paid", today=TODAY).order_filter()
        assert (f.paid, f.overdue) == (True, None)
        f = domain.OrderQuery(payment="unpaid", today=TODAY).order_filter()
        assert (f.paid, f.overdue) == (False, None)
        f = domain.OrderQuery(payment="overdue", today=TODAY).order_filter()
        assert (f.paid, f.overdue, f.today) == (None, True, TODAY)

    def test_rejected_and_cancelled_are_left_out_unless_asked_by_status(self):
        assert domain.OrderQuery().excludes_not_business
        assert not domain.OrderQuery(statuses=("cancelled",)).excludes_not_business

    def test_like_wildcards_are_taken_literally(self):
        assert domain.like_pattern("50%_a\\b") == "%50\\%\\_a\\\\b%"

    def test_a_whole_order_number_is_looked_up_as_one(self):
        assert domain.looks_like_order_number(" dh20261202-0003 ")
        assert domain.looks_like_order_number("DH20261202-12345")
        assert not domain.looks_like_order_number("DH20261202")
        assert not domain.looks_like_order_number("上海DH20261202-0003")

    def test_repeated_values_are_trimmed_once_each(self):
        assert domain.clean_values([" 华东 ", "", "华东", "华北"]) == ("华东", "华北")
        assert domain.clean_text("  ") is None

    def test_cycle_is_described_in_both_languages(self):
        assert domain.describe_cycle("days", 14, None, "zh") == "每 14 天"
        assert domain.describe_cycle("weekday", None, 3, "zh") == "每周三"
        assert domain.describe_cycle("weekday", None, 7, "en") == "weekly on Sun"
        assert domain.describe_cycle(None, None, None, "zh") is None

    def test_export_totals_add_up_the_rows(self):
        rows = [{"total": Decimal("100.00"), "payable": Decimal("90.00"),
                 "paid_total": Decimal("90.00"), "outstanding": Decimal("0.00"),
                 "total_quantity": 10},
                {"total": Decimal("200.00"), "payable": Decimal("200.00"),
                 "paid_total": Decimal("50.00"), "outstanding": Decimal("150.00"),
                 "total_quantity": 4}]
        t = domain.Totals()
        for r in rows:
            t = domain.add_row(t, r)
        assert t == domain.Totals(2, Decimal("300.00"), Decimal("290.00"),
                                  Decimal("140.00"), Decimal("150.00"), 14)
        values = dict(zip(domain.EXPORT_COLUMNS, domain.totals_values(t, "zh"), strict=True))
        assert values["number"] == "合计（2 单）" and values["total"] == Decimal("300.00")
        assert values["customer_name"] is None

    def test_an_export_holds_at_most_100000_orders(self):
        domain.check_export_size(100_000)
        with pytest.raises(Unprocessable, match="100001 orders match"):
            domain.check_export_size(100_001)


# ====================================================================== the data
async def deliver(order_db, event):
    await h.deliver(order_db.sessionmaker, "order", registry, event)


async def new_customer(order_db, *, name, area, grade="normal", machines=0,
                       cycle=None, terms=10):
    """An approved customer with ink (10.00, INK-Q1) and toner (50.00, TN-Q2); its grade,
    installed machines and ordering cycle (("days", 14) or ("weekday", 3)) announced."""
    cid, ink, toner = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    number = f"KQ{cid.hex[:6]}"
    await deliver(order_db, CustomerApproved(
        customer_id=cid, customer_number=number, company_name=name, area=area,
        approved_by="admin", payment_terms_days=terms, catalog=[
            CatalogLine(product_id=ink, name="墨水", model="INK-Q1",
                        unit_price=Decimal("10.00"), category="consumable"),
            CatalogLine(product_id=toner, name="碳粉", model="TN-Q2",
                        unit_price=Decimal("50.00"), category="consumable")]))
    if grade != "normal":
        await deliver(order_db, CustomerGradeChanged(
            customer_id=cid, customer_number=number, company_name=name,
            previous_grade="normal", grade=grade, paid_total=Decimal("0"), reason="test",
            changed_by="admin", changed_by_kind="staff", area=area))
    if machines:
        await deliver(order_db, ServiceDeskMachinesCounted(
            customer_id=cid, machines=machines, counted_at=datetime.now(UTC)))
    if cycle:
        kind, n = cycle
        await deliver(order_db, CustomerCycleChanged(
            customer_id=cid, kind=kind, days=n if kind == "days" else None,
            weekday=n if kind == "weekday" else None, changed_by="admin"))
    return cid, number, ink, toner


async def place(app, cid, lines) -> dict:
    async with h.client(app, h.customer(cid)) as c:
        r = await c.post("/api/portal/orders", json={
            "delivery_date": (TODAY + timedelta(days=3)).isoformat(), "bill_type": "none",
            "lines": [{"product_id": str(p), "quantity": q} for p, q in lines]})
    assert r.status_code == 201, r.text
    return r.json()


async def review(app, *ids, decision="approve"):
    async with h.client(app, h.staff(username="reviewer")) as s:
        r = await s.post("/api/console/orders/review", json={
            "order_ids": [str(i) for i in ids], "decision": decision})
    assert r.status_code == 200, r.text


async def pay(app, oid, amount, method) -> str:
    async with h.client(app, h.staff(username="cashier")) as s:
        r = await s.post(f"/api/console/orders/{oid}/payments", json={
            "amount": amount, "paid_on": TODAY.isoformat(), "method": method})
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def reverse(app, oid, pid):
    async with h.client(app, h.staff(username="cashier")) as a:
        r = await a.post(f"/api/console/orders/{oid}/payments/{pid}/reversal",
                         json={"reason": "记错了"})
        assert r.status_code == 201, r.text
    async with h.client(app, h.staff(username="finance")) as b:
        r = await b.post(f"/api/console/orders/{oid}/payments/{pid}/reversal/approve")
        assert r.status_code == 200, r.text


@pytest.fixture
async def world(order_app, order_db):
    """Three customers in two areas of their own (so other tests' orders stay out):
    A large, 5 machines, every 14 days, area X; B small, 2 machines, weekly, area Y;
    C normal, no machines, no cycle, area X. Orders (approved ones due in 10 days):
    a1 A 100.00 paid by bank transfer; a2 A 200.00, 50.00 paid in cash; b1 B 300.00
    unpaid (a wechat payment reversed); b2 B 10.00 rejected; c1 C 100.00 submitted."""
    tag = uuid.uuid4().hex[:6]
    x, y = f"区X{tag}", f"区Y{tag}"
    a, a_no, a_ink, a_toner = await new_customer(order_db, name=f"甲印务{tag}", area=x,
                                                 grade="large", machines=5,
                                                 cycle=("days", 14))
    b, b_no, b_ink, _ = await new_customer(order_db, name=f"乙图文{tag}", area=y,
                                           grade="small", machines=2,
                                           cycle=("weekday", 3))
    c, c_no, c_ink, c_toner = await new_customer(order_db, name=f"丙广告_{tag}", area=x)
    a1 = await place(order_app, a, [(a_ink, 10)])
    a2 = await place(order_app, a, [(a_toner, 4)])
    b1 = await place(order_app, b, [(b_ink, 30)])
    b2 = await place(order_app, b, [(b_ink, 1)])
    c1 = await place(order_app, c, [(c_toner, 1), (c_ink, 5)])
    await review(order_app, a1["id"], a2["id"], b1["id"])
    await review(order_app, b2["id"], decision="reject")
    await pay(order_app, a1["id"], "100.00", "bank_transfer")
    await pay(order_app, a2["id"], "50.00", "cash")
    wrong = await pay(order_app, b1["id"], "30.00", "wechat")
    await reverse(order_app, b1["id"], wrong)
    return {"tag": tag, "x": x, "y": y, "a": a, "b": b, "c": c,
            "numbers": {"a": a_no, "b": b_no, "c": c_no},
            "o": {k: o["number"] for k, o in
                  {"a1": a1, "a2": a2, "b1": b1, "b2": b2, "c1": c1}.items()}}


async def find(app, params, staff=ANALYST):
    """The numbers of the orders found (in order) and the whole answer."""
    async with h.client(app, staff) as s:
        r = await s.get(URL, params=params)
    assert r.status_code == 200, r.text
    return [o["number"] for o in r.json()["items"]], r.json()


def both(w):
    return {"area": [w["x"], w["y"]]}


# ====================================================================== the query
class TestConditionsA1:
    async def test_every_order_of_the_areas_but_the_rejected_one_newest_first(
            self, order_app, world):
        o = world["o"]
        found, body = await find(order_app, both(world))
        assert found == [o["c1"], o["b1"], o["a2"], o["a1"]]  # same day: by number, desc
        assert body["total"] == 4 and body["totals"]["count"] == 4
        found, _ = await find(order_app, {**both(world), "status": ["rejected", "submitted"]})
        assert found == [o["c1"], o["b2"]]

    async def test_each_item_carries_customer_cycle_and_payments(self, order_app, world):
        _, body = await find(order_app, {"customer_id": str(world["a"]), "sort": "amount",
                               "order": "asc"})
        a1, a2 = body["items"]
        assert (a1["customer_number"], a1["area"], a1["grade"], a1["machine_count"]) == (
            world["numbers"]["a"], world["x"], "large", 5)
        assert (a1["cycle_kind"], a1["cycle_days"], a1["cycle_length"]) == ("days", 14, 14)
        assert (a1["total"], a1["payable"], a1["paid"], a1["outstanding"]) == (
            "100.00", "100.00", "100.00", "0.00")
        assert (a1["payment_status"], a1["payment_methods"]) == ("paid", ["bank_transfer"])
        assert a2["outstanding"] == "150.00" and a2["payment_methods"] == ["cash"]
        assert a2["due_date"] == (TODAY + timedelta(days=10)).isoformat()
        assert a2["overdue"] is False and a2["total_quantity"] == 4

    async def test_conditions_combine(self, order_app, world):
        o, x = world["o"], world["x"]
        cases = [
            ({"area": x}, {"a1", "a2", "c1"}),
            ({"area": x, "grade": "large"}, {"a1", "a2"}),
            ({**both(world), "grade": ["small", "normal"]}, {"b1", "c1"}),
            ({**both(world), "customer_id": [str(world["b"]), str(world["c"])]},
             {"b1", "c1"}),
            ({**both(world), "payment_method": "cash"}, {"a2"}),
            ({**both(world), "payment_method": ["cash", "bank_transfer"]}, {"a1", "a2"}),
            ({**both(world), "payment_method": "wechat"}, set()),  # reversed: not counted
            ({**both(world), "payment": "paid"}, {"a1"}),
            ({**both(world), "payment": "unpaid"}, {"a2", "b1", "c1"}),
            ({**both(world), "payment": "overdue"}, set()),
            ({**both(world), "status": "processing"}, {"a1", "a2", "b1"}),
            ({**both(world), "amount_min": "100", "amount_max": "200"}, {"a1", "a2", "c1"}),
            ({**both(world), "amount_min": "150.01"}, {"a2", "b1"}),
            ({**both(world), "model": "tn-q2"}, {"a2", "c1"}),
            ({**both(world), "model": "INK-Q1", "grade": "large", "payment": "paid"},
             {"a1"}),
            ({**both(world), "from": TODAY.isoformat(), "to": TODAY.isoformat()},
             {"a1", "a2", "b1", "c1"}),
            ({**both(world), "to": (TODAY - timedelta(days=1)).isoformat()}, set()),
            ({"q": f"乙图文{world['tag']}"}, {"b1"}),
            ({"q": world["numbers"]["c"]}, {"c1"}),
            ({"q": o["a2"]}, {"a2"}),
            ({"q": o["a2"].lower()}, {"a2"}),
            ({**both(world), "q": o["a2"][:-1]}, set()),  # a number is looked up whole
            ({**both(world), "q": "丙广告_"}, {"c1"}),
            ({**both(world), "q": "广告%"}, set()),  # % is a character, not a wildcard
            ({**both(world), "q": "_"}, {"c1"}),
        ]
        for params, expected in cases:
            found, body = await find(order_app, params)
            assert set(found) == {o[k] for k in expected}, params
            assert body["total"] == len(expected), params

    async def test_overdue_once_the_due_date_has_passed(self, order_app, world, monkeypatch):
        o = world["o"]
        monkeypatch.setattr(query_endpoints, "business_date",
                            lambda *a: TODAY + timedelta(days=11))
        found, body = await find(order_app, {**both(world), "payment": "overdue", "sort": "amount"})
        assert found == [o["b1"], o["a2"]]
        assert all(i["overdue"] for i in body["items"])
        found, body = await find(order_app, {**both(world), "sort": "amount", "order": "asc"})
        assert [i["overdue"] for i in body["items"]] == [False, False, True, True]


class TestSortsA1:
    async def test_by_amount_both_ways_with_the_number_breaking_ties(self, order_app, world):
        o = world["o"]
        found, _ = await find(order_app, {**both(world), "sort": "amount", "order": "desc"})
        assert found == [o["b1"], o["a2"], o["c1"], o["a1"]]  # c1 and a1: 100.00 each
        found, _ = await find(order_app, {**both(world), "sort": "amount", "order": "asc"})
        assert found == [o["a1"], o["c1"], o["a2"], o["b1"]]

    async def test_by_installed_machines(self, order_app, world):
        o = world["o"]
        found, _ = await find(order_app, {**both(world), "sort": "machines", "order": "desc"})
        assert found == [o["a2"], o["a1"], o["b1"], o["c1"]]
        found, _ = await find(order_app, {**both(world), "sort": "machines", "order": "asc"})
        assert found == [o["c1"], o["b1"], o["a1"], o["a2"]]

    async def test_by_cycle_weekly_is_seven_days_and_no_cycle_comes_last(self, order_app, world):
        o = world["o"]
        found, _ = await find(order_app, {**both(world), "sort": "cycle", "order": "asc"})
        assert found == [o["b1"], o["a1"], o["a2"], o["c1"]]
        found, _ = await find(order_app, {**both(world), "sort": "cycle", "order": "desc"})
        assert found == [o["a2"], o["a1"], o["b1"], o["c1"]]

    async def test_pages_follow_the_sort(self, order_app, world):
        o = world["o"]
        first, body = await find(order_app, {**both(world), "sort": "amount", "limit": 2})
        second, _ = await find(order_app, {**both(world), "sort": "amount", "limit": 2,
                                           "offset": 2})
        assert first + second == [o["b1"], o["a2"], o["c1"], o["a1"]]
        assert body["total"] == 4 and body["totals"]["count"] == 4


class TestTotalsA1:
    async def test_totals_cover_every_match_not_only_the_page(self, order_app, world):
        _, body = await find(order_app, {**both(world), "limit": 1})
        assert len(body["items"]) == 1
        assert body["totals"] == {"count": 4, "amount": "700.00", "payable": "700.00",
                                  "paid": "150.00", "outstanding": "550.00",
                                  "quantity": 50}
        # Nothing is owed on a rejected (or cancelled) order: no outstanding amount, on
        # the row or in the totals (issue 15).
        _, body = await find(order_app, {**both(world), "grade": "small", "status": "rejected"})
        assert body["totals"] == {"count": 1, "amount": "10.00", "payable": "10.00",
                                  "paid": "0.00", "outstanding": "0.00", "quantity": 1}
        assert body["items"][0]["outstanding"] == "0.00"

    async def test_nothing_found_totals_zero(self, order_app, world):
        found, body = await find(order_app, {"area": f"无此区{world['tag']}"})
        assert found == [] and body["total"] == 0
        assert body["totals"] == {"count": 0, "amount": "0.00", "payable": "0.00",
                                  "paid": "0.00", "outstanding": "0.00", "quantity": 0}


class TestAreasC7:
    async def test_staff_bound_to_an_area_see_only_its_customers_A1_C7(self, order_app, world):
        o = world["o"]
        bound = h.staff("reports:query", username="west", areas=(world["x"],))
        found, body = await find(order_app, {}, staff=bound)
        assert set(found) == {o["a1"], o["a2"], o["c1"]}
        assert body["totals"]["amount"] == "400.00"
        found, _ = await find(order_app, {"area": world["y"]}, staff=bound)
        assert found == []
        found, _ = await find(order_app, {"customer_id": str(world["b"])}, staff=bound)
        assert found == []
        async with h.client(order_app, bound) as s:
            r = await s.get(EXPORT, params={"customer_id": str(world["b"])})
        assert r.status_code == 200 and r.headers["x-total-count"] == "0"


class TestRefusalsA1:
    async def test_needs_reports_query(self, order_app):
        async with h.client(order_app, h.staff("orders:query")) as s:
            assert (await s.get(URL)).status_code == 403
            assert (await s.get(EXPORT)).status_code == 403
        async with h.client(order_app, h.customer()) as c:
            assert (await c.get(URL)).status_code == 403
        async with h.client(order_app) as anon:
            assert (await anon.get(URL)).status_code == 401

    @pytest.mark.parametrize(("params", "words"), [
        ({"from": "2026-12-05", "to": "2026-12-01"}, "period is the wrong way round"),
        ({"amount_min": "200", "amount_max": "100"}, "amount range is the wrong way round"),
        ({"grade": "huge"}, "grade"),
        ({"payment": "later"}, "payment"),
        ({"status": "lost"}, "status"),
        ({"sort": "colour"}, "sort"),
        ({"order": "sideways"}, "order"),
        ({"limit": "201"}, "limit"),
        ({"amount_min": "-1"}, "amount_min"),
        ({"amount_max": "1e5"}, "amount_max"),
        ({"from": "2026-02-30"}, "from"),
        ({"customer_id": "not-a-uuid"}, "customer_id"),
    ])
    async def test_bad_conditions_are_422_with_a_message(self, order_app, params, words):
        async with h.client(order_app, ANALYST) as s:
            for url in (URL, EXPORT) if "limit" not in params else (URL,):
                r = await s.get(url, params=params)
                assert r.status_code == 422, (url, r.text)
                assert words in r.json()["detail"], r.json()

    async def test_an_export_too_large_is_refused(self, order_app, monkeypatch):
        monkeypatch.setattr(domain, "MAX_EXPORT_ROWS", 0)
        async with h.client(order_app, ANALYST) as s:
            r = await s.get(EXPORT)
        assert r.status_code == 422 and "narrow the conditions" in r.json()["detail"]


# ====================================================================== the export
class TestExportA1:
    async def test_same_conditions_and_sort_with_a_totals_row(self, order_app, world):
        o = world["o"]
        async with h.client(order_app, ANALYST) as s:
            r = await s.get(EXPORT, params={**both(world), "sort": "amount",
                                            "order": "asc"})
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        assert r.headers["x-total-count"] == "4"
        sheet = load_workbook(io.BytesIO(r.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        head = rows[0]
        assert head[:5] == ("订单号", "订货日期", "状态", "客户编号", "客户名称")
        col = {name: i for i, name in enumerate(head)}
        assert [r[0] for r in rows[1:5]] == [o["a1"], o["c1"], o["a2"], o["b1"]]
        a2 = rows[3]
        assert (a2[col["客户等级"]], a2[col["机器数量"]], a2[col["订货周期"]]) == (
            "大客户", 5, "每 14 天")
        assert (a2[col["金额"]], a2[col["已付金额"]], a2[col["未付金额"]]) == (200, 50, 150)
        assert a2[col["付款方式"]] == "现金" and a2[col["状态"]] == "已审核待发货"
        assert rows[4][col["订货周期"]] == "每周三"
        total = rows[5]
        assert total[0] == "合计（4 单）" and len(rows) == 6
        assert (total[col["金额"]], total[col["应付金额"]], total[col["已付金额"]],
                total[col["未付金额"]], total[col["数量"]]) == (700, 700, 150, 550, 50)
        assert total[col["客户名称"]] is None

    async def test_in_english(self, order_app, world):
        async with h.client(order_app, ANALYST) as s:
            r = await s.get(EXPORT, params={"customer_id": str(world["b"]), "lang": "en",
                                            "status": "rejected"})
        rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
        assert rows[0][:3] == ("Order number", "Order date", "Status")
        assert rows[1][2] == "rejected" and rows[-1][0] == "Total (1 orders)"


class TestOpenApiA1:
    async def test_the_rule_about_rejected_and_cancelled_orders_is_documented(
            self, order_app):
        async with h.client(order_app) as c:
            doc = (await c.get("/openapi.json")).json()
        get = doc["paths"][URL]["get"]
        assert "rejected and cancelled orders are left out" in get["description"]
        names = {p["name"] for p in get["parameters"]}
        assert {"customer_id", "q", "area", "grade", "payment_method", "payment", "status",
                "from", "to", "amount_min", "amount_max", "model", "sort", "order",
                "offset", "limit"} <= names
        assert EXPORT in doc["paths"]
