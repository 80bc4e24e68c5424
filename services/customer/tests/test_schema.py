"""The migrations build exactly the schema the models describe (no drift)."""

from customer_service import models  # noqa: F401  (registers the tables)
from customer_service.db import metadata
from servicekit.testing.schema import schema_drift


async def test_migrations_match_the_models(customer_db):
    assert await schema_drift(customer_db, metadata) == []
