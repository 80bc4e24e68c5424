"""The analysis's periodic job, run by the order service's worker (`worker.py`): the daily
count of customers past their ordering cycle per area (A-3 over time, X-4)."""

from __future__ import annotations

from datetime import datetime, timedelta

from servicekit.scheduler import Job
from sqlalchemy.ext.asyncio import AsyncSession

from ..config import Settings
from .anomalies_domain import SNAPSHOT_JOB
from .anomalies_service import AnomalyService

# Hourly: today's count follows the day's orders and follow-ups; a missed day (the
# worker was down) is filled in from the order history at the next run.
SNAPSHOT_EVERY = timedelta(hours=1)


async def anomaly_snapshots(session: AsyncSession, now: datetime) -> int:
    """Upsert today's count per area and fill in the missing days of the last 90."""
    return await AnomalyService(session).snapshot(now)


def jobs(settings: Settings) -> list[Job]:
    return [Job(name=SNAPSHOT_JOB, run=anomaly_snapshots, every=SNAPSHOT_EVERY)]
