from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from customer_service.app import create_app
from customer_service.config import Settings
from fastapi import FastAPI
from servicekit.db import Database

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"


@pytest.fixture(scope="session")
async def customer_db_url(databases) -> str:
    return await databases.get("customer", ALEMBIC_INI)


@pytest.fixture(scope="session")
async def customer_app(customer_db_url: str) -> AsyncIterator[FastAPI]:
    app = create_app(Settings(database_url=customer_db_url, environment="test"))
    yield app
    await app.state.db.dispose()


@pytest.fixture(scope="session")
async def customer_db(customer_db_url: str) -> AsyncIterator[Database]:
    db = Database(customer_db_url)
    yield db
    await db.dispose()
