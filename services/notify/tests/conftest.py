from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from notify_service.app import create_app
from notify_service.config import Settings
from servicekit.db import Database

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"


@pytest.fixture(scope="session")
async def notify_db_url(databases) -> str:
    return await databases.get("notify", ALEMBIC_INI)


@pytest.fixture(scope="session")
async def notify_app(notify_db_url: str) -> AsyncIterator[FastAPI]:
    app = create_app(Settings(database_url=notify_db_url, environment="test"))
    yield app
    await app.state.db.dispose()


@pytest.fixture(scope="session")
async def notify_db(notify_db_url: str) -> AsyncIterator[Database]:
    db = Database(notify_db_url)
    yield db
    await db.dispose()
