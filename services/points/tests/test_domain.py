"""Unit tests of the points rules, no I/O (P-1, P-2, P-3)."""

from datetime import date
from decimal import Decimal

import pytest
from points_service.points import domain as d

E = d.EntryStatus


class TestPointsFor:
    @pytest.mark.parametrize(("total", "points"), [
        ("0", 0), ("0.00", 0), ("19.99", 0), ("20.00", 1), ("20", 1), ("39.99", 1),
        ("40.00", 2), ("801.50", 40), ("819.99", 40), ("820.00", 41),
        ("999999999999.99", 49999999999), ("-20.00", 0),
    ])
    def test_twenty_yuan_is_one_point_rounded_down_P2(self, total, points):
        result = d.points_for(Decimal(total))
        assert result == points and type(result) is int

    def test_rule_version_is_recorded_P3(self):
        assert d.RULE_VERSION == 1


class TestSource:
    def test_only_the_customers_own_orders_earn_P2(self):
        assert d.earns_points("portal")
        assert not d.earns_points("staff")  # self-entry earns none


class TestEntryStateMachine:
    def test_pending_becomes_effective_once_paid_P2(self):
        assert d.settle(E.PENDING) is E.EFFECTIVE

    def test_repeating_a_transition_is_a_no_op(self):
        assert d.settle(E.EFFECTIVE) is E.EFFECTIVE

    def test_cancelled_never_takes_effect(self):
        with pytest.raises(d.IllegalTransition, match="cancelled"):
            d.settle(E.CANCELLED)

    def test_a_reversal_takes_from_where_the_points_are_P2(self):
        assert d.reversal(E.PENDING, 7) == d.Deltas(pending=-7)
        assert d.reversal(E.EFFECTIVE, 7) == d.Deltas(effective=-7)


class TestBalance:
    def test_total_counts_effective_points_only_P1(self):
        b = d.balance({"pending": 40, "effective": 12})
        assert (b.pending, b.total, b.redeemed, b.remaining) == (40, 12, 0, 12)

    def test_remaining_is_total_minus_redeemed_and_reserved(self):
        assert d.balance({"effective": 150, "redeemed": 100}).remaining == 50
        assert d.balance({"effective": 150, "redeemed": 100, "reserved": 20}).remaining == 30
        assert d.balance({}).remaining == 0

    def test_can_redeem_from_the_threshold_of_cumulative_points_P2(self):
        assert not d.balance({"effective": 99}).can_redeem
        assert d.balance({"effective": 100}).can_redeem
        # redeemed points still count as earned
        assert d.balance({"effective": 120, "redeemed": 60}).can_redeem
        assert not d.balance({"effective": 120}, threshold=200).can_redeem


L = d.Line


class TestEarningPerCategory:
    def test_only_consumable_lines_earn_P2(self):
        lines = [L("consumable", Decimal("2000.00")), L("machine", Decimal("500.00")),
                 L("accessory", Decimal("80.00")), L("service", Decimal("300.00"))]
        assert d.earning_amount(lines) == Decimal("2000.00")
        assert d.points_for(d.earning_amount(lines)) == 100

    def test_a_product_of_unknown_category_counts_as_consumable(self):
        assert d.earning_amount([L(None, Decimal("45.50"))]) == Decimal("45.50")

    def test_floor_is_per_order_not_per_line_P2(self):
        lines = [L("consumable", Decimal("19.99")), L("consumable", Decimal("19.99"))]
        assert d.points_for(d.earning_amount(lines)) == 1


class TestEventMonth:
    rule = d.DEFAULT_RULE

    def test_orders_in_an_event_month_earn_nothing_P2(self):
        kw = {"source": "portal", "amount": Decimal("2000"), "rule": self.rule,
              "event_months": ["2026-12"]}
        assert d.order_points(placed_on=date(2026, 12, 1), **kw) == 0
        assert d.order_points(placed_on=date(2026, 12, 31), **kw) == 0
        assert d.order_points(placed_on=date(2027, 1, 1), **kw) == 100
        assert d.order_points(placed_on=date(2026, 11, 30), **kw) == 100

    def test_self_entry_earns_nothing_in_any_month(self):
        assert d.order_points(source="staff", amount=Decimal("2000"),
                              placed_on=date(2027, 1, 1), rule=self.rule,
                              event_months=[]) == 0

    def test_months_are_announced_a_calendar_month_ahead_P3(self):
        today = date(2026, 11, 15)
        assert d.new_event_months(["2027-01"], [], today) == ["2027-01"]
        with pytest.raises(d.Unprocessable, match="less than one calendar month"):
            d.new_event_months(["2026-12"], [], today)  # starts 1 Dec < 15 Dec
        assert d.new_event_months(["2026-12"], [], date(2026, 11, 1)) == ["2026-12"]

    def test_announced_months_stay_and_are_not_re_added(self):
        assert d.new_event_months(["2026-12", "2027-03"], ["2026-12"],
                                  date(2026, 11, 20)) == ["2027-03"]

    @pytest.mark.parametrize("bad", ["2026-13", "2026/12", "26-12", "", "2026-1"])
    def test_malformed_month_is_422(self, bad):
        with pytest.raises(d.Unprocessable, match="not a month"):
            d.new_event_months([bad], [], date(2026, 1, 1))


