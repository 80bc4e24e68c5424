"""Periodic work (issue 9; requirements N-2 reminders, O-6 payment due dates): a job runs
once per period on one replica, its items are claimed once, a failure is recorded and
rolled back, `run_now` waits for the lock, and due-ness lives in the database."""

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest
from servicekit.db import Database
from servicekit.scheduler import (
    Job,
    JobFailed,
    Scheduler,
    claim,
    create_scheduler_tables,
    is_due,
    latest_slot,
)
from sqlalchemy import Column, MetaData, String, Table, insert, text

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 in Asia/Shanghai
HOUR = timedelta(hours=1)


async def noop(session, now) -> int:
    return 0


# ------------------------------------------------------------------ the due rule, no I/O
class TestIntervalDue:
    job = Job(name="t", run=noop, every=HOUR)

    def test_never_run_is_due(self):
        assert is_due(self.job, None, T0)

    def test_due_when_a_period_has_passed_since_the_last_start(self):
        assert is_due(self.job, T0 - HOUR, T0)
        assert is_due(self.job, T0 - 2 * HOUR, T0)

    def test_not_due_within_the_period(self):
        assert not is_due(self.job, T0 - HOUR + timedelta(seconds=1), T0)
        assert not is_due(self.job, T0, T0)


class TestDailyDue:
    """`at` is a wall time in Asia/Shanghai; storage and `now` are UTC."""

    job = Job(name="t", run=noop, at=time(9, 0))

    def test_latest_slot_is_in_shanghai(self):
        assert latest_slot(time(9, 0), T0) == T0
        assert latest_slot(time(9, 0), T0 - timedelta(seconds=1)) == T0 - timedelta(days=1)
        # 23:30 UTC on 1 March is 07:30 on 2 March in Shanghai: the latest 09:00 is 1 March's
        late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
        assert latest_slot(time(9, 0), late) == datetime(2026, 3, 1, 1, 0, tzinfo=UTC)

    def test_never_run_waits_for_todays_time(self):
        assert not is_due(self.job, None, T0 - timedelta(minutes=1))
        assert is_due(self.job, None, T0)
        assert is_due(self.job, None, T0 + 10 * HOUR)

    def test_once_per_business_day(self):
        assert not is_due(self.job, T0 + timedelta(seconds=5), T0 + 12 * HOUR)
        assert is_due(self.job, T0 + timedelta(seconds=5), T0 + timedelta(days=1))

    def test_a_missed_day_is_caught_up_once(self):
        last = T0 - timedelta(days=3)
        assert is_due(self.job, last, T0 - HOUR)  # yesterday's 09:00 was missed
        assert not is_due(self.job, T0 - HOUR, T0 - timedelta(minutes=1))

    def test_a_run_now_before_the_time_does_not_replace_todays_run(self):
        assert is_due(self.job, T0 - HOUR, T0)


class TestJobDefinition:
    def test_refuses_bad_definitions(self):
        with pytest.raises(ValueError):
            Job(name="", run=noop)
        with pytest.raises(ValueError):
            Job(name="x" * 121, run=noop)
        with pytest.raises(ValueError):
            Job(name="t", run=noop, every=timedelta(0))
        with pytest.raises(ValueError):
            Job(name="t", run=noop, every=HOUR, at=time(9, 0))
        with pytest.raises(ValueError):
            Job(name="t", run=noop, at=time(9, 0, tzinfo=UTC))

    def test_scheduler_refuses_two_jobs_of_one_name(self):
        with pytest.raises(ValueError):
            Scheduler(None, [Job(name="t", run=noop), Job(name="t", run=noop)])


# ------------------------------------------------------------------ against PostgreSQL
effects_md = MetaData()
effects = Table("job_effects", effects_md, Column("key", String(200), primary_key=True),
                Column("job", String(120), nullable=False))


@pytest.fixture(scope="module")
async def sched_db(kit_db) -> Database:
    async with kit_db.engine.begin() as conn:
        await conn.run_sync(create_scheduler_tables)  # as a service's migration would
        await conn.run_sync(effects_md.create_all)
    return kit_db


class Clock:
    """A clock the test moves; both "replicas" read the same one."""

    def __init__(self, at: datetime) -> None:
        self.now = at

    def __call__(self) -> datetime:
        return self.now


async def scalar(db: Database, sql: str, **params):
    async with db.engine.connect() as c:
        return (await c.execute(text(sql), params)).scalar_one()


async def runs_of(db: Database, job: str) -> list:
    async with db.engine.connect() as c:
        return (await c.execute(text(
            "SELECT outcome, items, error, started_at FROM scheduled_runs WHERE job=:j "
            "ORDER BY started_at, id"), {"j": job})).all()


