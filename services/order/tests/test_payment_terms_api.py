"""Integration: payment terms and due dates (O-6) on the order service's real database.
The customer read model keeps each customer's terms from customer.approved and
customer.payment_terms_changed; an order is due its customer's terms after the business
date of its approval; lists and details show the due date, what is paid and outstanding
and whether it is overdue, and filter by it; the Excel export has a due date column."""

import io
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from dinghuo_contracts import (
    CatalogLine,
    CustomerApproved,
    CustomerPaymentTermsChanged,
    CustomerRegistered,
)
from openpyxl import load_workbook
from order_service.app import create_app
from order_service.config import Settings
from order_service.messaging import registry
from order_service.orders import endpoints as order_endpoints
from order_service.orders import views as order_views
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date
from sqlalchemy import text

TODAY = business_date()  # Asia/Shanghai


def approved_event(cid, pid, terms=None, **kw):
    return CustomerApproved(
        customer_id=cid, customer_number=f"C{cid.hex[:6]}", company_name=f"公司{cid.hex[:4]}",
        area="华东", approved_by="admin", payment_terms_days=terms,
        catalog=[CatalogLine(product_id=pid, name="墨水", model="INK-1L",
                             unit_price=Decimal("10.00"), list_price=Decimal("12.00"))], **kw)


async def customer(order_db, terms=None):
    """An approved customer with one product at 10.00; `terms` None: the customer.approved
    of before payment terms (none known here)."""
    cid, pid = uuid.uuid4(), uuid.uuid4()
    await h.deliver(order_db.sessionmaker, "order", registry, approved_event(cid, pid, terms))
    return cid, pid


async def set_terms(order_db, cid, days, *, at=None):
    event = CustomerPaymentTermsChanged(customer_id=cid, days=days, changed_by="staff")
    env = event.envelope("customer")
    if at is not None:
        env = env.model_copy(update={"occurred_at": at})
    await h.deliver(order_db.sessionmaker, "order", registry, env)
    return env


async def terms_of(order_db, cid):
    async with order_db.engine.connect() as c:
        row = (await c.execute(text(
            "SELECT payment_terms_days FROM customer_view WHERE customer_id = :id"),
            {"id": cid})).first()
    return "unknown" if row is None else row[0]


async def place(app, cid, pid, qty=1) -> dict:
    async with h.client(app, h.customer(cid)) as c:
        r = await c.post("/api/portal/orders", json={
            "delivery_date": (TODAY + timedelta(days=3)).isoformat(),
            "bill_type": "none", "lines": [{"product_id": str(pid), "quantity": qty}]})
    assert r.status_code == 201, r.text
    return r.json()


async def approve(app, *ids, staff="reviewer"):
    async with h.client(app, h.staff(username=staff)) as s:
        r = await s.post("/api/console/orders/review",
                         json={"order_ids": [str(i) for i in ids], "decision": "approve"})
    assert r.status_code == 200, r.text
    return r.json()


async def detail(app, oid) -> dict:
    async with h.client(app, h.staff()) as s:
        r = await s.get(f"/api/console/orders/{oid}")
    assert r.status_code == 200, r.text
    return r.json()


async def pay(app, oid, amount):
    async with h.client(app, h.staff()) as s:
        r = await s.post(f"/api/console/orders/{oid}/payments", json={
            "amount": amount, "paid_on": TODAY.isoformat(), "method": "bank_transfer"})
    assert r.status_code == 201, r.text


@pytest.fixture
def as_of(monkeypatch):
    """Look at the orders as on a later business date (what "today" is for `overdue`)."""
    def set_today(day):
        monkeypatch.setattr(order_endpoints, "business_date", lambda *a: day)
        monkeypatch.setattr(order_views, "business_date", lambda *a: day)
    return set_today


class TestTermsReadModelO6:
    async def test_terms_follow_the_events(self, order_db):
        cid, pid = uuid.uuid4(), uuid.uuid4()
        await h.deliver(order_db.sessionmaker, "order", registry, CustomerRegistered(
            customer_id=cid, customer_number="KH900002", company_name="账期公司",
            contact_person="王", mobile="13900001111", area="华东"))
        assert await terms_of(order_db, cid) is None
        await h.deliver(order_db.sessionmaker, "order", registry,
                        approved_event(cid, pid, terms=15))
        assert await terms_of(order_db, cid) == 15
        env = await set_terms(order_db, cid, 0)
        await h.deliver(order_db.sessionmaker, "order", registry, env)  # redelivery
        assert await terms_of(order_db, cid) == 0
        await set_terms(order_db, cid, 45)
        assert await terms_of(order_db, cid) == 45

    async def test_older_terms_arriving_late_change_nothing(self, order_db):
        cid, _ = await customer(order_db, terms=30)
        now = datetime.now(UTC)
        await set_terms(order_db, cid, 10, at=now)
        await set_terms(order_db, cid, 60, at=now - timedelta(seconds=5))
        assert await terms_of(order_db, cid) == 10

    async def test_an_approval_without_terms_keeps_the_known_ones(self, order_db):
        cid, pid = await customer(order_db, terms=None)
        assert await terms_of(order_db, cid) is None
        await set_terms(order_db, cid, 7)
        await h.deliver(order_db.sessionmaker, "order", registry, approved_event(cid, pid))
        assert await terms_of(order_db, cid) == 7

    async def test_unknown_customer_is_skipped_without_failing(self, order_db):
        cid = uuid.uuid4()
        await set_terms(order_db, cid, 10)
        assert await terms_of(order_db, cid) == "unknown"


