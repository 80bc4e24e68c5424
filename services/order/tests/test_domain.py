"""Unit tests of the order rules, no I/O: pricing (O-3), numbers (O-2), due dates and
overdue orders (O-6).
The state machine and the lifecycle rules are in test_lifecycle_domain.py, recording
payments in test_payment_ledger_domain.py."""

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


class TestDueDateO6:
    def test_zero_days_is_due_on_the_day_of_approval(self):
        assert d.due_date(date(2026, 11, 23), 0) == date(2026, 11, 23)

    def test_thirty_days(self):
        assert d.due_date(date(2026, 11, 23), 30) == date(2026, 12, 23)

    @pytest.mark.parametrize(("approved", "days", "due"), [
        (date(2026, 1, 31), 30, date(2026, 3, 2)),     # over a 28-day February
        (date(2028, 1, 31), 30, date(2028, 3, 1)),     # over a leap February
        (date(2026, 1, 31), 1, date(2026, 2, 1)),      # the next month's first day
        (date(2026, 2, 28), 1, date(2026, 3, 1)),
        (date(2026, 4, 30), 31, date(2026, 5, 31)),    # days, not "the same day next month"
        (date(2026, 12, 31), 1, date(2027, 1, 1)),     # into the next year
        (date(2026, 12, 31), 365, date(2027, 12, 31)),
        (date(2099, 12, 31), 365, date(2100, 12, 31)),  # the last date an input allows
    ])
    def test_calendar_days_across_month_and_year_ends(self, approved, days, due):
        assert d.due_date(approved, days) == due

    @pytest.mark.parametrize("days", [-1, 366, True])
    def test_terms_outside_0_to_365_are_a_bug(self, days):
        with pytest.raises(ValueError, match="0 to 365"):
            d.due_date(date(2026, 11, 23), days)

    def test_known_terms_win_over_the_default(self):
        assert d.payment_terms(0, 30) == 0
        assert d.payment_terms(10, 30) == 10
        assert d.payment_terms(None, 30) == 30  # not known here yet

    def test_default_setting_is_bounded(self):
        from order_service.config import Settings
        assert Settings().default_payment_terms_days == 30
        with pytest.raises(ValueError):
            Settings(default_payment_terms_days=-1)


class TestOverdueO6:
    DUE = date(2026, 11, 23)
    OPEN = d.OrderStatus.PROCESSING

    def test_after_the_due_date_with_something_outstanding(self):
        assert d.is_overdue(self.DUE, Decimal("0.01"), date(2026, 11, 24), self.OPEN)

    def test_not_on_the_due_date_itself_nor_before(self):
        assert not d.is_overdue(self.DUE, Decimal("100"), self.DUE, self.OPEN)
        assert not d.is_overdue(self.DUE, Decimal("100"), date(2026, 11, 1), self.OPEN)

    def test_never_when_fully_paid(self):
        assert not d.is_overdue(self.DUE, Decimal("0.00"), date(2027, 1, 1), self.OPEN)

    def test_never_without_a_due_date(self):
        assert not d.is_overdue(None, Decimal("100"), date(2027, 1, 1),
                                d.OrderStatus.SUBMITTED)

    @pytest.mark.parametrize("status", [d.OrderStatus.CANCELLED, d.OrderStatus.REJECTED])
    def test_never_for_an_order_that_owes_nothing(self, status):
        assert not d.is_overdue(self.DUE, Decimal("100"), date(2027, 1, 1), status)

    @pytest.mark.parametrize("status", [
        d.OrderStatus.PROCESSING, d.OrderStatus.SHIPPED, d.OrderStatus.COMPLETED,
        d.OrderStatus.CANCELLATION_REQUESTED, d.OrderStatus.RECEIVED])
    def test_whatever_the_delivery_state(self, status):
        assert d.is_overdue(self.DUE, Decimal("100"), date(2026, 12, 1), status)

    def test_a_filter_on_overdue_needs_the_day_it_is_judged_on(self):
        assert d.OrderFilter(overdue=True, today=self.DUE).check().overdue is True
        with pytest.raises(ValueError, match="business date"):
            d.OrderFilter(overdue=False).check()


class TestAmountOutstandingIssue15:
    """Issue 15: a cancelled or rejected order shows no amount outstanding (portal and
    console, the order and its ledger), whatever was paid on it."""

    @pytest.mark.parametrize("status", [d.OrderStatus.CANCELLED, d.OrderStatus.REJECTED])
    def test_nothing_for_an_order_that_owes_nothing(self, status):
        assert d.amount_outstanding(Decimal("320.60"), Decimal("0.00"), status) == Decimal("0")
        assert d.amount_outstanding(Decimal("320.60"), Decimal("100.00"), status) == Decimal("0")

    @pytest.mark.parametrize("status", [
        d.OrderStatus.SUBMITTED, d.OrderStatus.APPROVED, d.OrderStatus.PROCESSING,
        d.OrderStatus.CANCELLATION_REQUESTED, d.OrderStatus.COMPLETED])
    def test_payable_less_paid_otherwise(self, status):
        owed = d.amount_outstanding(Decimal("320.60"), Decimal("100.00"), status)
        assert owed == Decimal("220.60")
        assert d.amount_outstanding(Decimal("320.60"), Decimal("320.60"), status) == Decimal("0")

    def test_takes_the_status_as_stored(self):
        assert d.amount_outstanding(Decimal("5"), Decimal("0"), "cancelled") == Decimal("0")
