"""Integration: payment-due reminders (O-6, N-2) on the order service's real database.
The daily job `payment_due_reminders` writes one `order.payment_due` outbox row per order,
due date and stage (and overdue week), whether it runs again the same day, twice at once,
or by an operator's `POST /api/console/reminders/run`; paid, cancelled and unreviewed
orders get nothing."""

import asyncio
from datetime import UTC, date, datetime, time, timedelta

from order_service.config import Settings
from order_service.reminders import service as reminder_service
from order_service.reminders.tasks import PAYMENT_DUE_AT, jobs
from servicekit.db import Database
from servicekit.scheduler import Scheduler
from servicekit.testing import helpers as h
from servicekit.timeutil import BUSINESS_TZ
from sqlalchemy import text

from .test_payment_terms_api import TODAY, approve, customer, pay, place

JOB = "payment_due_reminders"


def at(day: date) -> datetime:
    """10:00 in Asia/Shanghai on `day`, as the UTC instant the scheduler's clock gives."""
    return datetime.combine(day, time(10, 0), tzinfo=BUSINESS_TZ).astimezone(UTC)


def scheduler(db: Database, day: date, settings: Settings) -> Scheduler:
    return Scheduler(db.sessionmaker, jobs(settings), clock=lambda: at(day))


async def reminders_of(order_db, order_id) -> list[dict]:
    """The order's order.payment_due envelopes in the outbox, oldest first."""
    async with order_db.engine.connect() as c:
        return list((await c.execute(text(
            "SELECT envelope FROM outbox WHERE event_type = 'order.payment_due' "
            "AND envelope->'data'->>'order_id' = :id ORDER BY seq"),
            {"id": str(order_id)})).scalars().all())


async def all_reminders(order_db) -> int:
    async with order_db.engine.connect() as c:
        return (await c.execute(text(
            "SELECT count(*) FROM outbox WHERE event_type = 'order.payment_due'"))).scalar_one()


async def cancel_after_approval(app, cid, oid):
    async with h.client(app, h.customer(cid)) as c:
        r = await c.post(f"/api/portal/orders/{oid}/cancellation-request",
                         json={"reason": "不要了"})
        assert r.status_code == 200, r.text
    async with h.client(app, h.staff()) as s:
        r = await s.post(f"/api/console/orders/{oid}/cancellation/approve", json={})
        assert r.json()["status"] == "cancelled", r.text


def stages(envelopes: list[dict]) -> list[tuple[str, int]]:
    return [(e["data"]["stage"], e["data"]["days_overdue"]) for e in envelopes]


class TestJobO6N2:
    async def test_a_second_run_the_same_day_emits_nothing_new(self, order_app, order_db,
                                                              order_db_url):
        """Terms 0 (due on approval): the unpaid and the partly paid order are reminded
        once on their due date; the paid, the cancelled and the unreviewed one never."""
        settings = Settings(database_url=order_db_url, environment="test")
        cid, pid = await customer(order_db, terms=0)
        unpaid, paid, partly, cancelled, unreviewed = [
            await place(order_app, cid, pid, qty=3) for _ in range(5)]
        await approve(order_app, unpaid["id"], paid["id"], partly["id"], cancelled["id"])
        await pay(order_app, paid["id"], "30.00")
        await pay(order_app, partly["id"], "10.50")
        await cancel_after_approval(order_app, cid, cancelled["id"])

        first = await scheduler(order_db, TODAY, settings).run_now()
        assert first[JOB] >= 2  # other tests' orders due today may be reminded too
        again = await scheduler(order_db, TODAY, settings).run_now()
        later = await scheduler(order_db, TODAY, settings).run_now(JOB)

        [a] = await reminders_of(order_db, unpaid["id"])
        [p] = await reminders_of(order_db, partly["id"])
        for o in (paid, cancelled, unreviewed):
            assert await reminders_of(order_db, o["id"]) == []
        assert (a["type"], a["version"], a["source"]) == ("order.payment_due", 1, "order")
        assert a["data"] == {
            "order_id": unpaid["id"], "number": unpaid["number"], "customer_id": str(cid),
            "customer_name": unpaid["customer_name"], "amount_outstanding": "30.00",
            "due_date": TODAY.isoformat(), "stage": "due", "days_overdue": 0}
        assert (p["data"]["amount_outstanding"], p["data"]["stage"]) == ("19.50", "due")
        # a rerun on the same day finds every reminder already sent (other tests' too),
        # ordering-cycle reminders included (test_cycle_reminders_api.py)
        assert again == {JOB: 0, "ordering_cycle_reminders": 0} and later == {JOB: 0}

    async def test_before_due_and_weekly_overdue_each_once(self, order_app, order_db,
                                                           order_db_url):
        settings = Settings(database_url=order_db_url, environment="test")
        cid, pid = await customer(order_db, terms=10)
        order = await place(order_app, cid, pid, qty=2)
        await approve(order_app, order["id"])
        due = TODAY + timedelta(days=10)

        async def run_on(*offsets: int) -> None:
            for days in offsets:
                await scheduler(order_db, TODAY + timedelta(days=days), settings).run_now()

        await run_on(0, 1, 6)  # not reminder days
        assert await reminders_of(order_db, order["id"]) == []
        await run_on(7, 7, 8, 9, 10, 10)  # 3 days before, then on the due date
        assert stages(await reminders_of(order_db, order["id"])) == [("before", 0), ("due", 0)]
        await run_on(11, 16, 17, 17, 20, 24, 24)  # weekly while overdue
        got = await reminders_of(order_db, order["id"])
        assert stages(got) == [("before", 0), ("due", 0), ("overdue", 7), ("overdue", 14)]
        assert {e["data"]["due_date"] for e in got} == {due.isoformat()}
        await pay(order_app, order["id"], "20.00")
        await run_on(31, 38)  # paid: no more reminders
        assert len(await reminders_of(order_db, order["id"])) == 4

    async def test_the_settings_move_the_reminder_days(self, order_app, order_db,
                                                       order_db_url):
        settings = Settings(database_url=order_db_url, environment="test",
                            reminder_days_before=5, reminder_overdue_every_days=2)
        cid, pid = await customer(order_db, terms=5)
        order = await place(order_app, cid, pid)
        await approve(order_app, order["id"])
        for days in range(0, 10):
            await scheduler(order_db, TODAY + timedelta(days=days), settings).run_now()
        assert stages(await reminders_of(order_db, order["id"])) == [
            ("before", 0), ("due", 0), ("overdue", 2), ("overdue", 4)]

    async def test_two_runs_at_once_emit_each_reminder_once(self, order_app, order_db,
                                                            order_db_url):
        """Two replicas' "run now" at the same moment (two engines): the job's lock and
        its keys leave exactly one outbox row per order and stage."""
        settings = Settings(database_url=order_db_url, environment="test")
        cid, pid = await customer(order_db, terms=0)
        orders = [await place(order_app, cid, pid) for _ in range(3)]
        await approve(order_app, *(o["id"] for o in orders))
        day = TODAY + timedelta(days=7)  # overdue for a week
        before = await all_reminders(order_db)
        dbs = [Database(order_db_url), Database(order_db_url)]
        try:
            results = await asyncio.gather(
                *(scheduler(db, day, settings).run_now() for db in dbs))
        finally:
            for db in dbs:
                await db.dispose()
        for o in orders:
            assert stages(await reminders_of(order_db, o["id"])) == [("overdue", 7)]
        emitted = [r[JOB] for r in results]
        assert sum(emitted) == await all_reminders(order_db) - before
        assert min(emitted) == 0 and max(emitted) >= 3

    def test_the_worker_runs_it_daily_at_nine_in_shanghai(self):
        job = jobs(Settings())[0]  # then ordering_cycle_reminders
        assert (job.name, job.at, PAYMENT_DUE_AT) == (JOB, time(9, 0), time(9, 0))


