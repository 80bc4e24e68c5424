"""Integration: the ledger migration turns existing order entries into movements (P-1):
pending → earned; effective → earned + made effective; cancelled → earned + reversed; all
under rule version 1, which the migration records as always in force."""

import asyncio
import uuid

from servicekit.migrations import create_database, drop_database, upgrade
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from .conftest import ALEMBIC_INI

BEFORE = "fb6e823722b7"


async def test_existing_entries_become_movements(databases, points_db_url):
    url = points_db_url.rsplit("/", 1)[0] + f"/points_mig_{uuid.uuid4().hex[:8]}"
    await create_database(url, drop_first=True)
    try:
        await asyncio.to_thread(upgrade, ALEMBIC_INI, url, BEFORE)
        engine = create_async_engine(url)
        cid = uuid.uuid4()
        async with engine.begin() as c:
            for points, status in ((40, "pending"), (10, "effective"), (7, "cancelled"),
                                   (0, "cancelled")):
                await c.execute(text(
                    "INSERT INTO points_entries (id, customer_id, order_id, order_number, "
                    "order_total, points, status, rule_version) VALUES (:id, :cid, :oid, "
                    ":n, 100, :p, :s, 1)"), {"id": uuid.uuid4(), "cid": cid,
                                            "oid": uuid.uuid4(), "n": f"DH-{points}",
                                            "p": points, "s": status})
        await engine.dispose()
        await asyncio.to_thread(upgrade, ALEMBIC_INI, url)
        engine = create_async_engine(url)
        async with engine.connect() as c:
            rows = (await c.execute(text(
                "SELECT order_number, kind, points, pending_delta, effective_delta, "
                "rule_version FROM points_movements ORDER BY order_number, kind"))).all()
            sums = (await c.execute(text(
                "SELECT sum(pending_delta), sum(effective_delta) FROM points_movements "
                "WHERE customer_id = :cid"), {"cid": cid})).one()
            rule = (await c.execute(text(
                "SELECT yuan_per_point, redeem_threshold FROM rule_versions "
                "WHERE version = 1"))).one()
        await engine.dispose()
        assert [tuple(r) for r in rows] == [
            ("DH-10", "earned", 10, 10, 0, 1), ("DH-10", "effective", 10, -10, 10, 1),
            ("DH-40", "earned", 40, 40, 0, 1),
            ("DH-7", "earned", 7, 7, 0, 1), ("DH-7", "reversed", -7, -7, 0, 1)]
        assert tuple(sums) == (40, 10)
        assert (int(rule[0]), rule[1]) == (20, 100)
    finally:
        await drop_database(url)
