"""The issue-4 flow in a real browser (C-1, C-2, C-3, O-1, O-3, O-5, N-3): a customer
registers in the portal; staff approve it in the console with consumables and prices; the
customer sees its catalogue and places an order; the console's prompt bell pops up the new
order, streamed through the gateway, and staff approve it in a batch."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import Page, expect

from ..test_slice import PRODUCTS
from .conftest import PHONE, fill_date, press_until_shown, shanghai_today_plus, shot

pytestmark = pytest.mark.e2e


async def fill(page: Page, label: str, value: str) -> None:
    await page.get_by_label(label, exact=True).fill(value)


async def console_login(page: Page, gateway: str, username: str, password: str) -> None:
    await page.goto(f"{gateway}/console")
    await expect(page).to_have_url(re.compile(r"/console/login$"))
    await expect(page.get_by_text("供应商员工登录")).to_be_visible()
    await fill(page, "用户名", username)
    await fill(page, "密码", password)
    await page.get_by_role("button", name=re.compile(r"^登\s*录$")).click()


async def test_register_approve_order_and_batch_review(gateway, system, admin, new_context):
    suffix = uuid.uuid4().hex[:6]
    company = f"杭州新彩数码印刷有限公司{suffix}"
    username = f"xincai{suffix}"

    # --- the customer registers in the portal
    portal = await (await new_context()).new_page()
    await portal.goto(f"{gateway}/")
    await expect(portal).to_have_url(re.compile(r"/login$"))
    await expect(portal.get_by_text("经销商在线订货，随时随地")).to_be_visible()
    await shot(portal, "01-portal-login")
    await portal.get_by_role("link", name="注册公司").click()
    await expect(portal.get_by_role("heading", name="注册公司")).to_be_visible()
    await fill(portal, "用户名", username)
    await fill(portal, "密码", "secret-123")
    await fill(portal, "确认新密码", "secret-123")
    await fill(portal, "公司名称", company)
    await fill(portal, "采购负责人", "陈晓")
    await fill(portal, "手机", "139 0571 2345")
    await fill(portal, "邮箱", f"{username}@xincai.example.cn")
    await fill(portal, "地址", "杭州市西湖区文三路 90 号")
    # an area outside the province/city list is typed (issue 15's area picker)
    await portal.get_by_role("button", name="手动填写").click()
    await fill(portal, "区域", "华东")
    await fill(portal, "QQ", "88886666")
    await shot(portal, "02-portal-register")
    await portal.get_by_role("button", name="提交注册").click()
    await expect(portal.get_by_text("资料审核中").first).to_be_visible()
    await shot(portal, "03-portal-review-pending")

    # --- staff approve it in the console with its consumables and prices
    console = await (await new_context()).new_page()
    await console_login(console, gateway, "admin", system.config.admin_password)
    await expect(console.get_by_text("待审核注册")).to_be_visible()
    await expect(console.get_by_test_id("prompt-bell")).to_have_attribute("data-mode", "live")
    await shot(console, "04-console-dashboard")
    await console.get_by_role("menuitem", name="注册审核").click()
    row = console.locator("tr.ant-table-row", has_text=company)
    await expect(row).to_be_visible()
    await shot(console, "05-console-review-queue")
    await row.get_by_role("button", name="审核通过").click()
    drawer = console.locator(".ant-drawer-content")
    await expect(drawer.get_by_text("常用耗材及专属价格")).to_be_visible()
    products = [("UV 墨水（黑）", f"INK-K-{suffix}", "198.00", "160.30"),
                ("喷头清洗液", f"CLN-{suffix}", "58.00", "45.50")]
    for i, (name, model, list_price, unit_price) in enumerate(products):
        await drawer.get_by_test_id("add-product").click()
        line = drawer.locator("tr.ant-table-row").nth(i)
        await line.get_by_placeholder("产品名称").fill(name)
        await line.get_by_placeholder("型号").fill(model)
        await line.locator("input[id$='list_price']").fill(list_price)
        await line.locator("input[id$='unit_price']").fill(unit_price)
    await shot(console, "06-console-approve", full_page=False)
    await drawer.get_by_role("button", name="确认审核通过").click()
    await expect(console.get_by_text(f"已审核通过：{company}")).to_be_visible()
    await expect(console.locator("tr.ant-table-row", has_text=company)).to_have_count(0)

    # --- the customer sees its home page and catalogue, and places an order
    r = await admin.post("/api/console/contacts", json={
        "area": "华东", "name": "周敏", "phone": "0571-8888 6666", "qq": "12345678",
        "role": "consumables"})
    assert r.status_code == 201, r.text
    await portal.goto(f"{gateway}/")
    await expect(portal.get_by_role("link", name=re.compile("QQ 12345678"))).to_have_attribute(
        "href", "tencent://message/?uin=12345678")
    await expect(portal.get_by_text("耗材联系人")).to_be_visible()
    await expect(portal.get_by_text("公告栏")).to_be_visible()
    await shot(portal, "07-portal-home")
    await portal.get_by_role("menuitem", name="我的耗材").click()
    await expect(portal.get_by_text(f"INK-K-{suffix}")).to_be_visible()
    await expect(portal.get_by_text("¥160.30")).to_be_visible()
    await shot(portal, "08-portal-catalog")
    await portal.get_by_role("menuitem", name="立即下单").click()
    await portal.get_by_label(f"UV 墨水（黑） INK-K-{suffix} 的数量").fill("5")
    await portal.get_by_label(f"喷头清洗液 CLN-{suffix} 的数量").fill("2")
    await expect(portal.get_by_test_id("order-total")).to_have_text("¥892.50")
    await expect(portal.get_by_test_id("list-total")).to_have_text("¥1,106.00")
    date = portal.locator("#order_delivery_date")
    await fill_date(date, shanghai_today_plus(3))
    await expect(date).to_have_value(shanghai_today_plus(3))
    await portal.get_by_text("增值税普通发票").click()
    await portal.locator("textarea#order_remark").fill("请周五前送达")
    await shot(portal, "09-portal-new-order")
    # The order service learns of the approval by event: until then it refuses politely.
    placed = portal.get_by_text(re.compile(r"订单 DH\S+ 已提交"))
    await press_until_shown(portal.get_by_role("button", name="提交订单"), placed)
    await expect(placed).to_be_visible()
    await expect(portal.get_by_text("¥892.50")).to_be_visible()
    number = re.search(r"DH\S+", await placed.inner_text()).group(0)
    await shot(portal, "10-portal-order-placed")

    # --- the console's bell pops up the new order (server-sent events), staff approve it
    notice = console.locator(".ant-notification-notice", has_text=number)
    await expect(notice).to_be_visible()
    await expect(notice.get_by_text("新订单").first).to_be_visible()
    await shot(console, "11-console-new-order-prompt", full_page=False)
    await notice.get_by_role("button", name="去处理").click()
    await expect(console).to_have_url(re.compile(r"/console/orders$"))
    order_row = console.locator("tr.ant-table-row", has_text=number)
    await expect(order_row).to_be_visible()
    await order_row.locator("input[type=checkbox]").check()
    await expect(console.get_by_text("已选 1 个")).to_be_visible()
    await shot(console, "12-console-orders-to-process")
    await console.get_by_role("button", name="批量通过").click()
    await expect(console.get_by_text("已审核通过 1 个订单")).to_be_visible()
    await expect(console.locator("tr.ant-table-row", has_text=number)).to_have_count(0)

    # --- the customer sees the order approved
    await portal.goto(f"{gateway}/orders")
    mine = portal.locator("tr.ant-table-row", has_text=number)
    # approved, and (with the order lifecycle) straight on to processing
    await expect(mine.get_by_text(re.compile("^(已审核|处理中)$"))).to_be_visible()
    await shot(portal, "13-portal-my-orders")
    await mine.get_by_role("link", name=number).click()
    await expect(portal.get_by_text("请周五前送达")).to_be_visible()
    await shot(portal, "14-portal-order-detail")


async def test_portal_works_at_phone_width(gateway, api, admin, new_context):
    """Dealers order from phones: the portal at 375 px (login, register, home, new order)."""
    cid, user, password = await api.register()
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    catalog = r.json()["catalog"]
    page = await (await new_context(PHONE, is_mobile=True, has_touch=True)).new_page()
    await page.goto(f"{gateway}/login")
    await expect(page.get_by_role("button", name=re.compile("登\\s*录"))).to_be_visible()
    await shot(page, "20-phone-login")
    await page.get_by_role("link", name="注册公司").click()
    await expect(page.get_by_role("heading", name="注册公司")).to_be_visible()
    await page.get_by_role("button", name="提交注册").click()
    await expect(page.get_by_text("必填").first).to_be_visible()
    await shot(page, "21-phone-register-errors")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is wider than the phone: {width}px"

    await page.get_by_role("link", name="直接登录").click()
    await expect(page.get_by_text("经销商在线订货，随时随地")).to_be_visible()
    await fill(page, "用户名", user)
    await fill(page, "密码", password)
    await page.get_by_role("button", name=re.compile("登\\s*录")).click()
    await expect(page.get_by_text("耗材联系人")).to_be_visible()
    await shot(page, "22-phone-home")
    await page.get_by_role("button", name="菜单").click()
    await page.get_by_role("menuitem", name="立即下单").click()
    name = f"{catalog[0]['name']} {catalog[0]['model']} 的数量"
    await page.get_by_label(name).fill("3")
    await expect(page.get_by_test_id("order-total")).not_to_have_text("¥0.00")
    await shot(page, "23-phone-new-order", full_page=False)  # the totals bar sticks below
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the order page is wider than the phone: {width}px"


async def test_console_forces_password_change_and_menu_follows_permissions_X1(
        gateway, admin, new_context):
    """A staff user issued by an administrator changes the temporary password first (C-8);
    its menu shows only what its permissions allow (X-1)."""
    username = f"clerk{uuid.uuid4().hex[:6]}"
    r = await admin.post("/api/console/staff", json={
        "username": username, "display_name": "订单员小李",
        "permissions": ["orders:query", "orders:review"]})
    assert r.status_code == 201, r.text
    temporary = r.json()["temporary_password"]

    page = await (await new_context()).new_page()
    await console_login(page, gateway, username, temporary)
    await expect(page.get_by_text("请先修改密码")).to_be_visible()
    await page.get_by_label("当前密码").fill(temporary)
    await page.get_by_label("新密码", exact=True).fill("clerk-2026-ok")
    await page.get_by_label("确认新密码").fill("clerk-2026-ok")
    await shot(page, "30-console-forced-password")
    await page.get_by_role("button", name="修改密码").click()

    menu = page.locator(".ant-layout-sider .ant-menu")
    await expect(menu.get_by_role("menuitem", name="待处理订单")).to_be_visible()
    for hidden in ("注册审核", "客户列表", "员工账号", "耗材联系人"):
        await expect(menu.get_by_text(hidden)).to_have_count(0)
    await expect(page.get_by_text("您好，订单员小李")).to_be_visible()
    await shot(page, "31-console-limited-menu")
    await page.goto(f"{gateway}/console/customers")
    await expect(page.get_by_text("您没有访问此页面的权限")).to_be_visible()
