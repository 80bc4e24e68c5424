"""Fault reports in the browser (S-1): the customer opens 售后服务, reports a fault with a
photo through 报修 (a text file is refused in the browser already); staff open 故障报修 in
the console, open the report from the queue, see the photo and reply, moving it to
等待客户回复; the customer sees the reply in the thread. Also the portal page at phone
width. Screenshots go to test-output/screenshots/fault-reports-*.png."""

from __future__ import annotations

import re
import uuid

import pytest
from PIL import Image
from playwright.async_api import expect

from .conftest import shot
from .test_flow import console_login
from .test_orders_ui import portal_login

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 740}


def jpeg_file(tmp_path) -> str:
    path = tmp_path / "nozzle.jpg"
    Image.new("RGB", (120, 80), (30, 90, 200)).save(path, "JPEG")
    return str(path)


async def test_report_with_photo_staff_reply_customer_sees_it_S1(
        gateway, system, api, admin, new_context, tmp_path):
    cid, user, password = await api.register(area="华东")
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": [
        {"name": "UV 墨水（报修页）", "model": "INK-SR-UI", "unit_price": "100.00",
         "category": "consumable"}]})
    assert r.status_code == 200, r.text
    description = f"喷头堵塞，打印断线 {uuid.uuid4().hex[:6]}"
    text_file = tmp_path / "readme.jpg.txt"
    text_file.write_bytes(b"not an image")

    # --- portal: 售后服务 → 报修 with a photo, at phone width
    portal = await (await new_context(PHONE)).new_page()
    await portal_login(portal, gateway, user, password)
    await portal.goto(f"{gateway}/service")
    await expect(portal.get_by_role("heading", name="售后服务")).to_be_visible()
    await portal.get_by_test_id("new-report").click()
    drawer = portal.locator(".ant-drawer-content")
    await drawer.get_by_label("设备名称").fill("UV 喷码机")
    await drawer.get_by_label("故障描述").fill(description)
    chooser = drawer.locator("input[type=file]")
    await chooser.set_input_files(str(text_file))
    await expect(portal.get_by_text("readme.jpg.txt 不是 JPG、PNG 或 WebP 图片")).to_be_visible()
    await chooser.set_input_files(jpeg_file(tmp_path))
    await expect(drawer.locator(".ant-upload-list-item")).to_have_count(1)
    await shot(portal, "fault-reports-portal-new")
    await portal.get_by_test_id("submit-report").click()
    await expect(portal.get_by_role("heading", name="报修详情")).to_be_visible()
    await expect(portal.get_by_text(description)).to_be_visible()
    await expect(portal.get_by_test_id("report-photo")).to_have_count(1)
    await expect(portal.get_by_test_id("report-status").first).to_have_text("待处理")

    # --- console: 故障报修 → open it from the queue, see the photo, reply
    console = await (await new_context()).new_page()
    await console_login(console, gateway, "admin", system.config.admin_password)
    await expect(console.get_by_text("以下是等待您处理的事项。")).to_be_visible()
    # the console's menu groups are open: 售后服务 → 故障报修 is there to click
    await console.locator(".ant-layout-sider").get_by_role("menuitem", name="故障报修").click()
    await expect(console.get_by_role("heading", name="故障报修")).to_be_visible()
    row = console.get_by_test_id("report-queue").locator("tr.ant-table-row", has_text=description)
    await expect(row).to_be_visible()
    await row.click()
    await expect(console.get_by_role("heading", name="报修详情")).to_be_visible()
    photo = console.get_by_test_id("report-photo").locator("img")
    await expect(photo).to_have_count(1)
    # the image really loads through the gateway (not a broken-image icon)
    await console.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=report-photo] img')]"
        ".some(i => i.complete && i.naturalWidth === 120)")
    await console.get_by_test_id("reply-text").fill("请先清洗喷头，再告诉我们结果")
    await console.get_by_test_id("reply-status").click()
    await console.locator(".ant-select-dropdown:visible .ant-select-item-option",
                          has_text="等待客户回复").click()
    await console.get_by_test_id("send-reply").click()
    thread = console.get_by_test_id("report-thread")
    await expect(thread.get_by_text("请先清洗喷头，再告诉我们结果")).to_be_visible()
    await expect(console.get_by_test_id("report-status").first).to_have_text("等待客户回复")
    await shot(console, "fault-reports-console-detail")

    # --- portal: the reply is in the thread; the customer answers
    await portal.reload()
    await expect(portal.get_by_test_id("report-thread")
                 .get_by_text("请先清洗喷头，再告诉我们结果")).to_be_visible()
    await expect(portal.get_by_test_id("report-status").first).to_have_text("等待客户回复")
    await portal.get_by_test_id("reply-text").fill("清洗后还是断线")
    await portal.get_by_test_id("send-reply").click()
    await expect(portal.get_by_test_id("report-status").first).to_have_text("处理中")
    await portal.get_by_role("link", name=re.compile("返回我的报修")).click()
    await expect(portal.get_by_test_id("report-item").filter(has_text="UV 喷码机")
                 .first).to_be_visible()
    await shot(portal, "fault-reports-portal-list")
    # nothing sticks out at phone width
    width = await portal.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1
