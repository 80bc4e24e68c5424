"""The points service's answers in the redemption saga (P-2) and its balance
announcements, each translated into one service call. Duplicates are skipped by the
inbox; late answers find the order moved on and change nothing."""

from __future__ import annotations

from dinghuo_contracts import (
    EventEnvelope,
    PointsBalanceChanged,
    PointsRedeemed,
    PointsRefused,
    PointsReleased,
    PointsReserved,
)
from servicekit.messaging import HandlerRegistry
from sqlalchemy.ext.asyncio import AsyncSession

from .service import RedemptionService

registry = HandlerRegistry()


@registry.on(PointsReserved)
async def on_reserved(session: AsyncSession, event: PointsReserved,
                      _env: EventEnvelope) -> None:
    await RedemptionService(session).reserved(event)


@registry.on(PointsRefused)
async def on_refused(session: AsyncSession, event: PointsRefused,
                     _env: EventEnvelope) -> None:
    await RedemptionService(session).refused(event)


@registry.on(PointsReleased)
async def on_released(session: AsyncSession, event: PointsReleased,
                      _env: EventEnvelope) -> None:
    await RedemptionService(session).released(event)


@registry.on(PointsRedeemed)
async def on_redeemed(session: AsyncSession, event: PointsRedeemed,
                      _env: EventEnvelope) -> None:
    await RedemptionService(session).redeemed(event)


@registry.on(PointsBalanceChanged)
async def on_balance_changed(session: AsyncSession, event: PointsBalanceChanged,
                             _env: EventEnvelope) -> None:
    await RedemptionService(session).balance_changed(event)
