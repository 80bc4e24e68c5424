"""Issue 5's order lifecycle in a real browser (O-3, O-4, O-5, O-8, O-11): the customer
places an order in the portal and modifies it (a stale edit shows the 409 conflict);
staff batch-approve it and record a shipment in the console; the customer confirms
receipt with a shortage. Screenshots go to test-output/screenshots/orders-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from ..test_slice import PRODUCTS
from .conftest import fill_date, press_until_shown, shanghai_today_plus, shot
from .test_flow import console_login, fill

pytestmark = pytest.mark.e2e


async def portal_login(page: Page, gateway: str, username: str, password: str) -> None:
    await page.goto(f"{gateway}/login")
    await fill(page, "用户名", username)
    await fill(page, "密码", password)
    await page.get_by_role("button", name=re.compile(r"^登\s*录$")).click()
    await expect(page.get_by_text("耗材联系人")).to_be_visible()


async def test_place_modify_approve_ship_and_confirm_receipt(gateway, system, api, admin,
                                                             new_context):
    cid, user, password = await api.register()
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    ink, cyan, cleaner = (f"{p['name']} {p['model']} 的数量" for p in PRODUCTS)

    # --- O-3: the customer places an order
    portal = await (await new_context()).new_page()
    await portal_login(portal, gateway, user, password)
    await portal.get_by_role("menuitem", name="立即下单").click()
    await portal.get_by_label(ink).fill("4")
    await portal.get_by_label(cleaner).fill("2")
    await expect(portal.get_by_test_id("order-total")).to_have_text("¥732.20")
    await fill_date(portal.locator("#order_delivery_date"), shanghai_today_plus(5))
    await shot(portal, "orders-01-portal-new-order")
    placed = portal.get_by_text(re.compile(r"订单 DH\S+ 已提交"))
    await press_until_shown(portal.get_by_role("button", name="提交订单"), placed)
    number = re.search(r"DH\S+", await placed.inner_text()).group(0)
    await portal.get_by_role("button", name="查看订单").click()
    await expect(portal.get_by_role("heading", name=f"订单 {number}", exact=True)).to_be_visible()
    await expect(portal.get_by_test_id("order-timeline").get_by_text("提交订单")).to_be_visible()
    order_id = portal.url.rstrip("/").split("/")[-1]
    await shot(portal, "orders-02-portal-detail-submitted")

    # --- O-4: modify it; an edit made from a stale copy is refused with a clear message
    await portal.get_by_role("button", name="修改订单").click()
    await expect(portal.get_by_role("heading", name=f"修改订单 {number}")).to_be_visible()
    await expect(portal.get_by_label(ink)).to_have_value("4")
    customer = api.as_user()
    await customer.login(user, password)
    loaded = (await customer.get(f"/api/portal/orders/{order_id}")).json()
    r = await customer.put(f"/api/portal/orders/{order_id}",
                           json={"remark": "电话确认过", "version": loaded["version"]})
    assert r.status_code == 200, r.text
    await portal.get_by_label(cyan).fill("1")
    await portal.get_by_role("button", name="保存修改并重新提交").click()
    await expect(portal.get_by_test_id("stale-conflict")).to_be_visible()
    await expect(portal.get_by_text("订单已被他人更新，修改未保存")).to_be_visible()
    await shot(portal, "orders-03-portal-modify-conflict")
    await portal.get_by_role("button", name="重新加载").click()
    await expect(portal.locator("textarea#order_remark")).to_have_value("电话确认过")
    await portal.get_by_label(cyan).fill("1")
    await portal.get_by_label(ink).fill("5")
    await expect(portal.get_by_test_id("order-total")).to_have_text("¥1,060.50")
    await portal.get_by_role("button", name="保存修改并重新提交").click()
    await expect(portal.get_by_role("heading", name=f"订单 {number}", exact=True)).to_be_visible()
    timeline = portal.get_by_test_id("order-timeline")
    await expect(timeline.get_by_text("修改订单")).to_have_count(2)
    await expect(portal.get_by_text("¥1,060.50").first).to_be_visible()
    await shot(portal, "orders-04-portal-modified")

    # --- O-5: staff batch-approve it
    console = await (await new_context()).new_page()
    await console_login(console, gateway, "admin", system.config.admin_password)
    # the layout settles first (the sider starts collapsed until the breakpoint is known,
    # and its groups open with an animation): then the menu item holds still for a click
    await expect(console.get_by_text("以下是等待您处理的事项。")).to_be_visible()
    sider = console.locator(".ant-layout-sider:not(.ant-layout-sider-collapsed)")
    await expect(sider).to_be_visible()
    await sider.get_by_role("menuitem", name="待处理订单").click()
    row = console.locator("tr.ant-table-row", has_text=number)
    await row.locator("input[type=checkbox]").check()
    await console.get_by_role("button", name="批量通过").click()
    await expect(console.get_by_text("已审核通过 1 个订单")).to_be_visible()

    # --- O-8: and record a shipment from the orders list
    await console.get_by_role("menuitem", name="订单查询").first.click()
    await console.get_by_placeholder("订单号或客户名称").fill(number)
    await console.get_by_role("button", name=re.compile(r"查\s*询$")).click()
    row = console.locator("tr.ant-table-row", has_text=number)
    await expect(row.get_by_text(re.compile("^(已审核|处理中)$"))).to_be_visible()
    await shot(console, "orders-05-console-all-orders")
    await row.get_by_text(number).click()
    drawer = console.locator(".ant-drawer-content")
    await expect(drawer.get_by_test_id("order-timeline").get_by_text("审核通过")).to_be_visible()
    await drawer.get_by_role("button", name="登记发货").click()
    dialog = console.locator(".ant-modal-content", has_text="登记发货：")
    await expect(dialog.get_by_label("UV 墨水（黑） 本次发货数量")).to_have_value("5")
    await dialog.get_by_label("快递公司").fill("顺丰速运")
    await dialog.get_by_label("运单号").fill("SF1234567890")
    await shot(console, "orders-06-console-ship", full_page=False)
    await dialog.get_by_role("button", name="登记发货").click()
    await expect(console.get_by_text("已登记发货")).to_be_visible()
    await expect(drawer.get_by_test_id("shipment-1").get_by_text("SF1234567890")).to_be_visible()
    await expect(drawer.get_by_text("已发货").first).to_be_visible()
    await shot(console, "orders-07-console-shipped")

    # --- O-8: the customer confirms receipt, one bottle short
    await portal.reload()
    shipment = portal.get_by_test_id("shipment-1")
    await expect(shipment.get_by_text("顺丰速运")).to_be_visible()
    await shipment.get_by_role("button", name="确认收货").click()
    receipt = portal.locator(".ant-modal-content", has_text="确认第 1 批收货")
    await receipt.get_by_label("喷头清洗液 实收数量").fill("1")
    confirm = receipt.get_by_role("button", name="确认收货")
    await expect(confirm).to_be_disabled()  # a shortage needs a note
    await receipt.get_by_label("收货备注").fill("清洗液少了一瓶")
    await shot(portal, "orders-08-portal-confirm-receipt", full_page=False)
    await confirm.click()
    await expect(portal.get_by_text("已确认收货").first).to_be_visible()
    await expect(shipment.get_by_text("清洗液少了一瓶")).to_be_visible()
    await expect(shipment.get_by_text("已收货 · 有短缺")).to_be_visible()
    await expect(timeline.get_by_text("确认收货")).to_be_visible()
    await shot(portal, "orders-09-portal-received")
