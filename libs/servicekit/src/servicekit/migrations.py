"""Alembic helpers: the body of every service's `migrations/env.py`, database creation,
and the messaging tables in a migration."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from .db import asyncpg_dsn


def run_env(metadata: MetaData, default_url: str) -> None:
    """Run migrations online with the async engine (called from env.py)."""
    from alembic import context

    config = context.config
    url = config.get_main_option("sqlalchemy.url") or default_url
    if url.startswith("driver://"):
        url = default_url

    def do_run(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=metadata,
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
        await engine.dispose()

    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
    else:
        asyncio.run(run_async())


def alembic_config(alembic_ini: str | Path, url: str):
    from alembic.config import Config

    cfg = Config(str(alembic_ini))
    cfg.set_main_option("script_location", str(Path(alembic_ini).parent / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def upgrade(alembic_ini: str | Path, url: str, revision: str = "head") -> None:
    """Run the service's real migrations (blocking; call from a thread inside a loop)."""
    from alembic import command

    command.upgrade(alembic_config(alembic_ini, url), revision)


def _split(url: str) -> tuple[str, str]:
    base, _, name = asyncpg_dsn(url).rpartition("/")
    return base, name.split("?")[0]


async def create_database(url: str, *, drop_first: bool = False) -> bool:
    """Create the database named in `url` if missing; True when it was created."""
    base, name = _split(url)
    conn = await asyncpg.connect(f"{base}/postgres", timeout=10)
    try:
        if drop_first:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname=$1", name)
        if exists:
            return False
        await conn.execute(f'CREATE DATABASE "{name}"')
        return True
    finally:
        await conn.close()


async def drop_database(url: str) -> None:
    base, name = _split(url)
    conn = await asyncpg.connect(f"{base}/postgres", timeout=10)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()

