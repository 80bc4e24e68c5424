"""The database a service's migrations build must be the one its models describe: a
hand-written migration that misses a column, an index or a constraint fails this check
(alembic's autogenerate comparison) instead of failing at run time."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData

from ..db import Database


async def schema_drift(db: Database, metadata: MetaData) -> list:
    """The differences between the migrated database and `metadata` (empty when none)."""
    async with db.engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), metadata))
