"""Points in the browser (P-1..P-3): the customer's 我的积分 page shows its balances and
movements, the points used on orders, the rules and the description; staff in the
console's 积分管理 pick the customer, adjust its points with a reason, and announce a rule
version (too soon is refused with the reason, a month ahead is accepted and shows as
announced). A customer with enough points pays part of a new order with them (P-2): the
order shows the deduction and what is left to pay, and 我的积分 the redemption.
Screenshots go to test-output/screenshots/points-*.png."""

from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta

import pytest
from playwright.async_api import expect
from servicekit.timeutil import business_date

from .conftest import fill_date, press_until_shown, shanghai_today_plus, shot
from .test_flow import console_login
from .test_orders_ui import portal_login

pytestmark = pytest.mark.e2e


def month_after_next(day: date) -> date:
    y, m = divmod(day.month + 1, 12)
    return date(day.year + y, m + 1, 1)


async def test_console_adjusts_and_announces_portal_shows_points_P1_P3(
        gateway, system, api, admin, new_context):
    cid, user, password = await api.register(area="华东")
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": [
        {"name": "UV 墨水（积分页）", "model": "INK-PTS-UI", "unit_price": "100.00",
         "category": "consumable"}]})
    assert r.status_code == 200, r.text
    r = await admin.put("/api/console/points/description",
                        json={"content": "耗材每消费 20 元积 1 分，付款后生效。"})
    assert r.status_code == 200, r.text

    # --- console: pick the customer, adjust with a reason, announce a rule
    console = await (await new_context()).new_page()
    await console_login(console, gateway, "admin", system.config.admin_password)
    await expect(console.get_by_text("以下是等待您处理的事项。")).to_be_visible()
    await console.locator(".ant-layout-sider").get_by_role("menuitem", name="积分管理").click()
    await expect(console.get_by_role("heading", name="积分管理")).to_be_visible()
    picker = console.get_by_test_id("points-customer")
    await picker.click()
    await console.keyboard.type(user[-4:])  # the company is 测试公司<last 4 of user>
    # This customer's option, not whichever stands first: with no animation to wait for,
    # the list can still show the options from before the search answered.
    option = console.locator(".ant-select-item-option", has_text=f"测试公司{user[-4:]}")
    await expect(option).to_be_visible()
    await option.click()
    await console.get_by_label("调整积分").fill("30")
    await console.get_by_label("原因").fill("开业活动赠送")
    await console.get_by_role("button", name=re.compile(r"^调\s*整$")).click()
    await expect(console.get_by_text("积分已调整")).to_be_visible()
    await expect(console.locator("tr", has_text="开业活动赠送")).to_be_visible()

    date_input = console.get_by_label("生效日期")
    await date_input.click()
    await date_input.fill(business_date().isoformat())
    await date_input.press("Enter")
    await console.get_by_label("每积 1 分需消费").fill("10")
    await console.get_by_role("button", name=re.compile(r"^公\s*告$")).first.click()
    await expect(console.get_by_text(re.compile("calendar month|自然月")).first).to_be_visible()
    # after every version already announced in this system (the demo, other tests)
    known = (await admin.get("/api/console/points/rules")).json()
    start = max([month_after_next(business_date())] + [
        date.fromisoformat(v["effective_from"]) + timedelta(days=1) for v in known]).isoformat()
    await date_input.click()
    await date_input.fill(start)
    await date_input.press("Enter")
    await console.get_by_role("button", name=re.compile(r"^公\s*告$")).first.click()
    announced = console.locator(".ant-list-item", has_text=start)
    await expect(announced.get_by_text("已公告，尚未生效")).to_be_visible()
    await shot(console, "points-01-console")

    # --- portal: balances, movements, rules, description
    portal = await (await new_context()).new_page()
    await portal_login(portal, gateway, user, password)
    # the header menu folds its last items into "…" on a desktop screen
    more = portal.locator(".ant-layout-header .ant-menu-overflow-item-rest")
    if await more.is_visible():
        await more.hover()
    await portal.get_by_role("menuitem", name="我的积分").click()
    await expect(portal.get_by_role("heading", name="我的积分")).to_be_visible()
    await expect(portal.locator("tr", has_text="开业活动赠送")).to_be_visible()
    await expect(portal.get_by_text("人工调整")).to_be_visible()
    await expect(portal.locator(".ant-list-item", has_text=start)
                 .get_by_text("已公告，尚未生效")).to_be_visible()
    await expect(portal.get_by_text("耗材每消费 20 元积 1 分，付款后生效。")).to_be_visible()
    redemptions = portal.locator(".ant-card", has_text="积分使用记录")
    await expect(redemptions.get_by_test_id("redemptions")).to_be_visible()
    await expect(redemptions.get_by_text("暂无积分使用记录")).to_be_visible()
    await shot(portal, "points-02-portal")


