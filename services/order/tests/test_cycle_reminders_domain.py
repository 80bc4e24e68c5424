"""Ordering-cycle reminders, the pure rule (C-6, N-2): the customer service's next ordering
date, kept the same in the order service, and the reminder a customer gets when that date
is today — every N days and weekly, with and without a last order; an order since the
cycle began means nothing. No I/O."""

import uuid
from datetime import date, timedelta

import pytest
from order_service.reminders.domain import (
    CYCLE_JOB,
    CycleKind,
    CycleReminder,
    OrderingCycle,
    cycle_reminder,
    next_due,
    ordering_cycle,
    reminded_on,
)

FRIDAY = date(2026, 12, 4)  # isoweekday 5
EVERY_30 = OrderingCycle(CycleKind.DAYS, days=30)
ON_FRIDAYS = OrderingCycle(CycleKind.WEEKDAY, weekday=5)


def days(n: int) -> timedelta:
    return timedelta(days=n)


class TestNextDueSameAsTheCustomerServiceC6:
    """The customer service's `next_due` (customers/domain.py), case by case."""

    def test_every_n_days_after_the_last_order(self):
        assert next_due(EVERY_30, FRIDAY - days(30), FRIDAY) == FRIDAY
        assert next_due(EVERY_30, FRIDAY - days(40), FRIDAY) == FRIDAY - days(10)  # overdue
        assert next_due(EVERY_30, FRIDAY, FRIDAY) == FRIDAY + days(30)

    def test_every_n_days_without_an_order_is_due_today(self):
        for today in (FRIDAY, FRIDAY + days(1), FRIDAY + days(17)):
            assert next_due(EVERY_30, None, today) == today

    def test_weekly_the_first_such_weekday_after_the_last_order(self):
        assert next_due(ON_FRIDAYS, FRIDAY - days(2), FRIDAY) == FRIDAY  # Wednesday → Friday
        assert next_due(ON_FRIDAYS, FRIDAY - days(7), FRIDAY) == FRIDAY  # last Friday
        assert next_due(ON_FRIDAYS, FRIDAY, FRIDAY) == FRIDAY + days(7)  # not the same day
        assert next_due(ON_FRIDAYS, FRIDAY - days(9), FRIDAY) == FRIDAY - days(7)  # overdue

    def test_weekly_without_an_order_the_next_such_weekday_from_today(self):
        assert next_due(ON_FRIDAYS, None, FRIDAY) == FRIDAY
        assert next_due(ON_FRIDAYS, None, FRIDAY - days(1)) == FRIDAY
        assert next_due(ON_FRIDAYS, None, FRIDAY + days(1)) == FRIDAY + days(7)
        sunday = OrderingCycle(CycleKind.WEEKDAY, weekday=7)
        assert next_due(sunday, None, FRIDAY) == FRIDAY + days(2)

    def test_no_cycle_no_date(self):
        assert next_due(None, FRIDAY, FRIDAY) is None
        assert next_due(None, None, FRIDAY) is None


