"""The order query in the browser (A-1): a staff user holding reports:query opens 分析 →
多条件查询, searches two customers' orders by text, sees them with the totals row over
every match, narrows to the large customer by grade, sorts by amount both ways (on the
server), opens an order from its number and downloads the Excel export. Screenshots go to
test-output/screenshots/order-query-*.png."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import expect
from servicekit.timeutil import business_date

from ..access_helpers import STAFF_PASSWORD, new_staff
from ..api import eventually, order_body
from ..test_slice import place
from .conftest import shot
from .test_flow import console_login

pytestmark = pytest.mark.e2e

PRODUCTS = [{"name": "UV 墨水（查询页）", "model": "INK-QUI-1", "unit_price": "150.00",
             "category": "consumable"}]
OPTION = ".ant-select-dropdown:visible .ant-select-item-option"


async def approved(api, admin, name: str, area: str):
    cid, user, password = await api.register(area=area, name=name)
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    customer = api.as_user()
    await customer.login(user, password)
    [ink] = (await customer.get("/api/portal/catalog")).json()
    return customer, cid, ink["product_id"]


async def test_filter_totals_sort_open_and_export_A1(gateway, system, api, admin,
                                                     new_context):
    suffix = uuid.uuid4().hex[:8]
    big, small = f"查询页甲公司{suffix}", f"查询页乙公司{suffix}"
    a, a_id, a_ink = await approved(api, admin, big, "华东")
    b, _, b_ink = await approved(api, admin, small, "华北")
    r = await admin.put(f"/api/console/customers/{a_id}/grade",
                        json={"grade": "large", "reason": "年采购额高"})
    assert r.status_code == 200, r.text
    o1 = await place(a, order_body([(a_ink, 4)]))   # 600.00
    o2 = await place(b, order_body([(b_ink, 1)]))   # 150.00
    o3 = await place(b, order_body([(b_ink, 2)]))   # 300.00
    r = await admin.post("/api/console/orders/review", json={
        "order_ids": [o1["id"], o2["id"], o3["id"]], "decision": "approve"})
    assert r.status_code == 200, r.text
    r = await admin.post(f"/api/console/orders/{o1['id']}/payments", json={
        "amount": "600.00", "paid_on": business_date().isoformat(), "method": "cash"})
    assert r.status_code == 201, r.text
    staff, record = await new_staff(admin, ["reports:query", "orders:query"])

    async def graded():  # the grade reaches the order service by event
        r = await staff.get("/api/console/analysis/orders", params={
            "q": suffix, "grade": "large"})
        return [o["number"] for o in r.json()["items"]] == [o1["number"]]
    await eventually(graded, timeout=60)

    # --- 分析 → 多条件查询
    console = await (await new_context()).new_page()
    await console_login(console, gateway, record["username"], STAFF_PASSWORD)
    sider = console.locator(".ant-layout-sider")
    await expect(sider.get_by_text("分析", exact=True)).to_be_visible()
    await sider.get_by_role("menuitem", name="多条件查询").click()
    await expect(console.get_by_role("heading", name="多条件查询")).to_be_visible()
    await expect(console.get_by_text(re.compile("^未选择订单状态时，不包含已驳回和已取消的订单"))) \
        .to_be_visible()

    # --- search by text: both customers' three orders and the totals row
    form = console.get_by_test_id("order-query-form")
    await form.get_by_placeholder("客户名称、编号或订单号").fill(suffix)
    await form.get_by_test_id("order-query-search").click()
    table = console.get_by_test_id("order-query-table")
    rows = table.locator("tr.ant-table-row")
    await expect(rows).to_have_count(3)
    totals = table.get_by_test_id("order-query-totals")
    await expect(totals).to_contain_text("合计（3 单）")
    await expect(totals.get_by_test_id("totals-amount")).to_have_text("¥1,050.00")
    await expect(totals.get_by_test_id("totals-paid")).to_have_text("¥600.00")
    await expect(totals.get_by_test_id("totals-outstanding")).to_have_text("¥450.00")
    await expect(totals.get_by_test_id("totals-quantity")).to_have_text("7")
    await expect(console.get_by_test_id("totals-strip")).to_contain_text("¥1,050.00")
    await expect(rows.filter(has_text=o1["number"])).to_contain_text("大客户")
    await expect(rows.filter(has_text=o1["number"])).to_contain_text("现金")

    # --- sort by amount on the server: largest first, then smallest first
    await table.get_by_role("columnheader", name="订单金额").click()
    await expect(rows.first).to_contain_text(o1["number"])
    await expect(rows.nth(1)).to_contain_text(o3["number"])
    await expect(rows.first.get_by_test_id("amount-cell")).to_have_text("¥600.00")
    await table.get_by_role("columnheader", name="订单金额").click()
    await expect(rows.first).to_contain_text(o2["number"])
    await expect(rows.last).to_contain_text(o1["number"])
    await table.locator(".ant-table-content").evaluate("e => { e.scrollLeft = 0; }")
    await shot(console, "order-query-01-sorted-with-totals")

    # --- narrow to the large customer by grade: the totals follow
    await form.locator(".ant-select", has_text="客户等级").locator(".ant-select-selector").click()
    await console.locator(OPTION, has_text="大客户").click()
    await console.keyboard.press("Escape")
    await form.get_by_test_id("order-query-search").click()
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(big)
    await expect(totals).to_contain_text("合计（1 单）")
    await expect(totals.get_by_test_id("totals-amount")).to_have_text("¥600.00")
    await expect(totals.get_by_test_id("totals-outstanding")).to_have_text("¥0.00")
    await table.locator(".ant-table-content").evaluate("e => { e.scrollLeft = 0; }")
    await shot(console, "order-query-02-large-customer")

    # --- the order number opens the order
    await rows.first.get_by_test_id("order-link").click()
    drawer = console.locator(".ant-drawer-open")
    await expect(drawer.get_by_text(o1["number"]).first).to_be_visible()
    await console.locator(".ant-drawer-open .ant-drawer-close").click()
    await expect(drawer).to_be_hidden()

    # --- the export downloads through the API client
    async with console.expect_download() as info:
        await console.get_by_test_id("order-query-export").click()
    download = await info.value
    assert re.fullmatch(r"order-query-\d{8}-\d{6}\.xlsx", download.suggested_filename)
    await expect(console.get_by_text("已导出 1 个订单")).to_be_visible()
