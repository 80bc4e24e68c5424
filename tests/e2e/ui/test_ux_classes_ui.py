"""Issue 15, fixed as classes, in a real browser at 1366 px:
(a) the console's prompt pop-ups stack in a corner that covers none of the header's
    controls (bell, language, user menu), at most three at once, titled with a label in
    Chinese and in English — never a raw key such as `new_order`;
(b) a role, a contact and a staff member with the longest names the API takes keep their
    action buttons inside the viewport; the cut text shows whole in a tooltip on hover;
(c) the customer audit shows labelled transitions (待审核 → 已通过) and product names —
    no `pending_review`, no UUID, no JSON."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import Locator, Page, expect

from ..api import Api, order_body
from ..test_slice import approved_customer, place
from .conftest import DESKTOP, shot
from .test_flow import console_login

pytestmark = pytest.mark.e2e

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
RAW_KEY = re.compile(r"^[a-z]+(_[a-z]+)+$")


def overlaps(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


async def header_controls(page: Page) -> dict[str, dict]:
    header = page.locator(".ant-layout-header")
    controls = {
        "bell": page.get_by_test_id("prompt-bell"),
        "language": header.get_by_role("button", name=re.compile("语言|Language")),
        "user": header.get_by_role("button", name=re.compile("admin|管理员", re.I)).last,
        "header": header,
    }
    boxes = {}
    for name, loc in controls.items():
        box = await loc.bounding_box()
        assert box, f"the header's {name} is not on screen"
        boxes[name] = box
    return boxes


async def assert_clear_of_header(page: Page, notices: Locator) -> None:
    controls = await header_controls(page)
    for i in range(await notices.count()):
        box = await notices.nth(i).bounding_box()
        assert box
        for name, control in controls.items():
            assert not overlaps(box, control), \
                f"prompt {i} covers the header's {name}: {box} {control}"


async def test_prompt_popups_stay_clear_of_the_header_and_are_labelled_issue15(
        gateway, system, api: Api, admin: Api, new_context):
    customer, _cid, catalog = await approved_customer(api, admin)
    page = await (await new_context(DESKTOP)).new_page()
    await console_login(page, gateway, "admin", system.config.admin_password)
    await expect(page.get_by_test_id("prompt-bell")).to_have_attribute("data-mode", "live")

    numbers = []
    for q in range(1, 6):  # five orders: the corner shows at most three
        order = await place(customer, order_body([(catalog[0]["product_id"], q)]))
        numbers.append(order["number"])
    notices = page.locator(".ant-notification-notice")
    await expect(notices.filter(has_text=numbers[-1])).to_be_visible()
    await page.wait_for_timeout(800)  # let the stack settle
    assert 1 <= await notices.count() <= 3
    await assert_clear_of_header(page, notices)
    title = notices.filter(has_text=numbers[-1]).locator(".ant-notification-notice-message")
    await expect(title).to_have_text("新订单")
    for i in range(await notices.count()):
        message = notices.nth(i).locator(".ant-notification-notice-message")
        text = (await message.inner_text()).strip()
        assert not RAW_KEY.match(text), text
    await shot(page, "ux-classes-prompts-zh", full_page=False)
    # the header's controls still answer while the prompts are up
    await page.get_by_test_id("prompt-bell").click()
    await expect(page.locator(".ant-popover").get_by_text("新订单").first).to_be_visible()
    await page.get_by_test_id("prompt-bell").click()

    # English (the language switch's choice, remembered): the next prompt is in English
    await page.evaluate("localStorage.setItem('dinghuo.lang', 'en-US')")
    await page.reload()
    header = page.locator(".ant-layout-header")
    await expect(header.get_by_role("button", name="Language")).to_be_visible()
    await expect(page.get_by_test_id("prompt-bell")).to_have_attribute("data-mode", "live")
    number = (await place(customer, order_body([(catalog[0]["product_id"], 9)])))["number"]
    notice = notices.filter(has_text=number)
    await expect(notice).to_be_visible()
    await expect(notice.locator(".ant-notification-notice-message")).to_have_text("New order")
    await page.wait_for_timeout(800)
    assert await notices.count() <= 3
    await assert_clear_of_header(page, notices)
    await shot(page, "ux-classes-prompts-en", full_page=False)


async def assert_row_fits(page: Page, text: str, button: str, name: str) -> None:
    row = page.locator("tr.ant-table-row", has_text=text[:20])
    await expect(row).to_be_visible()
    action = row.get_by_role("button", name=re.compile(button)).first
    await expect(action).to_be_visible()
    box = await action.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP["width"], f"{name}: {box}"
    assert box["y"] + box["height"] <= DESKTOP["height"], f"{name}: {box}"
    # the page itself does not scroll sideways
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # the cut text shows whole in a tooltip on hover
    cell = row.locator(".ellipsis-text", has_text=text[:20]).first
    assert await cell.evaluate("e => e.scrollWidth > e.clientWidth"), f"{name}: the text is not cut"
    await cell.hover()
    await expect(page.locator(".ant-tooltip:visible", has_text=text)).to_be_visible()
    await shot(page, f"ux-classes-long-{name}", full_page=False)
    await page.mouse.move(0, 0)


async def test_long_names_keep_actions_in_view_with_a_tooltip_issue15(
        gateway, system, admin: Api, new_context):
    tag = uuid.uuid4().hex[:6]
    # the longest texts the API takes: role description 200, contact name/area 100, staff
    # display name 100; Latin without spaces, which cannot wrap
    role_desc = f"R{tag}" + "D" * 193
    r = await admin.post("/api/console/roles", json={"name": f"R{tag}" + "N" * 50,
                                                     "description": role_desc, "permissions": []})
    assert r.status_code == 201, r.text
    contact_name = f"C{tag}" + "N" * 93
    r = await admin.post("/api/console/contacts", json={
        "area": f"A{tag}" + "A" * 93, "name": contact_name, "phone": "0571-88886666",
        "role": "consumables"})
    assert r.status_code == 201, r.text
    staff_name = f"S{tag}" + "N" * 93
    r = await admin.post("/api/console/staff", json={
        "username": f"s{tag}", "display_name": staff_name, "role_ids": []})
    assert r.status_code == 201, r.text

    page = await (await new_context(DESKTOP)).new_page()
    await console_login(page, gateway, "admin", system.config.admin_password)
    await expect(page.get_by_test_id("prompt-bell")).to_be_visible()
    await page.goto(f"{gateway}/console/roles")
    await assert_row_fits(page, role_desc, "编辑", "role")
    await page.goto(f"{gateway}/console/contacts")
    await assert_row_fits(page, contact_name, "编辑", "contact")
    await page.goto(f"{gateway}/console/staff")
    await page.get_by_placeholder(re.compile("搜索|用户名|姓名")).fill(f"s{tag}")
    await page.get_by_placeholder(re.compile("搜索|用户名|姓名")).press("Enter")
    await assert_row_fits(page, staff_name, "编辑", "staff")


async def test_customer_audit_reads_as_labels_issue15(gateway, system, api: Api, admin: Api,
                                                      new_context):
    _customer, cid, catalog = await approved_customer(api, admin)
    product = catalog[0]
    r = await admin.put(f"/api/console/customers/{cid}/prices/{product['product_id']}",
                        json={"unit_price": "99.00"})
    assert r.status_code == 200, r.text

    page = await (await new_context(DESKTOP)).new_page()
    await console_login(page, gateway, "admin", system.config.admin_password)
    await expect(page.get_by_test_id("prompt-bell")).to_be_visible()
    await page.goto(f"{gateway}/console/customers/{cid}")
    await page.get_by_role("tab", name="操作记录").click()
    table = page.locator(".ant-tabs-tabpane-active .ant-table")
    await expect(table.get_by_text("待审核 → ", exact=False).first).to_be_visible()
    text = await table.inner_text()
    assert "待审核 → 已通过" in " ".join(text.split()), text
    assert "pending_review" not in text and "approved" not in text
    assert not UUID.search(text), text
    assert "{" not in text and "product_id" not in text
    assert product["name"] in text  # the price change names the product
    assert "99.00" in text
    await shot(page, "ux-classes-customer-audit")
