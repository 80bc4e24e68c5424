"""Pooled connections are pinged only after they sat idle (issue 16): a connection the
database dropped while it was idle is replaced without the caller noticing, while one
handed back a moment ago goes straight to work (the three round trips of a ping spared
on every request and every event under load)."""

import asyncio

import pytest
from servicekit.db import Database, ping_when_idle
from sqlalchemy import text
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection
from sqlalchemy.ext.asyncio import create_async_engine


@pytest.fixture
async def engine(kit_db: Database):
    eng = create_async_engine(kit_db.url, pool_size=1, max_overflow=0)
    ping_when_idle(eng, idle_seconds=0.3)
    yield eng
    await eng.dispose()


@pytest.fixture
def pings(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = AsyncAdapt_asyncpg_connection.ping

    def counting(self):
        calls.append(1)
        return real(self)

    monkeypatch.setattr(AsyncAdapt_asyncpg_connection, "ping", counting)
    return calls


async def backend_pid(eng) -> int:
    async with eng.connect() as conn:
        return (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()


async def test_busy_connection_is_not_pinged_issue16(engine, pings):
    first = await backend_pid(engine)
    for _ in range(5):
        assert await backend_pid(engine) == first
    assert pings == []


async def test_idle_connection_dropped_by_the_database_is_replaced_issue16(
        engine, kit_db, pings):
    first = await backend_pid(engine)
    async with kit_db.engine.connect() as other:
        await other.execute(text("SELECT pg_terminate_backend(:p)"), {"p": first})
    await asyncio.sleep(0.5)  # idle for longer than the engine's 0.3 s
    second = await backend_pid(engine)  # no error: the dead one was pinged and replaced
    assert second != first
    assert len(pings) == 1
