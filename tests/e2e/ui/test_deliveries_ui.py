"""A failed delivery retried from the console's 发送记录 page (N-2, B-4): while the
reference notifier cannot send (its outbox is unwritable, as a provider outage would be),
a staff message's SMS fails and the notifier reports it back; the delivery log shows it
重试中 with the notifier's error; once the notifier works again staff click 重试 and the
SMS is sent: 已送达 after two attempts, and the notifier really sent the second one.
Screenshots go to test-output/screenshots/deliveries-*.png."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.async_api import expect
from system import NOTIFIER_OUTBOX

from ..access_helpers import notifier_outbox
from ..api import Api, eventually
from ..test_slice import approved_customer
from .conftest import shot
from .test_ledger_ui import answered
from .test_messages_ui import choose_customer, known_to_notify, open_console

pytestmark = pytest.mark.e2e

RETRY = re.compile(r"重\s*试$")


@contextmanager
def notifier_cannot_send(system) -> Iterator[None]:
    """The reference notifier (development: every SMS goes to its outbox file) cannot
    send while a directory stands where its outbox file was: each send fails and is
    reported back as a retryable failure, as a provider outage would be."""
    path = system.config.run_dir / NOTIFIER_OUTBOX
    aside = path.with_name(f"{path.name}.aside")
    had = path.exists()
    if had:
        path.rename(aside)
    path.mkdir(parents=True)
    try:
        yield
    finally:
        path.rmdir()
        if had:
            aside.rename(path)


async def deliveries_of(admin: Api, cid: str) -> list[dict]:
    r = await admin.get("/api/console/deliveries", params={"customer_id": cid})
    assert r.status_code == 200, r.text
    return r.json()


async def test_a_failed_sms_is_retried_from_the_delivery_log_N2_B4(gateway, system, api, admin,
                                                                  new_context):
    _customer, cid, _ = await approved_customer(api, admin)
    name = (await known_to_notify(admin, cid))["recipients"][0]["name"]
    console = await (await new_context()).new_page()
    await open_console(console, gateway, system.config.admin_password, "发送记录")
    await expect(console).to_have_url(re.compile(r"/console/deliveries$"))

    # --- the SMS of a staff message fails: the notifier reports it, notify will retry
    with notifier_cannot_send(system):
        r = await admin.post("/api/console/messages", json={
            "title": "到货通知", "body": "您订购的墨水已到货。", "channels": ["sms"],
            "customer_ids": [cid]})
        assert r.status_code == 202, r.text

        async def failed():
            found = [d for d in await deliveries_of(admin, cid) if d["status"] == "retrying"]
            return found or None
        [delivery] = await eventually(failed, timeout=60)
    assert delivery["attempts"] == 1 and delivery["can_retry"] is True
    assert "IsADirectoryError" in delivery["last_error"], delivery["last_error"]
    assert delivery["next_attempt_at"] is not None

    # --- the delivery log shows it with the notifier's error
    await choose_customer(console, console.get_by_test_id("filter-customer").locator("input"), name)
    await expect(console).to_have_url(re.compile(rf"customer_id={cid}"))
    row = console.locator("tr.ant-table-row")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("员工消息")
    await expect(row).to_contain_text("短信")
    await expect(row).to_contain_text("13900001111")
    await expect(row).to_contain_text("重试中")
    await expect(row).to_contain_text("IsADirectoryError")
    await shot(console, "deliveries-01-console-failed", full_page=False)

    # --- staff retry it now: sent again, delivered on the second attempt
    await answered(console, row.get_by_role("button", name=RETRY),
                   f"/deliveries/{delivery['id']}/retry")
    await expect(console.get_by_text("已重新发送")).to_be_visible()
    for _ in range(30):  # the notifier's report comes back by event
        if re.search("已送达", await row.inner_text()):
            break
        await console.wait_for_timeout(1_000)
        await console.get_by_role("button", name=re.compile(r"^刷\s*新$")).click()
    await expect(row).to_contain_text("已送达")
    await expect(row.get_by_role("button", name=RETRY)).to_have_count(0)
    await shot(console, "deliveries-02-console-retried", full_page=False)

    [after] = await deliveries_of(admin, cid)
    assert (after["id"], after["status"], after["attempts"]) == (delivery["id"], "delivered", 2)
    assert after["last_error"] is None and after["provider"] == "outbox"
    sent = [e["data"] for e in notifier_outbox(system)
            if e["data"].get("delivery_id") == delivery["id"]]
    assert [s["attempt"] for s in sent] == [2], sent
    assert sent[0]["channel"] == "sms" and "到货" in sent[0]["text"]
