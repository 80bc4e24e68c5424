"""The payment ledger in the browser (O-6): a clerk records a partial payment in the
console's order drawer (收款记录) and asks for a wrongly recorded one to be reversed; a
second staff member, who may review payments, approves the reversal there; the customer
sees the ledger on its order in the portal (收款与退款): the payment, the reversed one
struck through, the reversal, and what is paid and still owed.
Screenshots go to test-output/screenshots/ledger-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Locator, Page, expect
from servicekit.timeutil import business_date

from ..access_helpers import STAFF_PASSWORD, new_staff
from ..api import order_body
from ..test_slice import approved_customer, place
from .conftest import shot
from .test_flow import console_login
from .test_orders_ui import portal_login

pytestmark = pytest.mark.e2e

OK = re.compile(r"^确\s*定$")
REVERSE = re.compile(r"^冲\s*正$")
APPROVE = re.compile(r"^通\s*过$")


async def answered(page: Page, button: Locator, path: str, method: str = "POST") -> None:
    """Click `button` and wait for the API call it makes (its path ends with `path`) to
    succeed: on the shared, busy test machine the page may take a while to send it."""
    async with page.expect_response(lambda r: r.request.method == method
                                    and r.url.split("?")[0].endswith(path),
                                    timeout=60_000) as info:
        await button.click()
    response = await info.value
    assert response.ok, f"{response.status} {await response.text()}"


async def console_as(page: Page, gateway: str, username: str, password: str) -> None:
    await console_login(page, gateway, username, password)
    await expect(page.get_by_text("以下是等待您处理的事项。")).to_be_visible()


async def open_console_order(page: Page, gateway: str, number: str,
                             query: str = "") -> Locator:
    """Find the order in the console's 订单查询 (with `query` in the address, e.g.
    "?credit_hold=true") and open it in the drawer."""
    await page.goto(f"{gateway}/console/orders/all{query}")
    await page.get_by_placeholder("订单号或客户名称").fill(number)
    await page.get_by_role("button", name=re.compile(r"查\s*询$")).click()
    row = page.locator("tr.ant-table-row", has_text=number)
    await expect(row).to_have_count(1)
    await row.get_by_text(number).click()
    drawer = page.locator(".ant-drawer-content")
    await expect(drawer.get_by_test_id("order-timeline")).to_be_visible()
    return drawer


def ledger_row(card: Locator, kind: str, status: str, has_text: str | None = None) -> Locator:
    rows = card.locator(f"tr.ledger-{kind}-{status}")
    return rows.filter(has_text=has_text) if has_text else rows


async def test_partial_payment_reversal_by_a_second_person_and_the_customers_ledger_O6(
        gateway, system, api, admin, new_context):
    customer, _, catalog = await approved_customer(api, admin)
    ink = next(p for p in catalog if p["model"] == "INK-UV-K-1L")["product_id"]
    order = await place(customer, order_body([(ink, 5)]))  # 5 × 160.30 = 801.50
    oid, number = order["id"], order["number"]
    r = await admin.post("/api/console/orders/review",
                         json={"order_ids": [oid], "decision": "approve"})
    assert r.status_code == 200, r.text
    clerk, clerk_user = await new_staff(admin, ["orders:query", "payments:entry",
                                                "payments:query"])
    reviewer, reviewer_user = await new_staff(admin, ["orders:query", "payments:review",
                                                      "payments:query"])
    today = business_date().isoformat()
    # a payment recorded by mistake (the cash was never received)
    r = await clerk.post(f"/api/console/orders/{oid}/payments", json={
        "amount": "200.00", "paid_on": today, "method": "cash", "reference": "XJ-误登"})
    assert r.status_code == 201, r.text

    # --- the clerk records a partial bank transfer in the order drawer
    console = await (await new_context()).new_page()
    await console_as(console, gateway, clerk_user["username"], STAFF_PASSWORD)
    # (no fapiao or credit-hold counts on the dashboard without those permissions)
    await expect(console.get_by_test_id("dashboard-fapiao")).to_have_count(0)
    await expect(console.get_by_test_id("dashboard-credit-held")).to_have_count(0)
    drawer = await open_console_order(console, gateway, number)
    ledger = drawer.get_by_test_id("payment-ledger")
    await expect(ledger).to_contain_text("收款记录")
    await expect(ledger.get_by_test_id("ledger-outstanding")).to_have_text("¥601.50")
    await drawer.get_by_test_id("order-actions").get_by_role("button", name="登记收款").click()
    dialog = console.locator(".ant-modal-content", has_text="登记收款")
    await expect(dialog.get_by_label("金额", exact=True)).to_have_value("601.50")
    await dialog.get_by_label("金额", exact=True).fill("300.00")
    await dialog.get_by_label("凭证号", exact=True).fill("HZ20261124001")
    await answered(console, dialog.get_by_role("button", name=OK), f"/orders/{oid}/payments")
    await expect(console.get_by_text("已登记收款")).to_be_visible()
    transfer = ledger_row(ledger, "payment", "recorded", "HZ20261124001")
    await expect(transfer).to_contain_text("¥300.00")
    await expect(transfer).to_contain_text("银行转账")
    await expect(transfer).to_contain_text(clerk_user["username"])
    await expect(ledger.get_by_test_id("ledger-paid")).to_have_text("¥500.00")
    await expect(ledger.get_by_test_id("ledger-outstanding")).to_have_text("¥301.50")

    # --- and asks for the mistaken cash payment to be reversed
    cash = ledger_row(ledger, "payment", "recorded", "XJ-误登")
    await cash.get_by_role("button", name=REVERSE).click()
    dialog = console.locator(".ant-modal-content", has_text="申请冲正（¥200.00）")
    await dialog.get_by_label("冲正原因").fill("现金未实际收到，误登记")
    await answered(console, dialog.get_by_role("button", name=OK), "/reversal")
    await expect(console.get_by_text("冲正申请已提交，须由其他人员审核")).to_be_visible()
    await expect(ledger_row(ledger, "payment", "reversal_pending", "XJ-误登")).to_contain_text(
        "冲正待审核")
    pending = ledger_row(ledger, "reversal", "pending")
    await expect(pending).to_contain_text("现金未实际收到，误登记")
    await expect(pending.get_by_role("button", name=APPROVE)).to_have_count(0)  # not a reviewer
    await expect(ledger.get_by_test_id("ledger-paid")).to_have_text("¥500.00")  # still counts
    await shot(console, "ledger-01-console-reversal-requested", full_page=False)
    # the customer does not see a reversal that is only asked for
    mine = (await customer.get(f"/api/portal/orders/{oid}/payments")).json()
    assert [(e["kind"], e["status"]) for e in mine["entries"]] == [
        ("payment", "recorded"), ("payment", "recorded")]

    # --- a second staff member approves it
    other = await (await new_context()).new_page()
    await console_as(other, gateway, reviewer_user["username"], STAFF_PASSWORD)
    drawer = await open_console_order(other, gateway, number)
    ledger = drawer.get_by_test_id("payment-ledger")
    pending = ledger_row(ledger, "reversal", "pending")
    await expect(pending).to_contain_text("审核冲正")
    await expect(pending).to_contain_text(clerk_user["username"])
    await answered(other, pending.get_by_role("button", name=APPROVE), "/reversal/approve")
    await expect(other.get_by_text("冲正已通过")).to_be_visible()
    approved = ledger_row(ledger, "reversal", "approved")
    await expect(approved).to_contain_text("-¥200.00")
    await expect(approved).to_contain_text(
        f"{clerk_user['username']} → {reviewer_user['username']}")
    reversed_cash = ledger_row(ledger, "payment", "reversed", "XJ-误登")
    await expect(reversed_cash.get_by_test_id("ledger-status")).to_have_text("已冲正")
    await expect(reversed_cash.locator("del")).to_have_text("¥200.00")
    await expect(ledger.get_by_test_id("ledger-paid")).to_have_text("¥300.00")
    await expect(ledger.get_by_test_id("ledger-outstanding")).to_have_text("¥501.50")
    await shot(other, "ledger-02-console-reversal-approved", full_page=False)
    staff_view = (await reviewer.get(f"/api/console/orders/{oid}/payments")).json()
    assert (staff_view["paid_total"], staff_view["outstanding"],
            staff_view["payment_status"]) == ("300.00", "501.50", "partially_paid")

    # --- the customer sees its ledger on the order
    portal = await (await new_context()).new_page()
    user = (await customer.get("/api/auth/me")).json()["username"]
    await portal_login(portal, gateway, user, "secret-123")
    await portal.goto(f"{gateway}/orders/{oid}")
    await expect(portal.get_by_role("heading", name=f"订单 {number}", exact=True)).to_be_visible()
    ledger = portal.get_by_test_id("payment-ledger")
    await expect(ledger).to_contain_text("收款与退款")
    await expect(ledger.locator("tr.ant-table-row")).to_have_count(3)
    paid = ledger_row(ledger, "payment", "recorded")
    await expect(paid).to_contain_text("付款")
    await expect(paid).to_contain_text("¥300.00")
    await expect(paid).to_contain_text("银行转账")
    await expect(paid).to_contain_text("HZ20261124001")
    await expect(paid).to_contain_text(today)
    await expect(paid).to_contain_text("已入账")
    cash = ledger_row(ledger, "payment", "reversed")
    await expect(cash.locator("del")).to_have_text("¥200.00")
    await expect(cash.get_by_test_id("ledger-status")).to_have_text("已冲正")
    reversal = ledger_row(ledger, "reversal", "approved")
    await expect(reversal).to_contain_text("冲正")
    await expect(reversal).to_contain_text("-¥200.00")
    await expect(reversal).to_contain_text("现金未实际收到，误登记")
    await expect(ledger.get_by_test_id("ledger-paid")).to_have_text("¥300.00")
    await expect(ledger.get_by_test_id("ledger-outstanding")).to_have_text("¥501.50")
    await expect(ledger.get_by_test_id("ledger-refunded")).to_have_text("¥0.00")
    # staff names stay in the console
    await expect(ledger).not_to_contain_text(clerk_user["username"])
    await expect(ledger).not_to_contain_text(reviewer_user["username"])
    await shot(portal, "ledger-03-portal-ledger")
    mine = (await customer.get(f"/api/portal/orders/{oid}/payments")).json()
    assert [(e["kind"], e["amount"], e["status"]) for e in mine["entries"]] == [
        ("payment", "200.00", "reversed"), ("payment", "300.00", "recorded"),
        ("reversal", "200.00", "approved")]
    assert (mine["paid_total"], mine["outstanding"]) == ("300.00", "501.50")
