"""The bulletin board in the browser (N-4, issue 9): staff write an article in Markdown in
the console and publish it; the customer sees it on the portal home and reads it on its
own page, formatted, with any HTML the author typed shown as text, never run."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import expect

from ..test_slice import approved_customer
from .conftest import shot
from .test_flow import console_login
from .test_orders_ui import portal_login

pytestmark = pytest.mark.e2e


async def test_staff_publish_and_the_customer_reads_it_safely_N4(gateway, system, api, admin,
                                                                 new_context):
    customer, _cid, _ = await approved_customer(api, admin)
    title = f"喷头保养须知 {uuid.uuid4().hex[:4]}"
    console = await (await new_context()).new_page()
    await console_login(console, gateway, "admin", system.config.admin_password)
    await expect(console.get_by_text("以下是等待您处理的事项。")).to_be_visible()
    await console.goto(f"{gateway}/console/articles")
    await console.get_by_role("button", name="写文章").click()
    drawer = console.locator(".ant-drawer-content")
    await drawer.get_by_text("技术指导", exact=True).click()
    await drawer.get_by_label("标题").fill(title)
    await drawer.get_by_label("正文").fill(
        "每天开机前请 **清洗喷头**：\n\n- 用原厂清洗液\n- 不要用酒精\n\n"
        "<script>window.hacked = 1</script>\n\n详见 [说明书](https://example.cn/manual)")
    await drawer.get_by_label("置顶").click()
    await console.get_by_test_id("save-article").click()
    await expect(console.get_by_text("已发布到客户门户")).to_be_visible()
    await expect(console.locator("tr.ant-table-row", has_text=title)).to_contain_text("已发布")
    await shot(console, "articles-01-console-articles")

    user = (await customer.get("/api/auth/me")).json()["username"]
    page = await (await new_context()).new_page()
    await portal_login(page, gateway, user, "secret-123")
    board = page.get_by_test_id("home-guidance")
    await expect(board.get_by_role("link", name=title)).to_be_visible()
    await shot(page, "articles-02-portal-home")
    await board.get_by_role("link", name=title).click()
    await expect(page).to_have_url(re.compile(r"/articles/[0-9a-f-]+$"))
    body = page.get_by_test_id("article-body")
    await expect(body.locator("strong")).to_have_text("清洗喷头")
    await expect(body.locator("li")).to_have_count(2)
    await expect(body).to_contain_text("<script>window.hacked = 1</script>")
    assert await page.evaluate("window.hacked") is None
    await expect(body.get_by_role("link", name="说明书")).to_have_attribute(
        "href", "https://example.cn/manual")
    await shot(page, "articles-03-portal-article")
