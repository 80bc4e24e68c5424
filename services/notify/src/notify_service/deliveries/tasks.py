"""The deliveries' periodic job, run by the notify worker (`worker.py`): failed attempts
whose backoff has passed are requested of the notifier again (N-2)."""

from __future__ import annotations

from datetime import datetime, timedelta

from servicekit.scheduler import Job
from sqlalchemy.ext.asyncio import AsyncSession

from ..config import Settings
from .service import DeliveryService

RETRY_JOB = "delivery_retries"


def jobs(settings: Settings) -> list[Job]:
    async def delivery_retries(session: AsyncSession, now: datetime) -> int:
        return await DeliveryService(session).resend_due(now)

    return [Job(name=RETRY_JOB, run=delivery_retries,
                every=timedelta(seconds=settings.delivery_retry_job_seconds))]
