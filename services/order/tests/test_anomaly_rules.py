"""Anomaly rules of ordering cycles, pure (A-3, A-4, B-6, C-6): every N days, weekday
cycles, a customer with no orders yet (measured from the day its cycle was set), a
customer that ordered early; the processing status of the current miss, the usual order
value, the cycle history, the consumables' months and the daily counts' rule. No I/O."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from order_service.analysis.anomalies_domain import (
    OPEN,
    Cycle,
    NotOverdue,
    Reason,
    Standing,
    abnormal_on,
    assess,
    cycle_history,
    cycle_of,
    ensure_overdue,
    expected_date,
    months_back,
    processing_status,
    reason,
    snapshot_window,
    usual_value,
)
from servicekit.cycles import CycleKind

MONDAY = date(2026, 12, 7)  # isoweekday 1
EVERY_7 = Cycle(CycleKind.DAYS, days=7)
EVERY_30 = Cycle(CycleKind.DAYS, days=30)
ON_FRIDAYS = Cycle(CycleKind.WEEKDAY, weekday=5)
ON_MONDAYS = Cycle(CycleKind.WEEKDAY, weekday=1)


def days(n: int) -> timedelta:
    return timedelta(days=n)


class TestEveryNDaysA3:
    def test_last_order_ten_days_ago_on_a_7_day_cycle_is_3_days_overdue(self):
        a = assess(EVERY_7, MONDAY - days(10), None, MONDAY)
        assert (a.standing, a.reason) == (Standing.ABNORMAL, Reason.OVERDUE)
        assert a.expected_date == MONDAY - days(3)
        assert a.days_overdue == 3 and a.last_order_date == MONDAY - days(10)

    def test_due_today_is_not_yet_overdue(self):
        a = assess(EVERY_7, MONDAY - days(7), None, MONDAY)
        assert (a.standing, a.expected_date, a.days_overdue) == (Standing.NORMAL, MONDAY, 0)
        assert a.reason is Reason.ON_TIME

    def test_one_day_past_is_one_day_overdue(self):
        a = assess(EVERY_7, MONDAY - days(8), None, MONDAY)
        assert (a.abnormal, a.days_overdue) == (True, 1)

    def test_the_last_order_counts_not_the_day_the_cycle_was_set(self):
        # the cycle was set yesterday, the last order is 40 days old: 10 days overdue
        a = assess(EVERY_30, MONDAY - days(40), MONDAY - days(1), MONDAY)
        assert (a.abnormal, a.days_overdue) == (True, 10)


class TestWeekdayCyclesA3:
    def test_due_on_the_first_such_weekday_after_the_last_order(self):
        # last order on Monday 2026-11-30: the next Friday is 2026-12-04, passed by Monday
        a = assess(ON_FRIDAYS, date(2026, 11, 30), None, MONDAY)
        assert a.expected_date == date(2026, 12, 4)
        assert (a.abnormal, a.days_overdue) == (True, 3)

    def test_an_order_on_the_weekday_itself_is_due_a_week_later(self):
        a = assess(ON_MONDAYS, MONDAY - days(7), None, MONDAY)
        assert (a.expected_date, a.abnormal) == (MONDAY, False)
        a = assess(ON_MONDAYS, MONDAY - days(14), None, MONDAY)
        assert (a.expected_date, a.days_overdue) == (MONDAY - days(7), 7)

    def test_ordered_this_week_before_the_weekday_is_normal(self):
        a = assess(ON_FRIDAYS, MONDAY - days(2), None, MONDAY)  # Saturday → next Friday
        assert (a.expected_date, a.abnormal) == (date(2026, 12, 11), False)


class TestNoOrderYetA3:
    def test_every_n_days_measured_from_the_day_the_cycle_was_set(self):
        a = assess(EVERY_7, None, MONDAY - days(10), MONDAY)
        assert (a.abnormal, a.expected_date, a.days_overdue) == (True, MONDAY - days(3), 3)
        assert a.last_order_date is None
        a = assess(EVERY_7, None, MONDAY - days(2), MONDAY)
        assert (a.standing, a.reason) == (Standing.NORMAL, Reason.WAITING_FIRST)
        assert a.expected_date == MONDAY + days(5)

    def test_weekly_the_first_such_weekday_after_the_cycle_was_set(self):
        # set on Monday 2026-11-30: the first Friday after it is 2026-12-04
        assert expected_date(ON_FRIDAYS, None, date(2026, 11, 30), MONDAY) == date(2026, 12, 4)
        a = assess(ON_FRIDAYS, None, date(2026, 11, 30), MONDAY)
        assert (a.abnormal, a.days_overdue) == (True, 3)
        # set on a Friday: the next Friday, a week later
        assert expected_date(ON_FRIDAYS, None, date(2026, 12, 4), MONDAY) == date(2026, 12, 11)

    def test_a_cycle_of_unknown_age_is_never_overdue(self):
        for cycle in (EVERY_7, ON_FRIDAYS):
            a = assess(cycle, None, None, MONDAY)
            assert a.standing is Standing.NORMAL and a.expected_date >= MONDAY


class TestOrderedEarlyA3:
    def test_an_order_before_the_due_date_is_normal(self):
        # a 30-day cycle, ordered 5 days ago although 30 days had not passed: normal
        a = assess(EVERY_30, MONDAY - days(5), None, MONDAY)
        assert (a.standing, a.expected_date, a.days_overdue) == (
            Standing.NORMAL, MONDAY + days(25), 0)

    def test_an_early_order_ends_an_overdue_miss(self):
        before = assess(EVERY_7, MONDAY - days(10), None, MONDAY)
        after = assess(EVERY_7, MONDAY, None, MONDAY)  # it ordered today
        assert before.abnormal and not after.abnormal


class TestNotMeasuredA4:
    def test_no_cycle_and_not_approved_are_normal(self):
        a = assess(None, MONDAY - days(400), None, MONDAY)
        assert (a.standing, a.reason, a.expected_date) == (Standing.NORMAL, Reason.NO_CYCLE,
                                                          None)
        a = assess(EVERY_7, MONDAY - days(40), None, MONDAY, approved=False)
        assert (a.standing, a.reason) == (Standing.NORMAL, Reason.NOT_APPROVED)

    @pytest.mark.parametrize(("kind", "d", "w", "expected"), [
        ("days", 7, None, EVERY_7), ("weekday", None, 5, ON_FRIDAYS), (None, None, None, None),
        ("days", 0, None, None), ("days", None, None, None), ("weekday", None, 8, None),
        ("weekday", None, 0, None), ("monthly", 3, 3, None)])
    def test_cycle_of_the_read_model_columns(self, kind, d, w, expected):
        assert cycle_of(kind, d, w) == expected

    def test_the_reason_in_a_sentence_A4(self):
        a = assess(EVERY_7, MONDAY - days(10), None, MONDAY)
        assert reason(a, EVERY_7) == ("Past its ordering cycle (every 7 days, last order on "
                                      "2026-11-27): it should have ordered by 2026-12-04, "
                                      "3 days ago.")
        a = assess(ON_FRIDAYS, MONDAY - days(2), None, MONDAY)
        assert "every Friday" in reason(a, ON_FRIDAYS) and "2026-12-11" in reason(
            a, ON_FRIDAYS)
        assert "no ordering cycle" in reason(assess(None, None, None, MONDAY), None)
        a = assess(EVERY_7, None, MONDAY, MONDAY)
        assert "no order yet" in reason(a, EVERY_7)


class TestFollowUpsB6:
    def test_only_an_overdue_customer_takes_a_follow_up(self):
        a = assess(EVERY_7, MONDAY - days(10), None, MONDAY)
        assert ensure_overdue(a) == MONDAY - days(3)
        with pytest.raises(NotOverdue) as e:
            ensure_overdue(assess(EVERY_7, MONDAY - days(2), None, MONDAY))
        assert e.value.status_code == 409 and "not overdue" in e.value.message

    def test_processing_status_is_the_latest_follow_up_of_the_current_miss(self):
        due = MONDAY - days(3)
        earlier = MONDAY - days(40)
        assert processing_status([], due) == OPEN
        newest_first = [(due, "will_order"), (due, "contacted"), (earlier, "lost")]
        assert processing_status(newest_first, due) == "will_order"
        # a follow-up of an earlier miss does not carry over to the new one
        assert processing_status([(earlier, "resolved")], due) == OPEN
        assert processing_status(newest_first, None) == OPEN


class TestUsualValueA3:
    def test_average_of_the_last_five_to_the_cent(self):
        totals = [Decimal(x) for x in ("100.00", "200.00", "300.00", "400.00", "500.01",
                                       "9999.00")]
        assert usual_value(totals) == Decimal("300.00")
        assert usual_value([Decimal("10.00"), Decimal("10.01"), Decimal("10.01")]) == \
            Decimal("10.01")
        assert usual_value([]) is None


class TestCycleHistoryA3:
    def test_days_since_the_previous_order_late_against_the_current_cycle(self):
        orders = [("A1", date(2026, 11, 1)), ("A2", date(2026, 11, 8)),
                  ("A3", date(2026, 11, 20)), ("A4", date(2026, 11, 22))]
        steps = cycle_history(orders, EVERY_7)
        assert [(s.order_number, s.days_since_previous, s.late) for s in steps] == [
            ("A4", 2, False), ("A3", 12, True), ("A2", 7, False), ("A1", None, None)]
        assert steps[1].expected_date == date(2026, 11, 15)

    def test_weekly_history_and_only_the_last_twelve(self):
        orders = [(f"W{i}", date(2026, 1, 5) + days(7 * i)) for i in range(20)]  # Mondays
        steps = cycle_history(orders, ON_MONDAYS)
        assert len(steps) == 12 and steps[0].order_number == "W19"
        assert all(s.days_since_previous == 7 and s.late is False for s in steps)
        late = cycle_history([("X", date(2026, 11, 30)), ("Y", date(2026, 12, 8))],
                             ON_MONDAYS)
        assert late[0].late is True  # Tuesday, a day after the Monday it was due

    def test_without_a_cycle_nothing_is_judged(self):
        steps = cycle_history([("A", date(2026, 1, 1)), ("B", date(2026, 3, 1))], None)
        assert (steps[0].days_since_previous, steps[0].late) == (59, None)


class TestMonthsBackA4:
    @pytest.mark.parametrize(("today", "months", "start"), [
        (date(2026, 12, 7), 12, date(2025, 12, 8)),
        (date(2026, 12, 7), 1, date(2026, 11, 8)),
        (date(2026, 3, 31), 1, date(2026, 3, 1)),  # February is shorter
        (date(2026, 1, 15), 36, date(2023, 1, 16)),
    ])
    def test_the_first_day_of_the_last_months(self, today, months, start):
        assert months_back(today, months) == start


class TestDailyCountsRuleA3:
    def test_abnormal_on_a_past_day_from_the_orders_known_then(self):
        orders = [MONDAY - days(30), MONDAY - days(12)]
        # 12 days ago it ordered; 7-day cycle: overdue from 4 days ago on
        assert not abnormal_on(EVERY_7, orders, None, MONDAY - days(5))
        assert abnormal_on(EVERY_7, orders, None, MONDAY - days(4))
        # 15 days ago the last order was 30 days ago: overdue then
        assert abnormal_on(EVERY_7, orders, None, MONDAY - days(15))
        # before its first order: measured from the day its cycle was set
        assert not abnormal_on(EVERY_7, orders, MONDAY - days(40), MONDAY - days(35))
        assert abnormal_on(EVERY_7, orders, MONDAY - days(40), MONDAY - days(32))
        assert not abnormal_on(EVERY_7, orders, None, MONDAY - days(32))

    def test_the_window_is_the_ninety_days_before_today(self):
        assert snapshot_window(MONDAY) == (MONDAY - days(90), MONDAY - days(1))