async def eventually(predicate, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached"
        await asyncio.sleep(0.01)


def emitting_job(name: str, calls: list, *, every: timedelta = HOUR, hold: float = 0.0) -> Job:
    """Each run claims the keys of its period and of the previous one (overlapping work, as
    a reminder job re-scanning recent orders does) and writes a row per key it claimed."""

    async def run(session, now) -> int:
        calls.append(now)
        period = int((now - T0) / every)
        emitted = 0
        for p in (period - 1, period):
            for i in range(3):
                key = f"{p}:{i}"
                if await claim(session, name, key):
                    await session.execute(insert(effects).values(key=f"{name}/{key}", job=name))
                    emitted += 1
        if hold:
            await asyncio.sleep(hold)  # hold the lock while the other replica ticks
        return emitted

    return Job(name=name, run=run, every=every)


class TestTwoReplicas:
    async def test_a_job_runs_once_per_period_and_each_key_is_emitted_once(self, sched_db):
        """Issue 9 (N-2): two schedulers over two engines tick concurrently."""
        name = "two_replicas"
        calls: list = []
        clock = Clock(T0)
        job = emitting_job(name, calls, hold=0.02)
        dbs = [Database(sched_db.url), Database(sched_db.url)]
        schedulers = [Scheduler(db.sessionmaker, [job], tick_seconds=0.005, clock=clock)
                      for db in dbs]
        tasks = [asyncio.create_task(s.run()) for s in schedulers]
        periods = 5
        try:
            for p in range(periods):
                clock.now = T0 + p * HOUR

                async def recorded(p=p):
                    return await scalar(sched_db, "SELECT count(*) FROM scheduled_runs "
                                        "WHERE job=:j", j=name) == p + 1

                await eventually(recorded)
                # Both replicas keep ticking within the period: nobody runs it again.
                seen = [s.ticks for s in schedulers]

                async def both_ticked(seen=seen):
                    return all(s.ticks >= n + 3 for s, n in zip(schedulers, seen, strict=True))

                await eventually(both_ticked)
        finally:
            for s in schedulers:
                s.stop()
            await asyncio.gather(*tasks)
            for db in dbs:
                await db.dispose()
        assert len(calls) == periods
        runs = await runs_of(sched_db, name)
        assert [r.outcome for r in runs] == ["ok"] * periods
        # period 0 claims keys of -1 and 0 (6), each later one only its own 3
        assert [r.items for r in runs] == [6] + [3] * (periods - 1)
        keys = await scalar(sched_db, "SELECT count(*) FROM job_effects WHERE job=:j", j=name)
        assert keys == 3 * (periods + 1) == sum(r.items for r in runs)

    async def test_the_replica_without_the_lock_skips_and_records_nothing(self, sched_db):
        name = "contended"
        calls: list = []
        clock = Clock(T0)
        job = emitting_job(name, calls, hold=0.2)
        a = Scheduler(sched_db.sessionmaker, [job], clock=clock)
        b = Scheduler(sched_db.sessionmaker, [job], clock=clock)
        first = asyncio.create_task(a.tick())

        async def a_holds_the_lock():
            return len(calls) == 1

        await eventually(a_holds_the_lock)
        assert await b.tick() == {}  # skipped: a is running it
        assert await first == {name: 6}
        assert await b.tick() == {}  # not due: a's run is recorded
        # b looked before a committed and got the lock after: due-ness is read again
        # under the lock, so it does not run the job a second time.
        assert await b._run(job, wait=False) is None
        assert len(calls) == 1
        assert [r.outcome for r in await runs_of(sched_db, name)] == ["ok"]


class TestFailure:
    async def test_a_failing_job_is_rolled_back_recorded_and_the_loop_goes_on(self, sched_db):
        """Issue 9: the failure's effects and claimed keys are gone, its error is in
        `scheduled_runs`, the other job still runs, and the loop keeps ticking."""
        clock = Clock(T0)
        good_calls: list = []

        async def boom(session, now) -> int:
            assert await claim(session, "failing", "k1")
            await session.execute(insert(effects).values(key="failing/k1", job="failing"))
            raise ValueError("the notifier template is missing")

        scheduler = Scheduler(
            sched_db.sessionmaker,
            [Job(name="failing", run=boom, every=HOUR), emitting_job("beside", good_calls)],
            tick_seconds=0.005, clock=clock)
        task = asyncio.create_task(scheduler.run())
        try:
            for p in range(2):
                clock.now = T0 + p * HOUR

                async def both_recorded(p=p):
                    return (len(await runs_of(sched_db, "failing")) == p + 1
                            and len(await runs_of(sched_db, "beside")) == p + 1)

                await eventually(both_recorded)
            assert not task.done()
        finally:
            scheduler.stop()
            await task
        failed = await runs_of(sched_db, "failing")
        assert [(r.outcome, r.items) for r in failed] == [("failed", None)] * 2
        assert all(r.error == "ValueError: the notifier template is missing" for r in failed)
        assert await scalar(sched_db, "SELECT count(*) FROM job_effects WHERE job='failing'") == 0
        assert await scalar(sched_db, "SELECT count(*) FROM job_keys WHERE job='failing'") == 0
        assert [r.outcome for r in await runs_of(sched_db, "beside")] == ["ok", "ok"]

    async def test_a_failed_run_waits_a_period_like_any_run(self, sched_db):
        calls: list = []

        async def boom(session, now) -> int:
            calls.append(now)
            raise RuntimeError("down")

        clock = Clock(T0)
        scheduler = Scheduler(sched_db.sessionmaker, [Job(name="fails_once", run=boom,
                                                          every=HOUR)], clock=clock)
        assert await scheduler.tick() == {}
        clock.now = T0 + HOUR - timedelta(seconds=1)
        assert await scheduler.tick() == {}
        assert len(calls) == 1


class TestRunNow:
    async def test_returns_items_per_job_whether_due_or_not(self, sched_db):
        """Issue 9 (O-6): the operator's "run now" (POST /api/console/reminders/run)."""
        clock = Clock(T0)
        a_calls: list = []
        b_calls: list = []
        scheduler = Scheduler(sched_db.sessionmaker,
                              [emitting_job("now_a", a_calls), emitting_job("now_b", b_calls)],
                              clock=clock)
        assert await scheduler.run_now() == {"now_a": 6, "now_b": 6}
        assert await scheduler.run_now("now_a") == {"now_a": 0}  # not due; keys claimed
        assert (len(a_calls), len(b_calls)) == (2, 1)
        assert [r.items for r in await runs_of(sched_db, "now_a")] == [6, 0]
        # A run now counts as the last run: the scheduler does not repeat it at once.
        assert await scheduler.tick() == {}

    async def test_waits_for_the_replica_holding_the_lock_then_runs(self, sched_db):
        calls: list = []
        scheduler = Scheduler(sched_db.sessionmaker, [emitting_job("held", calls)],
                              clock=Clock(T0))
        async with sched_db.engine.connect() as other_replica:
            await other_replica.execute(text(
                "SELECT pg_advisory_xact_lock(hashtext('servicekit.job:' || 'held'))"))
            running = asyncio.create_task(scheduler.run_now("held"))

            async def waiting_on_the_lock():
                return await scalar(sched_db, "SELECT count(*) FROM pg_locks l JOIN "
                                    "pg_database d ON d.oid = l.database WHERE "
                                    "d.datname = current_database() AND "
                                    "l.locktype = 'advisory' AND NOT l.granted") >= 1

            await eventually(waiting_on_the_lock)
            assert not running.done() and calls == []
            await other_replica.commit()  # the other replica's run ends
        assert await running == {"held": 6}
        assert len(calls) == 1

    async def test_a_failure_is_recorded_the_others_run_and_it_is_raised(self, sched_db):
        async def boom(session, now) -> int:
            raise ValueError("bad row")

        calls: list = []
        scheduler = Scheduler(sched_db.sessionmaker,
                              [Job(name="now_fails", run=boom), emitting_job("now_ok", calls)],
                              clock=Clock(T0))
        with pytest.raises(JobFailed) as failed:
            await scheduler.run_now()
        assert failed.value.errors == {"now_fails": "ValueError: bad row"}
        assert failed.value.items == {"now_ok": 6}
        assert [r.outcome for r in await runs_of(sched_db, "now_fails")] == ["failed"]

    async def test_an_unknown_job_is_not_found(self, sched_db):
        from servicekit.errors import NotFound

        with pytest.raises(NotFound):
            await Scheduler(sched_db.sessionmaker, []).run_now("nope")


class TestRestart:
    async def test_a_new_scheduler_does_not_rerun_a_job_within_its_period(self, sched_db):
        """Issue 9: due-ness is read from `scheduled_runs`, not kept in memory."""
        calls: list = []
        job = emitting_job("restart", calls)
        first_db = Database(sched_db.url)
        try:
            first = Scheduler(first_db.sessionmaker, [job], clock=Clock(T0))
            assert await first.tick() == {"restart": 6}
        finally:
            await first_db.dispose()
        second_db = Database(sched_db.url)  # the restarted worker
        try:
            clock = Clock(T0 + HOUR - timedelta(seconds=1))
            restarted = Scheduler(second_db.sessionmaker, [job], clock=clock)
            assert await restarted.tick() == {}
            clock.now = T0 + HOUR
            assert await restarted.tick() == {"restart": 3}
        finally:
            await second_db.dispose()
        assert len(calls) == 2


class TestClaim:
    async def test_true_only_the_first_time_and_freed_by_a_rollback(self, sched_db):
        async with sched_db.sessionmaker() as s:
            async with s.begin():
                assert await claim(s, "claims", "o1:2026-03-02:due")
                assert not await claim(s, "claims", "o1:2026-03-02:due")
                assert await claim(s, "other_job", "o1:2026-03-02:due")
            async with s.begin():
                assert await claim(s, "claims", "o2:2026-03-02:due")
                await s.rollback()
            async with s.begin():
                assert await claim(s, "claims", "o2:2026-03-02:due")
                assert not await claim(s, "claims", "o1:2026-03-02:due")

    async def test_refuses_a_key_that_does_not_fit(self, sched_db):
        async with sched_db.sessionmaker() as s, s.begin():
            with pytest.raises(ValueError):
                await claim(s, "claims", "k" * 201)
