"""The soak (X-2, issue 14, fault (g)): a private whole system (its own databases,
exchange, queues and ports; `tools/system.py`) driven through the gateway for
SOAK_SECONDS (default 30; `make soak`: 180) — customers place orders, staff approve and
record payments, customers request fapiao that finance issues and customers confirm,
goods are shipped, received and partly returned — while a chaos loop SIGKILLs random
workers and APIs (and starts them again) and another cuts the broker away: every process
reaches RabbitMQ through a TCP proxy the test controls.

Afterwards, once every outbox is sent and every queue empty, each consumer's state is
reconciled with its producer's, from the databases:
- points: one entry per order placed, effective exactly when the order is fully paid,
  its points those of its total less its approved returns, the ledger's pending and
  effective sums equal to it, one reversal per approved return;
- invoice: the invoice service's view of every order (status, total, refunds) equals the
  order service's; the order is `invoiced` exactly when its fapiao was confirmed;
- customer: one paid-order row per fully paid order, the paid total their sum;
- notify: one `new_order` prompt per order, one `return_requested` per return, one
  `invoice_requested` per fapiao request;
- nothing dead-lettered, no outbox row given up.
It prints the counts (`lost=0 doubled=0`) and fails on any difference.
"""

from __future__ import annotations

import asyncio
import os
import random
import secrets
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import aio_pika
import httpx
import pytest
from servicekit.db import Database
from sqlalchemy import text

from ..e2e.api import Api, order_body
from ..integration.tcp_proxy import TcpProxy
from ..integration.test_mechanism import with_port

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

from system import COMPONENTS, System, SystemConfig, free_ports  # noqa: E402

SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", "30"))
SETTLE_SECONDS = 150  # after the load: time for every event to arrive
CUSTOMERS = 3
YUAN_PER_POINT = Decimal("20")  # the default rule; the soak announces no other

pytestmark = [pytest.mark.soak, pytest.mark.timeout(int(SOAK_SECONDS) + 600)]

PRODUCTS = [
    {"name": "UV 墨水（黑）", "model": "INK-UV-K-1L", "unit_price": "160.30"},
    {"name": "喷头清洗液", "model": "CLN-500ML", "unit_price": "45.50"},
]
TAX = {"invoice_title": "杭州彩印图文有限公司", "tax_number": "91330106MA2B0XXX1X",
       "bank": "工商银行西湖支行", "bank_account": "1202021109900012345",
       "address": "杭州市西湖区文三路 1 号", "area_code": "0571", "telephone": "8888 1234"}
RETRY_STATUSES = {502, 503, 504}


# ---------------------------------------------------------------------- the load
@dataclass
class Stats:
    accepted: list[str] = field(default_factory=list)  # order ids answered 201
    steps: Counter = field(default_factory=Counter)
    gave_up: Counter = field(default_factory=Counter)
    retries: int = 0
    kills: Counter = field(default_factory=Counter)
    broker_cuts: int = 0


class Failed(Exception):
    pass


class Driver:
    """Requests that ride out the chaos: a refused connection, a 502/503/504 (a killed
    service; a database or broker away) is retried; `eventual` also retries the 4xx a
    read model not caught up yet answers. A request whose answer was lost may have been
    done: `done()` says so before it is repeated as an error."""

    def __init__(self, stats: Stats, deadline: float) -> None:
        self.stats = stats
        self.deadline = deadline

    async def call(self, api: Api, method: str, path: str, *, ok=(200, 201), json=None,
                   eventual: bool = False, done=None, patience: float = 60.0
                   ) -> httpx.Response | None:
        # Past the load's deadline a step gets a little longer only: the soak's length
        # is the load's, and what is left half done is reconciled like the rest.
        give_up = min(time.monotonic() + patience, self.deadline + 10)
        repeated = False
        while True:
            try:
                r = await api.request(method, path, json=json)
            except httpx.TransportError:
                r = None
            if r is not None and r.status_code in ok:
                return r
            retryable = (r is None or r.status_code in RETRY_STATUSES
                         or (eventual and r.status_code in (403, 404, 409, 422)))
            if repeated and done is not None and r is not None and r.status_code < 500 \
                    and await done():
                return None  # an attempt whose answer was lost did it
            if not retryable or time.monotonic() > give_up:
                raise Failed(f"{method} {path}: "
                             f"{r.status_code if r is not None else 'no answer'} "
                             f"{r.text[:200] if r is not None else ''}")
            repeated = True
            self.stats.retries += 1
            await asyncio.sleep(0.4)


