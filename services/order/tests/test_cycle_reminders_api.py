"""Integration: ordering-cycle reminders (C-6, N-2) on the order service's real database.
The daily job `ordering_cycle_reminders` writes one `customer.ordering_cycle_due` outbox
row per customer and due date when an approved customer's next ordering date (by its
cycle in the read model and its last order here) is the run's business date; a rerun, the
operator's `POST /api/console/reminders/run` included, emits nothing twice; a customer
who ordered today, on the date its cycle came round, gets nothing."""

import uuid
from datetime import date, time, timedelta

from dinghuo_contracts import CustomerCycleChanged, CustomerRegistered
from order_service.config import Settings
from order_service.messaging import registry
from order_service.reminders.tasks import ORDERING_CYCLE_AT, jobs
from servicekit.testing import helpers as h
from sqlalchemy import text

from .test_payment_terms_api import TODAY, customer, place
from .test_reminders_api import scheduler

JOB = "ordering_cycle_reminders"
PAYMENT_JOB = "payment_due_reminders"


async def set_cycle(order_db, cid, kind, *, days=None, weekday=None):
    await h.deliver(order_db.sessionmaker, "order", registry, CustomerCycleChanged(
        customer_id=cid, kind=kind, days=days, weekday=weekday, changed_by="staff"))


async def cycle_customer(order_db, kind, *, days=None, weekday=None):
    """An approved customer (one product at 10.00) with this ordering cycle."""
    cid, pid = await customer(order_db, terms=30)
    await set_cycle(order_db, cid, kind, days=days, weekday=weekday)
    return cid, pid


async def reminders_of(order_db, cid) -> list[dict]:
    """The customer's customer.ordering_cycle_due envelopes in the outbox, oldest first."""
    async with order_db.engine.connect() as c:
        return list((await c.execute(text(
            "SELECT envelope FROM outbox WHERE event_type = 'customer.ordering_cycle_due' "
            "AND envelope->'data'->>'customer_id' = :id ORDER BY seq"),
            {"id": str(cid)})).scalars().all())


async def due_dates(order_db, cid) -> list[date]:
    return [date.fromisoformat(e["data"]["due_date"]) for e in await reminders_of(order_db, cid)]


def settings_for(order_db_url) -> Settings:
    return Settings(database_url=order_db_url, environment="test")


async def run_on(order_db, settings, *days: date) -> list[dict[str, int]]:
    return [await scheduler(order_db, day, settings).run_now() for day in days]


