"""Issue 15 (C-7): areas chosen from China's province/city list instead of free text. The
customer picks 广东省 → 深圳市 in the portal profile; the administrator gives an
area-bound staff member 深圳市 in the console with the same picker (the staff member's
older free-text area stays); that staff member then sees this customer and not one in
广州市 — the values the pickers produce are the ones the services match."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import Page, expect

from ..access_helpers import STAFF_PASSWORD, new_staff
from ..test_slice import PRODUCTS
from .conftest import shot
from .test_flow import console_login
from .test_orders_ui import portal_login

pytestmark = pytest.mark.e2e


async def pick(page: Page, *names: str) -> None:
    """Click through an open Cascader's menus."""
    for name in names:
        await page.locator(f'.ant-cascader-menu-item[title="{name}"]').click()


async def test_areas_from_the_province_city_list_issue15_C7(
        gateway, system, api, admin, new_context):
    suffix = uuid.uuid4().hex[:6]
    cid, user, password = await api.register(name=f"深圳彩印{suffix}有限公司")
    r = await admin.post(f"/api/console/customers/{cid}/approve", json={"products": PRODUCTS})
    assert r.status_code == 200, r.text
    other_cid, _u, _p = await api.register(name=f"广州彩印{suffix}有限公司",
                                           area="广东省/广州市")

    # --- the customer chooses its area in the profile
    page = await (await new_context()).new_page()
    await portal_login(page, gateway, user, password)
    await page.goto(f"{gateway}/profile")
    await page.get_by_label("区域", exact=True).click()
    await pick(page, "广东省", "深圳市")
    area_item = page.locator(".ant-form-item", has_text="区域").first
    await expect(area_item).to_contain_text("广东省 / 深圳市")
    await shot(page, "areas-01-profile-picker")
    await page.get_by_role("button", name=re.compile(r"^保\s*存$")).click()
    await expect(page.get_by_text("已保存").first).to_be_visible()
    customer = (await admin.get(f"/api/console/customers/{cid}")).json()
    assert customer["area"] == "广东省/深圳市", customer

    # --- the administrator binds a staff member (older free-text area 华东) to 深圳市
    staff, record = await new_staff(admin, ["customers:query"], areas=["华东"])
    console = await (await new_context()).new_page()
    await console_login(console, gateway, "admin", system.config.admin_password)
    await expect(console).to_have_url(re.compile(r"/console/?$"))
    await console.goto(f"{gateway}/console/staff")
    await console.get_by_placeholder("搜索用户名或姓名").fill(record["username"])
    await console.get_by_placeholder("搜索用户名或姓名").press("Enter")
    row = console.get_by_role("row", name=re.compile(record["username"]))
    await row.get_by_role("button", name=re.compile(r"编\s*辑")).click()
    await expect(console.get_by_test_id("areas-other")).to_contain_text("华东")
    await console.get_by_label("负责区域", exact=True).click()
    await console.locator('.ant-cascader-menu-item[title="广东省"]').click()
    await console.locator('.ant-cascader-menu-item[title="深圳市"] .ant-cascader-checkbox').click()
    await console.keyboard.press("Escape")
    await shot(console, "areas-02-staff-picker", full_page=False)
    await console.locator(".ant-modal-footer .ant-btn-primary").click()
    await expect(console.locator(".ant-modal-footer")).to_have_count(0)
    saved = (await admin.get(f"/api/console/staff/{record['id']}")).json()
    assert sorted(saved["areas"]) == ["华东", "广东省/深圳市"], saved

    # --- the staff member sees the 深圳 customer, not the 广州 one (C-7)
    seen = await staff.get("/api/console/customers", params={"limit": 200, "q": suffix})
    assert seen.status_code == 200, seen.text
    ids = {c["customer_id"] for c in seen.json()}
    assert cid in ids and other_cid not in ids
    staff_page = await (await new_context()).new_page()
    await console_login(staff_page, gateway, record["username"], STAFF_PASSWORD)
    await expect(staff_page).to_have_url(re.compile(r"/console/?$"))
    await staff_page.goto(f"{gateway}/console/customers")
    await expect(staff_page.get_by_text(f"深圳彩印{suffix}有限公司")).to_be_visible()
    await expect(staff_page.get_by_text(f"广州彩印{suffix}有限公司")).to_have_count(0)
    await shot(staff_page, "areas-03-staff-sees-own-area")
