"""The security audit page in the browser (X-3, issue 15): a failed and a successful
sign-in appear with Chinese labels for the event, the reason and the outcome (no raw
keys), filtered by user and by kind; staff without settings:query have no menu entry and
the address refuses them. Screenshots go to test-output/screenshots/audit-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from ..access_helpers import STAFF_PASSWORD, new_staff
from .conftest import shot
from .test_flow import console_login
from .test_ledger_ui import console_as

pytestmark = pytest.mark.e2e

RAW_KEYS = ("login_failed", "login_succeeded", "wrong_password", "securityAudit.",
            "password_changed")


async def test_failed_and_successful_logins_on_the_audit_page_X3_issue15(
        gateway, system, api, admin, new_context):
    # a new staff member signs in (and changes the issued password), then mistypes it
    _, record = await new_staff(admin, ["orders:query"])
    user = record["username"]
    r = await api.client.post("/api/auth/login", json={"username": user, "password": "wrong-1234"})
    assert r.status_code == 401

    page = await (await new_context()).new_page()
    await console_as(page, gateway, "admin", system.config.admin_password)
    menu = page.locator(".ant-layout-sider")
    await menu.get_by_role("menuitem", name="安全审计").click()
    await expect(page).to_have_url(re.compile(r"/console/security/audit$"))
    await expect(page.get_by_role("heading", name="安全审计")).to_be_visible()

    search = page.get_by_placeholder("用户", exact=True)
    await search.fill(user)
    await search.press("Enter")
    await expect(page).to_have_url(re.compile(rf"[?&]user={user}"))
    table = page.get_by_test_id("audit-table")
    rows = table.locator("tr.ant-table-row")
    # (wait for the filtered list: every row is that user's)
    await expect(rows.filter(has_not_text=user)).to_have_count(0)
    await expect(rows.first).to_be_visible()
    failed = rows.filter(has=page.locator("[data-kind='login_failed']"))
    succeeded = rows.filter(has=page.locator("[data-kind='login_succeeded']"))
    await expect(failed).to_have_count(1)
    await expect(failed).to_contain_text("登录失败")
    await expect(failed.locator(".ant-tag")).to_have_text("失败")
    await expect(failed).to_contain_text("密码错误")
    await expect(failed).to_contain_text(user)
    await expect(succeeded.first).to_contain_text("登录成功")
    await expect(succeeded.first.locator(".ant-tag")).to_have_text("成功")
    # the issued password changed at first sign-in: that user's only password change
    await expect(rows.filter(has=page.locator("[data-kind='password_changed']"))) \
        .to_contain_text("修改密码")
    # time as "YYYY-MM-DD HH:mm:ss" (Asia/Shanghai), newest first: the failure on top
    await expect(rows.first).to_contain_text("登录失败")
    await expect(rows.first.locator("td").first).to_have_text(
        re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"))
    text = await table.inner_text()
    for raw in RAW_KEYS:
        assert raw not in text, raw
    await shot(page, "audit-01-logins")

    # filtered by kind: only the failure
    await page.get_by_role("combobox", name="事件").click()
    await page.locator(".ant-select-dropdown .ant-select-item-option",
                       has_text=re.compile(r"^登录失败$")).click()
    await expect(page).to_have_url(re.compile(r"type=login_failed"))
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("登录失败")
    await shot(page, "audit-02-kind-filter", full_page=False)

    # staff without settings:query: no menu entry, and the address is refused
    plain = await (await new_context()).new_page()
    await console_login(plain, gateway, user, STAFF_PASSWORD)
    await expect(plain.get_by_text("以下是等待您处理的事项。")).to_be_visible()
    await expect(plain.locator(".ant-layout-sider").get_by_role("menuitem", name="订单查询")) \
        .to_be_visible()
    await expect(plain.locator(".ant-layout-sider").get_by_role("menuitem", name="安全审计")) \
        .to_have_count(0)
    await plain.goto(f"{gateway}/console/security/audit")
    await expect(plain.get_by_text("403")).to_be_visible()
    await expect(plain.get_by_test_id("audit-table")).to_have_count(0)
