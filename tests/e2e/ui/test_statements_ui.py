"""Monthly statements in a real browser (B-1): the customer opens 对账单 in the portal,
reads last month's statement (an order of this month does not belong there, a payment of
last month does) and disputes it with a note; staff find the disputed statement in the
console's 对账单 list, open it and answer; the customer sees the answer and confirms the
statement. Screenshots go to test-output/screenshots/statements-*.png."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from playwright.async_api import expect
from servicekit.timeutil import business_date

from ..api import order_body
from ..test_orders_lifecycle import staff_prompt_about
from ..test_slice import PRODUCTS, place
from .conftest import answer_confirm, shot
from .test_flow import console_login
from .test_orders_ui import portal_login

pytestmark = pytest.mark.e2e


async def test_portal_dispute_console_answer_portal_confirm_B1(gateway, system, api, admin,
                                                               new_context):
    company = f"对账测试印务{uuid.uuid4().hex[:4]}"
    cid, user, password = await api.register(name=company, area="华东")
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    customer = api.as_user()
    await customer.login(user, password)
    catalog = (await customer.get("/api/portal/catalog")).json()
    order = await place(customer, order_body([(catalog[0]["product_id"], 5)]))  # 801.50
    r = await admin.post("/api/console/orders/review",
                         json={"order_ids": [order["id"]], "decision": "approve"})
    assert r.status_code == 200, r.text
    last_day = business_date().replace(day=1) - timedelta(days=1)
    last_month = last_day.strftime("%Y-%m")
    r = await admin.post(f"/api/console/orders/{order['id']}/payments", json={
        "amount": "500.00", "paid_on": last_day.isoformat(), "method": "bank_transfer",
        "reference": "ZH20261130"})
    assert r.status_code == 201, r.text

    # --- the portal: last month's statement, disputed with a note
    portal = await (await new_context()).new_page()
    await portal_login(portal, gateway, user, password)
    # the header menu folds its last items into "…" on a desktop screen
    more = portal.locator(".ant-layout-header .ant-menu-overflow-item-rest")
    if await more.is_visible():
        await more.hover()
    await portal.get_by_role("menuitem", name="对账单").click()
    await expect(portal.get_by_role("heading", name="对账单", exact=True)).to_be_visible()
    card = portal.get_by_test_id("statement-entries")
    await expect(portal.get_by_text(f"{last_month} 对账单")).to_be_visible()
    await expect(portal.get_by_test_id("statement-status")).to_have_text("待确认")
    await expect(card.get_by_text("收款")).to_be_visible()
    await expect(card.get_by_text(order["number"])).to_be_visible()
    await expect(card.get_by_text("期末余额")).to_be_visible()
    await expect(portal.get_by_test_id("statement-closing-hint")).to_have_text(
        "负数：供应商欠您的余款")
    await expect(portal.get_by_test_id("statement-export")).to_have_attribute(
        "href", f"/api/portal/statements/{last_month}/export?lang=zh")
    await shot(portal, "statements-01-portal")
    await portal.get_by_test_id("statement-dispute-open").click()
    dialog = portal.locator(".ant-modal-content", has_text="提出异议")
    await dialog.get_by_role("button", name="提交异议").click()
    await expect(dialog.get_by_text("请说明哪里不对")).to_be_visible()
    note = "11 月 28 日另有一笔 300 元转账未列入"
    await dialog.get_by_label("说明").fill(note)
    await shot(portal, "statements-02-portal-dispute", full_page=False)
    await dialog.get_by_role("button", name="提交异议").click()
    await expect(portal.get_by_test_id("statement-status")).to_have_text("有异议")
    await expect(portal.get_by_test_id("statement-dispute")).to_contain_text(note)
    await expect(portal.get_by_test_id("statement-confirm")).to_have_count(0)
    # the prompt is there before the console opens (no window pops up over the page)
    await staff_prompt_about(admin, cid, "statement_disputed")

    # --- the console: the disputed statement in the list, opened and answered
    console = await (await new_context()).new_page()
    await console_login(console, gateway, "admin", system.config.admin_password)
    await expect(console.get_by_text("以下是等待您处理的事项。")).to_be_visible()
    sider = console.locator(".ant-layout-sider:not(.ant-layout-sider-collapsed)")
    await expect(sider).to_be_visible()
    await sider.get_by_role("menuitem", name="对账单").click()
    await expect(console.get_by_role("heading", name="客户对账单")).to_be_visible()
    row = console.locator("tr.ant-table-row", has_text=company)
    await expect(row.get_by_text("有异议")).to_be_visible()
    await expect(row.get_by_text(note)).to_be_visible()
    await shot(console, "statements-03-console-disputed")
    await row.get_by_text(company).click()
    await expect(console).to_have_url(
        re.compile(rf"/console/statements/{cid}\?month={last_month}$"))
    statement = console.get_by_test_id("customer-statement")
    await expect(statement.get_by_test_id("statement-dispute")).to_contain_text(note)
    await expect(statement.get_by_test_id("statement-entries").get_by_text(
        order["number"])).to_be_visible()
    await console.get_by_test_id("statement-resolve-open").click()
    dialog = console.locator(".ant-modal-content", has_text="答复")
    answer = "已核实：该笔 300 元于 12 月 2 日到账，计入本月"
    await dialog.get_by_label("答复", exact=True).fill(answer)
    await shot(console, "statements-04-console-answer", full_page=False)
    await dialog.get_by_role("button", name="提交答复").click()
    await expect(statement.get_by_test_id("statement-status")).to_have_text("待确认")
    await expect(statement.get_by_test_id("statement-answer")).to_contain_text(answer)
    await expect(console.get_by_test_id("statement-resolve-open")).to_have_count(0)
    # the customer's page in the console shows the same statement in its tab
    await console.goto(f"{gateway}/console/customers/{cid}")
    await console.get_by_role("tab", name="对账单").click()
    await expect(console.get_by_test_id("customer-statement").get_by_text(
        order["number"])).to_be_visible()

    # --- the portal: the answer is there; the customer confirms
    await portal.reload()
    await expect(portal.get_by_test_id("statement-answer")).to_contain_text(answer)
    await portal.get_by_test_id("statement-confirm").click()
    await answer_confirm(portal, "确认无误", "确认无误")
    await expect(portal.get_by_test_id("statement-status")).to_have_text("已确认")
    await expect(portal.get_by_text("确认对账单").first).to_be_visible()  # the history
    await shot(portal, "statements-05-portal-confirmed")
