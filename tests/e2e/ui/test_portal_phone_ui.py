"""Issue 15 item 4: dealers order from phones. At 390×844 every page of the portal (the routes
of web/src/portal/PortalApp.tsx) fits the screen without sideways scrolling; the order list
shows each order as a card with its number, date, amount and status; the order detail shows
its lines as cards; the new-order page's totals bar is one compact line. One screenshot per
page: test-output/screenshots/phone-*.png."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import Page, expect

from ..api import order_body
from ..test_slice import PRODUCTS, place
from .conftest import shot

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}

# Every route of PortalApp.tsx; `{order}`, `{ticket}`, `{article}` are filled in from data
# made once per test session. Public routes are visited signed out.
ROUTES = [
    "/login",
    "/register",
    "/",
    "/catalog",
    "/orders",
    "/orders/new",
    "/orders/new?from={order}",
    "/orders/{order}",
    "/orders/{order}/edit",
    "/orders/{cancelled}",
    "/returns",
    "/templates",
    "/invoices",
    "/statements",
    "/points",
    "/machines",
    "/service",
    "/service/{ticket}",
    "/messages",
    "/articles/{article}",
    "/profile",
    "/password",
    "/no-such-page",
]
PUBLIC = {"/login", "/register"}

_DATA: dict[int, dict] = {}


async def phone_customer(system, api, admin) -> dict:
    """An approved customer with an open order, a cancelled one, a favourite order, a
    service request, and a published article: made once per test session."""
    if id(system) in _DATA:
        return _DATA[id(system)]
    cid, user, password = await api.register()
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    customer = api.as_user()
    await customer.login(user, password)
    catalog = (await customer.get("/api/portal/catalog")).json()
    lines = [(p["product_id"], 3 + i) for i, p in enumerate(catalog)]
    order = await place(customer, order_body(lines))
    cancelled = await place(customer, order_body(lines[:1]))
    r = await customer.post(f"/api/portal/orders/{cancelled['id']}/cancel",
                            json={"reason": "下错了"})
    assert r.status_code == 200, r.text
    r = await customer.post("/api/portal/order-templates",
                            json={"name": "每月常备", "from_order_id": order["id"]})
    assert r.status_code == 201, r.text
    r = await customer.post("/api/portal/service-requests", json={
        "machine": "UV 平板打印机 UV-2513",
        "description": "喷头堵塞，打印出现断线，已清洗两次仍未好转"})
    assert r.status_code == 201, r.text
    ticket = r.json()["id"]
    r = await admin.post("/api/console/articles", json={
        "kind": "bulletin", "title": f"春节放假与发货安排通知 {uuid.uuid4().hex[:4]}",
        "body": "各位客户：春节期间（除夕至初六）暂停发货，节前最后发货日为腊月二十六，"
                "请提前备货。https://example.cn/a-very-long-link-that-should-wrap-on-a-phone-screen",
        "published": True, "pinned": True})
    assert r.status_code in (200, 201), r.text
    _DATA[id(system)] = data = {
        "user": user, "password": password, "order": order["id"], "number": order["number"],
        "cancelled": cancelled["id"], "cancelled_number": cancelled["number"],
        "ticket": ticket, "article": r.json()["id"]}
    return data


async def overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the screen (0: no sideways scroll)."""
    return await page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - window.innerWidth")


def slug(route: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", route.lower()).strip("-") or "home"


@pytest.mark.parametrize("route", ROUTES)
async def test_portal_page_fits_a_phone_without_sideways_scroll_issue15(
        route, gateway, system, api, admin, new_context):
    """Issue 15 item 4: at 390×844 the portal page has no horizontal scroll."""
    data = await phone_customer(system, api, admin)
    ctx = await new_context(PHONE_390, is_mobile=True, has_touch=True)
    if route not in PUBLIC:
        r = await ctx.request.post(f"{gateway}/api/auth/login", data={
            "username": data["user"], "password": data["password"]})
        assert r.ok, await r.text()
    page = await ctx.new_page()
    await page.goto(gateway + route.format(**data))
    await expect(page.locator(".app-content, .login-page, .ant-layout").first).to_be_visible()
    # The page has its data: its title (or the login form) is shown.
    await expect(page.locator("h4, h3, .ant-result-title, form").first).to_be_visible()

    if route == "/orders":
        card = page.get_by_test_id("order-card").filter(has_text=data["number"])
        await expect(card).to_be_visible()
        await expect(card.get_by_text("待审核")).to_be_visible()
        amount = card.get_by_test_id("order-card-amount")
        await expect(amount).to_have_text(re.compile(r"¥[\d,]+\.\d\d"))
        for el in (card.get_by_text(data["number"]), card.get_by_test_id("order-card-amount"),
                   card.get_by_text("待审核")):
            box = await el.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_390["width"], \
                f"{await el.inner_text()} is off screen: {box}"
        cancelled = page.get_by_test_id("order-card").filter(has_text=data["cancelled_number"])
        await expect(cancelled.get_by_text("已取消")).to_be_visible()
    elif route == "/orders/{order}":
        await expect(page.get_by_test_id("order-lines")).to_be_visible()
        await expect(page.get_by_test_id("order-outstanding")).to_be_visible()
    elif route == "/orders/{cancelled}":
        await expect(page.get_by_role("alert").get_by_text("下错了")).to_be_visible()
        await expect(page.get_by_test_id("order-outstanding")).to_have_count(0)
    elif route.startswith("/orders/new"):
        bar = page.get_by_test_id("totals-bar")
        if "from" in route:
            await expect(page.get_by_test_id("reorder-from")).to_be_visible()
        else:
            first = page.get_by_label(re.compile(r" 的数量$")).first
            await first.fill("3")
        await expect(page.get_by_test_id("order-total")).not_to_have_text("¥0.00")
        box = await bar.bounding_box()
        # compact: one line, far from a third of the screen
        assert box and box["height"] <= 72, f"the totals bar is {box and box['height']}px high"
    await shot(page, f"phone-{slug(route)}")
    extra = await overflow(page)
    assert extra <= 0, f"{route} scrolls sideways by {extra}px at 390 px"
