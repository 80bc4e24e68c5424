"""Integration (issue 15): the search box and filters of the console's order lists — the
review queue and all orders — on the real database: one text matched against the order
number, the customer's name and number and the lines' product name and code; status,
date range and area filters; C-7 areas kept; bad input a 4xx or nothing, never a 500."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

from dinghuo_contracts import CatalogLine, CustomerApproved
from order_service.messaging import registry
from servicekit.testing import helpers as h

QUEUE = [("status", "submitted"), ("status", "pending_second_review")]


async def customer(order_db, number, name, area, products):
    """An approved customer of `area` with `products` [(name, model)] in its catalogue."""
    cid = uuid.uuid4()
    pids = [uuid.uuid4() for _ in products]
    await h.deliver(order_db.sessionmaker, "order", registry, CustomerApproved(
        customer_id=cid, customer_number=number, company_name=name, area=area,
        catalog=[CatalogLine(product_id=pid, name=pname, model=model,
                             unit_price=Decimal("10"), list_price=None)
                 for pid, (pname, model) in zip(pids, products, strict=True)],
        approved_by="admin"))
    return cid, pids


async def submit(order_app, cid, pid, qty=1):
    async with h.client(order_app, h.customer(cid)) as c:
        r = await c.post("/api/portal/orders", json={
            "delivery_date": (date.today() + timedelta(days=3)).isoformat(),
            "bill_type": "ordinary_vat",
            "lines": [{"product_id": str(pid), "quantity": qty}]})
    assert r.status_code == 201, r.text
    return r.json()


async def world(order_app, order_db):
    """Two customers in two areas (unique per test run), three pending orders."""
    tag = uuid.uuid4().hex[:6].upper()
    east, west = f"华东{tag}", f"西北{tag}"
    a, (ink, toner) = await customer(order_db, f"CA{tag}", f"上海印美{tag}", east,
                                     [(f"墨水{tag}", f"INK-{tag}"),
                                      (f"碳粉{tag}", f"TN-{tag}")])
    b, (paper,) = await customer(order_db, f"CB{tag}", f"兰州纸业{tag}", west,
                                 [(f"复印纸{tag}", f"PAPER-{tag}")])
    o1 = await submit(order_app, a, ink)
    o2 = await submit(order_app, a, toner)
    o3 = await submit(order_app, b, paper)
    return {"tag": tag, "east": east, "west": west, "a": a, "b": b,
            "o1": o1, "o2": o2, "o3": o3}


async def numbers(order_app, params, principal=None):
    async with h.client(order_app, principal or h.staff("orders:query")) as s:
        r = await s.get("/api/console/orders", params=params)
    assert r.status_code == 200, r.text
    return {o["number"] for o in r.json()}, int(r.headers["X-Total-Count"])


class TestSearchText:
    async def test_by_order_number_customer_name_number_and_product_issue15(
            self, order_app, order_db):
        """One text box finds an order by any of its number, customer name, customer
        number, product name or product code, in the review queue (issue 15)."""
        w = await world(order_app, order_db)
        tag, o1, o2, o3 = w["tag"], w["o1"], w["o2"], w["o3"]
        cases = {
            o1["number"]: {o1["number"]},
            f"上海印美{tag}": {o1["number"], o2["number"]},
            f"cb{tag}".lower(): {o3["number"]},            # customer number, any case
            f"碳粉{tag}": {o2["number"]},                   # product name
            f"ink-{tag}".lower(): {o1["number"]},          # product code, any case
            tag: {o1["number"], o2["number"], o3["number"]},
        }
        for q, expected in cases.items():
            found, total = await numbers(order_app, [*QUEUE, ("q", q)])
            assert found == expected, q
            assert total == len(expected), q

    async def test_wildcards_are_literal_and_nothing_matches_is_empty(
            self, order_app, order_db):
        """`%` and `_` are taken literally: they do not match everything. (Each pattern
        holds this run's tag, so orders other tests made cannot match; as wildcards, each
        would find this world's orders.)"""
        w = await world(order_app, order_db)
        tag = w["tag"]
        for q in (f"%{tag}", f"_{tag}", f"{tag}%_x\\", "不存在的客户名称xyz"):
            found, total = await numbers(order_app, [("q", q)])
            assert found == set() and total == 0, q

    async def test_absurd_length_and_control_characters_are_422(self, order_app):
        """Bad input is a readable 4xx, never a 500."""
        async with h.client(order_app, h.staff("orders:query")) as s:
            long = await s.get("/api/console/orders", params={"q": "x" * 101})
            nul = await s.get("/api/console/orders", params={"q": "DH\x00"})
            reversed_dates = await s.get("/api/console/orders", params={
                "from": "2026-12-02", "to": "2026-12-01"})
            bad_area = await s.get("/api/console/orders", params={"area": "a" * 101})
        for r in (long, nul, reversed_dates, bad_area):
            assert r.status_code == 422, r.text
            assert r.json()["detail"]
        assert "control characters" in nul.json()["detail"]
        assert "after its end" in reversed_dates.json()["detail"]


class TestFilters:
    async def test_search_with_status_and_date_range_issue15(self, order_app, order_db):
        """Search combines with the status and order-date filters."""
        w = await world(order_app, order_db)
        async with h.client(order_app, h.staff("orders:review")) as s:
            r = await s.post("/api/console/orders/review", json={
                "order_ids": [w["o2"]["id"]], "decision": "approve"})
        assert r.status_code == 200, r.text
        found, _ = await numbers(order_app, [*QUEUE, ("q", w["tag"])])
        assert found == {w["o1"]["number"], w["o3"]["number"]}
        found, _ = await numbers(order_app, [("status", "processing"), ("q", w["tag"])])
        assert found == {w["o2"]["number"]}
        # Orders are dated on the business date (Asia/Shanghai); a window of a day
        # either side holds them, one in the past does not.
        around = [("from", (date.today() - timedelta(days=1)).isoformat()),
                  ("to", (date.today() + timedelta(days=1)).isoformat())]
        found, _ = await numbers(order_app, [*around, ("q", w["tag"])])
        assert len(found) == 3
        found, total = await numbers(order_app, [("from", "2020-01-01"),
                                                 ("to", "2020-01-31"), ("q", w["tag"])])
        assert (found, total) == (set(), 0)

    async def test_area_filter_for_staff_without_areas_issue15(self, order_app, order_db):
        w = await world(order_app, order_db)
        found, _ = await numbers(order_app, [("area", w["west"]), ("q", w["tag"])])
        assert found == {w["o3"]["number"]}
        found, _ = await numbers(order_app, [("area", w["east"]), ("q", w["tag"])])
        assert found == {w["o1"]["number"], w["o2"]["number"]}

    async def test_area_bound_staff_never_see_beyond_their_areas_C7(
            self, order_app, order_db):
        """C-7: the search and the area filter stay inside the staff member's areas;
        asking for another area lists nothing (it does not widen the list)."""
        w = await world(order_app, order_db)
        east_staff = h.staff("orders:query", username="east", areas=(w["east"],))
        found, total = await numbers(order_app, [("q", w["tag"])], east_staff)
        assert found == {w["o1"]["number"], w["o2"]["number"]} and total == 2
        found, _ = await numbers(order_app, [("q", f"兰州纸业{w['tag']}")], east_staff)
        assert found == set()
        found, total = await numbers(order_app, [("area", w["west"])], east_staff)
        assert (found, total) == (set(), 0)
        found, _ = await numbers(order_app, [("area", w["east"]), ("q", w["tag"])],
                                 east_staff)
        assert found == {w["o1"]["number"], w["o2"]["number"]}

    async def test_limit_one_gives_the_queue_size_for_the_workbench(
            self, order_app, order_db):
        """The workbench's to-do count is the queue's X-Total-Count with limit=1."""
        w = await world(order_app, order_db)
        async with h.client(order_app, h.staff("orders:query", username="bound",
                                               areas=(w["east"],))) as s:
            r = await s.get("/api/console/orders", params=[*QUEUE, ("limit", "1")])
        assert r.status_code == 200 and len(r.json()) == 1
        assert r.headers["X-Total-Count"] == "2"
