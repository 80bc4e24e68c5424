"""The console home as a workbench in the browser (issue 15, C-7): a to-do count for every
queue the user may work on, each the queue's own total, linking to the queue
pre-filtered; a staff member bound to an area counts that area's work only, and sees no
count of a queue without its permission. The charts stay below the counts. Screenshots
go to test-output/screenshots/workbench-*.png."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.async_api import Page, expect

from ..access_helpers import STAFF_PASSWORD, new_staff
from ..api import Api, order_body
from ..test_dashboard import customer_of
from ..test_slice import place
from .conftest import shot
from .test_flow import console_login
from .test_ledger_ui import console_as

pytestmark = pytest.mark.e2e


def todo(page: Page, key: str):
    return page.locator(f"[data-todo='{key}']")


def count_of(page: Page, key: str):
    return todo(page, key).locator(".ant-statistic-content-value")


async def api_total(admin: Api, path: str, params) -> int:
    r = await admin.get(path, params=[*params, ("limit", "1")])
    assert r.status_code == 200, r.text
    return int(r.headers["x-total-count"])


async def test_workbench_counts_link_to_their_queues_and_respect_areas_issue15_C7(
        gateway, system, api, admin, new_context):
    tag = uuid.uuid4().hex[:6]
    area, elsewhere = f"工作台区{tag}", f"别处{tag}"
    # In the area: one registration waiting, one customer with two orders to review.
    await api.register(name=f"待审公司{tag}", area=area)
    customer, _, catalog = await customer_of(api, admin, area)
    mine = [await place(customer, order_body([(catalog["INK-DB"], n)])) for n in (1, 2)]
    # Elsewhere: an order the area's staff must not count.
    other, _, other_catalog = await customer_of(api, admin, elsewhere)
    theirs = await place(other, order_body([(other_catalog["CLN-DB"], 1)]))

    # --- bound to the area: the counts are exactly this test's, nothing from elsewhere
    _, record = await new_staff(admin, ["customers:query", "customers:review", "orders:query",
                                        "orders:review"], areas=[area])
    page = await (await new_context()).new_page()
    await console_login(page, gateway, record["username"], STAFF_PASSWORD)
    await expect(page.get_by_text("以下是等待您处理的事项。")).to_be_visible()
    expected = {"registrations": "1", "first-review": "2", "second-review": "0",
                "cancellations": "0", "returns": "0"}
    for key, n in expected.items():
        await expect(count_of(page, key)).to_have_text(n)
    await expect(todo(page, "registrations")).to_contain_text("待审核注册")
    await expect(todo(page, "first-review")).to_contain_text("待处理订单")
    await expect(todo(page, "second-review")).to_contain_text("待复核订单")
    await expect(todo(page, "cancellations")).to_contain_text("取消申请")
    await expect(todo(page, "returns")).to_contain_text("待处理退货")
    await expect(todo(page, "customers")).to_contain_text("已审核客户")
    await expect(count_of(page, "customers")).to_have_text("1")
    # no permission, no count: invoices, service requests, dead letters, held orders
    for key in ("fapiao", "service-requests", "dead-letters", "credit-held"):
        await expect(todo(page, key)).to_have_count(0)
    await expect(page.get_by_test_id("dashboard-charts")).to_have_count(0)
    await shot(page, "workbench-01-area-staff")

    # a count opens its queue, pre-filtered
    await todo(page, "first-review").click()
    await expect(page).to_have_url(re.compile(r"/console/orders\?status=submitted$"))
    await expect(page.get_by_test_id("order-queue").locator(".ant-segmented-item-selected")) \
        .to_have_text("待初审")
    rows = page.locator("tr.ant-table-row")
    await expect(rows).to_have_count(2)
    for o in mine:
        await expect(rows.filter(has_text=o["number"])).to_have_count(1)
    await expect(rows.filter(has_text=theirs["number"])).to_have_count(0)
    await shot(page, "workbench-02-queue")
    await page.go_back()
    await todo(page, "registrations").click()
    await expect(page).to_have_url(re.compile(r"/console/review$"))
    await expect(page.locator("tr.ant-table-row", has_text=f"待审公司{tag}")).to_have_count(1)

    # --- an administrator: every queue, each count its queue's whole total
    console = await (await new_context()).new_page()
    await console_as(console, gateway, "admin", system.config.admin_password)
    totals = {
        "registrations": ("/api/console/customers", [("status", "pending_review")]),
        "first-review": ("/api/console/orders", [("status", "submitted")]),
        "cancellations": ("/api/console/orders", [("status", "cancellation_requested")]),
        "returns": ("/api/console/returns", [("status", "requested")]),
        "dead-letters": ("/api/console/ops/dead-letters", [("status", "open")]),
    }
    for key, (path, params) in totals.items():
        await expect(count_of(console, key)).to_have_text(
            str(await api_total(admin, path, params)))
    assert await api_total(admin, "/api/console/orders", [("status", "submitted")]) >= 3
    for key in ("fapiao", "service-requests", "customers"):
        await expect(todo(console, key)).to_have_count(1)
    # the charts stay below the counts
    workbench = await console.get_by_test_id("workbench").bounding_box()
    charts = await console.get_by_test_id("dashboard-charts").bounding_box()
    assert workbench and charts and charts["y"] > workbench["y"] + workbench["height"] - 1
    await shot(console, "workbench-03-admin")
    await todo(console, "returns").click()
    await expect(console).to_have_url(re.compile(r"/console/returns\?status=requested$"))