class TestCycleReminderC6N2:
    def test_every_n_days_on_the_day_the_cycle_comes_round(self):
        last = FRIDAY - days(30)
        assert cycle_reminder(EVERY_30, last, FRIDAY) == CycleReminder(FRIDAY)
        for offset in (-1, 1, 10):  # before it, and once it has passed: nothing
            assert cycle_reminder(EVERY_30, last, FRIDAY + days(offset)) is None

    def test_weekly_on_the_weekday_after_the_last_order(self):
        wednesday = FRIDAY - days(2)
        assert cycle_reminder(ON_FRIDAYS, wednesday, FRIDAY) == CycleReminder(FRIDAY)
        assert cycle_reminder(ON_FRIDAYS, FRIDAY - days(7), FRIDAY) == CycleReminder(FRIDAY)
        for offset in range(-1, 7):  # Thursday, and the days after that Friday
            if offset:
                assert cycle_reminder(ON_FRIDAYS, wednesday, FRIDAY + days(offset)) is None
        # a week later without an order: the date has passed, not reminded again
        assert cycle_reminder(ON_FRIDAYS, wednesday, FRIDAY + days(7)) is None

    def test_ordered_since_the_cycle_began_nothing(self):
        """A cycle begins at the last order (C-6): an order today, on the date the cycle
        comes round, starts the next one; an order in between moves the date on."""
        assert cycle_reminder(EVERY_30, FRIDAY, FRIDAY) is None
        assert cycle_reminder(ON_FRIDAYS, FRIDAY, FRIDAY) is None
        assert cycle_reminder(ON_FRIDAYS, None, FRIDAY) is not None  # had it not ordered
        # every 30 days: due today by the order of 30 days ago, but ordered again since
        assert cycle_reminder(EVERY_30, FRIDAY - days(5), FRIDAY) is None
        # weekly: ordered on last Friday's date, then again on Sunday: the cycle from
        # Sunday still comes round this Friday (the first Friday after the last order)
        assert cycle_reminder(ON_FRIDAYS, FRIDAY - days(5), FRIDAY) == CycleReminder(FRIDAY)

    def test_weekly_without_an_order_every_such_weekday(self):
        for week in range(3):
            friday = FRIDAY + days(7 * week)
            assert cycle_reminder(ON_FRIDAYS, None, friday) == CycleReminder(friday)
            assert cycle_reminder(ON_FRIDAYS, None, friday + days(1)) is None
            # a previous reminder changes nothing for a weekly cycle
            assert cycle_reminder(ON_FRIDAYS, None, friday,
                                  last_reminded=friday - days(7)) == CycleReminder(friday)

    def test_every_n_days_without_an_order_today_then_every_n_days(self):
        every_3 = OrderingCycle(CycleKind.DAYS, days=3)
        assert cycle_reminder(every_3, None, FRIDAY) == CycleReminder(FRIDAY)
        for offset in (1, 2):  # due "today" every day by C-6, but not reminded daily
            assert cycle_reminder(every_3, None, FRIDAY + days(offset),
                                  last_reminded=FRIDAY) is None
        again = FRIDAY + days(3)
        assert cycle_reminder(every_3, None, again, last_reminded=FRIDAY) == CycleReminder(again)
        # a day the job did not run is made up the next day (never-ordered customers only)
        later = FRIDAY + days(5)
        assert cycle_reminder(every_3, None, later, last_reminded=FRIDAY) == CycleReminder(later)
        # the same day again is for the key to refuse, not the rule
        assert cycle_reminder(every_3, None, FRIDAY, last_reminded=FRIDAY) is None

    def test_the_previous_reminder_does_not_hold_back_a_customer_who_ordered(self):
        last = FRIDAY - days(30)
        assert cycle_reminder(EVERY_30, last, FRIDAY,
                              last_reminded=FRIDAY - days(1)) == CycleReminder(FRIDAY)

    def test_no_cycle_no_reminder(self):
        assert cycle_reminder(None, None, FRIDAY) is None
        assert cycle_reminder(None, FRIDAY - days(30), FRIDAY) is None


class TestReadModelCycle:
    def test_the_columns_make_a_cycle(self):
        assert ordering_cycle("days", 30, None) == EVERY_30
        assert ordering_cycle("weekday", None, 5) == ON_FRIDAYS
        assert ordering_cycle(None, None, None) is None

    @pytest.mark.parametrize(("kind", "n", "weekday"), [
        ("days", None, None), ("days", 0, None), ("weekday", None, None),
        ("weekday", None, 8), ("monthly", 1, None)])
    def test_parts_that_make_no_cycle_are_no_cycle(self, kind, n, weekday):
        assert ordering_cycle(kind, n, weekday) is None


class TestKeys:
    cid = uuid.UUID("6f1c3a0e-0000-4000-8000-000000000002")

    def test_one_per_customer_and_due_date(self):
        assert CycleReminder(FRIDAY).key(self.cid) == f"{self.cid}:2026-12-04"
        assert CYCLE_JOB == "ordering_cycle_reminders"

    def test_the_key_gives_back_its_date(self):
        assert reminded_on(CycleReminder(FRIDAY).key(self.cid)) == FRIDAY
        assert reminded_on(None) is None
        assert reminded_on("nonsense") is None

    def test_keys_fit_the_job_keys_table(self):
        assert len(CycleReminder(date(2099, 12, 31)).key(self.cid)) <= 200
