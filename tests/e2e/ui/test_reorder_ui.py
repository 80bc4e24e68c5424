"""Issue 15: 再来一单 (reorder, O-11) is a review step, never an order placed at once. It opens
the new-order page filled in from the earlier order at today's prices; a line whose product
can no longer be ordered is left out and explained; the customer changes a quantity, the
page survives a reload (the source order is in the URL), and only the submit button places
the order. Screenshots go to test-output/screenshots/reorder-*.png."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import expect

from ..api import eventually, order_body
from ..test_slice import PRODUCTS, place
from .conftest import shot
from .test_orders_ui import portal_login

pytestmark = pytest.mark.e2e


async def order_count(customer) -> int:
    r = await customer.get("/api/portal/orders", params={"limit": 1})
    assert r.status_code == 200, r.text
    return int(r.headers["X-Total-Count"])


async def test_reorder_opens_a_prefilled_order_placed_only_on_submit_issue15(
        gateway, api, admin, new_context):
    """Issue 15 item 2: reorder pre-fills the new-order page (today's prices, skipped lines
    explained); nothing is placed until the customer submits."""
    # A product of this test's own, so making it unavailable touches no other test.
    tag = uuid.uuid4().hex[:6].upper()
    r = await admin.post("/api/console/products", json={
        "name": "限量墨水", "model": f"INK-LTD-{tag}", "category": "consumable",
        "list_price": "88.00"})
    assert r.status_code == 201, r.text
    special = r.json()
    cid, user, password = await api.register()
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={
        "products": [*PRODUCTS, {"product_id": special["id"], "unit_price": "80.00"}]})
    assert r.status_code == 200, r.text
    customer = api.as_user()
    await customer.login(user, password)
    catalog = {p["model"]: p for p in (await customer.get("/api/portal/catalog")).json()}
    ink = catalog["INK-UV-K-1L"]
    old = await place(customer, order_body([(ink["product_id"], 4), (special["id"], 2)]))

    # The special product becomes unavailable (console, product master): it leaves the
    # customer's catalogue.
    r = await admin.put(f"/api/console/products/{special['id']}", json={
        "name": special["name"], "model": special["model"], "category": "consumable",
        "list_price": "88.00", "active": False})
    assert r.status_code == 200, r.text

    async def gone():
        items = (await customer.get("/api/portal/catalog")).json()
        return all(i["product_id"] != special["id"] for i in items)
    await eventually(gone)
    before = await order_count(customer)

    portal = await (await new_context()).new_page()
    await portal_login(portal, gateway, user, password)
    await portal.goto(f"{gateway}/orders/{old['id']}")
    heading = portal.get_by_role("heading", name=f"订单 {old['number']}", exact=True)
    await expect(heading).to_be_visible()
    await portal.get_by_test_id("reorder").click()

    # The new-order page, filled in from the old order, nothing placed
    await expect(portal).to_have_url(re.compile(rf"/orders/new\?from={old['id']}$"))
    await expect(portal.get_by_role("heading", name="再来一单")).to_be_visible()
    await expect(portal.get_by_test_id("reorder-from")).to_contain_text(
        f"按订单 {old['number']} 再来一单")
    skipped = portal.get_by_test_id("reorder-skipped")
    await expect(skipped).to_contain_text("1 个品种无法再次订购")
    await expect(skipped).to_contain_text(f"限量墨水 INK-LTD-{tag} × 2")
    await expect(skipped).to_contain_text("已下架或不再向您供应")
    qty = portal.get_by_label(f"{ink['name']} {ink['model']} 的数量")
    await expect(qty).to_have_value("4")
    await expect(portal.get_by_test_id("order-total")).to_have_text("¥641.20")  # 4 × 160.30
    await expect(portal.locator("#order_delivery_date")).not_to_have_value("")
    await shot(portal, "reorder-01-prefilled")
    assert await order_count(customer) == before, "reorder placed an order before submit"

    # The customer reviews: a reload keeps the draft (the source order is in the URL)
    await portal.reload()
    await expect(qty).to_have_value("4")
    await expect(portal.get_by_test_id("reorder-skipped")).to_be_visible()
    await qty.fill("6")
    await expect(portal.get_by_test_id("order-total")).to_have_text("¥961.80")  # 6 × 160.30
    await shot(portal, "reorder-02-reviewed")
    assert await order_count(customer) == before, "an order was placed before submit"

    # Only the submit button places it, with the reviewed quantity
    placed = portal.get_by_text(re.compile(r"订单 DH\S+ 已提交"))
    await portal.get_by_role("button", name="提交订单").click()
    await expect(placed).to_be_visible()
    await shot(portal, "reorder-03-placed")
    number = re.search(r"DH\S+", await placed.inner_text()).group(0)
    assert await order_count(customer) == before + 1
    mine = (await customer.get("/api/portal/orders", params={"limit": 5})).json()
    new = next(o for o in mine if o["number"] == number)
    detail = (await customer.get(f"/api/portal/orders/{new['id']}")).json()
    assert [(ln["model"], ln["quantity"], ln["unit_price"]) for ln in detail["lines"]] == [
        ("INK-UV-K-1L", 6, "160.30")]
    assert detail["total"] == "961.80"
