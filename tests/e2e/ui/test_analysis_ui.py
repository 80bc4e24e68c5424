"""Summaries behind the query password in the browser (A-2, X-3): a staff user holding
reports:query opens 汇总分析 and is told it needs the query password; a wrong one says
查询密码不正确 and keeps the user logged in; the right one unlocks the page until a time it
shows; the customer's row adds up its two orders, the consumables table has the model, and
clicking the model shows that customer. Screenshots go to
test-output/screenshots/analysis-*.png."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest
from playwright.async_api import expect
from servicekit.timeutil import business_date

from ..access_helpers import STAFF_PASSWORD, new_staff
from ..api import order_body
from ..test_slice import place
from .conftest import shot
from .test_flow import console_login

pytestmark = pytest.mark.e2e

QUERY_PASSWORD = "Query-2026-ui"


def yuan(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


async def test_summary_locked_wrong_then_unlocked_with_model_drilldown_A2_X3(
        gateway, system, api, admin, new_context):
    suffix = uuid.uuid4().hex[:8]
    company = f"汇总页测试公司{suffix}"
    model = f"INK-AN-{suffix[:4].upper()}"
    cid, user, password = await api.register(area="华东", name=company)
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": [
        {"name": "UV 墨水（汇总页）", "model": model, "unit_price": "125.50",
         "category": "consumable"},
        {"name": "喷码机（汇总页）", "model": f"PRN-AN-{suffix[:4].upper()}",
         "unit_price": "9000.00", "category": "machine"}]})
    assert r.status_code == 200, r.text
    customer = api.as_user()
    await customer.login(user, password)
    catalog = {p["model"]: p["product_id"]
               for p in (await customer.get("/api/portal/catalog")).json()}
    first = await place(customer, order_body([(catalog[model], 4)]))
    second = await place(customer, order_body([(catalog[model], 2),
                                               (catalog[f"PRN-AN-{suffix[:4].upper()}"], 1)]))
    total = Decimal(first["total"]) + Decimal(second["total"])

    staff, record = await new_staff(admin, ["reports:query"])
    r = await staff.post("/api/auth/query-password", json={
        "current_password": STAFF_PASSWORD, "query_password": QUERY_PASSWORD})
    assert r.status_code == 200, r.text

    # --- the console: 分析 → 汇总分析 is locked
    console = await (await new_context()).new_page()
    await console_login(console, gateway, record["username"], STAFF_PASSWORD)
    sider = console.locator(".ant-layout-sider")
    await expect(sider.get_by_text("分析", exact=True)).to_be_visible()
    await sider.get_by_role("menuitem", name="汇总分析").click()
    await expect(console.get_by_role("heading", name="汇总分析")).to_be_visible()
    locked = console.get_by_test_id("analysis-locked")
    await expect(locked.get_by_text("查看汇总需要输入查询密码")).to_be_visible()
    await expect(console.get_by_test_id("customer-amounts")).to_be_hidden()
    await shot(console, "analysis-01-locked")

    # --- a wrong query password: said so, and the user stays logged in
    await locked.get_by_role("button", name="输入查询密码").click()
    dialog = console.locator(".ant-modal-content", has_text="输入查询密码")
    await expect(dialog).to_be_visible()
    await dialog.get_by_test_id("query-password-input").fill("Wrong-2026-x")
    await dialog.get_by_role("button", name=re.compile(r"^解\s*锁$")).click()
    await expect(dialog.get_by_test_id("unlock-error")).to_contain_text("查询密码不正确")
    await console.wait_for_timeout(1_000)  # the check of the session (/me) has answered
    await expect(console).to_have_url(re.compile(r"/console/analysis$"))
    await expect(dialog).to_be_visible()
    await expect(console.locator(".ant-layout-header").get_by_role(
        "button", name=record["username"])).to_be_visible()
    await shot(console, "analysis-02-wrong-password")

    # what the API says for this month, to compare the cards with: read it in the API's
    # own session first, as an unlock holds for one session only (the latest)
    r = await staff.post("/api/auth/unlock-sensitive", json={"query_password": QUERY_PASSWORD})
    assert r.status_code == 200, r.text
    today = business_date()
    summary = (await staff.get("/api/console/analysis/summary", params={
        "from": today.replace(day=1).isoformat(), "to": today.isoformat()})).json()

    # --- the right one unlocks
    await dialog.get_by_test_id("query-password-input").fill(QUERY_PASSWORD)
    await dialog.get_by_role("button", name=re.compile(r"^解\s*锁$")).click()
    await expect(dialog).to_be_hidden()
    await expect(locked).to_be_hidden()
    await expect(console.get_by_test_id("unlocked-until")).to_have_text(
        re.compile(r"^已解锁至 \d{2}:\d{2}$"))

    row = console.get_by_test_id("customer-amounts").locator("tr.ant-table-row",
                                                           has_text=company)
    await expect(row).to_have_count(1)
    await expect(row.get_by_test_id("amount-cell")).to_have_text(yuan(total))
    await expect(row.locator("td").nth(3)).to_have_text("2")  # orders
    await expect(row.locator("td").nth(2)).to_have_text("华东")
    # the cards say what the API said for this month
    for key, title, value in (
            ("totalAmount", "订单金额合计", yuan(Decimal(summary["total_amount"]))),
            ("orderCount", "订单数", str(summary["order_count"])),
            ("customerCount", "客户数", str(summary["customer_count"]))):
        card = console.get_by_test_id(f"card-{key}")
        await expect(card.get_by_text(title, exact=True)).to_be_visible()
        await expect(card.locator(".ant-statistic-content")).to_have_text(value)
    await expect(console.get_by_test_id("top-customers-chart").locator("canvas")).to_be_visible()
    await shot(console, "analysis-03-unlocked")

    # --- consumables by model: ours, 6 pieces; clicking it shows the customer
    line = console.get_by_test_id("consumables-table").locator("tr.ant-table-row",
                                                              has_text=model)
    await expect(line).to_have_count(1)
    await expect(line.locator("td").nth(2)).to_have_text("6")
    await expect(line.locator("td").nth(3)).to_have_text(yuan(Decimal("753.00")))
    await line.get_by_test_id("model-link").click()
    drawer = console.get_by_test_id("model-drawer")
    await expect(console.locator(".ant-drawer-title")).to_have_text(f"型号 {model} · 按客户")
    await expect(drawer.get_by_test_id("model-summary")).to_contain_text("合计 6 件，¥753.00")
    mine = drawer.get_by_test_id("model-customers").locator("tr.ant-table-row")
    await expect(mine).to_have_count(1)
    await expect(mine.get_by_test_id("customer-cell")).to_contain_text(company)
    await expect(mine.get_by_test_id("amount-cell")).to_have_text("¥753.00")
    await expect(mine.get_by_text("100.0%")).to_be_visible()
    await shot(console, "analysis-04-model")

    # --- an unlock holds for one session, the latest: unlocking through the API takes it
    # from this page, whose next request finds the report locked and says so again
    await console.locator(".ant-drawer-open .ant-drawer-close").click()
    r = await staff.post("/api/auth/unlock-sensitive", json={"query_password": QUERY_PASSWORD})
    assert r.status_code == 200, r.text
    await line.get_by_test_id("model-link").click()
    await expect(locked.get_by_text("查看汇总需要输入查询密码")).to_be_visible()
    await expect(console.get_by_test_id("unlocked-until")).to_be_hidden()