class TestJobC6N2:
    async def test_run_twice_one_event(self, order_db, order_db_url):
        """Every 30 days, no order yet: due today (C-6); one reminder however often the
        job runs today."""
        settings = settings_for(order_db_url)
        cid, _ = await cycle_customer(order_db, "days", days=30)
        first, again = await run_on(order_db, settings, TODAY, TODAY)
        later = await scheduler(order_db, TODAY, settings).run_now(JOB)
        [envelope] = await reminders_of(order_db, cid)
        assert (envelope["type"], envelope["version"], envelope["source"]) == (
            "customer.ordering_cycle_due", 1, "order")
        assert envelope["data"] == {
            "customer_id": str(cid), "customer_name": f"公司{cid.hex[:4]}",
            "due_date": TODAY.isoformat(), "last_order_date": None, "kind": "days",
            "days": 30, "weekday": None}
        assert first[JOB] >= 1  # other tests' customers due today may be reminded too
        assert again == {PAYMENT_JOB: 0, JOB: 0} and later == {JOB: 0}

    async def test_ordered_today_when_the_cycle_came_round_nothing(self, order_app,
                                                                   order_db, order_db_url):
        """Weekly on today's weekday, and every 30 days without an order yet: both due
        today — but an order today starts the next cycle, so no reminder."""
        settings = settings_for(order_db_url)
        weekly, pid_w = await cycle_customer(order_db, "weekday", weekday=TODAY.isoweekday())
        every, pid_e = await cycle_customer(order_db, "days", days=30)
        await place(order_app, weekly, pid_w)
        await place(order_app, every, pid_e)
        await run_on(order_db, settings, TODAY)
        assert await reminders_of(order_db, weekly) == []
        assert await reminders_of(order_db, every) == []

    async def test_weekly_after_an_order_on_the_next_such_weekday_only(
            self, order_app, order_db, order_db_url):
        settings = settings_for(order_db_url)
        cid, pid = await cycle_customer(order_db, "weekday", weekday=TODAY.isoweekday())
        await place(order_app, cid, pid)
        await run_on(order_db, settings, *(TODAY + timedelta(days=d) for d in range(0, 16)))
        [envelope] = await reminders_of(order_db, cid)
        # a week later; the Friday after that has passed without an order: not again
        assert envelope["data"] == {
            "customer_id": str(cid), "customer_name": f"公司{cid.hex[:4]}",
            "due_date": (TODAY + timedelta(days=7)).isoformat(),
            "last_order_date": TODAY.isoformat(), "kind": "weekday", "days": None,
            "weekday": TODAY.isoweekday()}

    async def test_every_n_days_after_an_order_on_that_day_only(self, order_app, order_db,
                                                               order_db_url):
        settings = settings_for(order_db_url)
        cid, pid = await cycle_customer(order_db, "days", days=10)
        await place(order_app, cid, pid)
        await run_on(order_db, settings, *(TODAY + timedelta(days=d) for d in (0, 9, 10, 10,
                                                                                11, 20)))
        [envelope] = await reminders_of(order_db, cid)
        assert (envelope["data"]["due_date"], envelope["data"]["last_order_date"]) == (
            (TODAY + timedelta(days=10)).isoformat(), TODAY.isoformat())

    async def test_without_an_order_weekly_and_every_n_days_not_daily(self, order_db,
                                                                       order_db_url):
        """No order yet: weekly comes round every week; every N days is due "today" each
        day by C-6, reminded again N days after the previous reminder."""
        settings = settings_for(order_db_url)
        weekly, _ = await cycle_customer(order_db, "weekday", weekday=TODAY.isoweekday())
        every_3, _ = await cycle_customer(order_db, "days", days=3)
        await run_on(order_db, settings, *(TODAY + timedelta(days=d) for d in range(0, 15)))
        assert await due_dates(order_db, weekly) == [TODAY + timedelta(days=d)
                                                     for d in (0, 7, 14)]
        assert await due_dates(order_db, every_3) == [TODAY + timedelta(days=d)
                                                      for d in (0, 3, 6, 9, 12)]

    async def test_only_approved_customers_with_a_cycle(self, order_db, order_db_url):
        settings = settings_for(order_db_url)
        pending = uuid.uuid4()
        await h.deliver(order_db.sessionmaker, "order", registry, CustomerRegistered(
            customer_id=pending, customer_number="KH900009", company_name="待审公司",
            contact_person="王", mobile="13900001111", area="华东"))
        await set_cycle(order_db, pending, "days", days=30)
        cleared, _ = await cycle_customer(order_db, "days", days=30)
        await set_cycle(order_db, cleared, None)
        await run_on(order_db, settings, TODAY)
        assert await reminders_of(order_db, pending) == []
        assert await reminders_of(order_db, cleared) == []

    def test_the_worker_runs_it_daily_at_nine_in_shanghai(self):
        by_name = {job.name: job for job in jobs(Settings())}
        assert list(by_name) == [PAYMENT_JOB, JOB]
        assert by_name[JOB].at == ORDERING_CYCLE_AT == time(9, 0)


class TestRunNowApi:
    URL = "/api/console/reminders/run"

    async def test_the_answer_counts_both_jobs(self, order_app, order_db):
        cid, _ = await cycle_customer(order_db, "weekday", weekday=TODAY.isoweekday())
        async with h.client(order_app, h.staff("messages:entry")) as s:
            r = await s.post(self.URL)
            assert r.status_code == 200, r.text
            assert set(r.json()) == {"jobs"}
            assert set(r.json()["jobs"]) == {PAYMENT_JOB, JOB} and r.json()["jobs"][JOB] >= 1
            again = await s.post(self.URL)
        assert again.status_code == 200, again.text
        assert again.json() == {"jobs": {PAYMENT_JOB: 0, JOB: 0}}
        [envelope] = await reminders_of(order_db, cid)
        assert envelope["data"]["due_date"] == TODAY.isoformat()