class TestReversal:
    rule = d.DEFAULT_RULE

    def test_a_return_takes_back_the_points_of_what_came_back_P2(self):
        # 2,000 yuan earned 100; 150 yuan returned → 1,850 left → 92 kept
        assert d.points_after_return(earning=Decimal("2000"), returned=Decimal("150"),
                                     rule=self.rule, earned=100) == 92

    def test_returning_everything_takes_back_everything(self):
        assert d.points_after_return(earning=Decimal("801.50"), returned=Decimal("801.50"),
                                     rule=self.rule, earned=40) == 0

    def test_an_order_that_earned_nothing_loses_nothing(self):
        assert d.points_after_return(earning=Decimal("2000"), returned=Decimal("100"),
                                     rule=self.rule, earned=0) == 0


class TestRuleVersions:
    v1 = d.DEFAULT_RULE
    v2 = d.Rule(2, Decimal("10"), 200, date(2027, 1, 1))

    def test_rule_version_by_date_P3(self):
        rules = [self.v1, self.v2]
        assert d.rule_on(rules, date(2026, 12, 31)) is self.v1
        assert d.rule_on(rules, date(2027, 1, 1)) is self.v2
        assert d.rule_on([], date(2027, 1, 1)) == d.DEFAULT_RULE

    def test_new_version_earns_by_its_own_rate(self):
        assert d.order_points(source="portal", amount=Decimal("2000"),
                              placed_on=date(2027, 1, 2), rule=self.v2, event_months=[]) == 200

    @pytest.mark.parametrize(("today", "first"), [
        (date(2026, 11, 15), date(2026, 12, 15)), (date(2027, 1, 31), date(2027, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)), (date(2026, 12, 20), date(2027, 1, 20))])
    def test_one_calendar_month_ahead_P3(self, today, first):
        assert d.earliest_announceable(today) == first

    def _check(self, effective_from, today=date(2026, 11, 15), latest=None):
        d.check_new_rule(yuan_per_point=Decimal("10"), redeem_threshold=100,
                         effective_from=effective_from, today=today,
                         latest=latest or self.v1)

    def test_announced_a_month_ahead_is_accepted(self):
        self._check(date(2026, 12, 15))

    def test_less_than_a_month_ahead_is_422_P3(self):
        with pytest.raises(d.Unprocessable, match="one calendar month"):
            self._check(date(2026, 12, 14))

    def test_in_the_past_is_422(self):
        with pytest.raises(d.Unprocessable, match="in the past"):
            self._check(date(2026, 11, 14))

    def test_not_after_the_latest_version_is_422(self):
        with pytest.raises(d.Unprocessable, match="latest version"):
            self._check(date(2027, 1, 1), latest=self.v2)


class TestAdjustment:
    def test_needs_a_reason_and_non_zero_points(self):
        assert d.check_adjustment(5, "  补偿  ") == "补偿"
        with pytest.raises(d.Unprocessable, match="reason"):
            d.check_adjustment(5, "  ")
        with pytest.raises(d.Unprocessable, match="not be 0"):
            d.check_adjustment(0, "x")

    def test_a_deduction_never_overdraws(self):
        d.check_adjustment_balance(10, 0, 0, -10)
        with pytest.raises(d.Unprocessable, match="has 10 points left"):
            d.check_adjustment_balance(10, 0, 0, -11)


def test_unsettle_makes_effective_points_pending_and_refuses_cancelled_P2_O6():
    assert d.unsettle(d.EntryStatus.EFFECTIVE) is d.EntryStatus.PENDING
    assert d.unsettle(d.EntryStatus.PENDING) is d.EntryStatus.PENDING
    with pytest.raises(d.IllegalTransition):
        d.unsettle(d.EntryStatus.CANCELLED)


