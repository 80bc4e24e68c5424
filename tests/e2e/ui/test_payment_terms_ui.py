"""Payment terms in the browser (O-6, issue 9): staff set a customer's terms on its
detail page in the console; an order approved afterwards shows its payment due date in
the portal and in the console's order query, which filters overdue orders."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.async_api import expect
from servicekit.timeutil import business_date

from ..api import order_body
from ..test_payment_terms import learned
from ..test_slice import approved_customer, place
from .conftest import shot
from .test_flow import console_login
from .test_orders_ui import portal_login

pytestmark = pytest.mark.e2e


async def test_staff_set_terms_and_the_due_date_shows_on_both_sides_O6(
        gateway, system, api, admin, new_context):
    customer, cid, catalog = await approved_customer(api, admin)
    console = await (await new_context()).new_page()
    await console_login(console, gateway, "admin", system.config.admin_password)
    await expect(console.get_by_text("以下是等待您处理的事项。")).to_be_visible()
    await console.goto(f"{gateway}/console/customers/{cid}")
    await console.get_by_role("tab", name="等级、订货周期与账期").click()
    await expect(console.get_by_test_id("payment-terms")).to_have_text("30 天")
    terms = console.locator("form#payment-terms")
    await terms.get_by_label("账期天数").fill("7")
    await terms.get_by_role("button", name=re.compile(r"^保\s*存$")).click()
    await expect(console.get_by_test_id("payment-terms")).to_have_text("7 天")
    await shot(console, "terms-01-console-payment-terms")

    await learned(system, cid, 7)
    order = await place(customer, order_body([(catalog[0]["product_id"], 2)]))
    r = await admin.post("/api/console/orders/review",
                         json={"order_ids": [order["id"]], "decision": "approve"})
    assert r.status_code == 200, r.text
    due = (business_date() + timedelta(days=7)).isoformat()

    portal = await (await new_context()).new_page()
    user = (await customer.get("/api/auth/me")).json()["username"]
    await portal_login(portal, gateway, user, "secret-123")
    await portal.goto(f"{gateway}/orders/{order['id']}")
    await expect(portal.get_by_test_id("order-due-date")).to_have_text(due)
    await shot(portal, "terms-02-portal-order-due-date")

    await console.goto(f"{gateway}/console/orders/all")
    await console.get_by_role("combobox", name="付款到期").click()
    await console.get_by_title("未逾期").click()
    await console.get_by_role("button", name=re.compile(r"查\s*询")).click()
    await expect(console.locator("tr.ant-table-row", has_text=order["number"])).to_contain_text(due)
    await shot(console, "terms-03-console-orders-due-dates")


async def test_staff_send_payment_reminders_and_the_customer_reads_them_O6_N5(
        gateway, system, api, admin, new_context):
    customer, cid, catalog = await approved_customer(api, admin)
    r = await admin.put(f"/api/console/customers/{cid}/payment-terms", json={"days": 0})
    assert r.status_code == 200, r.text
    await learned(system, cid, 0)
    order = await place(customer, order_body([(catalog[0]["product_id"], 1)]))
    r = await admin.post("/api/console/orders/review",
                         json={"order_ids": [order["id"]], "decision": "approve"})
    assert r.status_code == 200, r.text

    console = await (await new_context()).new_page()
    await console_login(console, gateway, "admin", system.config.admin_password)
    await console.get_by_test_id("run-reminders").click()
    await expect(console.get_by_text(re.compile(r"已发送 [1-9]\d* 条提醒"))).to_be_visible()
    await shot(console, "terms-04-console-dashboard-reminders")

    user = (await customer.get("/api/auth/me")).json()["username"]
    portal = await (await new_context()).new_page()
    await portal_login(portal, gateway, user, "secret-123")
    await portal.get_by_test_id("inbox-bell").click()
    reminder = portal.get_by_test_id("message").filter(has_text=order["number"]).filter(
        has_text="付款提醒")
    await expect(reminder).to_be_visible(timeout=30_000)
    await shot(portal, "terms-05-portal-payment-reminder")