async def _customer(driver: Driver, api: Api, admin: Api) -> tuple[Api, str, str]:
    cid, user, password = await api.register(**TAX)
    await driver.call(admin, "POST", f"/api/console/customers/{cid}/approve",
                      json={"products": PRODUCTS})
    customer = api.as_user()
    await customer.login(user, password)
    catalog = (await driver.call(customer, "GET", "/api/portal/catalog", eventual=True)
               ).json()
    ink = next(p["product_id"] for p in catalog if p["model"] == "INK-UV-K-1L")
    return customer, ink, cid


async def journey(driver: Driver, stats: Stats, customer: Api, admin: Api, ink: str,
                  n: int) -> None:
    """One order's way; `n` picks how far it goes (all are approved)."""
    r = await driver.call(customer, "POST", "/api/portal/orders", ok=(201,), eventual=True,
                          json=order_body([(ink, 2 + n % 5)]))
    order = r.json()
    oid, total = order["id"], order["total"]
    stats.accepted.append(oid)
    stats.steps["ordered"] += 1

    async def status() -> str:
        got = await driver.call(admin, "GET", f"/api/console/orders/{oid}")
        return got.json()["status"]

    async def reviewed() -> bool:
        return await status() != "submitted"

    await driver.call(admin, "POST", "/api/console/orders/review", done=reviewed,
                      json={"order_ids": [oid], "decision": "approve"})
    stats.steps["approved"] += 1
    kind = n % 4
    if kind == 0:
        return

    async def paid() -> bool:
        got = await driver.call(admin, "GET", f"/api/console/orders/{oid}")
        return Decimal(got.json()["paid_total"]) >= Decimal(total)

    if kind in (1, 2):
        await driver.call(admin, "POST", f"/api/console/orders/{oid}/payments", ok=(201,),
                          done=paid, json={"amount": total,
                                           "paid_on": date.today().isoformat(),
                                           "method": "bank_transfer", "reference": "soak"})
        stats.steps["paid"] += 1
    if kind == 2:
        r = await driver.call(customer, "POST", "/api/portal/invoice-requests", ok=(201,),
                              eventual=True, json={"order_ids": [order["number"]]})
        iid = r.json()["id"]
        stats.steps["invoice_requested"] += 1

        def invoice_is(*statuses: str):
            async def check() -> bool:
                got = await driver.call(admin, "GET", f"/api/console/invoices/{iid}")
                return got.json()["status"] in statuses
            return check

        await driver.call(admin, "POST", f"/api/console/invoices/{iid}/issue", eventual=True,
                          done=invoice_is("issued", "confirmed"),
                          json={"invoice_number": f"SK{uuid.uuid4().hex[:12]}",
                                "invoice_date": date.today().isoformat()})
        await driver.call(customer, "POST", f"/api/portal/invoices/{iid}/confirm-receipt",
                          eventual=True, done=invoice_is("confirmed"))
        stats.steps["invoice_confirmed"] += 1
    if kind == 3:
        r = await driver.call(admin, "POST", f"/api/console/orders/{oid}/shipments",
                              ok=(201,), json={
                                  "lines": [{"product_id": ink, "quantity": 2 + n % 5}],
                                  "courier": "顺丰速运", "tracking_number": f"SF{n}",
                                  "shipped_on": date.today().isoformat()})
        for shipment in r.json()["shipments"]:
            await driver.call(customer, "POST",
                              f"/api/portal/orders/{oid}/shipments/{shipment['id']}/receipt",
                              json={})
        r = await driver.call(customer, "POST", f"/api/portal/orders/{oid}/returns",
                              ok=(201,), json={"lines": [{"product_id": ink, "quantity": 1}],
                                               "reason": "破损"})
        ret = r.json()
        await driver.call(admin, "POST", f"/api/console/returns/{ret['id']}/approve",
                          json={"refund_amount": ret["amount"], "note": "soak"})
        stats.steps["returned"] += 1


