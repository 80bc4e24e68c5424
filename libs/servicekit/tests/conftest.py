from collections.abc import AsyncIterator

import pytest
from servicekit.db import Database, make_metadata
from servicekit.messaging import define_messaging_tables
from servicekit.migrations import create_database, drop_database
from sqlalchemy import Column, Integer, String, Table, UniqueConstraint

metadata = make_metadata()
define_messaging_tables(metadata)
# Deferred: a duplicate is refused at COMMIT, which is what the session tests need.
notes = Table("notes", metadata, Column("id", Integer, primary_key=True),
              Column("text", String(50), nullable=False),
              UniqueConstraint("text", deferrable=True, initially="DEFERRED"))


@pytest.fixture(scope="session")
async def kit_db(infra) -> AsyncIterator[Database]:
    url = f"{infra.pg_server}/dinghuo_kit_t{infra.run_id}"
    await create_database(url, drop_first=True)
    db = Database(url)
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield db
    await db.dispose()
    await drop_database(url)
