"""The reminders' periodic jobs, payment due (O-6, N-2) and ordering cycle (C-6, N-2),
run by the order service's worker (`worker.py`) and by the operator's "run now"
(`POST /api/console/reminders/run`)."""

from __future__ import annotations

from datetime import datetime, time

from servicekit.scheduler import Job
from sqlalchemy.ext.asyncio import AsyncSession

from ..config import Settings
from . import domain
from .service import CycleReminderService, ReminderService

# Daily, in Asia/Shanghai: customers get their reminders in the morning.
PAYMENT_DUE_AT = time(9, 0)
ORDERING_CYCLE_AT = time(9, 0)


def jobs(settings: Settings) -> list[Job]:
    """Every periodic job of the reminders, configured by the service's settings."""

    async def payment_due_reminders(session: AsyncSession, now: datetime) -> int:
        return await ReminderService(
            session, days_before=settings.reminder_days_before,
            every=settings.reminder_overdue_every_days).payment_due(now)

    async def ordering_cycle_reminders(session: AsyncSession, now: datetime) -> int:
        return await CycleReminderService(session).ordering_cycle_due(now)

    return [Job(name=domain.JOB, run=payment_due_reminders, at=PAYMENT_DUE_AT),
            Job(name=domain.CYCLE_JOB, run=ordering_cycle_reminders, at=ORDERING_CYCLE_AT)]
