"""Monthly statements, pure (B-1): month parsing and bounds in Asia/Shanghai, the
statement's arithmetic in Decimal (opening balance, signed entries by business date,
running balance, closing balance), and the acknowledgement's transitions."""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from order_service.statements import domain
from order_service.statements.domain import (
    Acknowledged,
    Entry,
    EntryKind,
    Month,
    StatementAction,
    StatementStatus,
)

D = Decimal
TODAY = date(2026, 12, 3)
NOV = Month(2026, 11)


def entry(kind: EntryKind, on: date, amount: str, **kw) -> Entry:
    return Entry(kind=kind, on=on, amount=D(amount), id=kw.pop("id", uuid.uuid4()), **kw)


class TestParseMonth:
    def test_a_month_and_its_label_B1(self):
        assert domain.parse_month("2026-11", TODAY) == NOV
        assert domain.parse_month(" 2026-11 ", TODAY).label == "2026-11"

    def test_without_a_month_it_is_last_month(self):
        assert domain.parse_month(None, TODAY) == NOV
        assert domain.parse_month(None, date(2027, 1, 1)) == Month(2026, 12)

    def test_the_current_month_so_far_is_allowed(self):
        assert domain.parse_month("2026-12", TODAY) == Month(2026, 12)

    @pytest.mark.parametrize(("text", "words"), [
        ("2026-13", "months are 01 to 12"), ("2026-00", "months are 01 to 12"),
        ("2026-1", "YYYY-MM"), ("202611", "YYYY-MM"), ("2026/11", "YYYY-MM"),
        ("november", "YYYY-MM"), ("", "YYYY-MM"), ("２０２６-１１", "YYYY-MM"),
        ("1999-12", "before 2000-01"), ("0000-01", "before 2000-01"),
        ("2027-01", "has not begun"), ("2026-12-01", "YYYY-MM"),
    ])
    def test_malformed_early_or_future_months_are_422_with_a_reason(self, text, words):
        with pytest.raises(domain.InvalidMonth) as err:
            domain.parse_month(text, TODAY)
        assert err.value.status_code == 422
        assert words in err.value.message and err.value.message.startswith("month:")

    def test_a_very_long_value_is_shown_shortened(self):
        with pytest.raises(domain.InvalidMonth) as err:
            domain.parse_month("x" * 200, TODAY)
        assert len(err.value.message) < 120


class TestMonthBounds:
    def test_bounds_are_midnight_in_shanghai(self):
        assert NOV.first_day == date(2026, 11, 1) and NOV.last_day == date(2026, 11, 30)
        assert NOV.start == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
        assert NOV.end == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)

    def test_december_and_february(self):
        dec = Month(2026, 12)
        assert (dec.last_day, dec.next(), dec.previous()) == (
            date(2026, 12, 31), Month(2027, 1), NOV)
        assert Month(2028, 2).last_day == date(2028, 2, 29)
        assert Month(2027, 1).previous() == Month(2026, 12)

    def test_a_month_has_ended_after_its_last_day(self):
        assert NOV.ended(date(2026, 12, 1))
        assert not NOV.ended(date(2026, 11, 30))
        assert not Month(2026, 12).ended(TODAY)


