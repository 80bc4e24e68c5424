"""The restore drill (X-2, issue 14): a system of its own (own databases, exchange, queues
and ports) serves a customer with a paid order; its order worker is stopped so that a
second order's `order.submitted` stays in the outbox, unsent; `tools/backup.py` backs
everything up; a third order is written after the backup; the system is stopped and
every database dropped; the backup is restored into empty databases and the system
started again. The restored system serves the first two orders with the payment and the
points they earned, not the third; the second order's event, unsent at backup time, is
delivered after the restore and applied once (one `earned` movement). A damaged backup is
refused before anything is touched."""

from __future__ import annotations

import json
import secrets
import sys
from datetime import date
from pathlib import Path

import pytest

from .api import Api, eventually, order_body
from .test_slice import PRODUCTS, place

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

from backup import BackupError, backup, restore, verify  # noqa: E402
from system import COMPONENTS, System, SystemConfig, free_ports  # noqa: E402

pytestmark = pytest.mark.e2e


def _config(infra, broker, run_dir: Path) -> SystemConfig:
    tag = f"bk{infra.run_id}"
    return SystemConfig(
        pg_server=infra.pg_server, amqp_url=infra.amqp_url, db_suffix=f"_{tag}",
        ports=dict(zip((c.name for c in COMPONENTS), free_ports(len(COMPONENTS)),
                       strict=True)),
        exchange=broker.exchange("dinghuo.restore"), queue_prefix=f"{tag}.",
        internal_secret=secrets.token_hex(32), session_secret=secrets.token_hex(32),
        admin_password="Admin-" + secrets.token_hex(6), run_dir=run_dir,
        environment="test", gateway_env={"GATEWAY_AUTH_RATE_LIMIT": "100000"})


async def _earned(customer: Api) -> dict[str, int]:
    moves = (await customer.get("/api/portal/points/movements")).json()
    out: dict[str, int] = {}
    for m in moves:
        if m["kind"] == "earned":
            out[m["order_number"]] = out.get(m["order_number"], 0) + 1
    return out


async def test_backup_wipe_restore_keeps_everything_and_delivers_unsent_events_once_X2(
        infra, broker, tmp_path):
    cfg = _config(infra, broker, tmp_path / "run")
    system = System(cfg)
    for name in system.queue_names():
        broker.queues.add(name)
    await system.setup(fresh=True)
    system.start()
    try:
        await system.wait_ready(timeout=120)
        async with Api(cfg.gateway_url) as api:
            admin = api.as_user()
            await admin.login("admin", cfg.admin_password)
            cid, user, password = await api.register()
            r = await admin.post(f"/api/console/customers/{cid}/approve",
                                 json={"products": PRODUCTS})
            assert r.status_code == 200, r.text
            customer = api.as_user()
            await customer.login(user, password)
            ink = (await customer.get("/api/portal/catalog")).json()[0]["product_id"]
            paid = await place(customer, order_body([(ink, 4)]))
            await admin.post("/api/console/orders/review",
                             json={"order_ids": [paid["id"]], "decision": "approve"})
            r = await admin.post(f"/api/console/orders/{paid['id']}/payments", json={
                "amount": paid["total"], "paid_on": date.today().isoformat(),
                "method": "bank_transfer", "reference": "restore drill"})
            assert r.status_code == 201, r.text
            await eventually(lambda: _seen(customer, {paid["number"]: 1}))

            system.kill("order-worker")  # its outbox rows wait, unsent
            unsent = await place(customer, order_body([(ink, 2)]))
            dest = backup(cfg, tmp_path / "backup")
            after = await place(customer, order_body([(ink, 1)]))
            credentials = (user, password)
        manifest = verify(dest)
        assert set(manifest["databases"]) == {c.name for c in COMPONENTS}
        assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())
        if manifest["broker"] is not None:  # a local broker exported its definitions
            definitions = json.loads((dest / manifest["broker"]).read_text())
            assert cfg.exchange in {e["name"] for e in definitions["exchanges"]}
    finally:
        system.stop()

    from servicekit.migrations import drop_database

    for comp in COMPONENTS:
        await drop_database(cfg.database_url(comp.name))

    # a damaged backup is refused before anything is written
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    for f in dest.iterdir():
        (damaged / f.name).write_bytes(f.read_bytes())
    (damaged / "order.dump").write_bytes(b"not a dump")
    with pytest.raises(BackupError, match="checksum"):
        restore(cfg, damaged)

    restore(cfg, dest, broker=False)
    with pytest.raises(BackupError, match="not empty"):
        restore(cfg, dest, broker=False)  # a restore never writes over live data

    system = System(cfg)
    await system.declare_topology()
    system.start()
    try:
        await system.wait_ready(timeout=120)
        async with Api(cfg.gateway_url) as api:
            customer = api.as_user()
            await customer.login(*credentials)
            numbers = {o["number"] for o in (await customer.get("/api/portal/orders")).json()}
            assert numbers == {paid["number"], unsent["number"]}, \
                "the orders before the backup are back; the one after it is not"
            assert after["number"] not in numbers
            detail = (await customer.get(f"/api/portal/orders/{paid['id']}")).json()
            assert detail["paid_total"] == paid["total"]
            # the event unsent at backup time is published after the restore, applied once
            await eventually(lambda: _seen(customer, {paid["number"]: 1,
                                                      unsent["number"]: 1}))
            assert await _earned(customer) == {paid["number"]: 1, unsent["number"]: 1}
    finally:
        system.stop()
        for comp in COMPONENTS:
            await drop_database(cfg.database_url(comp.name))


async def _seen(customer: Api, expected: dict[str, int]) -> dict | None:
    earned = await _earned(customer)
    return earned if earned == expected else None

