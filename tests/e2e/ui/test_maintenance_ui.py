"""Maintenance records in the browser (S-3..S-9, B-5): staff open 维修记录 in the console,
enter a repair for a customer through 新增记录 (category, content, engineer, charge), find
the customer under 未处理事项 and drill down to its record, add one processing entry and
then a second marked 已处理 — the page says a return visit was created, and that return
visit is what 未处理事项 shows for the customer now; suspending it with a reason moves it
to 挂起事项 and out of 未处理事项; 查询统计 for this year and this customer counts the
category once. Screenshots go to test-output/screenshots/maintenance-*.png."""

from __future__ import annotations

import asyncio
import re
import uuid

import pytest
from playwright.async_api import Page, expect
from servicekit.timeutil import business_date

from .conftest import press_until_shown, shot
from .test_flow import console_login

pytestmark = pytest.mark.e2e

OK = re.compile(r"^确\s*定$")
OPTION = ".ant-select-dropdown:visible .ant-select-item-option"


async def close_drawer(page: Page) -> None:
    await page.locator(".ant-drawer-open .ant-drawer-close").click()
    await expect(page.get_by_test_id("record-drawer")).to_be_hidden()


async def test_repair_processed_return_visit_suspended_and_counted_S3_S9_B5(
        gateway, system, api, admin, new_context):
    cid, user, _ = await api.register(area="华东")
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": [
        {"name": "UV 墨水（维修页）", "model": "INK-MT-UI", "unit_price": "120.00",
         "category": "consumable"}]})
    assert r.status_code == 200, r.text
    company = f"测试公司{user[-4:]}"
    category = f"喷头堵塞{uuid.uuid4().hex[:4]}"
    r = await admin.post("/api/console/maintenance/categories",
                         json={"kind": "fault", "name": category})
    assert r.status_code == 201, r.text
    content = f"喷头不出墨，清洗后仍堵塞 {uuid.uuid4().hex[:6]}"
    year = business_date().year

    # --- console: 维修记录 → 新增记录
    console = await (await new_context()).new_page()
    await console_login(console, gateway, "admin", system.config.admin_password)
    await expect(console.get_by_text("以下是等待您处理的事项。")).to_be_visible()
    await console.locator(".ant-layout-sider").get_by_role("menuitem", name="维修记录").click()
    await expect(console.get_by_role("heading", name="维修记录")).to_be_visible()
    tabs = console.get_by_test_id("maintenance-tabs")
    for name in ("维修内容", "返厂维修", "重点事项", "未处理事项", "挂起事项", "查询统计"):
        await expect(tabs.get_by_role("tab", name=name)).to_be_visible()

    await console.get_by_role("button", name="新增记录").click()
    modal = console.locator(".ant-modal-content", has_text="新增记录")
    await expect(modal).to_be_visible()
    await modal.get_by_role("button", name=OK).click()  # nothing filled in: the form says so
    await expect(modal.get_by_text("请选择客户")).to_be_visible()
    await expect(modal.get_by_text("请填写内容")).to_be_visible()

    await modal.get_by_test_id("record-customer").click()
    await console.keyboard.type(user[-4:])
    option = console.locator(OPTION, has_text=company)
    await expect(option).to_be_visible()
    await option.click()
    await modal.get_by_test_id("record-category").click()
    await console.locator(OPTION, has_text=category).click()
    await modal.get_by_label("维修内容").fill(content)
    await modal.get_by_label("工程师").fill("李工")
    await modal.get_by_label("收费").fill("180.5")
    # 返厂 asks for its method before anything is sent
    await modal.get_by_test_id("switch-factory").click()
    await modal.get_by_role("button", name=OK).click()
    await expect(modal.get_by_text("返厂时请填写返厂方式")).to_be_visible()
    await modal.get_by_test_id("switch-factory").click()
    await shot(console, "maintenance-01-form")

    # the service desk learns of the newly approved customer by event: until then the
    # API answers 404 and the form stays open; submit again
    added = console.get_by_text("维修记录已保存")
    await press_until_shown(modal.get_by_role("button", name=OK), added)
    await expect(modal).to_be_hidden()

    row = console.get_by_test_id("records-content").locator("tr.ant-table-row", has_text=content)
    await expect(row).to_be_visible()
    await expect(row.get_by_text(company)).to_be_visible()
    await expect(row.get_by_test_id("kind-tag")).to_have_text("维修")
    await expect(row.get_by_text(category)).to_be_visible()
    await expect(row.get_by_text("¥180.50")).to_be_visible()
    await expect(row.get_by_text("未付")).to_be_visible()
    await expect(row.get_by_test_id("state-tag")).to_have_text("未处理")
    saved = (await admin.get("/api/console/maintenance-records",
                             params={"customer_id": cid})).json()
    assert [(x["charge"], x["payment_status"], x["engineer"], x["category_name"])
            for x in saved] == [("180.50", "unpaid", "李工", category)], saved
    await shot(console, "maintenance-02-content")

    # --- 未处理事项: the customer's row, drilled down to its record
    await tabs.get_by_role("tab", name="未处理事项").click()
    group = console.get_by_test_id("unprocessed-customers").locator("tr.ant-table-row",
                                                                   has_text=company)
    await expect(group).to_be_visible()
    await expect(group.locator("td").nth(2)).to_have_text("1")  # one unprocessed repair
    await expect(group.locator("td").nth(3)).to_have_text("0")  # no return visit yet
    await shot(console, "maintenance-03-unprocessed")
    await group.click()
    drill = console.get_by_test_id("unprocessed-drilldown")
    await expect(drill.get_by_test_id("drilled-customer")).to_contain_text(company)
    mine = drill.get_by_test_id("records-unprocessed-customer").locator("tr.ant-table-row")
    await expect(mine).to_have_count(1)
    await mine.filter(has_text=content).click()

    drawer = console.get_by_test_id("record-drawer")
    await expect(drawer.get_by_test_id("record-details").get_by_text(content)).to_be_visible()
    await drawer.get_by_label("处理内容").fill("第一次上门：清洗喷头，待观察")
    await drawer.get_by_role("button", name="保存处理记录").click()
    await expect(console.get_by_text("处理记录已追加")).to_be_visible()
    await expect(drawer.get_by_test_id("record-entry")).to_have_count(1)
    await expect(drawer.get_by_test_id("return-visit-created")).to_be_hidden()

    await drawer.get_by_label("处理内容").fill("第二次上门：更换喷头，打印正常")
    await drawer.get_by_role("checkbox", name="已处理（处理完毕）").check()
    await drawer.get_by_role("button", name="保存处理记录").click()
    await expect(console.get_by_text("已处理，系统已生成回访记录")).to_be_visible()
    await expect(drawer.get_by_test_id("record-entry")).to_have_count(2)
    await expect(drawer.get_by_test_id("return-visit-created")).to_contain_text(
        "该维修已处理，系统已自动生成回访记录")
    title = console.locator(".ant-drawer-title")
    await expect(title.get_by_test_id("state-tag")).to_have_text("已处理")
    await expect(drawer.get_by_test_id("entry-form")).to_be_hidden()
    await shot(console, "maintenance-04-processed")

    # 编辑: the engineer and the payment change; the customer and kind stay
    await console.locator(".ant-drawer-extra").get_by_role(
        "button", name=re.compile(r"编\s*辑")).click()
    edit = console.locator(".ant-modal-content", has_text="编辑记录")
    await expect(edit.get_by_text("记录所属客户和类型不能修改")).to_be_visible()
    await edit.get_by_label("工程师").fill("王工")
    await edit.locator(".ant-form-item", has=console.get_by_label("付款状态", exact=True)) \
        .locator(".ant-select-selector").click()
    await console.locator(OPTION, has_text="已付").click()
    await edit.get_by_role("button", name=OK).click()
    await expect(console.get_by_text("维修记录已更新")).to_be_visible()
    await expect(edit).to_be_hidden()
    details = drawer.get_by_test_id("record-details")
    await expect(details.get_by_text("王工")).to_be_visible()
    await expect(details.get_by_text("已付")).to_be_visible()
    r = await admin.get(f"/api/console/maintenance-records/{saved[0]['id']}")
    assert (r.json()["engineer"], r.json()["payment_status"], r.json()["charge"]) == \
        ("王工", "paid", "180.50"), r.text

    # the return visit links back to the repair and says when it is due
    await drawer.get_by_role("button", name="查看回访记录").click()
    await expect(drawer.get_by_test_id("follows-repair")).to_contain_text(
        re.compile(r"这是维修后的回访，应在 \d{4}-\d{2}-\d{2} 前完成"))
    await expect(title.get_by_test_id("kind-tag")).to_have_text("回访")
    await close_drawer(console)

    # --- 未处理事项 for the customer now shows the return visit only
    await expect(mine).to_have_count(1)
    visit = mine.first
    await expect(visit.get_by_test_id("kind-tag")).to_have_text("回访")
    await expect(visit.get_by_test_id("state-tag")).to_have_text("未处理")
    await expect(visit.get_by_text(re.compile(r"^回访到期 \d{4}-\d{2}-\d{2}$"))).to_be_visible()

    # --- suspend it with a reason
    await visit.click()
    await console.locator(".ant-drawer-extra").get_by_role(
        "button", name=re.compile(r"挂\s*起")).click()
    suspend = console.locator(".ant-modal-content", has_text="挂起记录")
    await suspend.get_by_role("button", name=OK).click()
    await expect(suspend.get_by_text("请填写挂起原因")).to_be_visible()
    await suspend.get_by_label("挂起原因").fill("客户停产检修，下月再回访")
    await suspend.get_by_role("button", name=OK).click()
    await expect(console.get_by_text("已挂起，记录移到挂起事项")).to_be_visible()
    # the toast (top centre) lies over the drawer's close button: it must not catch the
    # pointer, or hovering it keeps it there and the drawer cannot be closed
    await expect(console.locator(".ant-message-notice-content", has_text="已挂起")
                 ).to_have_css("pointer-events", "none")
    await expect(drawer.get_by_test_id("suspended-reason")).to_have_text(
        "已挂起：客户停产检修，下月再回访")
    await close_drawer(console)
    await expect(mine).to_have_count(0)
    await drill.get_by_role("button", name="返回客户列表").click()
    await expect(console.get_by_test_id("unprocessed-customers")).to_be_visible()
    await expect(group).to_have_count(0)

    # --- 挂起事项 shows it
    await tabs.get_by_role("tab", name="挂起事项").click()
    held = console.get_by_test_id("records-suspended").locator("tr.ant-table-row",
                                                              has_text=company)
    await expect(held).to_have_count(1)
    await expect(held.get_by_test_id("state-tag")).to_have_text("挂起")
    await expect(held.get_by_test_id("kind-tag")).to_have_text("回访")
    await shot(console, "maintenance-05-suspended")

    # --- 查询统计 for this year and the customer: the category with 1 record
    await tabs.get_by_role("tab", name="查询统计").click()
    stats = console.get_by_test_id("maintenance-stats")
    await expect(stats.get_by_role("spinbutton", name="年份")).to_have_value(str(year))
    await stats.get_by_test_id("stats-customer").click()
    await console.keyboard.type(user[-4:])
    option = console.locator(OPTION, has_text=company)
    await expect(option).to_be_visible()
    await option.click()
    await expect(stats.get_by_test_id("stats-total")).to_have_text(f"{year} 年共 2 条记录")
    by_category = stats.get_by_test_id("stats-by-category").locator("tr.ant-table-row")
    await expect(by_category.filter(has_text=category)).to_have_count(1)
    await expect(by_category.filter(has_text=category).locator("td").nth(2)).to_have_text("1")
    month = stats.get_by_test_id("stats-by-month").locator("tr.ant-table-row",
                                                           has_text=business_date().strftime("%Y-%m"))
    await expect(month.locator("td").nth(2)).to_have_text("1")  # repairs
    await expect(month.locator("td").nth(3)).to_have_text("1")  # return visits
    await expect(stats.get_by_test_id("maintenance-charts").locator("canvas").first).to_be_visible()

    # the multi-condition query: this customer's records of this category
    query = console.get_by_test_id("maintenance-query")
    # the statistics' customer select above may still be closing its list: wait until no
    # list is open, so the one that opens now is the query's
    await expect(console.locator(".ant-select-dropdown:visible")).to_have_count(0)
    await query.get_by_test_id("query-customer").click()
    await console.keyboard.type(user[-4:])
    await console.locator(OPTION, has_text=company).first.click()
    await query.get_by_role("button", name=re.compile(r"查\s*询")).click()
    found = console.get_by_test_id("records-query").locator("tr.ant-table-row")
    await expect(found).to_have_count(2)
    await shot(console, "maintenance-06-query-stats")


