"""Issue 15 (C-8): the company users page of the portal, in the browser. The company's
administrator (who registered it) adds a buyer and sees the initial password once; the
buyer logs in with it and must change it; the administrator issues a new password (the
buyer's own one stops working) and deactivates the buyer (who can no longer log in). A
buyer has no such menu entry and is refused politely (403) on the page's address."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import Page, expect

from ..test_slice import PRODUCTS
from .conftest import answer_confirm, shot
from .test_flow import fill
from .test_orders_ui import portal_login

pytestmark = pytest.mark.e2e

BUYER_PASSWORD = "Buyer-2026-ok"


async def issued_password(page: Page) -> str:
    box = page.get_by_test_id("issued-password")
    await expect(box).to_be_visible()
    password = (await box.locator("code").inner_text()).strip()
    assert len(password) >= 8
    return password


async def close_dialog(page: Page) -> None:
    await page.get_by_role("button", name="知道了").click()
    await expect(page.locator(".ant-modal-confirm")).to_have_count(0)


async def open_user_menu(page: Page) -> None:
    await page.locator(".ant-layout-header .anticon-user").click()


async def test_company_admin_manages_buyers_issue15_C8(gateway, system, api, admin, new_context):
    cid, owner, password = await api.register()
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    buyer = f"b{uuid.uuid4().hex[:9]}"

    page = await (await new_context()).new_page()
    await portal_login(page, gateway, owner, password)
    await open_user_menu(page)
    await page.get_by_role("menuitem", name="公司用户").click()
    await expect(page).to_have_url(re.compile(r"/company-users$"))
    await expect(page.get_by_role("row", name=re.compile(owner))).to_contain_text("（您本人）")

    # --- add a buyer: the initial password is shown once
    await page.get_by_role("button", name="添加采购员").click()
    await fill(page, "用户名", buyer)
    await fill(page, "姓名", "李采购")
    await fill(page, "手机", "12")
    await page.get_by_role("button", name="创 建").click()
    await expect(page.get_by_text("请输入正确的手机号（1 开头的 11 位数字）")).to_be_visible()
    await fill(page, "手机", "139 1234 5678")
    await page.get_by_role("button", name="创 建").click()
    initial = await issued_password(page)
    await shot(page, "company-users-01-initial-password")
    await close_dialog(page)
    row = page.get_by_role("row", name=re.compile(buyer))
    await expect(row).to_contain_text("待改密码")
    await expect(row).to_contain_text("13912345678")

    # --- the buyer logs in with it and must set an own password first
    buyer_page = await (await new_context()).new_page()
    await buyer_page.goto(f"{gateway}/login")
    await fill(buyer_page, "用户名", buyer)
    await fill(buyer_page, "密码", initial)
    await buyer_page.get_by_role("button", name=re.compile(r"^登\s*录$")).click()
    await expect(buyer_page.get_by_text("请先修改密码").first).to_be_visible()
    await fill(buyer_page, "当前密码", initial)
    await fill(buyer_page, "新密码", BUYER_PASSWORD)
    await fill(buyer_page, "确认新密码", BUYER_PASSWORD)
    await buyer_page.get_by_role("button", name="修改密码").click()
    await expect(buyer_page.get_by_role("menuitem", name="我的订单")).to_be_visible()

    # a buyer has no company users entry and the address answers 403, politely
    await open_user_menu(buyer_page)
    await expect(buyer_page.get_by_role("menuitem", name="修改密码")).to_be_visible()
    await expect(buyer_page.get_by_role("menuitem", name="公司用户")).to_have_count(0)
    await buyer_page.keyboard.press("Escape")
    await expect(buyer_page.get_by_role("menuitem", name="公司用户")).to_have_count(0)
    await buyer_page.goto(f"{gateway}/company-users")
    await expect(buyer_page.get_by_text("只有公司管理员可以管理公司用户")).to_be_visible()
    await expect(buyer_page.locator(".ant-result-403")).to_be_visible()
    await shot(buyer_page, "company-users-02-buyer-403")
    refused = api.as_user()
    await refused.login(buyer, BUYER_PASSWORD)
    assert (await refused.get("/api/portal/users")).status_code == 403

    # --- the administrator issues a new password: the buyer's own one stops working
    await page.reload()
    row = page.get_by_role("row", name=re.compile(buyer))
    await expect(row).not_to_contain_text("待改密码")
    await row.get_by_role("button", name="重置密码").click()
    await answer_confirm(page, f"重置 {buyer} 的密码")
    reissued = await issued_password(page)
    assert reissued != initial
    await close_dialog(page)
    old = await api.client.post("/api/auth/login",
                                json={"username": buyer, "password": BUYER_PASSWORD})
    assert old.status_code == 401, old.text
    await api.as_user().login(buyer, reissued)

    # --- deactivated: no login at all, then reactivated
    await row.get_by_role("button", name=re.compile(r"停\s*用")).click()
    await answer_confirm(page, buyer)
    await expect(row).to_contain_text("已停用")
    await shot(page, "company-users-03-deactivated")
    gone = await api.client.post("/api/auth/login", json={"username": buyer, "password": reissued})
    assert gone.status_code == 401, gone.text
    await buyer_page.reload()
    await expect(buyer_page).to_have_url(re.compile(r"/login$"))

    await row.get_by_role("button", name=re.compile(r"启\s*用")).click()
    await answer_confirm(page, buyer)
    await expect(row).to_contain_text("待改密码")
    await api.as_user().login(buyer, reissued)
