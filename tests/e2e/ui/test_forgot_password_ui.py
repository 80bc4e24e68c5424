"""Issue 15 (C-8): the forgotten-password page end to end in the browser. From the
portal's login page 忘记密码 asks for a code by mobile number (and, for another account, by
e-mail address); the code is taken from what the external notifier delivered (its
development outbox stands for the phone and the mailbox); a wrong code is refused with a
clear message; the right one sets the new password, the login page says so, the new
password logs in and the old one no longer does. Staff reach the same page from the
console's login and come back to it."""

from __future__ import annotations

import random
import re
import uuid

import pytest
from playwright.async_api import Page, expect

from ..access_helpers import new_staff, notifier_message, reset_code_for
from ..test_slice import PRODUCTS
from .conftest import shot
from .test_flow import console_login, fill
from .test_orders_ui import portal_login

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Forgot-2026-ok"


def unique_mobile() -> str:
    return "13" + "".join(random.choices("0123456789", k=9))


async def ask_for_code(page: Page, account: str) -> None:
    await fill(page, "手机号、邮箱或用户名", account)
    await page.get_by_role("button", name="获取验证码").click()
    await expect(page.get_by_test_id("code-sent")).to_be_visible()
    await expect(page.get_by_test_id("code-sent")).to_contain_text(account)


async def set_password(page: Page, code: str, password: str) -> None:
    await fill(page, "验证码", code)
    await fill(page, "新密码", password)
    await fill(page, "确认新密码", password)
    await page.get_by_role("button", name="重设密码").click()


async def test_forgotten_password_by_mobile_and_by_email_issue15_C8(
        gateway, system, api, admin, new_context):
    mobile = unique_mobile()
    cid, user, old_password = await api.register(mobile=mobile)
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text

    page = await (await new_context()).new_page()
    await page.goto(f"{gateway}/login")
    await page.get_by_role("link", name="忘记密码？").click()
    await expect(page).to_have_url(re.compile(r"/forgot-password$"))
    await ask_for_code(page, f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}")  # as people type it
    await shot(page, "forgot-01-code-sent")

    delivery = (await notifier_message(system, reset_code_for(user)))["data"]
    assert delivery["channel"] == "sms" and delivery["recipient"] == mobile
    code = delivery["params"]["token"]

    # a wrong code: a clear message, the form stays
    await set_password(page, "not-the-code-123", NEW_PASSWORD)
    await expect(page.get_by_text("验证码不正确，请核对后重试或重新获取").first).to_be_visible()
    await shot(page, "forgot-02-wrong-code")
    # a new password that breaks the rules is refused before sending
    await fill(page, "新密码", "short1")
    await expect(page.get_by_text("密码至少 8 位")).to_be_visible()

    await set_password(page, code, NEW_PASSWORD)
    await expect(page).to_have_url(re.compile(r"/login\?reset=done$"))
    await expect(page.get_by_test_id("reset-done")).to_contain_text("密码已重设")
    await shot(page, "forgot-03-back-to-login")

    old = await api.client.post("/api/auth/login",
                                json={"username": user, "password": old_password})
    assert old.status_code == 401, old.text
    await portal_login(page, gateway, user, NEW_PASSWORD)

    # the same code a second time: used
    again = await api.client.post("/api/auth/password-reset/confirm",
                                  json={"token": code, "new_password": "Another-2026-x"})
    assert again.status_code == 410, again.text

    # --- another account, by e-mail address: the code goes to the mailbox, not the phone
    email = f"mail{uuid.uuid4().hex[:8]}@example.cn"
    _cid2, user2, old2 = await api.register(mobile=unique_mobile(), email=email)
    page2 = await (await new_context()).new_page()
    await page2.goto(f"{gateway}/forgot-password")
    await ask_for_code(page2, email.upper())
    delivery2 = (await notifier_message(system, reset_code_for(user2)))["data"]
    assert delivery2["channel"] == "email" and delivery2["recipient"] == email
    await set_password(page2, delivery2["params"]["token"], NEW_PASSWORD)
    await expect(page2.get_by_test_id("reset-done")).to_be_visible()
    await api.as_user().login(user2, NEW_PASSWORD)
    old2_login = await api.client.post("/api/auth/login",
                                       json={"username": user2, "password": old2})
    assert old2_login.status_code == 401

    # nothing tells whether an account exists: an unknown number gets the same answer
    page3 = await (await new_context()).new_page()
    await page3.goto(f"{gateway}/forgot-password")
    await ask_for_code(page3, "13000000000")


async def test_staff_reset_from_the_console_login_issue15_C8(gateway, system, admin, new_context):
    email = f"staff{uuid.uuid4().hex[:8]}@example.cn"
    _staff, record = await new_staff(admin, ["customers:query"], email=email)
    page = await (await new_context()).new_page()
    await page.goto(f"{gateway}/console/login")
    await page.get_by_role("link", name="忘记密码？").click()
    await expect(page).to_have_url(re.compile(r"/forgot-password\?from=console$"))
    await ask_for_code(page, email)
    delivery = (await notifier_message(system, reset_code_for(record["username"])))["data"]
    assert delivery["channel"] == "email" and delivery["recipient"] == email
    await set_password(page, delivery["params"]["token"], NEW_PASSWORD)
    await expect(page).to_have_url(re.compile(r"/console/login\?reset=done$"))
    await expect(page.get_by_test_id("reset-done")).to_be_visible()
    await shot(page, "forgot-04-console-back-to-login")
    await console_login(page, gateway, record["username"], NEW_PASSWORD)
    await expect(page).to_have_url(re.compile(r"/console/?$"))
    await expect(page.locator(".ant-layout-header")).to_be_visible()
