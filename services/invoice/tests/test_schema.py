"""The migrations build exactly the schema the models describe (no drift)."""

from invoice_service import models  # noqa: F401  (registers the tables)
from invoice_service.db import metadata
from servicekit.testing.schema import schema_drift


async def test_migrations_match_the_models(invoice_db):
    assert await schema_drift(invoice_db, metadata) == []
