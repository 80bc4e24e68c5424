"""Issue 8, no input makes a 500: every money value and every date the order service
takes (bodies and query parameters) is parsed strictly; a date outside 2000-01-01 ..
2099-12-31 or money in another form ("1e5", "１２３.00", "1E+999999") is a 422 naming
the field, before anything reaches the database or date arithmetic."""

import uuid

import pytest
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date

DATES = ["9999-12-31", "2100-01-01", "1999-12-31", "0001-01-01", "5876-03-01"]
MONEY = ["1e5", "1E+999999", "１２３.00", " 12.00", "+5", "12.345", "NaN", "Infinity",
         "1234567890123"]
LINE = [{"product_id": str(uuid.uuid4()), "quantity": 1}]


def _refused(r, field: str, text: str) -> None:
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == "ValidationError" and body["errors"]
    assert field in body["detail"] and text in body["detail"], body["detail"]


@pytest.mark.parametrize("day", DATES)
async def test_order_dates_outside_the_range_are_422(order_app, day):
    oid, tid = uuid.uuid4(), uuid.uuid4()
    bounds = "between 2000-01-01 and 2099-12-31"
    async with h.client(order_app, h.customer()) as c:
        for r in (
            await c.post("/api/portal/orders", json={
                "delivery_date": day, "bill_type": "none", "lines": LINE}),
            await c.put(f"/api/portal/orders/{oid}", json={"delivery_date": day,
                                                           "version": 1}),
            await c.post(f"/api/portal/orders/{oid}/reorder", json={"delivery_date": day}),
            await c.post(f"/api/portal/order-templates/{tid}/order",
                         json={"delivery_date": day}),
        ):
            _refused(r, "delivery_date", bounds)
        for params in ({"from": day}, {"to": day}):
            for path in ("/api/portal/orders", "/api/portal/orders/export.xlsx"):
                _refused(await c.get(path, params=params), next(iter(params)), bounds)
    async with h.client(order_app, h.staff()) as s:
        _refused(await s.post("/api/console/orders", json={
            "delivery_date": day, "bill_type": "none", "lines": LINE,
            "customer_id": str(uuid.uuid4())}), "delivery_date", bounds)
        _refused(await s.post(f"/api/console/orders/{oid}/payments", json={
            "amount": "10.00", "paid_on": day, "method": "cash"}), "paid_on", bounds)
        _refused(await s.post(f"/api/console/orders/{oid}/shipments", json={
            "lines": LINE, "courier": "顺丰速运", "shipped_on": day}), "shipped_on", bounds)
        for params in ({"from": day}, {"to": day}):
            for path in ("/api/console/orders", "/api/console/orders/export.xlsx"):
                _refused(await s.get(path, params=params), next(iter(params)), bounds)


@pytest.mark.parametrize("amount", MONEY)
async def test_money_in_another_form_is_422(order_app, amount):
    oid, rid = uuid.uuid4(), uuid.uuid4()
    today = business_date().isoformat()
    async with h.client(order_app, h.staff()) as s:
        r = await s.post(f"/api/console/orders/{oid}/payments", json={
            "amount": amount, "paid_on": today, "method": "cash"})
        _refused(r, "amount", "")
        r = await s.post(f"/api/console/returns/{rid}/approve", json={"refund_amount": amount})
        _refused(r, "refund_amount", "")
        for name in ("min_total", "max_total"):
            for path in ("/api/console/orders", "/api/console/orders/export.xlsx"):
                _refused(await s.get(path, params={name: amount}), name, "")


async def test_the_range_ends_are_accepted(order_app):
    async with h.client(order_app, h.staff()) as s:
        for params in ({"from": "2000-01-01", "to": "2099-12-31"},
                       {"min_total": "-999999999999.99", "max_total": "999999999999.99"}):
            r = await s.get("/api/console/orders", params=params)
            assert r.status_code == 200, r.text
