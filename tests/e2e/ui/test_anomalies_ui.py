"""Anomaly analysis in the browser (A-3, A-4, B-6, C-6, X-3): a staff user holding
reports:query opens 异常分析 and finds the customer whose 7-day cycle passed 3 days ago
(table 1: 逾期 3 天, 未处理); clicking it opens table 2 — 异常 with the reason, the
customer's details, recent orders and cycle history —; a follow-up (已联系 with a note)
goes into the log and table 1's status; the year's consumables open with the query
password. Screenshots go to test-output/screenshots/anomalies-*.png."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import expect

from ..access_helpers import STAFF_PASSWORD
from ..api import order_body
from ..test_analysis import analyst
from ..test_anomalies import backdate, cycle_customer
from ..test_slice import place
from .conftest import shot
from .test_flow import console_login

pytestmark = pytest.mark.e2e

QUERY_PASSWORD = "Query-2026-q"  # the one `analyst` sets


async def test_table_1_to_table_2_then_a_follow_up_A3_A4_B6(gateway, system, api, admin,
                                                           new_context):
    area = f"异常页{uuid.uuid4().hex[:6]}"
    customer, cid, catalog = await cycle_customer(system, api, admin, area)
    order = await place(customer, order_body([(catalog["INK-ANOM-1"], 4)]))
    await backdate(system, order["id"], 10)
    name = (await admin.get(f"/api/console/customers/{cid}")).json()["name"]

    staff = await analyst(admin)
    me = (await staff.get("/api/auth/me")).json()

    # --- the console: 分析 → 异常分析, filtered to the customer's area
    console = await (await new_context()).new_page()
    await console_login(console, gateway, me["username"], STAFF_PASSWORD)
    sider = console.locator(".ant-layout-sider")
    await expect(sider.get_by_text("分析", exact=True)).to_be_visible()
    await sider.get_by_role("menuitem", name="异常分析").click()
    await expect(console.get_by_role("heading", name="异常分析")).to_be_visible()
    area_filter = console.get_by_placeholder("区域", exact=True)
    await area_filter.fill(area)
    await area_filter.press("Enter")
    await expect(console.get_by_test_id("anomaly-count")).to_have_text("共 1 个客户超周期未订货")
    row = console.get_by_test_id("anomaly-table").locator("tr.ant-table-row", has_text=name)
    await expect(row).to_have_count(1)
    await expect(row.get_by_test_id("days-overdue")).to_have_text("3 天")
    await expect(row.get_by_test_id("processing-tag")).to_have_text("未处理")
    await expect(row.get_by_text("每 7 天")).to_be_visible()
    await shot(console, "anomalies-01-table-1")

    # --- a click opens table 2
    await row.locator("td").nth(2).click()
    await expect(console).to_have_url(re.compile(rf"/console/analysis/customers/{cid}$"))
    await expect(console.get_by_role("heading", name=name)).to_be_visible()
    reason = console.get_by_test_id("standing-reason")
    await expect(reason.get_by_test_id("standing-tag")).to_have_text("异常")
    await expect(reason).to_contain_text("已逾期 3 天")
    info = console.get_by_test_id("customer-info")
    await expect(info).to_contain_text(area)
    await expect(info).to_contain_text("每 7 天")
    await expect(console.get_by_test_id("recent-orders")).to_contain_text(order["number"])
    await expect(console.get_by_test_id("cycle-history")).to_contain_text("首笔")
    await expect(console.get_by_test_id("follow-up-log")).to_contain_text("还没有跟进记录")
    await console.evaluate("window.scrollTo(0, 0)")
    await shot(console, "anomalies-02-table-2")

    # --- a follow-up: in the log and the processing status
    form = console.get_by_test_id("follow-up-form")
    await form.get_by_test_id("follow-up-submit").click()
    await expect(form.get_by_text("请选择处理结果").first).to_be_visible()  # required
    await form.locator(".ant-select").first.click()
    await console.locator(".ant-select-item-option", has_text="已联系").click()
    note = form.get_by_placeholder("例如：已电话联系，客户说下周订货")
    await note.fill("电话联系，客户说本周下单")
    await form.get_by_test_id("follow-up-submit").click()
    await expect(console.get_by_text("跟进已记录")).to_be_visible()
    log = console.get_by_test_id("follow-up-log").locator("tr.ant-table-row")
    await expect(log).to_have_count(1)
    await expect(log).to_contain_text("已联系")
    await expect(log).to_contain_text("电话联系，客户说本周下单")
    await expect(log).to_contain_text(me["username"])
    await expect(info.get_by_test_id("processing-tag")).to_have_text("已联系")
    await console.evaluate("window.scrollTo(0, 0)")
    await shot(console, "anomalies-03-follow-up")

    # --- the year's consumables behind the query password
    consumables = console.get_by_test_id("customer-consumables")
    await expect(consumables.get_by_text("查看耗材明细需要输入查询密码")).to_be_visible()
    await consumables.get_by_role("button", name="输入查询密码").click()
    dialog = console.locator(".ant-modal-content", has_text="输入查询密码")
    await dialog.get_by_test_id("query-password-input").fill(QUERY_PASSWORD)
    await dialog.get_by_role("button", name=re.compile(r"^解\s*锁$")).click()
    await expect(dialog).to_be_hidden()
    line = consumables.get_by_test_id("consumables-lines").locator("tr.ant-table-row")
    await expect(line).to_have_count(1)
    await expect(line).to_contain_text("INK-ANOM-1")
    await expect(consumables.get_by_test_id("consumables-summary")).to_contain_text(
        "合计 4 件，¥480.00")
    await console.evaluate("window.scrollTo(0, 0)")
    await shot(console, "anomalies-04-consumables")

    # --- back to table 1: the status shows the follow-up
    await console.get_by_role("button", name="返回异常分析").click()
    await expect(console.get_by_role("heading", name="异常分析")).to_be_visible()
    row = console.get_by_test_id("anomaly-table").locator("tr.ant-table-row", has_text=name)
    await expect(row.get_by_test_id("processing-tag")).to_have_text("已联系")
    await shot(console, "anomalies-05-table-1-followed-up")