class TestDueDateO6:
    @pytest.mark.parametrize(("terms", "days"), [(0, 0), (10, 10), (None, 30)])
    async def test_due_the_customers_terms_after_approval(self, order_app, order_db,
                                                          terms, days):
        cid, pid = await customer(order_db, terms=terms)
        order = await place(order_app, cid, pid, qty=3)
        assert (order["due_date"], order["overdue"]) == (None, False)
        assert (order["paid_total"], order["outstanding"]) == ("0.00", "30.00")
        await approve(order_app, order["id"])
        got = await detail(order_app, order["id"])
        assert got["due_date"] == (TODAY + timedelta(days=days)).isoformat()
        assert (got["outstanding"], got["total"], got["overdue"]) == ("30.00", "30.00", False)
        async with h.client(order_app, h.customer(cid)) as c:
            mine = (await c.get(f"/api/portal/orders/{order['id']}")).json()
            listed = (await c.get("/api/portal/orders")).json()
        assert mine["due_date"] == got["due_date"]
        assert [(o["due_date"], o["paid_total"], o["outstanding"], o["overdue"])
                for o in listed] == [(got["due_date"], "0.00", "30.00", False)]
        async with h.client(order_app, h.staff()) as s:
            timeline = (await s.get(f"/api/console/orders/{order['id']}/timeline")).json()
        [approved] = [e for e in timeline if e["action"] == "approved"]
        assert approved["data"] == {"due_date": got["due_date"], "payment_terms_days": days}

    async def test_terms_changed_later_leave_approved_orders_alone(self, order_app,
                                                                   order_db):
        cid, pid = await customer(order_db, terms=10)
        first = await place(order_app, cid, pid)
        await approve(order_app, first["id"])
        await set_terms(order_db, cid, 0)
        second = await place(order_app, cid, pid)
        await approve(order_app, second["id"])
        assert (await detail(order_app, first["id"]))["due_date"] == (
            TODAY + timedelta(days=10)).isoformat()
        assert (await detail(order_app, second["id"]))["due_date"] == TODAY.isoformat()

    async def test_unknown_terms_use_the_order_services_default_setting(self, order_db_url,
                                                                        order_db):
        app = create_app(Settings(database_url=order_db_url, environment="test",
                                  default_payment_terms_days=7))
        try:
            cid, pid = await customer(order_db, terms=None)
            order = await place(app, cid, pid)
            await approve(app, order["id"])
            assert (await detail(app, order["id"]))["due_date"] == (
                TODAY + timedelta(days=7)).isoformat()
        finally:
            await app.state.db.dispose()

    async def test_two_level_review_dates_from_the_second_approval(self, order_db_url,
                                                                   order_db):
        app = create_app(Settings(database_url=order_db_url, environment="test",
                                  second_review_threshold=Decimal("50")))
        try:
            cid, pid = await customer(order_db, terms=5)
            order = await place(app, cid, pid, qty=6)  # 60.00 > 50
            await approve(app, order["id"], staff="alice")
            assert (await detail(app, order["id"]))["due_date"] is None
            await approve(app, order["id"], staff="bob")
            assert (await detail(app, order["id"]))["due_date"] == (
                TODAY + timedelta(days=5)).isoformat()
        finally:
            await app.state.db.dispose()

    async def test_a_rejected_order_has_no_due_date(self, order_app, order_db):
        cid, pid = await customer(order_db, terms=0)
        order = await place(order_app, cid, pid)
        async with h.client(order_app, h.staff()) as s:
            r = await s.post("/api/console/orders/review", json={
                "order_ids": [order["id"]], "decision": "reject", "reason": "重复"})
            assert r.status_code == 200, r.text
        got = await detail(order_app, order["id"])
        assert (got["status"], got["due_date"], got["overdue"]) == ("rejected", None, False)


