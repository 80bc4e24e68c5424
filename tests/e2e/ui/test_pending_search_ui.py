"""Searching the console's review queue in the browser (issue 15): several pending orders
of two customers; one search box narrows the queue by order number, by customer name and
by product; an order's own address (/console/orders/<id>) opens its detail on a fresh
page load, and a bookmarked one opens after signing in. Screenshots go to
test-output/screenshots/search-*.png."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import Page, expect

from ..access_helpers import STAFF_PASSWORD, new_staff
from ..api import Api, order_body
from ..test_slice import place
from .conftest import shot
from .test_flow import console_login, fill

pytestmark = pytest.mark.e2e


async def customer_named(api: Api, admin: Api, name: str, area: str,
                         products: list[dict]) -> tuple[Api, dict]:
    """An approved customer called `name` in `area`, logged in; its catalogue by model."""
    cid, user, password = await api.register(name=name, area=area)
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": products})
    assert r.status_code == 200, r.text
    customer = api.as_user()
    await customer.login(user, password)
    catalog = {p["model"]: p["product_id"]
               for p in (await customer.get("/api/portal/catalog")).json()}
    return customer, catalog


def product(name: str, model: str) -> dict:
    return {"name": name, "model": model, "unit_price": "30.00", "category": "consumable"}


async def search(page: Page, text: str) -> None:
    box = page.get_by_label("搜索订单", exact=True)
    await box.fill(text)
    await box.press("Enter")


def rows(page: Page):
    return page.locator("tr.ant-table-row")


async def test_search_narrows_the_pending_queue_and_an_order_has_its_own_url_issue15(
        gateway, system, api, admin, new_context):
    tag = uuid.uuid4().hex[:6].upper()
    area = f"搜索区{tag}"
    ink, paper = f"INK-S-{tag}", f"PAPER-S-{tag}"
    first, first_catalog = await customer_named(
        api, admin, f"宁波印象{tag}", area,
        [product("UV 墨水（搜索）", ink), product("清洗液（搜索）", f"CLN-S-{tag}")])
    second, second_catalog = await customer_named(
        api, admin, f"温州彩页{tag}", area, [product("铜版纸（搜索）", paper)])
    a1 = await place(first, order_body([(first_catalog[ink], 2)]))
    a2 = await place(first, order_body([(first_catalog[f"CLN-S-{tag}"], 3)]))
    b1 = await place(second, order_body([(second_catalog[paper], 5)]))
    b2 = await place(second, order_body([(second_catalog[paper], 1)]))
    everyone = {o["number"] for o in (a1, a2, b1, b2)}

    # A reviewer bound to the customers' area: the queue holds exactly this test's orders.
    _, record = await new_staff(admin, ["orders:query", "orders:review"], areas=[area])
    page = await (await new_context()).new_page()
    await console_login(page, gateway, record["username"], STAFF_PASSWORD)
    await expect(page.get_by_text("以下是等待您处理的事项。")).to_be_visible()
    await page.goto(f"{gateway}/console/orders")
    await expect(rows(page)).to_have_count(4)
    assert {await r.locator("td").nth(1).inner_text() for r in await rows(page).all()} == everyone

    # by order number: only that order
    await search(page, b1["number"])
    await expect(page).to_have_url(re.compile(rf"[?&]q={b1['number']}"))
    await expect(rows(page)).to_have_count(1)
    await expect(rows(page).first).to_contain_text(b1["number"])
    await shot(page, "search-01-by-number")

    # by customer name: that customer's two orders
    await search(page, f"宁波印象{tag}")
    await expect(rows(page)).to_have_count(2)
    for o in (a1, a2):
        await expect(rows(page).filter(has_text=o["number"])).to_have_count(1)
    await shot(page, "search-02-by-customer")

    # by product code, any case, and by product name
    await search(page, paper.lower())
    await expect(rows(page)).to_have_count(2)
    for o in (b1, b2):
        await expect(rows(page).filter(has_text=o["number"])).to_have_count(1)
    await search(page, "UV 墨水（搜索）")
    await expect(rows(page)).to_have_count(1)
    await expect(rows(page).first).to_contain_text(a1["number"])
    await shot(page, "search-03-by-product")

    # nothing matches: an empty queue, no error
    await search(page, "100%_不存在")
    await expect(rows(page)).to_have_count(0)
    await expect(page.locator(".ant-alert-error")).to_have_count(0)

    # the drawer's quick view links to the order's own page
    await search(page, a1["number"])
    await rows(page).first.get_by_text(a1["number"]).click()
    drawer = page.locator(".ant-drawer-content")
    await expect(drawer.get_by_test_id("order-timeline")).to_be_visible()
    await drawer.get_by_test_id("open-order-page").click()
    await expect(page).to_have_url(re.compile(rf"/console/orders/{a1['id']}$"))
    await expect(page.get_by_test_id("order-page")).to_contain_text(a1["number"])

    # its own address, loaded afresh: the detail with the actions its state allows
    await page.goto(f"{gateway}/console/orders/{b2['id']}")
    detail = page.get_by_test_id("order-page")
    await expect(detail).to_contain_text(b2["number"])
    await expect(detail).to_contain_text(f"温州彩页{tag}")
    await expect(detail.get_by_test_id("order-timeline")).to_be_visible()
    await expect(detail.get_by_role("button", name="审核通过")).to_be_visible()
    # the menu marks 订单查询 (all orders), not the review queue
    selected = page.locator(".ant-layout-sider .ant-menu-item-selected")
    await expect(selected.first).to_have_text("订单查询")
    await shot(page, "search-04-order-page")

    # bookmarked, in a browser not signed in: sign in, then the order
    fresh = await (await new_context()).new_page()
    await fresh.goto(f"{gateway}/console/orders/{b2['id']}")
    await expect(fresh).to_have_url(re.compile(r"/console/login$"))
    await fill(fresh, "用户名", record["username"])
    await fill(fresh, "密码", STAFF_PASSWORD)
    await fresh.get_by_role("button", name=re.compile(r"^登\s*录$")).click()
    await expect(fresh).to_have_url(re.compile(rf"/console/orders/{b2['id']}$"))
    await expect(fresh.get_by_test_id("order-page")).to_contain_text(b2["number"])
