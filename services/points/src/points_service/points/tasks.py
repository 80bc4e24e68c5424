"""The points service's periodic job, run by its worker (`worker.py`): reservations an
order never confirmed are released after the timeout (P-2; a lost reply never keeps
points reserved for ever)."""

from __future__ import annotations

from datetime import datetime, timedelta

from servicekit.scheduler import Job
from sqlalchemy.ext.asyncio import AsyncSession

from ..config import Settings
from .redemptions import RedemptionService

EXPIRY_JOB = "points_reservation_timeouts"


def jobs(settings: Settings) -> list[Job]:
    async def reservation_timeouts(session: AsyncSession, now: datetime) -> int:
        return await RedemptionService(
            session, timeout_seconds=settings.reservation_timeout_seconds).expire(now)

    return [Job(name=EXPIRY_JOB, run=reservation_timeouts,
                every=timedelta(seconds=settings.reservation_job_seconds))]
