"""Demo data of the analysis (issue 13: A-1..A-4, B-6, X-4) for `make run`: four more
dealer companies in four areas, with grades, ordering cycles (C-6), machines (S-2) and a
year of orders — so that the order query, the summaries, the anomaly tables and the
dashboard's charts show something.

Everything is created through the public API as a user would (registration, approval,
cycle, grade, machines, orders, review, payments, follow-ups), except the one thing an API
cannot do: an order placed today cannot have been placed last year. The orders' business
dates are therefore moved back in the order service's database afterwards, as a data
import of the dealers' history would have written them; nothing else depends on an
order's date."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

import asyncpg
import httpx
from servicekit.db import asyncpg_dsn
from servicekit.timeutil import business_date

PRODUCTS = [
    {"name": "UV 墨水（黑）", "model": "INK-UV-K-1L", "unit_price": "162.00",
     "list_price": "198.00", "category": "consumable"},
    {"name": "UV 墨水（品红）", "model": "INK-UV-M-1L", "unit_price": "170.00",
     "list_price": "198.00", "category": "consumable"},
    {"name": "喷头清洗液", "model": "CLN-500ML", "unit_price": "46.00", "list_price": "58.00",
     "category": "consumable"},
    {"name": "墨盒过滤器", "model": "FLT-10U", "unit_price": "35.00", "list_price": "42.00",
     "category": "accessory"},
]

# name, area, grade, cycle, machines, days since each order (oldest first), follow-up
DEALERS = [
    ("广州彩印包装有限公司", "华南", "large", {"kind": "days", "days": 7},
     [("UV-300", 3), ("HP-60", 2)], [330, 290, 240, 200, 150, 100, 60, 31, 24, 17, 10],
     ("contacted", "已电话联系采购刘经理，说本周库存还够，下周一下单。")),
    ("北京京华标识有限公司", "华北", "small", {"kind": "days", "days": 14},
     [("CIJ-5", 1)], [300, 250, 180, 120, 75, 40, 19, 5], None),
    ("成都蜀光包装制品厂", "西南", "normal", {"kind": "weekday", "weekday": 1},
     [("HP-60", 1)], [210, 160, 90, 48, 20], ("will_order", "客户说月底资金到位后补单。")),
    ("杭州恒昌食品有限公司", "华东", "normal", {"kind": "days", "days": 30},
     [("UV-300", 1), ("CIJ-5", 2)], [350, 280, 200, 140, 45], None),
]


async def _retry(send, url: str, **kw) -> httpx.Response:
    """The services learn of an approval by event: retry a call for a few seconds while
    it is refused for that reason (403/404/409)."""
    for _ in range(100):
        r = await send(url, **kw)
        if r.status_code not in (403, 404, 409):
            return r
        await asyncio.sleep(0.1)
    return r


async def seed_analysis(c: httpx.AsyncClient, sh: dict, order_database_url: str) -> int:
    """The four dealers; returns how many orders they placed."""
    suffix = uuid.uuid4().hex[:4]
    today = business_date()
    for i, (name, area, grade, cycle, machines, history, follow_up) in enumerate(DEALERS):
        user, password = f"dealer{i + 1}", f"Dealer-2026-{suffix}"
        r = await c.post("/api/portal/register", json={
            "username": user, "password": password, "company": {
                "name": name, "contact_person": "采购部", "mobile": f"1390000{i + 1:04d}",
                "address": f"{area}区演示路 {i + 1} 号", "area": area,
                "email": f"purchase{i + 1}@dealer{i + 1}.example.cn"}})
        if r.status_code == 409:  # seeded before (the username is taken)
            continue
        r.raise_for_status()
        cid = r.json()["customer_id"]
        await c.post(f"/api/console/customers/{cid}/approve", headers=sh,
                     json={"products": PRODUCTS})
        await c.put(f"/api/console/customers/{cid}/cycle", headers=sh, json=cycle)
        if grade != "normal":
            await c.put(f"/api/console/customers/{cid}/grade", headers=sh, json={
                "grade": grade, "reason": "演示：按年采购额评定"})
        for model, quantity in machines:
            await _retry(c.post, "/api/console/machines", headers=sh, json={
                "customer_id": cid, "name": "喷码机", "model": model,
                "quantity": quantity, "collection_status": "paid", "warranty_months": 12,
                "purchase_date": (today - timedelta(days=400)).isoformat()})
        r = await c.post("/api/auth/login", json={"username": user, "password": password})
        ch = {"Authorization": f"Bearer {r.json()['access_token']}"}
        catalog = (await c.get("/api/portal/catalog", headers=ch)).json()
        placed = []
        for n, days_ago in enumerate(history):
            lines = [{"product_id": p["product_id"], "quantity": 2 + (n + k) % 5}
                     for k, p in enumerate(catalog[: 1 + (n % len(catalog))])]
            body = {"delivery_date": (today + timedelta(days=3)).isoformat(),
                    "bill_type": "ordinary_vat", "remark": "演示历史订单", "lines": lines}
            r = await _retry(c.post, "/api/portal/orders", headers=ch, json=body)
            r.raise_for_status()
            placed.append((r.json(), days_ago, n))
        # dated before the review: a reviewed order's figures cannot change
        await _backdate(order_database_url,
                        [(o["id"], today - timedelta(days=d)) for o, d, _ in placed])
        for order, days_ago, n in placed:
            if days_ago > 30 or n % 2:  # older orders approved and paid
                await c.post("/api/console/orders/review", headers=sh, json={
                    "order_ids": [order["id"]], "decision": "approve"})
                await c.post(f"/api/console/orders/{order['id']}/payments", headers=sh,
                             json={"amount": order["total"], "method": "bank_transfer",
                                   "paid_on": today.isoformat(), "reference": "演示回款"})
        if follow_up:
            status, note = follow_up
            r = await _retry(c.post, f"/api/console/analysis/anomalies/{cid}/follow-ups",
                             headers=sh, json={"status": status, "note": note})
            r.raise_for_status()
    await _recount_anomalies(order_database_url)
    return sum(len(d[5]) for d in DEALERS)


async def _recount_anomalies(order_database_url: str) -> None:
    """The daily counts of customers past their cycle (anomalies over time, X-4) as the
    imported history makes them: the worker's hourly job counted the days before the
    history arrived, so they are counted again — the job's own code, run once here."""
    from order_service.analysis.tasks import anomaly_snapshots
    from servicekit.timeutil import utcnow
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    engine = create_async_engine(order_database_url)
    try:
        async with AsyncSession(engine) as session, session.begin():
            await session.execute(text("DELETE FROM anomaly_snapshots"))
            await anomaly_snapshots(session, utcnow())
    finally:
        await engine.dispose()


async def _backdate(order_database_url: str, orders: list[tuple[str, date]]) -> None:
    """Move the dealers' orders to the days they were placed on (see the module's note)."""
    if not orders:
        return
    conn = await asyncpg.connect(asyncpg_dsn(order_database_url))
    try:
        await conn.executemany(
            "UPDATE orders SET order_date = $2, "
            "created_at = ($2::date + time '10:00') AT TIME ZONE 'Asia/Shanghai' "
            "WHERE id = $1::uuid",
            [(oid, day) for oid, day in orders])
    finally:
        await conn.close()
