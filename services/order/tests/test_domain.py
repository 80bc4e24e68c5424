"""Unit tests of the order rules, no I/O: pricing (O-3), numbers (O-2), payments (O-6).
The state machine and the lifecycle rules are in test_lifecycle_domain.py."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from order_service.orders import domain as d

P1, P2 = uuid.uuid4(), uuid.uuid4()
CATALOG = {
    P1: d.CatalogPrice(P1, "墨水", "INK-B-1L", Decimal("160.30"), Decimal("200.00")),
    P2: d.CatalogPrice(P2, "清洗液", "CL-500", Decimal("0.10")),
}


class TestPriceOrder:
    def test_totals_are_exact_decimals_never_floats_O3(self):
        cat = {P1: d.CatalogPrice(P1, "a", "b", Decimal("0.10"))}
        priced = d.price_order(cat, [d.RequestedLine(P1, 3)])
        assert priced.total == Decimal("0.30") and isinstance(priced.total, Decimal)
        assert str(priced.total) == "0.30"

    def test_line_total_rounds_half_up_to_cents(self):
        cat = {P1: d.CatalogPrice(P1, "a", "b", Decimal("0.125"))}
        assert d.price_order(cat, [d.RequestedLine(P1, 1)]).total == Decimal("0.13")

    def test_totals_use_the_customers_prices_exactly_O3(self):
        priced = d.price_order(CATALOG, [d.RequestedLine(P1, 5), d.RequestedLine(P2, 3)])
        assert [ln.line_total for ln in priced.lines] == [Decimal("801.50"), Decimal("0.30")]
        assert priced.total == Decimal("801.80")
        assert priced.list_total == Decimal("1000.30")  # list price falls back to own price

    def test_refuses_product_outside_catalogue(self):
        with pytest.raises(d.InvalidOrder, match="not in your catalogue"):
            d.price_order(CATALOG, [d.RequestedLine(uuid.uuid4(), 1)])

    def test_refuses_inactive_product(self):
        cat = {P1: d.CatalogPrice(P1, "x", "y", Decimal("1"), active=False)}
        with pytest.raises(d.InvalidOrder):
            d.price_order(cat, [d.RequestedLine(P1, 1)])

    @pytest.mark.parametrize("qty", [0, -1, d.MAX_QUANTITY + 1])
    def test_refuses_bad_quantity(self, qty):
        with pytest.raises(d.InvalidOrder, match="quantity"):
            d.price_order(CATALOG, [d.RequestedLine(P1, qty)])

    def test_refuses_repeated_product(self):
        with pytest.raises(d.InvalidOrder, match="more than once"):
            d.price_order(CATALOG, [d.RequestedLine(P1, 1), d.RequestedLine(P1, 2)])

    def test_refuses_empty_order(self):
        with pytest.raises(d.InvalidOrder):
            d.price_order(CATALOG, [])

    def test_errors_are_422(self):
        assert d.InvalidOrder("x").status_code == 422
        assert d.IllegalTransition("x").status_code == 409


class TestNumbers:
    def test_readable_and_sortable_O2(self):
        a = d.order_number(date(2026, 11, 23), 7)
        b = d.order_number(date(2026, 11, 23), 12)
        c = d.order_number(date(2026, 11, 24), 1)
        assert a == "DH20261123-0007"
        assert sorted([c, b, a]) == [a, b, c]

    def test_more_than_9999_a_day_stays_unique_O2(self):
        assert d.order_number(date(2026, 11, 23), 10000) == "DH20261123-10000"


class TestPayments:
    def test_partial_then_full_O6(self):
        first = d.apply_payment(d.OrderStatus.APPROVED, Decimal("100"), Decimal("0"),
                                Decimal("40"))
        assert (first.paid_total, first.outstanding, first.fully_paid_now) == (
            Decimal("40.00"), Decimal("60.00"), False)
        second = d.apply_payment(d.OrderStatus.APPROVED, Decimal("100"), first.paid_total,
                                 Decimal("60"))
        assert second.fully_paid_now and second.outstanding == 0

    def test_refuses_overpayment(self):
        with pytest.raises(d.InvalidOrder, match="exceeds the outstanding balance 60.00"):
            d.apply_payment(d.OrderStatus.APPROVED, Decimal("100"), Decimal("40"),
                            Decimal("60.01"))

    def test_refuses_payment_on_cancelled(self):
        with pytest.raises(d.IllegalTransition, match="cancelled"):
            d.apply_payment(d.OrderStatus.CANCELLED, Decimal("100"), Decimal("0"),
                            Decimal("1"))

    def test_refuses_payment_on_paid_or_rejected(self):
        with pytest.raises(d.IllegalTransition):
            d.apply_payment(d.OrderStatus.APPROVED, Decimal("100"), Decimal("100"),
                            Decimal("1"))
        with pytest.raises(d.IllegalTransition):
            d.apply_payment(d.OrderStatus.REJECTED, Decimal("100"), Decimal("0"),
                            Decimal("1"))

    def test_payment_status(self):
        assert d.payment_status(Decimal("10"), Decimal("0")) is d.PaymentStatus.UNPAID
        assert d.payment_status(Decimal("10"), Decimal("5")) is d.PaymentStatus.PARTIALLY_PAID
        assert d.payment_status(Decimal("10"), Decimal("10")) is d.PaymentStatus.PAID