class TestOverdueO6:
    async def _orders(self, order_app, order_db):
        """One customer (terms 10): a unpaid, b paid, c partly paid, d not reviewed, e
        cancelled after approval — a-c and e due in 10 days."""
        cid, pid = await customer(order_db, terms=10)
        a, b, c, d, e = [await place(order_app, cid, pid, qty=2) for _ in range(5)]
        await approve(order_app, a["id"], b["id"], c["id"], e["id"])
        await pay(order_app, b["id"], "20.00")
        await pay(order_app, c["id"], "5.00")
        async with h.client(order_app, h.customer(cid)) as cust:
            r = await cust.post(f"/api/portal/orders/{e['id']}/cancellation-request",
                                json={"reason": "不要了"})
            assert r.status_code == 200, r.text
        async with h.client(order_app, h.staff()) as s:
            r = await s.post(f"/api/console/orders/{e['id']}/cancellation/approve", json={})
            assert r.json()["status"] == "cancelled", r.text
        return cid, {k: o["number"] for k, o in zip("abcde", (a, b, c, d, e), strict=True)}

    async def test_overdue_after_the_due_date_while_something_is_outstanding(
            self, order_app, order_db, as_of):
        cid, n = await self._orders(order_app, order_db)

        async def numbers(client, path, **params):
            r = await client.get(path, params={"sort": "number", **params})
            assert r.status_code == 200, r.text
            assert r.headers["x-total-count"] == str(len(r.json()))
            return {o["number"] for o in r.json() if o["overdue"]}, [
                o["number"] for o in r.json()]

        async with h.client(order_app, h.staff()) as s:
            url = "/api/console/orders"
            scope = {"customer_id": str(cid)}
            for day in (TODAY, TODAY + timedelta(days=10)):  # up to the due date itself
                as_of(day)
                assert await numbers(s, url, **scope, overdue="true") == (set(), [])
                assert await numbers(s, url, **scope, overdue="false") == (
                    set(), sorted(n.values()))
            as_of(TODAY + timedelta(days=11))
            assert await numbers(s, url, **scope, overdue="true") == (
                {n["a"], n["c"]}, [n["a"], n["c"]])
            assert await numbers(s, url, **scope, overdue="false") == (
                set(), [n["b"], n["d"], n["e"]])
            assert await numbers(s, url, **scope) == (
                {n["a"], n["c"]}, sorted(n.values()))
            bad = await s.get(url, params={"overdue": "maybe"})
            assert bad.status_code == 422 and bad.json()["detail"].startswith("overdue")
            orders = {o["number"]: o for o in (await s.get(url, params=scope)).json()}
        a, c = orders[n["a"]], orders[n["c"]]
        assert (a["paid_total"], a["outstanding"], a["overdue"]) == ("0.00", "20.00", True)
        assert (c["paid_total"], c["outstanding"], c["payment_status"]) == (
            "5.00", "15.00", "partially_paid")
        assert (await detail(order_app, a["id"]))["overdue"] is True
        async with h.client(order_app, h.customer(cid)) as cust:
            assert await numbers(cust, "/api/portal/orders", overdue="true") == (
                {n["a"], n["c"]}, [n["a"], n["c"]])
            mine = (await cust.get(f"/api/portal/orders/{c['id']}")).json()
            assert mine["overdue"] is True
        async with h.client(order_app, h.customer()) as other:
            assert await numbers(other, "/api/portal/orders", overdue="true") == (set(), [])

    async def test_export_filters_by_overdue_with_a_due_date_column_O10(
            self, order_app, order_db, as_of):
        cid, n = await self._orders(order_app, order_db)
        as_of(TODAY + timedelta(days=11))
        async with h.client(order_app, h.staff()) as s:
            r = await s.get("/api/console/orders/export.xlsx", params={
                "customer_id": str(cid), "overdue": "true", "sort": "number", "lang": "en",
                "columns": "number,due_date,outstanding"})
            assert r.status_code == 200, r.text
            zh = await s.get("/api/console/orders/export.xlsx", params={
                "customer_id": str(cid), "columns": "number,due_date", "sort": "number"})
        rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
        due = datetime.combine(TODAY + timedelta(days=10), datetime.min.time())
        assert rows == [("Order number", "Due date", "Outstanding"),
                        (n["a"], due, 20), (n["c"], due, 15)]
        rows = list(load_workbook(io.BytesIO(zh.content)).active.iter_rows(values_only=True))
        assert rows[0] == ("订单号", "付款到期日")
        assert [d for _, d in rows[1:]] == [due, due, due, None, due]


class TestOpenApiO6:
    async def test_new_fields_and_filter_are_described(self, order_app):
        async with h.client(order_app) as c:
            doc = (await c.get("/openapi.json")).json()
        schemas = doc["components"]["schemas"]
        for name in ("OrderSummary", "OrderOut"):
            props = schemas[name]["properties"]
            for field in ("due_date", "overdue", "paid_total", "outstanding"):
                assert props[field].get("description"), (name, field)
            assert "due_date" in schemas[name]["required"]
        for path in ("/api/portal/orders", "/api/console/orders"):
            [param] = [p for p in doc["paths"][path]["get"]["parameters"]
                       if p["name"] == "overdue"]
            assert "outstanding" in param["description"]
