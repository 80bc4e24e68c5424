"""A probe consumer's database: the servicekit inbox/outbox tables plus `effects`, one row
per applied event, with no uniqueness of its own, so a duplicate effect would show."""

from __future__ import annotations

import uuid

from dinghuo_contracts import EventEnvelope
from servicekit.db import make_metadata
from servicekit.messaging import HandlerRegistry, define_messaging_tables
from sqlalchemy import Column, DateTime, Integer, String, Table, func, insert, select
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession

metadata = make_metadata()
define_messaging_tables(metadata)
effects = Table(
    "effects", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("event_type", String(100), nullable=False),
    Column("ref", String(100)),
    Column("at", DateTime(timezone=True), server_default=func.now()),
)


async def record_effect(session: AsyncSession, env: EventEnvelope, ref: str | None) -> None:
    await session.execute(insert(effects).values(event_id=env.id, event_type=env.type, ref=ref))


def counting_registry(*event_classes) -> HandlerRegistry:
    registry = HandlerRegistry()
    for cls in event_classes:
        async def handler(session, event, env, _cls=cls):
            await record_effect(session, env, str(getattr(event, "order_id", None) or env.id))
        registry.on(cls)(handler)
    return registry


async def effect_refs(db) -> list[str]:
    async with db.sessionmaker() as s:
        return [r[0] for r in (await s.execute(select(effects.c.ref).order_by(effects.c.id)))]


async def count_effects(db, event_id: uuid.UUID | None = None) -> int:
    stmt = select(func.count()).select_from(effects)
    if event_id is not None:
        stmt = stmt.where(effects.c.event_id == event_id)
    async with db.sessionmaker() as s:
        return (await s.execute(stmt)).scalar_one()
