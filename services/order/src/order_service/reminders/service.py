"""Reminder use cases: find the day's reminders, claim each one and write its outbox row
in the same transaction — `order.payment_due` (O-6, N-2) and
`customer.ordering_cycle_due` (C-6, N-2). The scheduler (or the operator's run) commits;
nothing here commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from dinghuo_contracts import CustomerOrderingCycleDue, OrderPaymentDue
from servicekit.auth import Principal
from servicekit.errors import ServiceUnavailable
from servicekit.messaging import add_event
from servicekit.money import quantize
from servicekit.scheduler import Job, JobFailed, Scheduler, claim
from servicekit.timeutil import business_date
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..orders.transitions import SOURCE
from . import domain
from .repository import ReminderRepository


class ReminderService:
    def __init__(self, session: AsyncSession, *, days_before: int, every: int) -> None:
        self.session = session
        self.days_before = days_before
        self.every = every
        self.reminders = ReminderRepository(session)

    async def payment_due(self, now: datetime) -> int:
        """Emit the reminders due on the business date of `now` (Asia/Shanghai); returns
        how many were emitted by this run. One already emitted (same order, due date,
        stage and overdue period) is skipped: a rerun emits nothing new."""
        today = business_date(now)
        emitted = 0
        for row in await self.reminders.candidates(today, days_before=self.days_before,
                                                   every=self.every):
            outstanding = quantize(row.payable - row.paid_total)
            found = domain.reminder(row.due_date, outstanding, row.status, today,
                                    days_before=self.days_before, every=self.every)
            if found is None:
                continue
            key = found.key(row.id, row.due_date, self.every)
            if not await claim(self.session, domain.JOB, key):
                continue
            await add_event(self.session, OrderPaymentDue(
                order_id=row.id, number=row.number, customer_id=row.customer_id,
                customer_name=row.customer_name, amount_outstanding=outstanding,
                due_date=row.due_date, stage=found.stage.value,
                days_overdue=found.days_overdue,
            ), source=SOURCE)
            emitted += 1
        return emitted


class CycleReminderService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.reminders = ReminderRepository(session)

    async def ordering_cycle_due(self, now: datetime) -> int:
        """Emit a `customer.ordering_cycle_due` for each approved customer whose next
        ordering date (C-6) is the business date of `now` (Asia/Shanghai); returns how many
        this run emitted. One already emitted for the customer and date is skipped."""
        today = business_date(now)
        emitted = 0
        for row in await self.reminders.cycle_candidates(today):
            cycle = domain.ordering_cycle(row.cycle_kind, row.cycle_days, row.cycle_weekday)
            found = domain.cycle_reminder(cycle, row.last_order_date, today,
                                          last_reminded=domain.reminded_on(row.last_key))
            if found is None:
                continue
            assert cycle is not None
            if not await claim(self.session, domain.CYCLE_JOB, found.key(row.customer_id)):
                continue
            await add_event(self.session, CustomerOrderingCycleDue(
                customer_id=row.customer_id, customer_name=row.name,
                due_date=found.due_date, last_order_date=row.last_order_date,
                kind=cycle.kind.value, days=cycle.days, weekday=cycle.weekday,
            ), source=SOURCE)
            emitted += 1
        return emitted


class ReminderRunFailed(ServiceUnavailable):
    """A job of an operator's reminder run failed (503); it was rolled back and recorded."""


async def run_now(principal: Principal, sessionmaker: async_sessionmaker[AsyncSession],
                  jobs: Sequence[Job]) -> dict[str, int]:
    """The operator's "run now": every reminder job at once, due or not, each in its own
    transaction under its lock (it waits while the worker runs it); items per job. What
    was already sent is not sent again (`claim`)."""
    domain.check_may_run_for_everyone(principal.areas)
    try:
        return await Scheduler(sessionmaker, jobs).run_now()
    except JobFailed as failed:
        # The error itself is logged and kept in scheduled_runs; it may hold database
        # text, which never reaches a client.
        raise ReminderRunFailed(
            f"The reminder job {', '.join(sorted(failed.errors))} failed and was rolled back "
            "(nothing of it was sent); the failure is recorded. Try again later.") from failed
