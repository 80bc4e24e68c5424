"""Unit tests of the order's state machine and lifecycle rules, no I/O: every allowed and
every refused transition (O-4, O-5, O-8, O-9; the shipment and receipt steps from
shipments.domain), two-level review (seed 003), modification diffs and optimistic locking
(O-4), returns (O-9), reorder (O-11) and the list filters (O-10). The shipment and
receipt rules themselves are in test_shipments_domain.py."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from order_service.orders import domain as d
from order_service.shipments import domain as sd

S, A = d.OrderStatus, d.Action
D = Decimal
P1, P2, P3 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

# Each public transition, applied to a status with typical arguments.
TRANSITIONS = {
    "modify": d.modify,
    "cancel": d.cancel,
    "approve": lambda s: d.approve(s, reviewer="second", total=D("100"),
                                   first_reviewer="first"),
    "reject": d.reject,
    "start_processing": d.start_processing,
    "request_cancellation": d.request_cancellation,
    "approve_cancellation": lambda s: d.decide_cancellation(s, approve=True,
                                                            previous=S.PROCESSING),
    "reject_cancellation": lambda s: d.decide_cancellation(s, approve=False,
                                                           previous=S.PROCESSING),
    "ship_part": lambda s: sd.after_shipment(s, all_shipped=False),
    "ship_rest": lambda s: sd.after_shipment(s, all_shipped=True),
    "confirm_receipt": lambda s: sd.after_receipt(s, all_shipped=False, all_receipted=False,
                                                 shortage=False),
    "complete": d.complete,
    "request_return": lambda s: d.check_return_allowed(s) or s,
}

# Every allowed (transition, from) → to; every other pair must be refused with a 409.
ALLOWED = {
    ("modify", S.SUBMITTED): S.SUBMITTED,
    ("cancel", S.SUBMITTED): S.CANCELLED,
    ("approve", S.SUBMITTED): S.APPROVED,
    ("approve", S.PENDING_SECOND_REVIEW): S.APPROVED,
    ("reject", S.SUBMITTED): S.REJECTED,
    ("reject", S.PENDING_SECOND_REVIEW): S.REJECTED,
    ("start_processing", S.APPROVED): S.PROCESSING,
    ("request_cancellation", S.PENDING_SECOND_REVIEW): S.CANCELLATION_REQUESTED,
    ("request_cancellation", S.PROCESSING): S.CANCELLATION_REQUESTED,
    ("approve_cancellation", S.CANCELLATION_REQUESTED): S.CANCELLED,
    ("reject_cancellation", S.CANCELLATION_REQUESTED): S.PROCESSING,
    ("ship_part", S.PROCESSING): S.PARTIALLY_SHIPPED,
    ("ship_part", S.PARTIALLY_SHIPPED): S.PARTIALLY_SHIPPED,
    ("ship_rest", S.PROCESSING): S.SHIPPED,
    ("ship_rest", S.PARTIALLY_SHIPPED): S.SHIPPED,
    ("confirm_receipt", S.PARTIALLY_SHIPPED): S.PARTIALLY_SHIPPED,
    ("confirm_receipt", S.SHIPPED): S.SHIPPED,
    ("complete", S.RECEIVED): S.COMPLETED,
    ("request_return", S.PARTIALLY_SHIPPED): S.PARTIALLY_SHIPPED,
    ("request_return", S.SHIPPED): S.SHIPPED,
    ("request_return", S.RECEIVED): S.RECEIVED,
    ("request_return", S.COMPLETED): S.COMPLETED,
}
ALL_PAIRS = [(t, s) for t in TRANSITIONS for s in S]


class TestStateMachine:
    @pytest.mark.parametrize(("transition", "status"), list(ALLOWED))
    def test_allowed_transition(self, transition, status):
        assert TRANSITIONS[transition](status) is ALLOWED[(transition, status)]

    @pytest.mark.parametrize(("transition", "status"),
                             [p for p in ALL_PAIRS if p not in ALLOWED])
    def test_refused_transition_is_a_409_with_a_reason(self, transition, status):
        with pytest.raises(d.IllegalTransition) as exc:
            TRANSITIONS[transition](status)
        assert exc.value.status_code == 409
        assert status.value.replace("_", " ") in exc.value.message

    def test_table_and_functions_agree(self):
        """The ALLOWED table the API reports as `actions` is what the functions do."""
        by_action = {
            A.MODIFY: "modify", A.CANCEL: "cancel", A.APPROVE: "approve",
            A.REJECT: "reject", A.START_PROCESSING: "start_processing",
            A.REQUEST_CANCELLATION: "request_cancellation",
            A.APPROVE_CANCELLATION: "approve_cancellation",
            A.REJECT_CANCELLATION: "reject_cancellation", A.SHIP: "ship_part",
            A.CONFIRM_RECEIPT: "confirm_receipt", A.COMPLETE: "complete",
            A.REQUEST_RETURN: "request_return"}
        for action, name in by_action.items():
            allowed = {s for (t, s) in ALLOWED if t == name}
            expected = set(d.ALLOWED[action])
            if action is A.APPROVE:
                expected |= d.ALLOWED[A.SECOND_APPROVE]
            assert allowed == expected, action

    def test_reviewed_orders_cannot_be_modified_O5(self):
        for status in set(S) - {S.SUBMITTED}:
            with pytest.raises(d.IllegalTransition, match="cannot be modified"):
                d.modify(status)

    def test_refusal_explains_what_to_do_instead(self):
        with pytest.raises(d.IllegalTransition, match="ask for a cancellation"):
            d.cancel(S.PROCESSING)

    def test_terminal_states_allow_nothing_but_returns_after_completion(self):
        for status in (S.REJECTED, S.CANCELLED):
            assert d.available_actions(status, unreceived_shipment=True,
                                       returnable=True) == []
        assert d.available_actions(S.COMPLETED, returnable=True) == ["request_return"]


class TestTwoLevelReview:
    def test_no_threshold_one_approval_suffices_O5(self):
        assert d.approve(S.SUBMITTED, reviewer="a", total=D("1000000")) is S.APPROVED

    def test_above_threshold_first_approval_waits_for_a_second(self):
        assert d.approve(S.SUBMITTED, reviewer="a", total=D("5000.01"),
                         threshold=D("5000")) is S.PENDING_SECOND_REVIEW

    def test_at_threshold_one_approval_suffices(self):
        assert d.approve(S.SUBMITTED, reviewer="a", total=D("5000"),
                         threshold=D("5000")) is S.APPROVED

    def test_second_approval_by_another_reviewer(self):
        assert d.approve(S.PENDING_SECOND_REVIEW, reviewer="b", total=D("9000"),
                         threshold=D("5000"), first_reviewer="a") is S.APPROVED

    def test_same_reviewer_twice_is_refused(self):
        with pytest.raises(d.IllegalTransition, match="different reviewer"):
            d.approve(S.PENDING_SECOND_REVIEW, reviewer="a", total=D("9000"),
                      threshold=D("5000"), first_reviewer="a")

    def test_pending_second_review_is_frozen(self):
        with pytest.raises(d.IllegalTransition):
            d.modify(S.PENDING_SECOND_REVIEW)


class TestCancellation:
    def test_rejected_request_goes_back_where_it_was(self):
        assert d.decide_cancellation(S.CANCELLATION_REQUESTED, approve=False,
                                     previous=S.PENDING_SECOND_REVIEW) is \
            S.PENDING_SECOND_REVIEW

    def test_rejected_request_without_a_known_previous_state_is_refused(self):
        with pytest.raises(d.IllegalTransition, match="unknown"):
            d.decide_cancellation(S.CANCELLATION_REQUESTED, approve=False, previous=None)

    def test_no_cancellation_once_shipped(self):
        for status in (S.PARTIALLY_SHIPPED, S.SHIPPED, S.RECEIVED, S.COMPLETED):
            with pytest.raises(d.IllegalTransition, match="until it ships"):
                d.request_cancellation(status)


class TestReturns:
    def test_at_most_received_minus_returned_O9(self):
        assert d.plan_return({P1: 5}, {P1: 2}, [d.Quantity(P1, 3)]) == {P1: 3}
        with pytest.raises(d.InvalidOrder, match=r"more than can still be returned \(3 of 5"):
            d.plan_return({P1: 5}, {P1: 2}, [d.Quantity(P1, 4)])

    def test_only_received_goods(self):
        with pytest.raises(d.InvalidOrder, match="nothing of product"):
            d.plan_return({P1: 5}, {}, [d.Quantity(P2, 1)])

    def test_decision_once(self):
        assert d.decide_return(d.ReturnStatus.REQUESTED, approve=True) is \
            d.ReturnStatus.APPROVED
        assert d.decide_return(d.ReturnStatus.REQUESTED, approve=False) is \
            d.ReturnStatus.REJECTED
        for status in (d.ReturnStatus.APPROVED, d.ReturnStatus.REJECTED):
            with pytest.raises(d.IllegalTransition, match="already"):
                d.decide_return(status, approve=True)

    def test_refund_at_most_the_goods_value(self):
        assert d.check_refund(D("480.90"), D("480.90")) == D("480.90")
        assert d.check_refund(D("0"), D("10")) == D("0.00")
        with pytest.raises(d.InvalidOrder, match="refund_amount"):
            d.check_refund(D("480.91"), D("480.90"))


class TestModification:
    BEFORE = d.Snapshot(date(2026, 11, 26), "ordinary_vat", None, D("801.50"),
                        ((P1, "墨水", "INK", 5),))

    def test_diff_names_fields_and_lines_O4(self):
        after = d.Snapshot(date(2026, 11, 27), "ordinary_vat", "急", D("1122.10"),
                           ((P1, "墨水", "INK", 7), (P2, "清洗液", "CL", 1)))
        changes, lines = d.diff(self.BEFORE, after)
        assert [(c.field, c.before, c.after) for c in changes] == [
            ("delivery_date", "2026-11-26", "2026-11-27"), ("remark", None, "急"),
            ("total", "801.50", "1122.10"), ("lines", None, None)]
        assert [(ln.product_id, ln.quantity_before, ln.quantity_after) for ln in lines] == [
            (P1, 5, 7), (P2, 0, 1)]

    def test_removed_line_and_no_change(self):
        after = d.Snapshot(date(2026, 11, 26), "ordinary_vat", None, D("0"), ())
        _, lines = d.diff(self.BEFORE, after)
        assert [(ln.quantity_before, ln.quantity_after) for ln in lines] == [(5, 0)]
        assert d.diff(self.BEFORE, self.BEFORE) == ([], [])

    def test_stale_version_is_a_409(self):
        d.check_version(3, 3)
        with pytest.raises(d.StaleVersion, match="version 2, it is now version 3") as exc:
            d.check_version(3, 2)
        assert exc.value.status_code == 409

    def test_version_is_required(self):
        with pytest.raises(d.Unprocessable, match="version"):
            d.check_version(3, None)


class TestReorder:
    CATALOG = {P1: d.CatalogPrice(P1, "墨水", "INK", D("170.00")),
               P2: d.CatalogPrice(P2, "旧", "OLD", D("1"), active=False)}

    def test_lines_that_left_the_catalogue_are_reported_O11(self):
        keep, skipped = d.split_reorder(self.CATALOG, [
            (P1, "墨水", "INK", 5), (P2, "旧", "OLD", 2), (P3, "没了", "GONE", 1)])
        assert keep == [d.RequestedLine(P1, 5)]
        assert [(s.product_id, s.quantity) for s in skipped] == [(P2, 2), (P3, 1)]

    def test_nothing_left_is_a_422_naming_the_products(self):
        with pytest.raises(d.InvalidOrder, match="GONE"):
            d.split_reorder(self.CATALOG, [(P3, "没了", "GONE", 1)])

    def test_keeps_the_lead_time(self):
        assert d.reorder_delivery_date(date(2026, 12, 1), date(2026, 11, 1),
                                       date(2026, 11, 4)) == date(2026, 12, 4)
        assert d.reorder_delivery_date(date(2026, 12, 1), date(2026, 11, 5),
                                       date(2026, 11, 1)) == date(2026, 12, 1)


class TestFilter:
    def test_inverted_ranges_are_422(self):
        with pytest.raises(d.Unprocessable, match="from"):
            d.OrderFilter(date_from=date(2026, 2, 1), date_to=date(2026, 1, 1)).check()
        with pytest.raises(d.Unprocessable, match="min_total"):
            d.OrderFilter(min_total=D("2"), max_total=D("1")).check()

    def test_unknown_status_is_422(self):
        with pytest.raises(d.Unprocessable, match="unknown status nope"):
            d.OrderFilter(statuses=("nope",)).check()


class TestActions:
    def test_receipt_and_return_only_when_possible(self):
        assert "confirm_receipt" not in d.available_actions(S.SHIPPED)
        assert "confirm_receipt" in d.available_actions(S.SHIPPED, unreceived_shipment=True)
        assert "request_return" in d.available_actions(S.SHIPPED, returnable=True)

    def test_submitted_offers_modify_cancel_and_review(self):
        assert d.available_actions(S.SUBMITTED) == ["modify", "cancel", "approve", "reject"]
