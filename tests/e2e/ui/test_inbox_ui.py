"""The portal inbox in the browser (N-5, issue 9): the header's bell counts unread
messages; the inbox lists what the supplier said (here: the order approved, the payment
received), links to the order, marks one or all as read, and the count follows."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect
from servicekit.timeutil import business_date

from ..api import eventually, order_body
from ..test_slice import approved_customer, place
from .conftest import PHONE, shot
from .test_orders_ui import portal_login

pytestmark = pytest.mark.e2e


async def test_inbox_lists_marks_read_and_the_bell_counts_N5(gateway, system, api, admin,
                                                             new_context):
    customer, _cid, catalog = await approved_customer(api, admin)
    order = await place(customer, order_body([(catalog[0]["product_id"], 2)]))
    r = await admin.post("/api/console/orders/review",
                         json={"order_ids": [order["id"]], "decision": "approve"})
    assert r.status_code == 200, r.text
    r = await admin.post(f"/api/console/orders/{order['id']}/payments", json={
        "amount": order["total"], "paid_on": business_date().isoformat(),
        "method": "bank_transfer"})
    assert r.status_code in (200, 201), r.text

    async def two_messages():
        items = (await customer.get("/api/portal/messages")).json()
        return items if len(items) >= 2 else None
    await eventually(two_messages, timeout=30)

    user = (await customer.get("/api/auth/me")).json()["username"]
    page = await (await new_context()).new_page()
    await portal_login(page, gateway, user, "secret-123")
    bell = page.get_by_test_id("inbox-bell")
    await expect(bell).to_have_attribute("aria-label", re.compile(r"（[2-9]\d* 条未读）"))
    await bell.click()
    await expect(page).to_have_url(re.compile(r"/messages$"))
    rows = page.get_by_test_id("message")
    await expect(rows.filter(has_text=order["number"]).first).to_be_visible()
    await expect(page.get_by_text("订单通过")).to_be_visible()
    await shot(page, "inbox-01-portal-messages")
    unread_before = await page.locator('[data-unread="true"]').count()
    approved = rows.filter(has_text=f"{order['number']} 已审核通过")
    await approved.get_by_role("button", name="标为已读").click()
    await expect(page.locator('[data-unread="true"]')).to_have_count(unread_before - 1)
    await page.get_by_test_id("read-all").click()
    await expect(page.locator('[data-unread="true"]')).to_have_count(0)
    await expect(bell).to_have_attribute("aria-label", "消息（0 条未读）")
    await approved.get_by_role("link", name="查看订单").click()
    await expect(page).to_have_url(re.compile(rf"/orders/{order['id']}$"))

    phone = await (await new_context(PHONE)).new_page()
    await portal_login(phone, gateway, user, "secret-123")
    await phone.goto(f"{gateway}/messages")
    await expect(phone.get_by_test_id("message").first).to_be_visible()
    await shot(phone, "inbox-02-portal-messages-phone")
