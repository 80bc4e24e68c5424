"""Online payment in the browser (B-2, O-6): the customer opens its approved order in the
portal, clicks 在线支付, picks 沙箱 and sees the QR code with the amount; it opens the
sandbox's payment page, confirms, and comes back to the order: the dialog noticed the
payment (it polls the intent), closed and reloaded the order, which is paid. Screenshots
go to test-output/screenshots/pay-*.png."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from ..api import order_body
from ..test_slice import approved_customer, place
from .conftest import SCREENSHOTS, shot
from .test_orders_ui import portal_login

pytestmark = pytest.mark.e2e


async def test_pay_an_approved_order_online_with_the_sandbox_B2_O6(
        gateway, system, api, admin, new_context):
    customer, _, catalog = await approved_customer(api, admin)
    ink = next(p for p in catalog if p["model"] == "INK-UV-K-1L")
    order = await place(customer, order_body([(ink["product_id"], 1)]))  # 160.30
    r = await admin.post("/api/console/orders/review",
                         json={"order_ids": [order["id"]], "decision": "approve"})
    assert r.status_code == 200, r.text

    context = await new_context()
    portal = await context.new_page()
    user = (await customer.get("/api/auth/me")).json()["username"]
    await portal_login(portal, gateway, user, "secret-123")
    await portal.goto(f"{gateway}/orders/{order['id']}")
    await expect(portal.get_by_role("heading", name=f"订单 {order['number']}",
                                    exact=True)).to_be_visible()
    await portal.get_by_role("button", name="在线支付").click()
    dialog = portal.locator(".ant-modal-content", has_text="在线支付：")
    await dialog.get_by_text("沙箱", exact=True).click()
    await expect(dialog.get_by_test_id("pay-qr")).to_be_visible()
    await expect(dialog.get_by_text("¥160.30")).to_be_visible()
    await expect(dialog.get_by_text("等待支付结果…")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # (not `shot`: the dialog's "waiting" spinner turns until the payment arrives)
    await portal.screenshot(path=str(SCREENSHOTS / "pay-01-portal-qr-code.png"))

    async with context.expect_page() as opened:
        await dialog.get_by_role("link", name="打开沙箱支付页").click()
    sandbox = await opened.value
    await expect(sandbox.get_by_test_id("sandbox-amount")).to_have_text("¥160.30")
    await expect(sandbox.get_by_text(order["number"])).to_be_visible()
    await shot(sandbox, "pay-02-sandbox-page")
    await sandbox.get_by_role("button", name="确认支付").click()
    await expect(sandbox.get_by_role("heading", name="支付成功")).to_be_visible()
    await shot(sandbox, "pay-03-sandbox-paid")

    # back in the portal: the dialog closed by itself and the order is paid
    await sandbox.get_by_role("link", name="返回订单").click()
    await expect(sandbox.get_by_role("heading", name=f"订单 {order['number']}",
                                     exact=True)).to_be_visible()
    await sandbox.close()
    await expect(dialog).to_be_hidden()
    await expect(portal.get_by_role("button", name="在线支付")).to_have_count(0)
    await expect(portal.get_by_text("已付清").first).to_be_visible()
    await expect(portal.get_by_test_id("order-timeline").get_by_text("登记收款")).to_be_visible()
    await shot(portal, "pay-04-portal-order-paid")