class TestRunNowApi:
    URL = "/api/console/reminders/run"

    async def test_staff_with_messages_entry_run_the_jobs(self, order_app, order_db):
        cid, pid = await customer(order_db, terms=0)
        order = await place(order_app, cid, pid)
        await approve(order_app, order["id"])
        async with h.client(order_app, h.staff("messages:entry")) as s:
            r = await s.post(self.URL)
            assert r.status_code == 200, r.text
            assert set(r.json()) == {"jobs"} and r.json()["jobs"][JOB] >= 1
            again = await s.post(self.URL)
        assert again.status_code == 200, again.text
        assert again.json() == {"jobs": {JOB: 0, "ordering_cycle_reminders": 0}}
        assert stages(await reminders_of(order_db, order["id"])) == [("due", 0)]
        async with order_db.engine.connect() as c:
            runs = (await c.execute(text(
                "SELECT outcome, items FROM scheduled_runs WHERE job = :j "
                "ORDER BY id DESC LIMIT 2"), {"j": JOB})).all()
        assert [tuple(r) for r in runs] == [("ok", 0), ("ok", r.json()["jobs"][JOB])]

    async def test_who_may_not_C7_X1(self, order_app):
        for principal, detail in (
                (h.staff("orders:*", "payments:*", "messages:query"),
                 "Permission messages:entry is required"),
                (h.staff("messages:entry", areas=("华东",)),
                 "only staff without an area limit may run reminders for everyone"),
                (h.customer(), "Only staff users may do this")):
            async with h.client(order_app, principal) as c:
                r = await c.post(self.URL)
            assert r.status_code == 403, (principal, r.text)
            assert r.json()["detail"] == detail
        async with h.client(order_app) as anonymous:
            assert (await anonymous.post(self.URL)).status_code == 401

    async def test_a_failed_job_is_503_without_its_error_text(self, order_app, order_db,
                                                             monkeypatch):
        async def broken(self, now):
            raise RuntimeError("relation \"secret_table\" is broken")

        monkeypatch.setattr(reminder_service.ReminderService, "payment_due", broken)
        async with h.client(order_app, h.staff("messages:entry")) as s:
            r = await s.post(self.URL)
        assert r.status_code == 503, r.text
        assert r.json()["error"] == "ReminderRunFailed"
        assert JOB in r.json()["detail"] and "secret_table" not in r.text
        async with order_db.engine.connect() as c:
            outcome, error = (await c.execute(text(
                "SELECT outcome, error FROM scheduled_runs WHERE job = :j "
                "ORDER BY id DESC LIMIT 1"), {"j": JOB})).one()
        assert outcome == "failed" and "secret_table" in error

    async def test_described_in_the_openapi_document(self, order_app):
        async with h.client(order_app) as c:
            doc = (await c.get("/openapi.json")).json()
        op = doc["paths"][self.URL]["post"]
        assert "area" in op["description"] and "messages:entry" in op["description"]
        assert {"200", "403", "503"} <= set(op["responses"])
