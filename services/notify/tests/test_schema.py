"""The migrations build exactly the schema the models describe (no drift)."""

from notify_service import models  # noqa: F401  (registers the tables)
from notify_service.db import metadata
from servicekit.testing.schema import schema_drift


async def test_migrations_match_the_models(notify_db):
    assert await schema_drift(notify_db, metadata) == []
