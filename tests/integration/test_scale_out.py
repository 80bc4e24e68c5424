"""Issue 16 (4): the order service scaled out — two replicas of its API and two of its
worker (an outbox relay and a consumer each) side by side on one database and one queue,
as docs/scaling.md proposes — publishes every event once and handles every event once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from dinghuo_contracts import OrderSubmitted
from order_service.app import create_app as create_order_app
from order_service.config import Settings as OrderSettings
from order_service.messaging import registry as order_registry
from servicekit.db import Database
from servicekit.messaging import OutboxRelay
from servicekit.testing import helpers as h

from .conftest import eventually
from .probe import counting_registry, effect_refs
from .test_faults import (
    PRODUCTS,
    SERVICES,
    _approve_in_order_db,
    _customer_approved,
    _order_body,
    _rows,
    consuming,
    topology,
)
from .test_mechanism import publish, unsent

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def scale_order_db(databases) -> AsyncIterator[Database]:
    db = Database(await databases.get("scale_order", SERVICES / "order" / "alembic.ini"))
    yield db
    await db.dispose()


class TestTwoReplicas:
    async def test_two_order_apis_and_two_order_workers_publish_and_handle_once_issue16(
            self, infra, broker, scale_order_db, probe_db):
        """Orders are placed through two API replicas at once; two relays publish the
        outbox (`FOR UPDATE SKIP LOCKED`, small batches so that both take rows) and two
        consumers share the order queue, which gets every customer approval twice. Every
        order has its own number; every order.submitted reaches a subscriber exactly
        once (it sees no duplicate); the relays together published each outbox row once;
        every approval was applied once and its copy skipped (one inbox row each)."""
        db = scale_order_db
        probe = probe_db
        topo = topology(infra, broker, "so", "order", "so")
        customers = [(uuid.uuid4(), uuid.uuid4()) for _ in range(4)]
        for cid, pid in customers:
            await _approve_in_order_db(db, cid, pid)
        apps = [create_order_app(OrderSettings(database_url=db.url, environment="test"))
                for _ in range(2)]
        worker_dbs = [Database(db.url) for _ in range(2)]
        relays = [OutboxRelay(w.sessionmaker, db.url, infra.amqp_url, topo.exchange,
                              poll_seconds=0.2, batch_size=3) for w in worker_dbs]
        approvals = [_customer_approved(uuid.uuid4(), PRODUCTS).envelope("customer")
                     for _ in range(6)]
        placed: list[dict] = []

        async def place(app, cid, pid) -> None:
            async with h.client(app, h.customer(cid)) as c:
                for _ in range(5):
                    r = await c.post("/api/portal/orders", json=_order_body(pid))
                    assert r.status_code == 201, r.text
                    placed.append(r.json())

        async with (consuming("order", worker_dbs[0], infra.amqp_url, topo, order_registry,
                              prefetch=2) as one,
                    consuming("order", worker_dbs[1], infra.amqp_url, topo, order_registry,
                              prefetch=2) as two,
                    consuming("so", probe, infra.amqp_url, topo,
                              counting_registry(OrderSubmitted)) as subscriber):
            tasks = [asyncio.create_task(r.run()) for r in relays]
            try:
                await asyncio.gather(
                    *(place(app, cid, pid) for app in apps for cid, pid in customers),
                    *(publish(infra.amqp_url, topo.exchange, env, times=2)
                      for env in approvals))
                ids = sorted(o["id"] for o in placed)
                await eventually(lambda: _all_seen(probe, ids), timeout=60)
                await eventually(lambda: _none_unsent(db), timeout=30)
                await eventually(lambda: _handled(one, two, len(approvals)), timeout=60)
                await asyncio.sleep(0.5)  # a second copy would arrive within this
            finally:
                for r in relays:
                    r.stop()
                await asyncio.gather(*tasks)
                for w in worker_dbs:
                    await w.dispose()
        assert len(placed) == 40
        assert len({o["number"] for o in placed}) == 40, "one number per order"
        assert subscriber.processed == 40 and subscriber.duplicates == 0, \
            "each order.submitted published once"
        assert sorted(await effect_refs(probe)) == ids
        rows = await _rows(db, "SELECT count(*) FROM outbox")
        assert sum(r.published for r in relays) == rows[0][0], \
            "the relays together published each outbox row once"
        assert one.processed + two.processed == len(approvals)
        assert one.duplicates + two.duplicates == len(approvals)
        inbox = await _rows(db, "SELECT count(*) FROM inbox WHERE event_id::text = ANY(:ids)",
                            ids=[str(e.id) for e in approvals])
        assert inbox[0][0] == len(approvals), "one inbox row per approval"
        known = await _rows(db, "SELECT count(*) FROM customer_view WHERE "
                                "customer_id::text = ANY(:ids) AND status = 'approved'",
                            ids=[str(e.data["customer_id"]) for e in approvals])
        assert known[0][0] == len(approvals)


async def _all_seen(probe: Database, ids: list[str]):
    return sorted(await effect_refs(probe)) == ids or None


async def _none_unsent(db: Database):
    return await unsent(db) == 0 or None


async def _handled(one, two, n: int):
    return (one.processed + two.processed >= n
            and one.duplicates + two.duplicates >= n) or None
