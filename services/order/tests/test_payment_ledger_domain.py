"""Unit: the payment ledger's pure rules (O-6) — recording a payment and the payment
status, a payment at most the outstanding amount (409), a reversal's four-eyes review
and its effect on the paid total, and what may be refunded."""

from decimal import Decimal as D

import pytest
from order_service.orders.domain import IllegalTransition, InvalidOrder, OrderStatus
from order_service.payments import domain as d

S = OrderStatus


class TestApplyPayment:
    def test_partial_then_full_O6(self):
        first = d.apply_payment(S.APPROVED, D("100"), D("0"), D("40"))
        assert (first.paid_total, first.outstanding, first.fully_paid_now) == (
            D("40.00"), D("60.00"), False)
        second = d.apply_payment(S.APPROVED, D("100"), first.paid_total, D("60"))
        assert second.fully_paid_now and second.outstanding == 0

    def test_refuses_overpayment(self):
        with pytest.raises(InvalidOrder, match="exceeds the outstanding balance 60.00"):
            d.apply_payment(S.APPROVED, D("100"), D("40"), D("60.01"))

    def test_refuses_a_zero_amount(self):
        with pytest.raises(InvalidOrder, match="greater than zero"):
            d.apply_payment(S.APPROVED, D("100"), D("0"), D("0"))

    def test_refuses_payment_on_cancelled(self):
        with pytest.raises(IllegalTransition, match="cancelled"):
            d.apply_payment(S.CANCELLED, D("100"), D("0"), D("1"))

    def test_refuses_payment_on_paid_or_rejected(self):
        with pytest.raises(IllegalTransition):
            d.apply_payment(S.APPROVED, D("100"), D("100"), D("1"))
        with pytest.raises(IllegalTransition):
            d.apply_payment(S.REJECTED, D("100"), D("0"), D("1"))

    def test_payment_status(self):
        assert d.payment_status(D("10"), D("0")) is d.PaymentStatus.UNPAID
        assert d.payment_status(D("10"), D("5")) is d.PaymentStatus.PARTIALLY_PAID
        assert d.payment_status(D("10"), D("10")) is d.PaymentStatus.PAID


class TestPaymentAmount:
    def test_several_partial_payments_up_to_the_total_O6(self):
        d.check_payment_amount(S.PROCESSING, D("100"), D("0"), D("40"))
        d.check_payment_amount(S.PROCESSING, D("100"), D("40"), D("60"))

    def test_more_than_outstanding_is_a_409_naming_it_O6(self):
        with pytest.raises(d.Overpayment, match="outstanding balance 60.00") as e:
            d.check_payment_amount(S.PROCESSING, D("100"), D("40"), D("60.01"))
        assert e.value.status_code == 409

    def test_a_paid_or_cancelled_order_keeps_its_own_refusal(self):
        d.check_payment_amount(S.PROCESSING, D("100"), D("100"), D("1"))
        d.check_payment_amount(S.CANCELLED, D("100"), D("0"), D("101"))
        with pytest.raises(IllegalTransition, match="already fully paid"):
            d.apply_payment(S.PROCESSING, D("100"), D("100"), D("1"))


class TestReversal:
    def test_payment_states(self):
        assert d.payment_state(None, False) is d.PaymentState.RECORDED
        assert d.payment_state(None, True) is d.PaymentState.REVERSAL_PENDING
        assert d.payment_state("r1", False) is d.PaymentState.REVERSED

    def test_only_a_counting_payment_without_a_pending_reversal_O6(self):
        d.check_reversal_request(d.PaymentState.RECORDED)
        for state in (d.PaymentState.REVERSED, d.PaymentState.REVERSAL_PENDING):
            with pytest.raises(d.ReversalNotAllowed):
                d.check_reversal_request(state)

    def test_reviewed_by_someone_else_O6(self):
        P = d.ReversalStatus.PENDING
        assert d.decide_reversal(P, "staff-a", "staff-b", approve=True) is \
            d.ReversalStatus.APPROVED
        assert d.decide_reversal(P, "staff-a", "staff-b", approve=False) is \
            d.ReversalStatus.REJECTED
        with pytest.raises(d.SameReviewer) as e:
            d.decide_reversal(P, "staff-a", "staff-a", approve=True)
        assert e.value.status_code == 409
        for done in (d.ReversalStatus.APPROVED, d.ReversalStatus.REJECTED):
            with pytest.raises(d.ReversalNotAllowed, match="already"):
                d.decide_reversal(done, "staff-a", "staff-b", approve=True)

    def test_lowers_the_paid_total_and_says_when_a_paid_order_is_unpaid_again_O6(self):
        out = d.apply_reversal(D("100"), D("100"), D("0"), D("30"))
        assert (out.paid_total, out.outstanding, out.no_longer_paid) == (
            D("70.00"), D("30.00"), True)
        partial = d.apply_reversal(D("100"), D("70"), D("0"), D("30"))
        assert (partial.paid_total, partial.no_longer_paid) == (D("40.00"), False)

    def test_never_below_what_was_refunded(self):
        with pytest.raises(d.ReversalNotAllowed, match="refunded"):
            d.apply_reversal(D("100"), D("100"), D("80"), D("30"))
        with pytest.raises(d.ReversalNotAllowed, match="below zero"):
            d.apply_reversal(D("100"), D("20"), D("0"), D("30"))


class TestRefundable:
    def test_approved_returns_less_refunds_at_most_paid_O6(self):
        assert d.refundable(S.COMPLETED, D("500"), D("0"), D("480.90")) == D("480.90")
        assert d.refundable(S.COMPLETED, D("500"), D("100"), D("480.90")) == D("380.90")
        assert d.refundable(S.COMPLETED, D("200"), D("0"), D("480.90")) == D("200.00")
        assert d.refundable(S.COMPLETED, D("500"), D("0"), D("0")) == D("0.00")

    def test_a_cancelled_order_refunds_everything_paid_O6(self):
        assert d.refundable(S.CANCELLED, D("300"), D("0"), D("0")) == D("300.00")
        assert d.refundable(S.CANCELLED, D("300"), D("300"), D("0")) == D("0.00")

    def test_more_is_a_409_naming_the_refundable_amount(self):
        d.check_refund(D("380.90"), D("380.90"))
        with pytest.raises(d.NotRefundable, match="refundable amount 380.90") as e:
            d.check_refund(D("381"), D("380.90"))
        assert e.value.status_code == 409
        with pytest.raises(d.NotRefundable, match="nothing can be refunded"):
            d.check_refund(D("1"), D("0"))
