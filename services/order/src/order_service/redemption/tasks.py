"""The redemption's periodic job, run by the order service's worker (`worker.py`): an
order that waited too long for the points service's answer is payable in full (P-2)."""

from __future__ import annotations

from datetime import datetime, timedelta

from servicekit.scheduler import Job
from sqlalchemy.ext.asyncio import AsyncSession

from ..config import Settings
from .service import RedemptionService

REPLY_TIMEOUT_JOB = "points_reply_timeouts"


def jobs(settings: Settings) -> list[Job]:
    timeout = timedelta(seconds=settings.points_reply_timeout_seconds)

    async def points_reply_timeouts(session: AsyncSession, now: datetime) -> int:
        return await RedemptionService(session).expire(now, timeout)

    return [Job(name=REPLY_TIMEOUT_JOB, run=points_reply_timeouts,
                every=timedelta(seconds=settings.points_reply_job_seconds))]
