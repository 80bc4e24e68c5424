"""The demo data of `make run` (tools/demo.py), seeded into the running system: a newcomer
sees every capability with something in it — orders in several states, last month's
statement disputed (B-1), articles, inbox messages, reminders delivered by the reference
notifier, a staff batch message, fapiao issued and requested, the finance subscriber's
ledger, points used on an order, machines with their warranties, a fault report with a
photo and a reply, and maintenance records in every menu (README's promise)."""

from __future__ import annotations

import csv
import sys
import uuid
from decimal import Decimal
from pathlib import Path

from .access_helpers import notifier_outbox
from .api import eventually

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from demo import seed  # noqa: E402


async def test_the_demo_shows_every_capability(system, api, admin):
    user, password = f"demo{uuid.uuid4().hex[:6]}", "demo-2026"
    await seed(system.config.gateway_url, "admin", system.config.admin_password or "",
               user, password, order_database_url=system.config.database_url("order"))
    customer = api.as_user()
    await customer.login(user, password)

    orders = (await customer.get("/api/portal/orders")).json()
    assert len(orders) == 4
    assert {o["status"] for o in orders} >= {"submitted"}
    articles = (await customer.get("/api/portal/articles")).json()
    assert {a["kind"] for a in articles} >= {"bulletin", "guidance"}

    async def inbox():
        r = await customer.get("/api/portal/messages", params={"limit": 200})
        kinds = {m["kind"] for m in r.json()}
        return kinds if {"payment_due", "staff_message", "invoice_issued"} <= kinds else None

    assert await eventually(inbox, timeout=60)

    # B-1: last month's statement (an advance) is disputed and waits for the staff
    statement = (await customer.get("/api/portal/statements")).json()
    assert statement["status"] == "disputed" and statement["dispute_note"]
    assert [e["kind"] for e in statement["entries"]] == ["payment"]
    assert statement["closing_balance"] == "-1000.00"
    waiting = (await admin.get("/api/console/statements", params={"status": "disputed"})).json()
    assert statement["customer_id"] in {s["customer_id"] for s in waiting}

    invoices = (await customer.get("/api/portal/invoices")).json()
    assert sorted(i["status"] for i in invoices) == ["issued", "requested"]
    cid = orders[0]["customer_id"]

    async def delivered():
        r = await admin.get("/api/console/deliveries", params={"customer_id": cid})
        by = {(d["template"], d["channel"]): d["status"] for d in r.json()}
        wanted = {("payment_due", "sms"), ("payment_due", "wechat"),
                  ("staff_message", "sms"), ("staff_message", "wechat")}
        return by if wanted <= by.keys() and all(
            by[k] == "delivered" for k in wanted) else None

    assert await eventually(delivered, timeout=60)
    assert any(e["data"]["template"] == "staff_message" for e in notifier_outbox(system))

    ledger = Path(system.config.run_dir) / "finance-ledger.csv"

    async def booked():
        if not ledger.exists():
            return None
        rows = list(csv.DictReader(ledger.open(encoding="utf-8")))
        mine = {i["id"] for i in invoices}
        types = {r["type"] for r in rows if r.get("invoice_id") in mine}
        return types if {"invoice.requested", "invoice.issued"} <= types else None

    assert await eventually(booked, timeout=60)

    # P-1..P-3: the paid order's points and the staff bonus, the announced rule version,
    # an event month and the description
    async def points():
        moves = (await customer.get("/api/portal/points/movements")).json()
        kinds = {m["kind"] for m in moves}
        return moves if {"earned", "effective", "adjusted"} <= kinds else None

    assert await eventually(points, timeout=60)
    rules = (await customer.get("/api/portal/points/rules")).json()
    assert any(r["upcoming"] for r in rules)
    assert (await customer.get("/api/portal/points/event-months")).json()
    assert "积分" in (await customer.get("/api/portal/points/description")).json()["content"]

    # P-2: an order paying 60 yuan with points, reserved while it waits for review
    async def redeeming():
        [r] = (await customer.get("/api/portal/points/redemptions")).json()
        o = (await customer.get(f"/api/portal/orders/{r['order_id']}")).json()
        return (r, o) if o["points_status"] == "reserved" else None

    redemption, order = await eventually(redeeming, timeout=60)
    assert (redemption["points"], redemption["status"]) == (60, "reserved")
    assert order["points_used"] == 60
    assert Decimal(order["payable"]) == Decimal(order["total"]) - 60

    # S-2: the installed base, one machine in warranty and one long out of it, and S-1: a
    # fault report on the first machine
    machines = (await customer.get("/api/portal/machines")).json()
    assert len(machines) == 3
    assert {m["in_warranty"] for m in machines} == {True, False}
    reports = (await customer.get("/api/portal/service-requests")).json()
    [report] = [r for r in reports if r["machine_id"] == machines[0]["id"]]
    detail = (await customer.get(f"/api/portal/service-requests/{report['id']}")).json()
    assert detail["photos"] and detail["replies"] and detail["status"] == "in_progress"

    # S-3..S-8, B-5: maintenance records in every menu, a return visit waiting
    async def menu(name):
        r = await admin.get("/api/console/maintenance-records",
                            params={"menu": name, "customer_id": cid})
        return r.json()
    assert len(await menu("content")) == 5
    assert len(await menu("factory")) == 1 and len(await menu("key")) == 1
    assert len(await menu("suspended")) == 1
    unprocessed = await menu("unprocessed")
    assert any(r["kind"] == "return_visit" and r["follows_record_id"] for r in unprocessed)

    # A-1..A-4, B-6, X-4: four dealers with a year of orders; the one ordering every 7
    # days last ordered 10 days ago: 3 days past its cycle, already contacted
    rows = (await admin.get("/api/console/analysis/anomalies",
                            params={"q": "广州彩印包装"})).json()
    [dealer] = rows
    assert (dealer["days_overdue"], dealer["processing_status"]) == (3, "contacted")
    assert dealer["grade"] == "large"
    figures = (await admin.get("/api/console/analysis/dashboard")).json()
    assert sum(1 for m in figures["months"] if m["orders"]) >= 8, "a year, month by month"
    snapshots = figures["anomalies"]
    assert len(snapshots) >= 30 and any(s["customers"] for s in snapshots)
