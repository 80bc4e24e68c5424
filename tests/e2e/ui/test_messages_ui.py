"""Staff messages, the delivery log and the customer's notification settings in the
browser (issue 9): staff write a message in the console, choose a customer, preview and
send it with SMS (N-1); the batch shows in the history and its detail; the customer reads
it in the portal inbox (N-5); the delivery log shows the SMS the notifier was asked to
send (N-2); the customer switches SMS off and binds WeChat (N-2)."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, expect

from ..api import Api, eventually
from ..test_slice import approved_customer
from .conftest import answer_confirm, shot
from .test_flow import console_login
from .test_orders_ui import portal_login

pytestmark = pytest.mark.e2e

DELIVERY_SHOWN = re.compile(r"待回执|已送达")


async def known_to_notify(admin: Api, cid: str) -> dict:
    """The customer as the messages preview sees it (its approval travels by event)."""
    async def preview():
        r = await admin.post("/api/console/messages/preview", json={"customer_ids": [cid]})
        return r.json() if r.status_code == 200 else None
    return await eventually(preview, timeout=30)


async def open_console(page: Page, gateway: str, password: str, menu: str) -> None:
    await console_login(page, gateway, "admin", password)
    await expect(page.get_by_text("以下是等待您处理的事项。")).to_be_visible()
    # the side menu's own item (a collapsed menu's pop-up copies live elsewhere)
    await page.locator(".ant-layout-sider").get_by_role("menuitem", name=menu).click()


async def choose_customer(page: Page, field, name: str) -> None:
    await field.click()
    await field.fill(name)
    await page.locator(".ant-select-item-option", has_text=name).first.click()
    await field.press("Escape")  # a multiple select stays open after a choice


async def test_staff_send_a_message_with_sms_and_the_customer_reads_it_N1_N5(
        gateway, system, api, admin, new_context):
    """N-1: compose, choose a customer, preview, send with SMS, follow the batch;
    N-5: the customer finds the message, with its title, in the portal inbox."""
    customer, cid, _ = await approved_customer(api, admin)
    preview = await known_to_notify(admin, cid)
    name = preview["recipients"][0]["name"]
    title = f"五一放假安排 {uuid.uuid4().hex[:4]}"

    console = await (await new_context()).new_page()
    await open_console(console, gateway, system.config.admin_password, "消息群发")
    await expect(console).to_have_url(re.compile(r"/console/messages$"))
    await console.get_by_label("标题", exact=True).fill(title)
    await console.get_by_label("正文", exact=True).fill("5月1日至5日放假，4日前的订单照常发货。")
    sms = console.get_by_role("checkbox", name="短信")
    for _ in range(3):  # a re-render at the moment of the click can swallow it (CI, load)
        try:
            await sms.check(timeout=5_000)
            break
        except PlaywrightError:
            await console.wait_for_timeout(500)
    await expect(sms).to_be_checked()
    await choose_customer(console, console.get_by_label("客户", exact=True), name)
    await console.get_by_test_id("preview-recipients").click()
    shown = console.get_by_test_id("preview")
    await expect(shown).to_contain_text("将发送给 1 位客户")
    await expect(shown.locator("tr.ant-table-row")).to_have_count(1)
    await expect(shown.locator("tr.ant-table-row")).to_contain_text(name)
    await shot(console, "messages-01-console-compose")

    await console.get_by_test_id("send-message").click()
    await answer_confirm(console, "确认发送给 1 位客户？", re.compile(r"^发\s*送$"))
    await expect(console.get_by_text("已发送给 1 位客户")).to_be_visible()

    row = console.locator("tr.ant-table-row", has_text=title)
    await expect(row).to_contain_text("指定客户 1 家")
    await expect(row).to_contain_text("0/1")
    await expect(row).to_contain_text("站内信")
    await expect(row).to_contain_text("短信")
    await shot(console, "messages-02-console-history")
    await row.click()
    drawer = console.locator(".ant-drawer-content")
    await expect(drawer).to_contain_text(title)
    recipient = drawer.locator("tr.ant-table-row", has_text=name)
    await expect(recipient).to_contain_text("未读")
    await expect(recipient.get_by_test_id("recipient-delivery")).to_contain_text("短信")
    await expect(recipient.get_by_test_id("recipient-delivery")).to_contain_text(DELIVERY_SHOWN)
    await shot(console, "messages-03-console-batch")

    user = (await customer.get("/api/auth/me")).json()["username"]
    page = await (await new_context()).new_page()
    await portal_login(page, gateway, user, "secret-123")
    await page.goto(f"{gateway}/messages")
    message = page.get_by_test_id("message").filter(has_text=title)
    await expect(message.get_by_test_id("message-title")).to_have_text(title)
    await expect(message.get_by_test_id("message-body")).to_contain_text("5月1日至5日放假")
    await expect(message).to_contain_text("通知")
    await shot(page, "messages-04-portal-inbox")


async def test_the_delivery_log_shows_the_customers_sms_N2(gateway, system, api, admin,
                                                          new_context):
    """N-2: a staff message sent with SMS is in the delivery log, found by its customer,
    with its channel, recipient and status (requested, or delivered when the reference
    notifier already reported)."""
    _customer, cid, _ = await approved_customer(api, admin)
    preview = await known_to_notify(admin, cid)
    name = preview["recipients"][0]["name"]
    r = await admin.post("/api/console/messages", json={
        "title": "到货通知", "body": "您订购的墨水已到货。", "channels": ["sms"],
        "customer_ids": [cid]})
    assert r.status_code == 202, r.text

    console = await (await new_context()).new_page()
    await open_console(console, gateway, system.config.admin_password, "发送记录")
    await expect(console).to_have_url(re.compile(r"/console/deliveries$"))
    await choose_customer(console, console.get_by_test_id("filter-customer").locator("input"), name)
    await expect(console).to_have_url(re.compile(rf"customer_id={cid}"))
    rows = console.locator("tr.ant-table-row")
    await expect(rows).to_have_count(1)
    await expect(rows).to_contain_text(name)
    await expect(rows).to_contain_text("员工消息")
    await expect(rows).to_contain_text("短信")
    await expect(rows).to_contain_text("13900001111")
    await expect(rows).to_contain_text(DELIVERY_SHOWN)
    await shot(console, "messages-05-console-delivery-log")


async def test_the_customer_switches_sms_off_and_binds_wechat_N2(gateway, system, api, admin,
                                                                 new_context):
    """N-2: the portal's notification settings: SMS off, a WeChat openid bound, saved and
    still there after a reload; the inbox gets everything regardless."""
    customer, cid, _ = await approved_customer(api, admin)
    await known_to_notify(admin, cid)
    openid = f"oTest_{uuid.uuid4().hex[:12]}"

    user = (await customer.get("/api/auth/me")).json()["username"]
    page = await (await new_context()).new_page()
    await portal_login(page, gateway, user, "secret-123")
    await page.goto(f"{gateway}/messages")
    await page.get_by_test_id("notification-settings").click()
    drawer = page.locator(".ant-drawer-content")
    await expect(drawer).to_contain_text("消息中心始终会收到全部通知")
    await expect(drawer).to_contain_text("139****1111")
    sms = drawer.get_by_label("短信提醒")
    await expect(sms).to_have_attribute("aria-checked", "true")
    await sms.click()
    await expect(sms).to_have_attribute("aria-checked", "false")
    await drawer.get_by_label("微信 OpenID").fill(openid)
    await shot(page, "messages-06-portal-notification-settings")
    await page.get_by_test_id("save-notification-settings").click()
    await expect(page.get_by_text("提醒方式已保存")).to_be_visible()

    await page.reload()
    await page.get_by_test_id("notification-settings").click()
    drawer = page.locator(".ant-drawer-content")
    await expect(drawer.get_by_label("短信提醒")).to_have_attribute("aria-checked", "false")
    await expect(drawer.get_by_label("微信提醒")).to_have_attribute("aria-checked", "true")
    await expect(drawer.get_by_label("微信 OpenID")).to_have_value(openid)
    saved = (await customer.get("/api/portal/notification-settings")).json()
    assert saved["sms"] is False and saved["wechat"] is True
    assert saved["wechat_openid"] == openid