class TestArithmetic:
    def test_closing_is_opening_plus_orders_less_returns_and_payments_plus_refunds_B1(self):
        entries = [
            entry(EntryKind.ORDER, date(2026, 11, 3), "801.50"),
            entry(EntryKind.PAYMENT, date(2026, 11, 5), "300.00"),
            entry(EntryKind.RETURN, date(2026, 11, 20), "160.30"),
            entry(EntryKind.REFUND, date(2026, 11, 21), "160.30"),
            entry(EntryKind.ORDER, date(2026, 11, 22), "0.10",
                  recorded_at=datetime(2026, 11, 22, 1, tzinfo=UTC)),
            entry(EntryKind.ORDER, date(2026, 11, 22), "0.20",
                  recorded_at=datetime(2026, 11, 22, 2, tzinfo=UTC)),
        ]
        s = domain.build(NOV, D("100.00"), entries)
        assert s.closing == D("100.00") + D("801.50") + D("0.30") - D("160.30") \
            - D("300.00") + D("160.30") == D("601.80")
        assert [ln.balance for ln in s.lines] == [
            D("901.50"), D("601.50"), D("441.20"), D("601.50"), D("601.60"), D("601.80")]
        assert s.debits == D("962.10") and s.credits == D("460.30")
        assert s.opening + s.debits - s.credits == s.closing
        assert s.totals[EntryKind.ORDER] == D("801.80")
        assert s.totals[EntryKind.REVERSAL] == D("0.00")

    def test_decimal_sums_have_no_float_error(self):
        entries = [entry(EntryKind.ORDER, date(2026, 11, 1), "0.10") for _ in range(10)]
        assert domain.build(NOV, D("0"), entries).closing == D("1.00")

    def test_cancellation_and_reversal_are_counter_entries(self):
        entries = [
            entry(EntryKind.ORDER, date(2026, 11, 2), "500.00"),
            entry(EntryKind.PAYMENT, date(2026, 11, 2), "500.00"),
            entry(EntryKind.REVERSAL, date(2026, 11, 9), "500.00"),
            entry(EntryKind.CANCELLATION, date(2026, 11, 10), "500.00"),
        ]
        s = domain.build(NOV, D("0.00"), entries)
        assert [(ln.debit, ln.credit) for ln in s.lines] == [
            (D("500.00"), None), (None, D("500.00")), (D("500.00"), None),
            (None, D("500.00"))]
        assert s.closing == D("0.00")

    def test_a_credit_balance_is_negative(self):
        s = domain.build(NOV, D("0"), [entry(EntryKind.PAYMENT, date(2026, 11, 30), "88.00")])
        assert s.closing == D("-88.00")

    def test_sorted_by_date_then_what_was_owed_first_then_recorded(self):
        t1 = datetime(2026, 11, 5, 1, tzinfo=UTC)
        t2 = datetime(2026, 11, 5, 2, tzinfo=UTC)
        pay_late = entry(EntryKind.PAYMENT, date(2026, 11, 5), "10.00", recorded_at=t2)
        pay_early = entry(EntryKind.PAYMENT, date(2026, 11, 5), "20.00", recorded_at=t1)
        order = entry(EntryKind.ORDER, date(2026, 11, 5), "30.00", recorded_at=t2)
        first = entry(EntryKind.REFUND, date(2026, 11, 1), "1.00")
        s = domain.build(NOV, D("0"), [pay_late, order, first, pay_early])
        assert [ln.entry for ln in s.lines] == [first, order, pay_early, pay_late]

    def test_orders_approved_together_go_by_their_numbers(self):
        t = datetime(2026, 11, 5, 1, tzinfo=UTC)
        two = entry(EntryKind.ORDER, date(2026, 11, 5), "2.00", recorded_at=t,
                    order_number="DH20261105-0002")
        one = entry(EntryKind.ORDER, date(2026, 11, 5), "1.00", recorded_at=t,
                    order_number="DH20261105-0001")
        assert [ln.entry for ln in domain.build(NOV, D("0"), [two, one]).lines] == [one, two]

    def test_an_entry_outside_the_month_is_a_bug(self):
        with pytest.raises(ValueError):
            domain.build(NOV, D("0"), [entry(EntryKind.ORDER, date(2026, 12, 1), "1.00")])

    def test_opening_balance_from_the_totals_before_the_month(self):
        before = {EntryKind.ORDER: D("1000.00"), EntryKind.CANCELLATION: D("100.00"),
                  EntryKind.RETURN: D("50.00"), EntryKind.PAYMENT: D("700.00"),
                  EntryKind.REVERSAL: D("200.00"), EntryKind.REFUND: D("50.00")}
        assert domain.opening_balance(before) == D("400.00")
        assert domain.opening_balance({}) == D("0.00")

    def test_month_after_month_the_closing_carries_forward(self):
        oct_entries = [entry(EntryKind.ORDER, date(2026, 10, 31), "120.00")]
        octo = domain.build(Month(2026, 10), D("0"), oct_entries)
        before_nov = domain.totals(oct_entries)
        assert domain.opening_balance(before_nov) == octo.closing == D("120.00")