async def test_customer_pays_part_of_a_new_order_with_points_P2(
        gateway, system, api, admin, new_context):
    cid, user, password = await api.register(area="华东")
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": [
        {"name": "UV 墨水（积分抵扣）", "model": "INK-PTS-PAY", "unit_price": "100.00",
         "category": "consumable"}]})
    assert r.status_code == 200, r.text
    # staff adjustments count as effective points: 150 opens redemption (threshold 100)
    r = await admin.post(f"/api/console/points/customers/{cid}/adjustments",
                         json={"points": 150, "reason": "积分抵扣测试"})
    assert r.status_code in (200, 201), r.text
    customer = api.as_user()
    await customer.login(user, password)
    for _ in range(30):
        summary = (await customer.get("/api/portal/points")).json()
        if summary["can_redeem"] and summary["remaining"] >= 150:
            break
        await asyncio.sleep(0.5)
    assert summary["can_redeem"] and summary["remaining"] == 150, summary

    # --- the new order: 2 × ¥100.00, 50 points off, ¥150.00 to pay
    portal = await (await new_context()).new_page()
    await portal_login(portal, gateway, user, password)
    await portal.get_by_role("menuitem", name="立即下单").click()
    await portal.get_by_label("UV 墨水（积分抵扣） INK-PTS-PAY 的数量").fill("2")
    await expect(portal.get_by_test_id("order-total")).to_have_text("¥200.00")
    use = portal.get_by_test_id("use-points")
    await expect(use.get_by_test_id("points-remaining")).to_have_text("150")
    await expect(use.get_by_test_id("points-max")).to_have_text("150")
    await use.get_by_label("使用积分").fill("50")
    await expect(portal.get_by_test_id("points-deduction")).to_have_text("−¥50.00")
    await expect(portal.get_by_test_id("order-payable")).to_have_text("¥150.00")
    await fill_date(portal.locator("#order_delivery_date"), shanghai_today_plus(5))
    await shot(portal, "points-03-portal-new-order")
    placed = portal.get_by_text(re.compile(r"订单 DH\S+ 已提交"))
    await press_until_shown(portal.get_by_role("button", name="提交订单"), placed)
    number = re.search(r"DH\S+", await placed.inner_text()).group(0)
    await expect(portal.get_by_text("申请使用 50 积分抵扣")).to_be_visible()

    # --- the order: the points service answers within a second or two; the page asks again
    await portal.get_by_role("button", name="查看订单").click()
    await expect(portal.get_by_role("heading", name=f"订单 {number}", exact=True)).to_be_visible()
    await expect(portal.get_by_text("积分抵扣").first).to_be_visible()
    status = portal.get_by_test_id("points-status")
    await expect(status).not_to_have_text("确认中")
    await expect(status).to_have_text(re.compile("已预留|已抵扣"))
    await expect(portal.get_by_test_id("order-points")).to_have_text("−¥50.00")
    await expect(portal.get_by_test_id("order-payable")).to_have_text("¥150.00")
    await expect(portal.get_by_test_id("order-timeline").get_by_text("积分已预留")).to_be_visible()
    await shot(portal, "points-04-portal-order")

    # --- 我的积分: 50 reserved, 100 left, the redemption with its order
    await portal.goto(f"{gateway}/points")
    await expect(portal.get_by_role("heading", name="我的积分")).to_be_visible()
    row = portal.get_by_test_id("redemptions").locator("tr.ant-table-row", has_text=number)
    await expect(row).to_be_visible()
    await expect(row.get_by_text("已预留")).to_be_visible()
    await expect(row.get_by_role("link", name=number)).to_be_visible()
    balances = (await customer.get("/api/portal/points")).json()
    assert balances["reserved"] == 50 and balances["remaining"] == 100, balances
    await shot(portal, "points-05-portal-redemptions")
