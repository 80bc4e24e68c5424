"""Fapiao in the browser (issue 10 point 4): the customer requests a fapiao for an
approved order on the portal's 发票 page, the details prefilled from its profile (I-1);
finance staff find it in the console's 发票管理 queue and enter the issued fapiao with its
courier in the drawer (I-2); the customer sees it issued with its number and tracking
number and confirms receipt (I-3). A returned request shows its reason to the customer,
who corrects and resubmits it; staff then issue it as two fapiao, the split above the
per-fapiao limit prefilled and its sum checked as they type (I-2).
Screenshots go to test-output/screenshots/fapiao-*.png."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import Page, expect

from ..api import Api, eventually, order_body
from ..test_invoices import PRODUCTS, TAX
from .conftest import answer_confirm, shot
from .test_flow import console_login
from .test_orders_ui import portal_login

pytestmark = pytest.mark.e2e

PASSWORD = "secret-123"
MAIL_TO = "杭州市西湖区文三路 1 号 张三 13900001111"
CORRECTED = "杭州市西湖区文三路 1 号 李四 13900002222"


async def customer_with_order(api: Api, admin: Api, quantity: int,
                              bill_type: str) -> tuple[Api, str, dict]:
    """An approved customer with its tax information (C-1) and its approved order of
    `quantity` × 160.30 yuan, once the invoice service knows both."""
    cid, user, pw = await api.register(**TAX)
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    customer = api.as_user()
    await customer.login(user, pw)

    async def place():
        catalog = (await customer.get("/api/portal/catalog")).json()
        if not catalog:
            return None
        r = await customer.post("/api/portal/orders", json=order_body(
            [(catalog[0]["product_id"], quantity)], bill_type=bill_type))
        return r if r.status_code == 201 else None
    order = (await eventually(place)).json()
    r = await admin.post("/api/console/orders/review",
                         json={"order_ids": [order["id"]], "decision": "approve"})
    assert r.status_code == 200, r.text

    async def ready():  # the profile's and the order's events reached the invoice service
        d = (await customer.get("/api/portal/invoice-requests/defaults")).json()
        orders = (await customer.get("/api/portal/invoice-requests/orders")).json()
        return d["tax_number"] == TAX["tax_number"] and [o["number"] for o in orders] == [
            order["number"]]
    await eventually(ready, timeout=30)
    return customer, user, order


async def open_invoices_console(page: Page, gateway: str, password: str) -> None:
    await console_login(page, gateway, "admin", password)
    await expect(page.get_by_text("以下是等待您处理的事项。")).to_be_visible()
    # the side menu's own item (a collapsed menu's pop-up copies live elsewhere)
    await page.locator(".ant-layout-sider").get_by_role("menuitem", name="发票管理").click()
    await expect(page).to_have_url(re.compile(r"/console/invoices$"))
    await expect(page.get_by_role("tab", name="待开票", exact=True)).to_have_attribute(
        "aria-selected", "true")


async def open_request(page: Page, number: str):
    """Search the list for an order number and open its request in the drawer."""
    search = page.get_by_placeholder("抬头、客户、税号、订单号或发票号码")
    await search.fill(number)
    await search.press("Enter")
    row = page.locator("tr.ant-table-row", has_text=number)
    await expect(row).to_have_count(1)
    await row.click()
    drawer = page.locator(".ant-drawer-content")
    await expect(drawer.get_by_test_id("invoice-orders")).to_contain_text(number)
    return drawer


async def open_portal_invoices(page: Page, gateway: str, user: str) -> None:
    await portal_login(page, gateway, user, PASSWORD)
    # the header menu has the entry (at this width it may sit in the menu's overflow "…")
    await expect(page.locator(".ant-layout-header .ant-menu-item").filter(
        has_text=re.compile(r"^发票$")).first).to_be_attached()
    await page.goto(f"{gateway}/invoices")
    await expect(page.get_by_role("heading", name="发票", exact=True)).to_be_visible()


async def test_request_issue_and_confirm_a_fapiao_I1_I2_I3(gateway, system, api, admin,
                                                          new_context):
    """I-1: the customer chooses its approved order, the tax details prefilled from its
    profile, and requests an ordinary VAT fapiao; I-2: staff issue it in the console's
    drawer with a number, courier and tracking number; I-3: the customer sees it issued
    and confirms receipt, and the order becomes invoiced."""
    customer, user, order = await customer_with_order(api, admin, 3, "ordinary_vat")
    number = order["number"]

    # --- I-1: the request in the portal
    portal = await (await new_context()).new_page()
    await open_portal_invoices(portal, gateway, user)
    await portal.get_by_test_id("request-fapiao").click()
    drawer = portal.locator(".ant-drawer-content")
    await expect(drawer.get_by_label("税号", exact=True)).to_have_value(TAX["tax_number"])
    await expect(drawer.get_by_label("发票抬头", exact=True)).to_have_value(TAX["invoice_title"])
    await expect(drawer.get_by_label("增值税普通发票")).to_be_checked()
    row = drawer.get_by_test_id("invoiceable-orders").locator("tr.ant-table-row", has_text=number)
    await expect(row).to_contain_text("¥480.90")
    await row.locator("input[type=checkbox]").check()
    await expect(drawer.get_by_test_id("chosen-total")).to_have_text(
        "已选 1 个订单，开票金额 ¥480.90")
    await drawer.get_by_label("收票地址", exact=True).fill(MAIL_TO)
    await shot(portal, "fapiao-01-portal-request")
    await drawer.get_by_test_id("submit-fapiao-request").click()
    await expect(portal.get_by_text("开票申请已提交，财务开具后会通知您")).to_be_visible()
    mine = portal.get_by_test_id("invoice-list").locator("tr.ant-table-row", has_text=number)
    await expect(mine.get_by_test_id("invoice-status")).to_have_text("待开票")
    await expect(mine).to_contain_text("¥480.90")

    # --- I-2: staff issue it from the queue
    fapiao = f"UI{uuid.uuid4().hex[:10].upper()}"
    console = await (await new_context()).new_page()
    await open_invoices_console(console, gateway, system.config.admin_password)
    detail = await open_request(console, number)
    # the Excel export downloads what the list shows: the queue, found by the order number
    # (the link follows the search once the page has taken it: wait for that)
    await expect(console.get_by_test_id("export-invoices")).to_have_attribute(
        "href", re.compile(rf"q={re.escape(number)}"))
    href = await console.get_by_test_id("export-invoices").get_attribute("href")
    assert href and href.startswith("/api/console/invoices/export.xlsx?"), href
    assert "status=requested" in href and f"q={number}" in href and "lang=zh" in href, href
    export = await console.request.get(f"{gateway}{href}")
    assert export.ok and export.headers["x-total-count"] == "1", export.status
    assert "spreadsheetml" in export.headers["content-type"]
    await expect(detail.get_by_test_id("invoice-details")).to_contain_text(TAX["tax_number"])
    await expect(detail.get_by_test_id("invoice-details")).to_contain_text("张三 13900001111")
    issue = detail.get_by_test_id("issue-form")
    await issue.get_by_label("发票号码", exact=True).fill(fapiao)
    await issue.get_by_label("快递公司", exact=True).fill("顺丰速运")
    await issue.get_by_label("运单号", exact=True).fill("SF1234567890")
    await shot(console, "fapiao-02-console-issue", full_page=False)
    await issue.get_by_test_id("issue-submit").click()
    await expect(console.get_by_text("已登记开票，客户会收到通知")).to_be_visible()
    await expect(detail.get_by_test_id("invoice-status")).to_have_text("已开票")
    await expect(detail.get_by_test_id("fapiao-numbers")).to_contain_text(fapiao)
    await expect(detail.get_by_test_id("issue-form")).to_have_count(0)
    await expect(detail.get_by_test_id("invoice-history")).to_contain_text(f"登记开票：{fapiao}")

    # --- I-3: the customer sees number and tracking and confirms receipt
    await portal.reload()
    mine = portal.get_by_test_id("invoice-list").locator("tr.ant-table-row", has_text=number)
    await expect(mine.get_by_test_id("invoice-status")).to_have_text("已开票")
    await expect(mine.get_by_test_id("fapiao-numbers")).to_contain_text(fapiao)
    await expect(mine.get_by_test_id("invoice-courier")).to_contain_text("顺丰速运")
    await expect(mine.get_by_test_id("invoice-courier")).to_contain_text("SF1234567890")
    await shot(portal, "fapiao-03-portal-issued")
    await mine.get_by_test_id("confirm-receipt").click()
    await answer_confirm(portal, fapiao, "确认收到")
    await expect(portal.get_by_text("已确认收到发票")).to_be_visible()
    await expect(mine.get_by_test_id("invoice-status")).to_have_text("已收到")
    await expect(mine.get_by_test_id("confirm-receipt")).to_have_count(0)

    async def invoiced():
        return (await customer.get(f"/api/portal/orders/{order['id']}")).json()["invoiced"]
    await eventually(invoiced)


async def test_returned_request_is_corrected_resubmitted_and_issued_as_two_fapiao_I1_I2(
        gateway, system, api, admin, new_context):
    """I-1: staff return a request with a reason in the console; the customer sees the
    reason, corrects the request (the same order preselected) and resubmits it; I-2: above
    the per-fapiao limit the drawer prefills the suggested split (100,000.00 + 12,210.00),
    checks the sum as staff type and issues two fapiao."""
    customer, user, order = await customer_with_order(api, admin, 700, "special_vat")
    number = order["number"]
    r = await customer.post("/api/portal/invoice-requests", json={"order_ids": [number]})
    assert r.status_code == 201, r.text
    invoice_id = r.json()["id"]
    assert r.json()["invoice_type"] == "special_vat"

    # --- staff return it with a reason
    console = await (await new_context()).new_page()
    await open_invoices_console(console, gateway, system.config.admin_password)
    detail = await open_request(console, number)
    reject = detail.get_by_test_id("reject-form")
    await reject.get_by_label("退回原因", exact=True).fill("请填写收票地址")
    await reject.get_by_test_id("reject-submit").click()
    await answer_confirm(console, "请填写收票地址", "退回申请")
    await expect(console.get_by_text("已退回申请", exact=True)).to_be_visible()
    await expect(detail.get_by_test_id("invoice-status")).to_have_text("已退回")
    await expect(detail.get_by_test_id("invoice-history")).to_contain_text("请填写收票地址")

    # --- the customer reads the reason, corrects and resubmits
    portal = await (await new_context()).new_page()
    await open_portal_invoices(portal, gateway, user)
    mine = portal.get_by_test_id("invoice-list").locator("tr.ant-table-row", has_text=number)
    await expect(mine.get_by_test_id("invoice-status")).to_have_text("已退回")
    await expect(mine.get_by_test_id("rejection-reason")).to_have_text("退回原因：请填写收票地址")
    await shot(portal, "fapiao-04-portal-returned")
    await mine.get_by_test_id("resubmit").click()
    drawer = portal.locator(".ant-drawer-content")
    await expect(drawer.get_by_test_id("resubmit-reason")).to_have_text("请填写收票地址")
    await expect(drawer.get_by_label("增值税专用发票")).to_be_checked()
    await expect(drawer.get_by_label("银行账号", exact=True)).to_have_value(TAX["bank_account"])
    orders = drawer.get_by_test_id("invoiceable-orders")
    chosen = orders.locator("tr.ant-table-row", has_text=number)
    await expect(chosen.locator("input[type=checkbox]")).to_be_checked()
    await expect(drawer.get_by_test_id("chosen-total")).to_have_text(
        "已选 1 个订单，开票金额 ¥112,210.00")
    await drawer.get_by_label("收票地址", exact=True).fill(CORRECTED)
    await drawer.get_by_test_id("submit-fapiao-request").click()
    await expect(portal.get_by_text("开票申请已重新提交")).to_be_visible()
    await expect(mine.get_by_test_id("invoice-status")).to_have_text("待开票")
    resubmitted = (await customer.get(f"/api/portal/invoices/{invoice_id}")).json()
    assert resubmitted["status"] == "requested"
    assert resubmitted["mail_to"] == CORRECTED

    # --- I-2: issued as two fapiao, the split prefilled and its sum checked live
    await console.reload()
    detail = await open_request(console, number)
    issue = detail.get_by_test_id("issue-form")
    await expect(issue).to_contain_text("需分 2 张开具")
    await expect(issue.get_by_label("第 1 张金额")).to_have_value("100000.00")
    await expect(issue.get_by_label("第 2 张金额")).to_have_value("12210.00")
    one, two = (f"UI{uuid.uuid4().hex[:10].upper()}" for _ in range(2))
    await issue.get_by_label("第 1 张发票号码").fill(one)
    await issue.get_by_label("第 2 张发票号码").fill(two)
    await expect(issue.get_by_test_id("fapiao-sum")).to_contain_text("金额相符")
    await issue.get_by_label("第 2 张金额").fill("12000")
    await expect(issue.get_by_test_id("fapiao-sum")).to_contain_text("还差 ¥210.00")
    await issue.get_by_label("第 2 张金额").fill("12210")
    await expect(issue.get_by_test_id("fapiao-sum")).to_contain_text("金额相符")
    await issue.get_by_label("快递公司", exact=True).fill("EMS")
    await issue.get_by_label("运单号", exact=True).fill("EMS998877")
    await shot(console, "fapiao-05-console-two-fapiao", full_page=False)
    await issue.get_by_test_id("issue-submit").click()
    await expect(console.get_by_text("已登记开票，客户会收到通知")).to_be_visible()
    await expect(detail.get_by_test_id("invoice-status")).to_have_text("已开票")
    await expect(detail.get_by_test_id("fapiao-numbers")).to_contain_text(one)
    await expect(detail.get_by_test_id("fapiao-numbers")).to_contain_text(two)
    issued = (await customer.get(f"/api/portal/invoices/{invoice_id}")).json()
    assert [(f["invoice_number"], f["amount"]) for f in issued["fapiao"]] == [
        (one, "100000.00"), (two, "12210.00")]
    assert (issued["courier"], issued["tracking_number"]) == ("EMS", "EMS998877")


async def test_the_dashboard_counts_the_fapiao_requests_waiting_I2(gateway, system, api, admin,
                                                                  new_context):
    """I-2: finance staff see on the console's dashboard how many fapiao requests wait
    to be issued; the count opens the 发票管理 queue, where the new request is."""
    customer, _, order = await customer_with_order(api, admin, 1, "ordinary_vat")
    r = await customer.post("/api/portal/invoice-requests", json={"order_ids": [order["number"]]})
    assert r.status_code == 201, r.text
    r = await admin.get("/api/console/invoices", params={"status": "requested", "limit": 1})
    assert r.status_code == 200, r.text
    waiting = int(r.headers["x-total-count"])
    assert waiting >= 1

    console = await (await new_context()).new_page()
    await console_login(console, gateway, "admin", system.config.admin_password)
    await expect(console.get_by_text("以下是等待您处理的事项。")).to_be_visible()
    count = console.get_by_test_id("dashboard-fapiao")
    await expect(count).to_contain_text("待开发票")
    await expect(count.locator(".ant-statistic-content-value")).to_have_text(str(waiting))
    await shot(console, "fapiao-06-console-dashboard", full_page=False)
    await count.click()
    await expect(console).to_have_url(re.compile(r"/console/invoices\?status=requested$"))
    await expect(console.get_by_role("tab", name="待开票", exact=True)).to_have_attribute(
        "aria-selected", "true")
    await open_request(console, order["number"])
