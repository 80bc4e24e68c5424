from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from servicekit.db import Database
from servicekit.migrations import create_database, drop_database
from servicekit.testing.helpers import eventually  # noqa: F401  (re-exported)

from .probe import metadata as probe_metadata

ROOT = Path(__file__).resolve().parents[2]
ORDER_INI = ROOT / "services" / "order" / "alembic.ini"


@pytest.fixture
async def probe_db(infra, request) -> AsyncIterator[Database]:
    """A fresh probe database per test."""
    name = request.node.name.lower().replace("[", "_").replace("]", "")[:30]
    url = f"{infra.pg_server}/dinghuo_probe_{name}_t{infra.run_id}"
    await create_database(url, drop_first=True)
    db = Database(url)
    async with db.engine.begin() as conn:
        await conn.run_sync(probe_metadata.create_all)
    yield db
    await db.dispose()
    await drop_database(url)


@pytest.fixture(scope="session")
async def mech_order_db(databases) -> AsyncIterator[Database]:
    """The order service's real database (its migrations), for these tests only."""
    url = await databases.get("mech_order", ORDER_INI)
    db = Database(url)
    yield db
    await db.dispose()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "broker_restart: restarts the local RabbitMQ (rabbitmqctl stop_app/"
        "start_app) for a few seconds; the broker is shared, so deselect it with "
        '-m "not broker_restart" when others use it (make test runs it)')
