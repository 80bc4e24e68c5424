"""Dead letters in the console (B-7): a message the points service could not read waits
on the 死信队列 page; an operator filters by service, opens it (the payload and why it
failed), and discards it — the reason is required — after which it is listed under
已丢弃 with who did it. Screenshots go to test-output/screenshots/dead-letters-*.png."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import expect

from ..api import eventually
from ..test_dead_letters import publish
from .conftest import shot
from .test_flow import console_login

pytestmark = pytest.mark.e2e


def button(name: str) -> re.Pattern[str]:
    """A button's name: Ant Design spaces out a two-character Chinese label."""
    return re.compile(r"\s*".join(name) + "$")


async def test_an_operator_opens_and_discards_a_dead_letter_B7(gateway, system, admin,
                                                                new_context):
    key = f"garbage-{uuid.uuid4().hex[:8]}"
    body = '{"order_id": 42, "note": "不是事件"'.encode()  # cut off: no envelope
    queue = f"{system.config.queue_prefix}points.events"
    await publish(system, body, exchange=None, routing_key=queue, message_id=key)

    async def waiting():
        r = await admin.get("/api/console/ops/dead-letters",
                            params={"service": "points", "limit": 200})
        return next((d for d in r.json() if d["message_key"] == key), None)
    row = await eventually(waiting, timeout=60)

    page = await (await new_context()).new_page()
    await console_login(page, gateway, "admin", system.config.admin_password)
    await expect(page).not_to_have_url(re.compile(r"/login$"))
    # in the menu's settings group (its last entry, under the sider's collapse bar: the
    # page is opened by its address)
    await expect(page.locator(".ant-layout-sider").get_by_role("menuitem", name="死信队列")
                 ).to_have_count(1)
    await page.goto(f"{gateway}/console/ops/dead-letters")
    await expect(page.get_by_role("heading", name="死信队列")).to_be_visible()

    # --- filtered by service: the message, why it failed
    await page.get_by_test_id("filter-service").click()
    await page.locator(".ant-select-item-option", has_text=re.compile(r"^points")).first.click()
    await expect(page).to_have_url(re.compile(r"service=points"))
    line = page.locator("tr", has_text=key)
    await expect(line).to_be_visible()
    await expect(line.get_by_text("无法解析")).to_be_visible()
    await expect(line.get_by_text("待处理")).to_be_visible()
    await shot(page, "dead-letters-list")

    # --- the detail: the payload as received and the consumer's error
    await line.get_by_role("button", name=button("查看")).click()
    drawer = page.get_by_role("dialog", name="死信详情")
    await expect(drawer).to_be_visible()
    await expect(drawer.get_by_text('{"order_id": 42, "note": "不是事件"')).to_be_visible()
    await expect(drawer.locator(".ant-typography-danger",
                                has_text="not an event envelope")).to_be_visible()
    await expect(drawer.locator("code", has_text=queue)).to_be_visible()
    await shot(page, "dead-letters-detail")

    # --- discarded: not without a reason
    await drawer.get_by_role("button", name=button("丢弃")).click()
    modal = page.get_by_role("dialog", name="丢弃死信")
    await expect(modal).to_be_visible()
    await modal.get_by_role("button", name=button("丢弃")).click()
    await expect(modal.get_by_text("请填写丢弃原因")).to_be_visible()
    await modal.get_by_test_id("discard-reason").fill("测试时手工发送的坏消息，无需处理")
    await shot(page, "dead-letters-discard")
    await modal.get_by_role("button", name=button("丢弃")).click()
    await expect(page.get_by_text("已丢弃").first).to_be_visible()
    await expect(modal).to_be_hidden()
    await expect(page.locator("tr", has_text=key)).to_have_count(0)

    r = await admin.get(f"/api/console/ops/dead-letters/{row['id']}")
    done = r.json()
    assert (done["status"], done["resolved_by"]) == ("discarded", "admin")
    assert done["resolution_reason"] == "测试时手工发送的坏消息，无需处理"

    # --- listed under 已丢弃, with the reason at hand
    await page.get_by_test_id("filter-status").click()
    await page.locator(".ant-select-item-option", has_text="已丢弃").click()
    kept = page.locator("tr", has_text=key)
    await expect(kept).to_be_visible()
    await expect(kept.get_by_text("已丢弃")).to_be_visible()
    await expect(kept.get_by_role("button", name=button("丢弃"))).to_have_count(0)
    await shot(page, "dead-letters-discarded")