async def test_repair_charge_paid_with_points_and_exported_P2_S9(
        gateway, system, api, admin, new_context):
    cid, _, _ = await api.register(area="华南")
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": [
        {"name": "UV 墨水（维修积分）", "model": "INK-MT-PTS", "unit_price": "120.00",
         "category": "consumable"}]})
    assert r.status_code == 200, r.text
    r = await admin.post(f"/api/console/points/customers/{cid}/adjustments",
                         json={"points": 150, "reason": "维修积分抵扣测试"})
    assert r.status_code == 201, r.text
    content = f"主板维修 {uuid.uuid4().hex[:6]}"
    for _ in range(50):  # the service desk learns of the customer by event
        r = await admin.post("/api/console/maintenance-records", json={
            "customer_id": cid, "kind": "repair", "content": content, "engineer": "陈工",
            "charge": "200.00"})
        if r.status_code == 201:
            break
        await asyncio.sleep(0.3)
    assert r.status_code == 201, r.text

    console = await (await new_context()).new_page()
    await console_login(console, gateway, "admin", system.config.admin_password)
    await expect(console.get_by_text("以下是等待您处理的事项。")).to_be_visible()
    await console.locator(".ant-layout-sider").get_by_role("menuitem", name="维修记录").click()
    row = console.get_by_test_id("records-content").locator("tr.ant-table-row", has_text=content)
    await row.get_by_text(content).click()
    drawer = console.get_by_test_id("record-drawer")
    card = drawer.get_by_test_id("repair-points")
    await expect(card.get_by_test_id("repair-payable")).to_have_text("¥200.00")
    await card.get_by_label("使用积分").fill("80")
    await card.get_by_role("button", name="使用积分").click()
    # the points service answers by event; the card asks again until it has
    await expect(card.get_by_test_id("repair-points-status")).to_have_text("已抵扣")
    await expect(card.get_by_test_id("repair-points-used")).to_have_text("−¥80.00")
    await expect(card.get_by_test_id("repair-payable")).to_have_text("¥120.00")
    await shot(console, "maintenance-07-repair-points")
    points = (await admin.get(f"/api/console/points/customers/{cid}")).json()
    assert (points["redeemed"], points["remaining"]) == (80, 70)

    # 查询统计: the export carries the query's records
    await close_drawer(console)
    await console.get_by_test_id("maintenance-tabs").get_by_role("tab", name="查询统计").click()
    href = await console.get_by_test_id("maintenance-export").get_attribute("href")
    assert href and href.startswith("/api/console/maintenance-records/export.xlsx")
    r = await admin.get(href, params={"customer_id": cid})
    assert r.status_code == 200 and r.headers["x-total-count"] == "1"
