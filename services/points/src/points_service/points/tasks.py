"""The points service's periodic jobs, run by its worker (`worker.py`): reservations an
order never confirmed are released after the timeout (P-2; a lost reply never keeps
points reserved for ever); balances never announced are announced, so the order
service's read model knows every account (a backfill, idempotent)."""

from __future__ import annotations

from datetime import datetime, timedelta

from servicekit.scheduler import Job
from sqlalchemy.ext.asyncio import AsyncSession

from ..config import Settings
from .ledger import Ledger
from .redemptions import RedemptionService

EXPIRY_JOB = "points_reservation_timeouts"
BACKFILL_JOB = "points_balance_backfill"


def jobs(settings: Settings) -> list[Job]:
    async def reservation_timeouts(session: AsyncSession, now: datetime) -> int:
        return await RedemptionService(
            session, timeout_seconds=settings.reservation_timeout_seconds).expire(now)

    async def balance_backfill(session: AsyncSession, _now: datetime) -> int:
        return await Ledger(session).announce_unannounced()

    return [Job(name=EXPIRY_JOB, run=reservation_timeouts,
                every=timedelta(seconds=settings.reservation_job_seconds)),
            Job(name=BACKFILL_JOB, run=balance_backfill,
                every=timedelta(seconds=settings.balance_backfill_seconds))]