async def customer_loop(driver: Driver, stats: Stats, customer: Api, admin: Api, ink: str,
                        first: int) -> None:
    n = first
    while time.monotonic() < driver.deadline:
        try:
            await journey(driver, stats, customer, admin, ink, n)
        except Failed as exc:
            # A step the chaos made impossible (e.g. an ambiguous retry): the
            # reconciliation below works from what the producers really hold.
            stats.gave_up[str(exc)[:160]] += 1
        n += 1


async def chaos_processes(system: System, stats: Stats, deadline: float,
                          rng: random.Random) -> None:
    victims = sorted(n for n in system.procs if n.endswith(("-api", "-worker")))
    while time.monotonic() < deadline:
        await asyncio.sleep(rng.uniform(1.5, 3.5))
        name = rng.choice(victims)
        await asyncio.to_thread(system.kill, name)
        stats.kills[name] += 1
        await asyncio.sleep(rng.uniform(0.2, 1.5))
        system.start(only=[name])


async def chaos_broker(proxy: TcpProxy, stats: Stats, deadline: float,
                       rng: random.Random) -> None:
    while time.monotonic() < deadline:
        await asyncio.sleep(rng.uniform(4, 9))
        proxy.cut()
        stats.broker_cuts += 1
        await asyncio.sleep(rng.uniform(1, 2.5))
        proxy.restore()


# ---------------------------------------------------------------------- reconciliation
async def _rows(db: Database, sql: str, **params) -> list:
    async with db.engine.connect() as c:
        return list((await c.execute(text(sql), params)).all())


async def _has_table(db: Database, name: str) -> bool:
    [(found,)] = await _rows(db, "SELECT to_regclass(:n)::text", n=name)
    return found is not None