class TestAcknowledgement:
    def check(self, action, status, *, changed=False, ended=True):
        return domain.check(action, status, changed=changed, ended=ended, month=NOV)

    def test_open_to_confirmed_or_disputed_and_resolved_back_to_open_B1(self):
        assert self.check(StatementAction.CONFIRM, StatementStatus.OPEN) \
            is StatementStatus.CONFIRMED
        assert self.check(StatementAction.DISPUTE, StatementStatus.OPEN) \
            is StatementStatus.DISPUTED
        assert self.check(StatementAction.RESOLVE, StatementStatus.DISPUTED) \
            is StatementStatus.OPEN

    def test_confirming_twice_is_409(self):
        with pytest.raises(domain.StatementConflict) as err:
            self.check(StatementAction.CONFIRM, StatementStatus.CONFIRMED)
        assert err.value.status_code == 409 and "already confirmed" in err.value.message

    def test_a_disputed_statement_waits_for_staff(self):
        for action in (StatementAction.CONFIRM, StatementAction.DISPUTE):
            with pytest.raises(domain.StatementConflict, match="disputed"):
                self.check(action, StatementStatus.DISPUTED)

    def test_only_a_disputed_statement_is_resolved(self):
        for status in (StatementStatus.OPEN, StatementStatus.CONFIRMED):
            with pytest.raises(domain.StatementConflict, match="not disputed"):
                self.check(StatementAction.RESOLVE, status)

    def test_a_month_not_ended_cannot_be_acknowledged_422(self):
        for action in (StatementAction.CONFIRM, StatementAction.DISPUTE):
            with pytest.raises(domain.MonthNotEnded) as err:
                self.check(action, StatementStatus.OPEN, ended=False)
            assert err.value.status_code == 422 and "has not ended" in err.value.message

    def test_a_confirmed_statement_changed_by_a_late_entry_is_open_again(self):
        assert self.check(StatementAction.CONFIRM, StatementStatus.CONFIRMED, changed=True) \
            is StatementStatus.CONFIRMED
        assert self.check(StatementAction.DISPUTE, StatementStatus.CONFIRMED, changed=True) \
            is StatementStatus.DISPUTED

    def test_changed_since_compares_the_acknowledged_figures(self):
        s = domain.build(NOV, D("10.00"), [entry(EntryKind.ORDER, date(2026, 11, 2), "5.00")])
        assert not domain.changed_since(None, s)
        assert not domain.changed_since(Acknowledged(D("10"), D("15.00")), s)
        assert domain.changed_since(Acknowledged(D("10.00"), D("14.99")), s)
        assert domain.changed_since(Acknowledged(D("9.00"), D("15.00")), s)

    def test_actions_offered_come_from_the_same_table(self):
        a = domain.actions
        assert a(StatementStatus.OPEN, changed=False, ended=True, side="customer") == [
            "confirm", "dispute"]
        assert a(StatementStatus.OPEN, changed=False, ended=False, side="customer") == []
        assert a(StatementStatus.CONFIRMED, changed=False, ended=True, side="customer") == []
        assert a(StatementStatus.CONFIRMED, changed=True, ended=True, side="customer") == [
            "confirm", "dispute"]
        assert a(StatementStatus.DISPUTED, changed=False, ended=True, side="customer") == []
        assert a(StatementStatus.DISPUTED, changed=False, ended=True, side="staff") == [
            "resolve"]
        assert a(StatementStatus.OPEN, changed=False, ended=True, side="staff") == []

    def test_confirming_other_figures_than_shown_is_409(self):
        s = domain.build(NOV, D("0"), [entry(EntryKind.ORDER, date(2026, 11, 2), "5.00")])
        domain.check_expected(None, s)
        domain.check_expected(D("5"), s)
        with pytest.raises(domain.StatementChanged) as err:
            domain.check_expected(D("4.00"), s)
        assert err.value.status_code == 409 and "5.00" in err.value.message
