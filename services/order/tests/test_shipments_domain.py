"""Unit tests of the shipment and receipt rules (O-8), no I/O: what a shipment may hold
and whether it ships everything, what a receipt may say (shortages need a note), and where
a shipment or a receipt leaves the order's status. Every allowed and refused step of the
state machine is in test_lifecycle_domain.py."""

import uuid

import pytest
from order_service.orders.domain import IllegalTransition, InvalidOrder, OrderStatus, Quantity
from order_service.shipments import domain as d

S = OrderStatus
P1, P2, P3 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


class TestAfterShipment:
    @pytest.mark.parametrize("status", [S.PROCESSING, S.PARTIALLY_SHIPPED])
    def test_everything_shipped_is_shipped_else_partially_O8(self, status):
        assert d.after_shipment(status, all_shipped=True) is S.SHIPPED
        assert d.after_shipment(status, all_shipped=False) is S.PARTIALLY_SHIPPED

    @pytest.mark.parametrize("status", [S.SUBMITTED, S.PENDING_SECOND_REVIEW,
                                        S.CANCELLATION_REQUESTED, S.SHIPPED, S.COMPLETED])
    def test_only_an_approved_order_with_something_left_ships(self, status):
        with pytest.raises(IllegalTransition, match="cannot be shipped") as exc:
            d.after_shipment(status, all_shipped=True)
        assert exc.value.status_code == 409


class TestReceiptCompletes:
    def test_all_shipped_and_received_completes_O8(self):
        assert d.after_receipt(S.SHIPPED, all_shipped=True, all_receipted=True,
                               shortage=False) is S.COMPLETED

    def test_a_shortage_rests_in_received_until_staff_settle_it(self):
        assert d.after_receipt(S.SHIPPED, all_shipped=True, all_receipted=True,
                               shortage=True) is S.RECEIVED

    def test_receipts_before_everything_shipped_keep_the_status(self):
        assert d.after_receipt(S.PARTIALLY_SHIPPED, all_shipped=False, all_receipted=True,
                               shortage=False) is S.PARTIALLY_SHIPPED

    def test_outstanding_receipt_keeps_shipped(self):
        assert d.after_receipt(S.SHIPPED, all_shipped=True, all_receipted=False,
                               shortage=False) is S.SHIPPED

    @pytest.mark.parametrize("status", [S.PROCESSING, S.RECEIVED, S.COMPLETED])
    def test_nothing_to_receive_is_a_409(self, status):
        with pytest.raises(IllegalTransition, match="cannot be confirmed as received"):
            d.after_receipt(status, all_shipped=True, all_receipted=True, shortage=False)


class TestPlanShipment:
    ORDERED = {P1: 10, P2: 4}

    def test_partial_then_rest_O8(self):
        plan, done = d.plan_shipment(self.ORDERED, {}, [Quantity(P1, 6)])
        assert plan == {P1: 6} and done is False
        plan, done = d.plan_shipment(self.ORDERED, {P1: 6},
                                     [Quantity(P1, 4), Quantity(P2, 4)])
        assert plan == {P1: 4, P2: 4} and done is True

    def test_a_line_left_unshipped_is_not_everything(self):
        _, done = d.plan_shipment(self.ORDERED, {}, [Quantity(P1, 10)])
        assert done is False

    def test_never_more_than_ordered(self):
        with pytest.raises(InvalidOrder, match=r"lines.1.quantity: 5 is more than .* \(4\)"):
            d.plan_shipment(self.ORDERED, {P1: 6}, [Quantity(P1, 5)])

    def test_refuses_products_not_on_the_order(self):
        with pytest.raises(InvalidOrder, match="lines.1.product_id: .* not on this order"):
            d.plan_shipment(self.ORDERED, {}, [Quantity(P3, 1)])

    @pytest.mark.parametrize("qty", [0, -1, True, 1.5])
    def test_refuses_anything_but_a_positive_whole_number(self, qty):
        with pytest.raises(InvalidOrder, match="positive whole number"):
            d.plan_shipment(self.ORDERED, {}, [Quantity(P1, qty)])

    def test_refuses_repeated_and_empty(self):
        with pytest.raises(InvalidOrder, match="lines.2.product_id: .* more than once"):
            d.plan_shipment(self.ORDERED, {}, [Quantity(P1, 1), Quantity(P1, 1)])
        with pytest.raises(InvalidOrder, match="at least one line"):
            d.plan_shipment(self.ORDERED, {}, [])

    def test_errors_are_422(self):
        with pytest.raises(InvalidOrder) as exc:
            d.plan_shipment(self.ORDERED, {}, [])
        assert exc.value.status_code == 422


class TestReceipt:
    SHIPPED = {P1: 6, P2: 4}

    def test_lines_left_out_arrived_in_full(self):
        out = d.check_receipt(self.SHIPPED, [], None)
        assert out.received == self.SHIPPED and out.shortage is False

    def test_the_full_quantity_named_is_no_shortage(self):
        out = d.check_receipt(self.SHIPPED, [Quantity(P1, 6), Quantity(P2, 4)], None)
        assert out.received == self.SHIPPED and out.shortage is False

    def test_shortage_needs_a_note_O8(self):
        with pytest.raises(InvalidOrder, match="note"):
            d.check_receipt(self.SHIPPED, [Quantity(P1, 5)], "  ")
        out = d.check_receipt(self.SHIPPED, [Quantity(P1, 5)], "one bottle broken")
        assert out.received == {P1: 5, P2: 4} and out.shortage is True

    def test_nothing_arrived_of_a_line_is_a_shortage(self):
        out = d.check_receipt(self.SHIPPED, [Quantity(P2, 0)], "lost in transit")
        assert out.received == {P1: 6, P2: 0} and out.shortage is True

    def test_cannot_receive_more_than_shipped(self):
        with pytest.raises(InvalidOrder, match=r"quantity_received: 7 is more than was "
                                               r"shipped \(6\)"):
            d.check_receipt(self.SHIPPED, [Quantity(P1, 7)], None)

    def test_refuses_products_not_in_the_shipment_and_negatives(self):
        with pytest.raises(InvalidOrder, match="not in this shipment"):
            d.check_receipt(self.SHIPPED, [Quantity(P3, 1)], None)
        with pytest.raises(InvalidOrder, match="0 or more"):
            d.check_receipt(self.SHIPPED, [Quantity(P1, -1)], None)

    def test_refuses_a_product_named_twice(self):
        with pytest.raises(InvalidOrder, match="more than once"):
            d.check_receipt(self.SHIPPED, [Quantity(P1, 6), Quantity(P1, 5)], "x")