async def quiescent(system: System, dbs: dict[str, Database], amqp_url: str) -> str | None:
    """None when every outbox is sent and every queue empty, else what is still moving."""
    for name, db in dbs.items():
        [(n,)] = await _rows(db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL")
        if n:
            return f"{name}: {n} outbox rows unsent"
    conn = await aio_pika.connect(amqp_url)
    try:
        ch = await conn.channel()
        for queue in system.queue_names():
            if queue.endswith(".dlq"):
                continue
            q = await ch.declare_queue(queue, passive=True)
            if q.declaration_result.message_count:
                return f"{queue}: {q.declaration_result.message_count} messages"
    finally:
        await conn.close()
    return None


def _expected_points(total: Decimal, returned: Decimal) -> int:
    """P-2 with the default rule, every product a consumable (the soak's catalogue has no
    categories), nothing paid with points: floor of what is kept / 20."""
    def points(amount: Decimal) -> int:
        return int(amount // YUAN_PER_POINT) if amount > 0 else 0
    return min(points(total), points(total - returned))


async def reconcile(dbs: dict[str, Database], customers: list[str], amqp_url: str,
                    system: System) -> tuple[dict[str, int], list[str], list[str]]:
    lost: list[str] = []
    doubled: list[str] = []
    orders = {str(r.id): r for r in await _rows(
        dbs["order"], "SELECT id, number, status, total, paid_total, invoiced, customer_id "
                      "FROM orders WHERE customer_id::text = ANY(:c)", c=customers)}
    ids = list(orders)
    returns = await _rows(dbs["order"], "SELECT id, order_id, status, refund_amount, amount "
                                        "FROM order_returns WHERE order_id::text = ANY(:o)",
                          o=ids)
    approved_returns = [r for r in returns if r.status == "approved"]
    refunds: Counter = Counter()
    returned: Counter = Counter()
    for r in approved_returns:
        refunds[str(r.order_id)] += r.refund_amount
        returned[str(r.order_id)] += r.amount
    paid = {oid for oid, o in orders.items() if o.paid_total >= o.total > 0}

    # points
    entries = {str(r.order_id): r for r in await _rows(
        dbs["points"], "SELECT order_id, status, points, order_total FROM points_entries "
                       "WHERE order_id::text = ANY(:o)", o=ids)}
    ledger = {str(r.order_id): r for r in await _rows(
        dbs["points"], "SELECT order_id, sum(pending_delta) AS pending, "
                       "sum(effective_delta) AS effective FROM points_movements "
                       "WHERE order_id::text = ANY(:o) GROUP BY order_id", o=ids)}
    reversals = Counter(r.reference for r in await _rows(
        dbs["points"], "SELECT reference FROM points_movements WHERE reference LIKE 'return:%' "
                       "AND order_id::text = ANY(:o)", o=ids))
    for oid, o in orders.items():
        e = entries.get(oid)
        if e is None:
            lost.append(f"points: no entry for order {o.number}")
            continue
        want_status = "effective" if oid in paid else "pending"
        want = _expected_points(o.total, returned[oid])
        if e.status != want_status:
            lost.append(f"points: order {o.number} is {e.status}, not {want_status}")
        if e.points > want:
            doubled.append(f"points: order {o.number} has {e.points} points, not {want}")
        elif e.points < want:
            lost.append(f"points: order {o.number} has {e.points} points, not {want}")
        moved = ledger.get(oid)
        bucket = (moved.pending, moved.effective) if moved else (0, 0)
        want_bucket = (0, e.points) if e.status == "effective" else (e.points, 0)
        if bucket != want_bucket:
            (doubled if sum(bucket) > sum(want_bucket) else lost).append(
                f"points: ledger of {o.number} is (pending, effective)={bucket}, "
                f"not {want_bucket}")
    for r in approved_returns:
        o = orders[str(r.order_id)]
        n = reversals[f"return:{r.id}"]
        taken = _expected_points(o.total, Decimal(0)) != _expected_points(
            o.total, returned[str(r.order_id)])
        if n > 1:
            doubled.append(f"points: return {r.id} reversed {n} times")
        elif taken and n == 0:
            lost.append(f"points: return {r.id} of {o.number} never reversed")

    # invoice: its view of the orders, and the invoiced flags
    views = {str(r.order_id): r for r in await _rows(
        dbs["invoice"], "SELECT order_id, status, total, refund_amount FROM "
                        "invoiceable_orders WHERE order_id::text = ANY(:o)", o=ids)}
    confirmed = {str(r.order_id) for r in await _rows(
        dbs["invoice"], "SELECT io.order_id FROM invoice_orders io JOIN invoices i ON "
                        "i.id = io.invoice_id WHERE io.active AND i.status = 'confirmed' "
                        "AND io.order_id::text = ANY(:o)", o=ids)}
    invoices = await _rows(dbs["invoice"], "SELECT DISTINCT i.id FROM invoices i JOIN "
                                           "invoice_orders io ON io.invoice_id = i.id WHERE "
                                           "io.order_id::text = ANY(:o)", o=ids)
    for oid, o in orders.items():
        v = views.get(oid)
        want = {"submitted": "submitted", "rejected": "rejected",
                "cancelled": "cancelled"}.get(o.status, "approved")
        if v is None:
            lost.append(f"invoice: order {o.number} unknown")
            continue
        if (v.status, v.total) != (want, o.total):
            lost.append(f"invoice: order {o.number} seen as {(v.status, v.total)}, "
                        f"is {(want, o.total)}")
        if v.refund_amount != refunds[oid]:
            (doubled if v.refund_amount > refunds[oid] else lost).append(
                f"invoice: order {o.number} refunds {v.refund_amount}, not {refunds[oid]}")
        if o.invoiced != (oid in confirmed):
            lost.append(f"order: {o.number} invoiced={o.invoiced}, its fapiao confirmed="
                        f"{oid in confirmed}")

    # customer: paid consumption (C-4)
    paid_rows = Counter(str(r.order_id) for r in await _rows(
        dbs["customer"], "SELECT order_id FROM paid_orders WHERE order_id::text = ANY(:o)",
        o=ids))
    for oid in paid:
        if paid_rows[oid] == 0:
            lost.append(f"customer: paid order {orders[oid].number} not counted")
    for oid, n in paid_rows.items():
        if oid not in paid or n > 1:
            doubled.append(f"customer: order {orders[oid].number} counted {n}× as paid")
    for cid, paid_total in await _rows(dbs["customer"], "SELECT id::text, paid_total FROM "
                                                        "customers WHERE id::text = ANY(:c)",
                                       c=customers):
        want = sum((o.total for oid, o in orders.items()
                    if oid in paid and str(o.customer_id) == cid), Decimal(0))
        if paid_total != want:
            (doubled if paid_total > want else lost).append(
                f"customer: {cid} paid total {paid_total}, not {want}")

    # notify: staff prompts
    prompts = await _rows(dbs["notify"], "SELECT kind, data FROM staff_prompts WHERE kind IN "
                                         "('new_order', 'return_requested', "
                                         "'invoice_requested')")
    per = {k: Counter() for k in ("new_order", "return_requested", "invoice_requested")}
    for kind, data in prompts:
        key = {"new_order": "order_id", "return_requested": "return_id",
               "invoice_requested": "invoice_id"}[kind]
        per[kind][data.get(key)] += 1
    for kind, keys in (("new_order", ids), ("return_requested", [str(r.id) for r in returns]),
                       ("invoice_requested", [str(r.id) for r in invoices])):
        for key in keys:
            n = per[kind][key]
            if n == 0:
                lost.append(f"notify: no {kind} prompt for {key}")
            elif n > 1:
                doubled.append(f"notify: {n} {kind} prompts for {key}")

    # dead letters and outbox rows given up
    dead = 0
    conn = await aio_pika.connect(amqp_url)
    try:
        ch = await conn.channel()
        for queue in system.queue_names():
            if queue.endswith(".dlq"):
                q = await ch.declare_queue(queue, passive=True)
                dead += q.declaration_result.message_count
    finally:
        await conn.close()
    if await _has_table(dbs["gateway"], "dead_letters"):
        [(n,)] = await _rows(dbs["gateway"], "SELECT count(*) FROM dead_letters")
        dead += n
    if dead:
        lost.append(f"{dead} messages dead-lettered")
    for name, db in dbs.items():
        [(n,)] = await _rows(db, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND "
                                 "attempts > 0")
        if n:
            lost.append(f"{name}: {n} outbox rows refused by the broker")
    counts = {"orders": len(orders), "paid": len(paid), "returns": len(approved_returns),
              "invoices": len(invoices), "invoiced": sum(o.invoiced for o in orders.values()),
              "dead_letters": dead}
    return counts, lost, doubled


# ---------------------------------------------------------------------- the test
def _config(infra, broker, amqp_url: str, run_dir: Path) -> SystemConfig:
    tag = f"soak{infra.run_id}"
    return SystemConfig(
        pg_server=infra.pg_server, amqp_url=amqp_url, db_suffix=f"_{tag}",
        ports=dict(zip((c.name for c in COMPONENTS), free_ports(len(COMPONENTS)),
                       strict=True)),
        exchange=broker.exchange("dinghuo.soak"), queue_prefix=f"{tag}.",
        internal_secret=secrets.token_hex(32), session_secret=secrets.token_hex(32),
        admin_password="Admin-" + secrets.token_hex(6), run_dir=run_dir,
        environment="test", web_dist=None,
        gateway_env={"GATEWAY_AUTH_RATE_LIMIT": "100000"})


async def test_soak_chaos_kills_and_broker_cuts_lose_nothing_double_nothing_X2(
        infra, broker, tmp_path, capsys):
    target = urlparse(infra.amqp_url)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 5672)
    await proxy.start()
    cfg = _config(infra, broker, with_port(infra.amqp_url, proxy.port), tmp_path / "run")
    system = System(cfg)
    for name in system.queue_names():
        broker.queues.add(name)
    dbs = {c.name: Database(cfg.database_url(c.name)) for c in COMPONENTS}
    rng = random.Random(int(os.environ.get("SOAK_SEED", "0")) or None)
    stats = Stats()
    started = time.monotonic()
    phases: dict[str, float] = {}
    try:
        await system.setup(fresh=True)
        phases["setup"] = time.monotonic() - started
        system.start()
        await system.wait_ready(timeout=180)
        ready_after = time.monotonic() - started
        async with Api(cfg.gateway_url) as api:
            admin = api.as_user()
            await admin.login("admin", cfg.admin_password)
            driver = Driver(stats, time.monotonic() + 3600)
            made = [await _customer(driver, api, admin) for _ in range(CUSTOMERS)]
            customer_ids = [cid for _, _, cid in made]
            deadline = time.monotonic() + SOAK_SECONDS
            driver.deadline = deadline
            await asyncio.gather(
                *(customer_loop(driver, stats, c, admin, ink, i)
                  for i, (c, ink, _) in enumerate(made)),
                chaos_processes(system, stats, deadline, rng),
                chaos_broker(proxy, stats, deadline, rng))
            phases["load"] = time.monotonic() - started
            proxy.restore()
            for name, proc in list(system.procs.items()):
                if proc.poll() is not None:  # one the chaos left dead: start it again
                    system.start(only=[name])
            await system.wait_ready(timeout=180)
            phases["restarted"] = time.monotonic() - started
            for c, _, _ in made:
                await c.client.aclose()
            await admin.client.aclose()

        settle_until = time.monotonic() + SETTLE_SECONDS
        while True:
            moving = await quiescent(system, dbs, infra.amqp_url)
            if moving is None or time.monotonic() > settle_until:
                counts, lost, doubled = await reconcile(dbs, customer_ids, infra.amqp_url,
                                                        system)
                if moving is not None:
                    lost.append(f"still moving after {SETTLE_SECONDS}s: {moving}")
                if moving is not None or (not lost and not doubled) \
                        or time.monotonic() > settle_until:
                    break
            await asyncio.sleep(1)
        phases["settled"] = time.monotonic() - started
        stored = {str(r[0]) for r in await _rows(
            dbs["order"], "SELECT id FROM orders WHERE customer_id::text = ANY(:c)",
            c=customer_ids)}
        lost += [f"order {oid} answered 201 but not stored" for oid in stats.accepted
                 if oid not in stored]
    finally:
        for name in list(system.procs):  # SIGKILL: the last chaos of all, and quick
            system.kill(name)
        system.procs.clear()
        phases["stopped"] = time.monotonic() - started
        await proxy.close()
        for db in dbs.values():
            await db.dispose()
        from servicekit.migrations import drop_database

        for comp in COMPONENTS:
            await drop_database(cfg.database_url(comp.name))
    with capsys.disabled():  # the counts show in `make test` too, not only on failure
        _report(stats, counts, lost, doubled, phases, ready_after, started)
    assert counts["orders"] > 0 and stats.kills, "the soak did nothing"
    assert not lost and not doubled, "\n".join(lost + doubled)


def _report(stats: Stats, counts: dict, lost: list[str], doubled: list[str],
            phases: dict[str, float], ready_after: float, started: float) -> None:
    print(f"\nsoak: {SOAK_SECONDS:.0f}s of load (system ready after {ready_after:.0f}s, "
          f"{time.monotonic() - started:.0f}s in all); "
          f"orders={counts['orders']} accepted={len(stats.accepted)} paid={counts['paid']} "
          f"returns={counts['returns']} invoices={counts['invoices']} "
          f"invoiced={counts['invoiced']} steps={dict(stats.steps)} "
          f"retries={stats.retries} gave_up={dict(stats.gave_up)} "
          f"kills={sum(stats.kills.values())} {dict(stats.kills)} "
          f"broker_cuts={stats.broker_cuts} "
          f"phases={ {k: round(v) for k, v in phases.items()} }")
    print(f"soak: lost={len(lost)} doubled={len(doubled)}")
    for line in lost + doubled:
        print(f"  {line}")
