"""Ordering-cycle reminders through the gateway, against the running system (C-6, N-2):
staff set a customer's ordering cycle in the customer service, the order service learns it
from customer.cycle_changed; every 30 days without an order yet is due today (C-6, the
customer's profile says so too), so an operator's reminder run emits one
`customer.ordering_cycle_due`, which the notify service puts in the customer's portal inbox
and hands to the external SMS/WeChat notifier as a delivery; a second run sends nothing
new."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from servicekit.db import asyncpg_dsn
from servicekit.timeutil import business_date

from .access_helpers import new_staff, notifier_message
from .api import eventually
from .test_slice import approved_customer

pytestmark = pytest.mark.e2e

URL = "/api/console/reminders/run"
JOB = "ordering_cycle_reminders"


async def order_service_cycle(system, customer_id: str) -> tuple | None:
    """The customer's ordering cycle as the order service's read model holds it."""
    conn = await asyncpg.connect(asyncpg_dsn(system.config.database_url("order")))
    try:
        row = await conn.fetchrow(
            "SELECT cycle_kind, cycle_days, cycle_weekday FROM customer_view "
            "WHERE customer_id = $1", uuid.UUID(customer_id))
        return None if row is None else tuple(row)
    finally:
        await conn.close()


async def learned_cycle(system, customer_id: str, cycle: tuple) -> None:
    async def check():
        return await order_service_cycle(system, customer_id) == cycle
    await eventually(check)


async def outbox_cycle_reminders(system, customer_id: str) -> list:
    """The customer's customer.ordering_cycle_due rows in the order service's outbox."""
    conn = await asyncpg.connect(asyncpg_dsn(system.config.database_url("order")))
    try:
        return await conn.fetch(
            "SELECT envelope FROM outbox WHERE event_type = 'customer.ordering_cycle_due' "
            "AND envelope->'data'->>'customer_id' = $1", customer_id)
    finally:
        await conn.close()


def cycle_messages(messages: list[dict]) -> list[dict]:
    return [m for m in messages if m["kind"] == "ordering_cycle_due"]


class TestOrderingCycleReminders:
    async def test_a_customer_due_today_is_reminded_once_C6_N2(self, system, api, admin):
        customer, cid, _ = await approved_customer(api, admin)
        r = await admin.put(f"/api/console/customers/{cid}/cycle",
                            json={"kind": "days", "days": 30})
        assert r.status_code == 200, r.text
        name = r.json()["name"]
        await learned_cycle(system, cid, ("days", 30, None))
        today = business_date()
        # the customer service's own view of the rule: no order yet, due today
        cycle = (await customer.get("/api/portal/profile")).json()["ordering_cycle"]
        assert (cycle["last_order_date"], cycle["next_due_date"]) == (None, today.isoformat())

        operator, _ = await new_staff(admin, ["messages:entry"])
        r = await operator.post(URL)
        assert r.status_code == 200, r.text
        assert set(r.json()) == {"jobs"}
        assert set(r.json()["jobs"]) == {"payment_due_reminders", JOB}
        assert r.json()["jobs"][JOB] >= 1  # other tests' customers due today count too

        # the external SMS/WeChat notifier, through notify's delivery request (N-2)
        envelope = await notifier_message(system, lambda e: (
            e["data"].get("template") == "ordering_cycle_due"
            and e["data"]["params"].get("customer_id") == cid))
        assert envelope["data"]["channel"] == "sms"
        params = envelope["data"]["params"]
        assert (params["due_date"], params["kind"], params["days"]) == (
            today.isoformat(), "days", "30")
        assert "last_order_date" not in params  # none yet
        assert params["customer_name"] == name
        assert "订货提醒" in envelope["data"]["text"]

        # the customer's portal inbox, through the notify service
        async def reminded():
            r = await customer.get("/api/portal/messages", params={"limit": 200})
            assert r.status_code == 200, r.text
            return cycle_messages(r.json())

        [message] = await eventually(reminded)
        assert message["message"] == (f"订货提醒：按您的订货周期（每 30 天），今天"
                                      f"（{today.isoformat()}）该补货了，欢迎在线下单")
        assert today.isoformat() in message["message_en"]
        assert message["data"]["due_date"] == today.isoformat()

        # a second run sends nothing new for this customer
        r = await operator.post(URL)
        assert r.status_code == 200, r.text
        assert len(await outbox_cycle_reminders(system, cid)) == 1
        r = await customer.get("/api/portal/messages", params={"limit": 200})
        assert len(cycle_messages(r.json())) == 1