class TestRedemptionRules:
    """P-2: 1 point = 1 yuan against consumables and accessories, from the threshold."""

    def b(self, total=150, redeemed=0, reserved=0, threshold=100):
        return d.Balance(pending=0, total=total, redeemed=redeemed, reserved=reserved,
                              threshold=threshold)

    def test_redeemable_value_counts_consumables_and_accessories_only(self):
        lines = [d.Line("consumable", Decimal("100.50")), d.Line("accessory", Decimal("20")),
                 d.Line("machine", Decimal("30000")), d.Line("service", Decimal("500")),
                 d.Line(None, Decimal("1"))]
        assert d.redeemable_value(lines) == Decimal("121.50")
        assert d.max_redeemable(Decimal("121.50")) == 121

    def test_threshold_then_redeemable_then_balance(self):
        assert d.decide_reservation(10, self.b(total=99), Decimal("1000")).refusal is \
            d.Refusal.THRESHOLD
        assert d.decide_reservation(121, self.b(), Decimal("120.99")).refusal is \
            d.Refusal.REDEEMABLE
        assert d.decide_reservation(120, self.b(reserved=31), Decimal("200")).refusal is \
            d.Refusal.INSUFFICIENT
        assert d.decide_reservation(119, self.b(reserved=31), Decimal("200")).refusal is None
        assert d.decide_reservation(100, self.b(total=100), Decimal("100")).refusal is None

    def test_threshold_counts_cumulative_effective_points_not_what_is_left(self):
        # 150 earned, 120 redeemed: 30 left, still allowed to use them
        assert d.decide_reservation(30, self.b(redeemed=120), Decimal("100")).refusal is None

    def test_nothing_to_reserve_is_a_caller_error(self):
        with pytest.raises(d.Unprocessable):
            d.decide_reservation(0, self.b(), Decimal("100"))

    def test_saga_states(self):
        S, C = d.RedemptionStatus, d.ReleaseCause
        assert d.confirm(S.RESERVED) is S.HELD
        assert d.confirm(S.HELD) is S.HELD
        assert d.redeem(S.HELD) is S.REDEEMED
        assert d.redeem(S.RESERVED) is S.REDEEMED
        assert d.release(S.HELD, C.CANCELLED) is S.RELEASED
        assert d.release(S.RESERVED, C.TIMEOUT) is S.RELEASED
        assert d.release(S.REDEEMED, C.CANCELLED) is S.RELEASED
        for bad in ((S.HELD, C.TIMEOUT), (S.REDEEMED, C.REJECTED), (S.RELEASED, C.CANCELLED),
                    (S.REFUSED, C.CANCELLED)):
            with pytest.raises(d.IllegalTransition):
                d.release(*bad)
        for bad in (S.RELEASED, S.REFUSED):
            with pytest.raises(d.IllegalTransition):
                d.confirm(bad)
            with pytest.raises(d.IllegalTransition):
                d.redeem(bad)

    def test_expiry_only_for_unconfirmed_reservations(self):
        from datetime import UTC, datetime
        now = datetime(2026, 12, 1, tzinfo=UTC)
        assert d.is_expired(d.RedemptionStatus.RESERVED, now, now)
        assert not d.is_expired(d.RedemptionStatus.HELD, now, now)
        assert not d.is_expired(d.RedemptionStatus.RESERVED,
                                     datetime(2026, 12, 2, tzinfo=UTC), now)

    def test_points_paid_with_earn_nothing(self):
        assert d.net_of_points(Decimal("2000"), 50) == Decimal("1950")
        assert d.net_of_points(Decimal("40"), 50) == Decimal("0")
        # a return of an order paid partly with points keeps the points of what is left
        assert d.points_after_return(earning=Decimal("2000"), returned=Decimal("1000"),
                                          rule=d.DEFAULT_RULE, earned=97,
                                          points_used=50) == 47


class TestAnnouncedChanges:
    @pytest.mark.parametrize(("deltas", "announced"), [
        ({}, False), ({"effective": 0}, False), ({"effective": 5}, True),
        ({"reserved": -3}, True), ({"redeemed": 2}, True),
        ({"effective": 4, "reserved": 4}, True),
    ])
    def test_pending_only_movements_change_nothing_announced_P2(self, deltas, announced):
        assert d.changes_redeemable(**deltas) is announced
