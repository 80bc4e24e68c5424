"""Payment-due reminders through the gateway, against the running system (O-6, N-2, C-7):
an operator runs the reminder jobs now; an unpaid order due today gets one
`order.payment_due`, which reaches, through the notify service, the customer's portal
inbox and the external SMS/WeChat notifier (one delivery per channel, in the delivery
log, reported back by the reference notifier); a second run sends nothing new. Only
staff holding `messages:entry` without an area limit may run them."""

from __future__ import annotations

import asyncpg
import pytest
from servicekit.db import asyncpg_dsn
from servicekit.timeutil import business_date

from .access_helpers import new_staff, notifier_message
from .api import eventually, order_body
from .test_payment_terms import learned
from .test_slice import approved_customer, place

pytestmark = pytest.mark.e2e

URL = "/api/console/reminders/run"
JOB = "payment_due_reminders"


async def outbox_reminders(system, order_id: str) -> list[dict]:
    """The order's order.payment_due rows in the order service's outbox."""
    conn = await asyncpg.connect(asyncpg_dsn(system.config.database_url("order")))
    try:
        return await conn.fetch(
            "SELECT envelope FROM outbox WHERE event_type = 'order.payment_due' "
            "AND envelope->'data'->>'order_id' = $1", order_id)
    finally:
        await conn.close()


def payment_due_messages(messages: list[dict], number: str) -> list[dict]:
    return [m for m in messages if m["kind"] == "payment_due" and number in m["message"]]


class TestPaymentDueReminders:
    async def test_an_unpaid_order_due_today_is_reminded_once_O6_N2(self, system, api,
                                                                   admin):
        customer, cid, catalog = await approved_customer(api, admin)
        r = await admin.put(f"/api/console/customers/{cid}/payment-terms", json={"days": 0})
        assert r.status_code == 200, r.text
        await learned(system, cid, 0)
        order = await place(customer, order_body([(catalog[0]["product_id"], 2)]))
        r = await admin.post("/api/console/orders/review",
                             json={"order_ids": [order["id"]], "decision": "approve"})
        assert r.status_code == 200, r.text
        today = business_date()
        got = (await customer.get(f"/api/portal/orders/{order['id']}")).json()
        assert (got["due_date"], got["outstanding"]) == (today.isoformat(), got["total"])

        operator, _ = await new_staff(admin, ["messages:entry"])
        r = await operator.post(URL)
        assert r.status_code == 200, r.text
        assert set(r.json()) == {"jobs"}
        assert r.json()["jobs"][JOB] >= 1  # other tests' orders due today count too

        # the external SMS/WeChat notifier: through notifier.reminders to the reference
        # notifier, which sent it (development: its outbox file) and reported back (N-2)
        envelope = await notifier_message(system, lambda e: (
            e["data"].get("template") == "payment_due"
            and e["data"]["params"].get("order_id") == order["id"]))
        assert envelope["data"]["channel"] == "sms" and envelope["data"]["attempt"] == 1
        assert {k: envelope["data"]["params"][k] for k in (
            "number", "customer_id", "amount_outstanding", "due_date", "stage")} == {
            "number": order["number"], "customer_id": cid, "amount_outstanding": got["total"],
            "due_date": today.isoformat(), "stage": "due"}
        assert order["number"] in envelope["data"]["text"]

        # the delivery log: SMS delivered, WeChat not bound
        async def logged():
            r = await admin.get("/api/console/deliveries", params={"customer_id": cid})
            assert r.status_code == 200, r.text
            by = {d["channel"]: d for d in r.json() if d["template"] == "payment_due"}
            return by if by.get("sms", {}).get("status") == "delivered" else None

        log = await eventually(logged)
        assert log["sms"]["provider"] == "outbox" and log["sms"]["attempts"] == 1
        assert log["sms"]["id"] == envelope["data"]["delivery_id"]
        assert log["wechat"]["status"] == "no_recipient"

        # the customer's portal inbox, through the notify service
        async def reminded():
            r = await customer.get("/api/portal/messages", params={"limit": 200})
            assert r.status_code == 200, r.text
            return payment_due_messages(r.json(), order["number"])

        [message] = await eventually(reminded)
        assert got["total"] in message["message"] and today.isoformat() in message["message"]
        assert order["number"] in message["message_en"]

        # a second run sends nothing new for this order
        r = await operator.post(URL)
        assert r.status_code == 200, r.text
        assert len(await outbox_reminders(system, order["id"])) == 1
        r = await admin.get("/api/console/deliveries", params={"customer_id": cid})
        assert len([d for d in r.json() if d["template"] == "payment_due"]) == 2
        r = await customer.get("/api/portal/messages", params={"limit": 200})
        assert len(payment_due_messages(r.json(), order["number"])) == 1

        # a customer user is refused on the console
        r = await customer.post(URL)
        assert r.status_code == 403, r.text

    async def test_who_may_run_them_X1_C7(self, system, api, admin):
        without, _ = await new_staff(admin, ["orders:query", "messages:query"])
        r = await without.post(URL)
        assert r.status_code == 403, r.text
        assert r.json()["detail"] == "Permission messages:entry is required"

        area_bound, _ = await new_staff(admin, ["messages:entry"], areas=["华东"])
        r = await area_bound.post(URL)
        assert r.status_code == 403, r.text
        assert r.json()["detail"] == (
            "only staff without an area limit may run reminders for everyone")
