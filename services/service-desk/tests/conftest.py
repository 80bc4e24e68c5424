from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from servicedesk_service.app import create_app
from servicedesk_service.config import Settings
from servicekit.db import Database

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"


@pytest.fixture(scope="session")
async def servicedesk_db_url(databases) -> str:
    return await databases.get("servicedesk", ALEMBIC_INI)


@pytest.fixture(scope="session")
async def servicedesk_app(servicedesk_db_url: str) -> AsyncIterator[FastAPI]:
    app = create_app(Settings(database_url=servicedesk_db_url, environment="test"))
    yield app
    await app.state.db.dispose()


@pytest.fixture(scope="session")
async def servicedesk_db(servicedesk_db_url: str) -> AsyncIterator[Database]:
    db = Database(servicedesk_db_url)
    yield db
    await db.dispose()
