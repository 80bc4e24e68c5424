"""Payment reminders, the pure rule (O-6, N-2): which reminder an order gets on a business
date, and the key that makes it happen once. No I/O."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from order_service.orders.domain import OrderStatus
from order_service.reminders.domain import (
    AreaBound,
    Reminder,
    Stage,
    check_may_run_for_everyone,
    reminder,
    reminder_days,
)

DUE = date(2026, 12, 10)
OWED = Decimal("30.00")
RULE = {"days_before": 3, "every": 7}


def on(day: date, *, due: date | None = DUE, outstanding: Decimal = OWED,
       status: OrderStatus = OrderStatus.PROCESSING, **rule) -> Reminder | None:
    return reminder(due, outstanding, status, day, **{**RULE, **rule})


class TestStageO6N2:
    def test_before_on_the_due_date_and_weekly_while_overdue(self):
        assert on(DUE - timedelta(days=3)) == Reminder(Stage.BEFORE)
        assert on(DUE) == Reminder(Stage.DUE)
        assert on(DUE + timedelta(days=7)) == Reminder(Stage.OVERDUE, 7)
        assert on(DUE + timedelta(days=14)) == Reminder(Stage.OVERDUE, 14)
        assert on(DUE + timedelta(days=70)) == Reminder(Stage.OVERDUE, 70)

    def test_a_day_that_is_not_a_reminder_day_gives_nothing(self):
        reminded = {DUE - timedelta(days=3), DUE, DUE + timedelta(days=7),
                    DUE + timedelta(days=14)}
        for offset in range(-10, 16):
            day = DUE + timedelta(days=offset)
            assert (on(day) is not None) == (day in reminded), day

    def test_paid_orders_get_nothing(self):
        for day in (DUE - timedelta(days=3), DUE, DUE + timedelta(days=7)):
            assert on(day, outstanding=Decimal("0.00")) is None

    def test_partly_paid_orders_are_reminded(self):
        assert on(DUE, outstanding=Decimal("0.01")) == Reminder(Stage.DUE)

    @pytest.mark.parametrize("status", [OrderStatus.CANCELLED, OrderStatus.REJECTED])
    def test_cancelled_and_rejected_orders_get_nothing(self, status):
        for day in (DUE - timedelta(days=3), DUE, DUE + timedelta(days=7)):
            assert on(day, status=status) is None

    @pytest.mark.parametrize("status", [s for s in OrderStatus
                                        if s not in (OrderStatus.CANCELLED,
                                                     OrderStatus.REJECTED)])
    def test_every_owed_status_is_reminded(self, status):
        # what is_overdue counts as owed; a completed order can still be unpaid (O-6)
        assert on(DUE, status=status) == Reminder(Stage.DUE)

    def test_no_due_date_no_reminder(self):
        assert on(DUE, due=None) is None

    def test_the_settings_move_the_days(self):
        assert on(DUE - timedelta(days=5), days_before=5) == Reminder(Stage.BEFORE)
        assert on(DUE - timedelta(days=3), days_before=5) is None
        assert on(DUE + timedelta(days=3), every=3) == Reminder(Stage.OVERDUE, 3)
        assert on(DUE + timedelta(days=7), every=3) is None
        assert on(DUE + timedelta(days=1), every=1) == Reminder(Stage.OVERDUE, 1)

    def test_no_advance_reminder_with_zero_days_before(self):
        for offset in range(-10, 0):
            assert on(DUE + timedelta(days=offset), days_before=0) is None
        assert on(DUE, days_before=0) == Reminder(Stage.DUE)

    def test_refuses_a_rule_that_makes_no_sense(self):
        with pytest.raises(ValueError):
            on(DUE, every=0)
        with pytest.raises(ValueError):
            on(DUE, days_before=-1)

    def test_the_query_days_match_the_rule(self):
        today = date(2026, 12, 7)
        assert reminder_days(today, days_before=3) == (today, DUE)
        assert reminder_days(today, days_before=0) == (today,)


class TestKeys:
    oid = uuid.UUID("6f1c3a0e-0000-4000-8000-000000000001")

    def test_one_per_order_due_date_and_stage(self):
        assert Reminder(Stage.BEFORE).key(self.oid, DUE, 7) == f"{self.oid}:2026-12-10:before"
        assert Reminder(Stage.DUE).key(self.oid, DUE, 7) == f"{self.oid}:2026-12-10:due"

    def test_overdue_once_per_overdue_week(self):
        keys = [on(DUE + timedelta(days=d)).key(self.oid, DUE, 7) for d in (7, 14, 21)]
        assert keys == [f"{self.oid}:2026-12-10:overdue:{w}" for w in (1, 2, 3)]

    def test_keys_fit_the_job_keys_table(self):
        assert len(Reminder(Stage.OVERDUE, 36_500).key(self.oid, DUE, 1)) <= 200


class TestOperatorC7:
    def test_only_staff_without_an_area_limit_may_run_reminders(self):
        check_may_run_for_everyone(frozenset())
        with pytest.raises(AreaBound) as refused:
            check_may_run_for_everyone(frozenset({"华东"}))
        assert refused.value.status_code == 403
        assert refused.value.message == (
            "only staff without an area limit may run reminders for everyone")
