"""Unit, no I/O: credit limits and holds (B-3) — `credit_check`, the hold's reason in both
languages, re-judging on a modification, releasing, and that a held order offers the
release instead of the approval and cannot be approved."""

from decimal import Decimal as D

import pytest
from order_service.orders import domain
from order_service.orders.domain import CreditHeld, Hold, IllegalTransition, OrderStatus


class TestCreditCheckB3:
    def test_no_limit_never_holds(self):
        assert domain.credit_check(None, D("1000000"), D("999999.99")) is None

    @pytest.mark.parametrize(("limit", "outstanding", "amount"), [
        ("50000.00", "0", "50000.00"),         # reaching the limit exactly is allowed
        ("50000.00", "49999.99", "0.01"),
        ("50000", "10000.50", "200.25"),
        ("0", "0", "0"),
    ])
    def test_within_the_limit_passes(self, limit, outstanding, amount):
        assert domain.credit_check(D(limit), D(outstanding), D(amount)) is None

    @pytest.mark.parametrize(("limit", "outstanding", "amount"), [
        ("50000.00", "0", "50000.01"),
        ("50000.00", "49999.99", "0.02"),
        ("0", "0", "0.01"),
        ("100", "150", "1"),                   # already over: any order is held
    ])
    def test_over_the_limit_is_held_with_the_figures(self, limit, outstanding, amount):
        hold = domain.credit_check(D(limit), D(outstanding), D(amount))
        assert hold == Hold(D(limit).quantize(D("0.01")),
                            D(outstanding).quantize(D("0.01")),
                            D(amount).quantize(D("0.01")))

    def test_the_reason_in_both_languages(self):
        hold = domain.credit_check(D("50000"), D("45000.5"), D("6000"))
        assert hold is not None
        assert hold.reason == "超出信用额度：未付 ¥45,000.50 + 本单 ¥6,000.00 > 额度 ¥50,000.00"
        assert hold.reason_en == ("Over the credit limit: outstanding ¥45,000.50 + this order "
                                  "¥6,000.00 > limit ¥50,000.00")
        assert isinstance(hold.limit, D) and isinstance(hold.outstanding, D)


class TestModifyB3:
    HOLD = Hold(D("100.00"), D("50.00"), D("60.00"))

    def test_not_released_stays_held(self):
        assert domain.hold_after_modify(self.HOLD, released_total=None,
                                        total=D("60")) == self.HOLD

    def test_release_stays_while_the_total_does_not_grow(self):
        assert domain.hold_after_modify(self.HOLD, released_total=D("60"),
                                        total=D("60")) is None
        assert domain.hold_after_modify(self.HOLD, released_total=D("80"),
                                        total=D("60")) is None

    def test_a_larger_total_is_held_again(self):
        assert domain.hold_after_modify(self.HOLD, released_total=D("59.99"),
                                        total=D("60")) == self.HOLD

    def test_within_the_limit_no_hold(self):
        assert domain.hold_after_modify(None, released_total=None, total=D("1")) is None


class TestReviewAndReleaseB3:
    def test_a_held_order_cannot_be_approved_but_can_be_rejected(self):
        with pytest.raises(CreditHeld, match="credit hold .*outstanding.*release"):
            domain.approve(OrderStatus.SUBMITTED, reviewer="r", total=D("1"),
                           credit_hold="outstanding ¥1 + this order ¥1 > limit ¥1")
        assert domain.reject(OrderStatus.SUBMITTED) is OrderStatus.REJECTED
        assert domain.approve(OrderStatus.SUBMITTED, reviewer="r",
                              total=D("1")) is OrderStatus.APPROVED

    def test_release_only_of_a_held_submitted_order(self):
        domain.release_credit_hold(OrderStatus.SUBMITTED, True)
        with pytest.raises(IllegalTransition, match="not on credit hold"):
            domain.release_credit_hold(OrderStatus.SUBMITTED, False)
        with pytest.raises(IllegalTransition):
            domain.release_credit_hold(OrderStatus.PROCESSING, True)

    def test_actions_offer_the_release_instead_of_the_approval(self):
        held = domain.available_actions(OrderStatus.SUBMITTED, credit_hold=True)
        free = domain.available_actions(OrderStatus.SUBMITTED)
        assert "release_credit_hold" in held and "approve" not in held
        assert "reject" in held and "modify" in held and "cancel" in held
        assert "approve" in free and "release_credit_hold" not in free
