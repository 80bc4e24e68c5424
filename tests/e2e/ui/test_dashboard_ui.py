"""The console home's charts in the browser (X-4, A-2, C-7): staff holding reports:query
see, below the counters, a chart of orders per month, by area, the top consumables,
customers by grade and the customers past their ordering cycle over time (an ECharts
canvas each); each chart's table toggle shows the numbers; amounts stay hidden with a
hint until the query password is entered; a preset of the period picker narrows the
period. Staff without reports:query see the home page as before. Screenshots go to
test-output/screenshots/dashboard-*.png."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest
from playwright.async_api import expect
from servicekit.timeutil import business_date

from ..access_helpers import STAFF_PASSWORD, new_staff
from ..api import order_body
from ..test_dashboard import anomaly_count, customer_of
from ..test_slice import place
from .conftest import shot
from .test_flow import console_login

pytestmark = pytest.mark.e2e

QUERY_PASSWORD = "Query-2026-ui"
CHARTS = ("monthly", "areas", "consumables", "grades", "anomalies")


def yuan(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


async def test_dashboard_charts_tables_and_unlocked_amounts_X4_A2_C7(
        gateway, system, api, admin, new_context):
    area = f"看板页{uuid.uuid4().hex[:6]}"
    customer, _, catalog = await customer_of(api, admin, area)
    first = await place(customer, order_body([(catalog["INK-DB"], 4)]))
    second = await place(customer, order_body([(catalog["CLN-DB"], 10)]))
    total = Decimal(first["total"]) + Decimal(second["total"])
    await anomaly_count(system, area, 3)

    # bound to the customer's area: the figures are exactly this test's (C-7)
    staff, record = await new_staff(admin, ["reports:query"], areas=[area])
    r = await staff.post("/api/auth/query-password", json={
        "current_password": STAFF_PASSWORD, "query_password": QUERY_PASSWORD})
    assert r.status_code == 200, r.text

    console = await (await new_context()).new_page()
    await console_login(console, gateway, record["username"], STAFF_PASSWORD)
    section = console.get_by_test_id("dashboard-charts")
    await expect(section.get_by_role("heading", name="经营看板")).to_be_visible()
    await expect(section.get_by_test_id("dashboard-totals")).to_have_text("共 2 个订单")
    locked = section.get_by_test_id("dashboard-amounts-locked")
    await expect(locked).to_contain_text("金额属于敏感信息")

    # --- a chart each, drawn by ECharts on a canvas
    for name in CHARTS:
        panel = section.get_by_test_id(f"dashboard-chart-{name}")
        await expect(panel.get_by_test_id("chart").locator("canvas").first).to_be_visible()
    await expect(section.get_by_test_id("dashboard-chart-consumables")).to_contain_text(
        "耗材前 10 名（按数量）")
    await shot(console, "dashboard-01-charts-locked")

    # --- the table toggle shows the numbers (no amounts while locked)
    monthly = section.get_by_test_id("dashboard-chart-monthly")
    await monthly.get_by_test_id("chart-toggle").get_by_text("表格").click()
    today = business_date()
    this_month = f"{today.year}年{today.month}月"
    row = monthly.get_by_test_id("chart-table").locator("tr.ant-table-row", has_text=this_month)
    await expect(row.locator("td")).to_have_count(2)
    await expect(row.locator("td").nth(1)).to_have_text("2")
    months = monthly.get_by_test_id("chart-table").locator("tr.ant-table-row")
    await expect(months).to_have_count(12)
    consumables = section.get_by_test_id("dashboard-chart-consumables")
    await consumables.get_by_test_id("chart-toggle").get_by_text("表格").click()
    lines = consumables.get_by_test_id("chart-table").locator("tr.ant-table-row")
    await expect(lines).to_have_count(2)
    await expect(lines.nth(0)).to_contain_text("清洗液（看板）")
    await expect(lines.nth(0).locator("td").nth(3)).to_have_text("10")
    anomalies = section.get_by_test_id("dashboard-chart-anomalies")
    await anomalies.get_by_test_id("chart-toggle").get_by_text("表格").click()
    await expect(anomalies.get_by_test_id("chart-table").locator("tr.ant-table-row",
                                                                 has_text=today.isoformat())
                 .locator("td").nth(1)).to_have_text("3")
    await shot(console, "dashboard-02-tables-locked")

    # --- the query password unlocks the amounts
    await locked.get_by_role("button", name="输入查询密码").click()
    dialog = console.locator(".ant-modal-content", has_text="输入查询密码")
    await dialog.get_by_test_id("query-password-input").fill(QUERY_PASSWORD)
    await dialog.get_by_role("button", name=re.compile(r"^解\s*锁$")).click()
    await expect(dialog).to_be_hidden()
    await expect(locked).to_be_hidden()
    await expect(section.get_by_test_id("dashboard-totals")).to_have_text(
        f"共 2 个订单，{yuan(total)}")
    await expect(row.locator("td").nth(2)).to_have_text(yuan(total))
    await expect(section.get_by_test_id("dashboard-chart-consumables")).to_contain_text(
        "耗材前 10 名（按金额）")
    await expect(lines.nth(0)).to_contain_text("UV 墨水（看板）")
    await expect(lines.nth(0).locator("td").nth(4)).to_have_text(yuan(Decimal("502.00")))

    # back to the chart: a canvas again, now with the amount line
    await monthly.get_by_test_id("chart-toggle").get_by_text("图表").click()
    await expect(monthly.get_by_test_id("chart").locator("canvas").first).to_be_visible()
    await shot(console, "dashboard-03-unlocked")

    # --- a preset of the period picker: this month only
    await section.get_by_test_id("dashboard-period").first.click()
    await console.locator(".ant-picker-presets li", has_text="本月").click()
    await monthly.get_by_test_id("chart-toggle").get_by_text("表格").click()
    await expect(months).to_have_count(1)
    await expect(months.first).to_contain_text(this_month)

    # --- staff without reports:query see the home page as before
    _, other = await new_staff(admin, ["orders:query"])
    plain = await (await new_context()).new_page()
    await console_login(plain, gateway, other["username"], STAFF_PASSWORD)
    await expect(plain.locator(".ant-statistic-title", has_text="待处理订单")).to_be_visible()
    await expect(plain.get_by_test_id("dashboard-charts")).to_have_count(0)
