"""Sessions in the browser (issue 8, X-3): "退出所有设备" in the portal ends every session
of the user, the API client's too; a staff user deactivated while the console is open is
sent back to the login page at the next request. The pages keep their Content Security
Policy without a single violation."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import expect

from ..access_helpers import STAFF_PASSWORD, new_staff
from ..test_slice import PRODUCTS
from .conftest import shot
from .test_flow import console_login
from .test_orders_ui import portal_login

pytestmark = pytest.mark.e2e


async def test_log_out_everywhere_from_the_portal_ends_every_session_X3(
        gateway, system, api, admin, new_context):
    cid, user, password = await api.register()
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    program = api.as_user()  # the same user's API client, elsewhere
    await program.login(user, password)
    assert (await program.get("/api/portal/orders")).status_code == 200

    page = await (await new_context()).new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    response = await page.goto(f"{gateway}/login")
    assert response is not None
    csp = response.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    await portal_login(page, gateway, user, password)
    await page.locator(".ant-layout-header .anticon-user").click()
    await page.get_by_role("menuitem", name="退出所有设备").click()
    await expect(page).to_have_url(re.compile(r"/login$"))
    await shot(page, "sessions-01-portal-logged-out-everywhere")
    r = await program.get("/api/portal/orders")
    assert r.status_code == 401, r.text
    assert "log in again" in r.json()["detail"]
    assert violations == []


async def test_a_deactivated_staff_user_is_sent_to_the_login_page_X3(
        gateway, system, admin, new_context):
    _staff, record = await new_staff(admin, ["customers:query", "orders:query"])
    page = await (await new_context()).new_page()
    await console_login(page, gateway, record["username"], STAFF_PASSWORD)
    await expect(page.get_by_text("以下是等待您处理的事项。")).to_be_visible()
    r = await admin.put(f"/api/console/staff/{record['id']}", json={"active": False})
    assert r.status_code == 200, r.text
    await page.reload()
    await expect(page).to_have_url(re.compile(r"/console/login$"))
    await shot(page, "sessions-02-console-deactivated")
