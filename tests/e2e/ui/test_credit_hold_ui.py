"""Credit limits in the browser (B-3): staff give a customer a credit limit on its detail
page in the console; the customer places an order over it in the portal, which is held,
and sees 待财务审核（超出信用额度） with the reason on the order; staff find it from the
dashboard's count of held orders, see the hold and its reason in the order drawer and
release it, after which it can be approved; the customer sees it released.
Screenshots go to test-output/screenshots/credit-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from ..api import Api, eventually
from ..test_slice import PRODUCTS, approved_customer
from .conftest import shanghai_today_plus, shot
from .test_ledger_ui import answered, console_as, open_console_order
from .test_orders_ui import portal_login

pytestmark = pytest.mark.e2e


async def place_in_portal(page: Page, quantities: dict[str, int]) -> str:
    """Order `quantities` (product name → quantity) on the portal's 立即下单 page and open
    the order; answers its number."""
    await page.get_by_role("menuitem", name="立即下单").click()
    for p in PRODUCTS:
        if p["name"] in quantities:
            await page.get_by_label(f"{p['name']} {p['model']} 的数量").fill(
                str(quantities[p["name"]]))
    date = page.locator("#order_delivery_date")
    await date.click()
    await date.fill(shanghai_today_plus(5))
    await date.press("Enter")
    await date.press("Tab")
    placed = page.get_by_text(re.compile(r"订单 DH\S+ 已提交"))
    await answered(page, page.get_by_role("button", name="提交订单"), "/api/portal/orders")
    number = re.search(r"DH\S+", await placed.inner_text()).group(0)
    await page.get_by_role("button", name="查看订单").click()
    await expect(page.get_by_role("heading", name=f"订单 {number}", exact=True)).to_be_visible()
    return number


async def held_total(admin: Api) -> int:
    r = await admin.get("/api/console/orders", params={"credit_hold": "true", "limit": 1})
    assert r.status_code == 200, r.text
    return int(r.headers["x-total-count"])


async def test_an_order_over_the_credit_limit_is_held_and_finance_releases_it_B3(
        gateway, system, api, admin, new_context):
    customer, cid, _ = await approved_customer(api, admin)

    # --- staff set the credit limit on the customer's page
    console = await (await new_context()).new_page()
    await console_as(console, gateway, "admin", system.config.admin_password)
    await console.goto(f"{gateway}/console/customers/{cid}")
    await console.get_by_role("tab", name="等级、订货周期与账期").click()
    card = console.get_by_test_id("credit-limit-card")
    await expect(card.get_by_test_id("credit-limit")).to_have_text("不限额")
    form = console.locator("form#credit-limit")
    await form.get_by_label("新额度（元）").fill("500.00")
    await answered(console, form.get_by_role("button", name=re.compile(r"^保\s*存$")),
                   f"/customers/{cid}/credit-limit", "PUT")
    await expect(console.get_by_text("信用额度已保存")).to_be_visible()
    await expect(card.get_by_test_id("credit-limit")).to_have_text("¥500.00")
    await shot(console, "credit-01-console-limit", full_page=False)

    async def learned():  # the order service learns the limit by event
        r = await admin.get(f"/api/console/orders/credit/{cid}")
        return r.status_code == 200 and r.json()["credit_limit"] == "500.00"
    await eventually(learned)

    # --- the customer orders over it in the portal: held, with the reason
    portal = await (await new_context()).new_page()
    user = (await customer.get("/api/auth/me")).json()["username"]
    await portal_login(portal, gateway, user, "secret-123")
    number = await place_in_portal(portal, {"UV 墨水（黑）": 4})  # 4 × 160.30 = 641.20
    oid = portal.url.rstrip("/").split("/")[-1]
    mine = (await customer.get(f"/api/portal/orders/{oid}")).json()
    assert (mine["number"], mine["status"], mine["credit_hold"]) == (number, "submitted", True)
    reason = mine["credit_hold_reason"]
    assert reason == "超出信用额度：未付 ¥0.00 + 本单 ¥641.20 > 额度 ¥500.00", reason
    notice = portal.get_by_test_id("credit-hold-notice")
    await expect(notice).to_contain_text("待财务审核（超出信用额度）")
    await expect(notice).to_contain_text(reason)
    await expect(portal.get_by_test_id("credit-hold-status")).to_have_text(
        "待财务审核（超出信用额度）")
    await shot(portal, "credit-02-portal-held")

    # --- staff: the dashboard counts held orders and lists them
    await console.goto(f"{gateway}/console")
    count = console.get_by_test_id("dashboard-credit-held")
    await expect(count).to_contain_text("信用冻结待财务审核")
    await expect(count.locator(".ant-statistic-content-value")).to_have_text(
        str(await held_total(admin)))
    await count.click()
    await expect(console).to_have_url(re.compile(r"/console/orders/all\?credit_hold=true$"))
    await expect(console.locator("form#order-filters")).to_contain_text("仅冻结订单")
    rows = console.locator("tr.ant-table-row")
    await expect(rows.filter(has_text=number)).to_have_count(1)
    await expect(rows.filter(has_text=number).get_by_test_id("credit-hold-tag")).to_have_text(
        "信用冻结")
    await expect(rows.get_by_test_id("credit-hold-tag")).to_have_count(await rows.count())
    await shot(console, "credit-03-console-held-orders")

    # --- the hold in the order drawer, released by finance; then it can be approved
    drawer = await open_console_order(console, gateway, number, "?credit_hold=true")
    notice = drawer.get_by_test_id("credit-hold-notice")
    await expect(notice).to_contain_text("信用冻结：待财务解除后才能审核通过")
    await expect(notice).to_contain_text(reason)
    actions = drawer.get_by_test_id("order-actions")
    await expect(actions.get_by_role("button", name="审核通过")).to_have_count(0)
    await shot(console, "credit-04-console-order-held", full_page=False)
    await notice.get_by_test_id("release-credit-hold").click()
    dialog = console.locator(".ant-modal-content", has_text=f"解除订单 {number} 的信用冻结")
    await dialog.get_by_label("备注").fill("客户承诺月底付款")
    await answered(console, dialog.get_by_role("button", name="解除冻结"), "/credit-hold/release")
    await expect(console.get_by_text("已解除信用冻结", exact=True)).to_be_visible()
    await expect(drawer.get_by_test_id("credit-hold-notice")).to_have_count(0)
    await expect(drawer.get_by_text("admin 已解除信用冻结")).to_be_visible()
    await expect(drawer.get_by_test_id("order-timeline")).to_contain_text("财务解除信用冻结")
    await answered(console, actions.get_by_role("button", name="审核通过"), "/orders/review")
    await expect(console.get_by_text("已审核通过 1 个订单")).to_be_visible()
    staff_view = (await admin.get(f"/api/console/orders/{oid}")).json()
    assert (staff_view["credit_hold"], staff_view["credit_release_note"],
            staff_view["status"]) == (False, "客户承诺月底付款", "processing")

    # --- the customer sees it released and approved
    await portal.reload()
    await expect(portal.get_by_role("heading", name=f"订单 {number}", exact=True)).to_be_visible()
    await expect(portal.get_by_test_id("order-timeline")).to_contain_text("财务解除信用冻结")
    await expect(portal.get_by_test_id("credit-hold-notice")).to_have_count(0)
    await expect(portal.get_by_test_id("credit-hold-status")).to_have_count(0)
    await shot(portal, "credit-05-portal-released")
