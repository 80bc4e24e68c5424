"""The whole system started as processes on free ports, with this run's own databases,
exchange and queues, driven through the gateway."""

from __future__ import annotations

import secrets
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

from system import COMPONENTS, System, SystemConfig, free_ports  # noqa: E402

from .api import Api  # noqa: E402

OUTPUT = ROOT / "test-output"


@pytest.fixture(scope="session")
async def system(infra, broker) -> AsyncIterator[System]:
    run_dir = OUTPUT / f"e2e-{infra.run_id}"
    cfg = SystemConfig(
        pg_server=infra.pg_server, amqp_url=infra.amqp_url, db_suffix=f"_e2e_t{infra.run_id}",
        ports=dict(zip((c.name for c in COMPONENTS), free_ports(len(COMPONENTS)),
                       strict=True)),
        exchange=infra.exchange, queue_prefix=infra.queue_prefix,
        internal_secret=secrets.token_hex(32), session_secret=secrets.token_hex(32),
        admin_password="Admin-" + secrets.token_hex(6), run_dir=run_dir,
        environment="test", otel_exporter="console",
        # All test clients share one address; the limit itself is proven in gateway/tests.
        gateway_env={"GATEWAY_AUTH_RATE_LIMIT": "100000"},
    )
    system = System(cfg)
    for name in system.queue_names():
        broker.queues.add(name)
    await system.setup(fresh=True)
    system.start()
    try:
        await system.wait_ready(timeout=120)
        yield system
    finally:
        system.stop()
        from servicekit.migrations import drop_database

        for comp in COMPONENTS:
            await drop_database(cfg.database_url(comp.name))


@pytest.fixture
async def api(system) -> AsyncIterator[Api]:
    async with Api(system.config.gateway_url) as a:
        yield a


@pytest.fixture
async def admin(system, api) -> Api:
    await api.login("admin", system.config.admin_password)
    return api


def pytest_collection_modifyitems(session, config, items):
    """Fuzzing runs last, after the browser tests too: it creates and changes a great deal
    of data and may demote or lock the users it finds."""
    items.sort(key=lambda item: item.get_closest_marker("fuzz") is not None)
