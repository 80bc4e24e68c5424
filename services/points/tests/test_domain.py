"""Unit tests of the points rules, no I/O (P-1, P-2, P-3)."""

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

    def test_pending_is_cancelled_when_the_order_is_rejected(self):
        assert d.cancel(E.PENDING) is E.CANCELLED

    def test_repeating_a_transition_is_a_no_op(self):
        assert d.settle(E.EFFECTIVE) is E.EFFECTIVE
        assert d.cancel(E.CANCELLED) is E.CANCELLED

    def test_cancelled_never_takes_effect(self):
        with pytest.raises(d.IllegalTransition, match="cancelled"):
            d.settle(E.CANCELLED)

    def test_effective_is_not_cancelled(self):
        with pytest.raises(d.IllegalTransition, match="taken effect"):
            d.cancel(E.EFFECTIVE)


class TestBalance:
    def test_total_counts_effective_points_only_P1(self):
        b = d.balance({"pending": 40, "effective": 12, "cancelled": 7})
        assert (b.pending, b.total, b.redeemed, b.remaining) == (40, 12, 0, 12)

    def test_remaining_is_total_minus_redeemed(self):
        assert d.balance({"effective": 150}, redeemed=100).remaining == 50
        assert d.balance({}).remaining == 0
