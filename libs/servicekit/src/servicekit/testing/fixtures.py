"""The three session fixtures every service's tests use, made once:
`<name>_db_url` (its database from its real migrations), `<name>_app` (its FastAPI app on
that database) and `<name>_db` (a Database for direct checks)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from fastapi import FastAPI

from ..db import Database
from ..settings import ServiceSettings


def service_fixtures(
    name: str, alembic_ini: str | Path,
    create_app: Callable[[ServiceSettings], FastAPI], settings_cls: type[ServiceSettings],
):
    @pytest.fixture(scope="session", name=f"{name}_db_url")
    async def db_url(databases) -> str:
        return await databases.get(name, alembic_ini)

    @pytest.fixture(scope="session", name=f"{name}_app")
    async def app(databases) -> AsyncIterator[FastAPI]:
        application = create_app(settings_cls(database_url=await databases.get(
            name, alembic_ini), environment="test"))
        yield application
        await application.state.db.dispose()

    @pytest.fixture(scope="session", name=f"{name}_db")
    async def db(databases) -> AsyncIterator[Database]:
        database = Database(await databases.get(name, alembic_ini))
        yield database
        await database.dispose()

    return db_url, app, db
