"""Unit tests of the invoice rules, no I/O (I-1, I-2, I-3)."""

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from invoice_service.invoices import domain as d

S = d.InvoiceStatus


class TestStateMachine:
    def test_requested_then_issued_then_confirmed_I2_I3(self):
        assert d.issue(S.REQUESTED) is S.ISSUED
        assert d.confirm(S.ISSUED) is S.CONFIRMED

    @pytest.mark.parametrize("status", [S.ISSUED, S.CONFIRMED])
    def test_issues_only_once_I2(self, status):
        with pytest.raises(d.IllegalTransition, match="cannot be issued again"):
            d.issue(status)

    def test_confirm_before_issue_is_refused_I3(self):
        with pytest.raises(d.IllegalTransition, match="not been issued yet"):
            d.confirm(S.REQUESTED)

    def test_confirms_only_once_I3(self):
        with pytest.raises(d.IllegalTransition, match="already been confirmed"):
            d.confirm(S.CONFIRMED)

    def test_illegal_transition_is_409(self):
        assert d.IllegalTransition("x").status_code == 409
        assert d.OrderNotInvoiceable("x").status_code == 409
        assert d.InvalidInvoice("x").status_code == 422


class TestParseOrderRefs:
    def test_numbers_and_ids_with_duplicates_removed_I1(self):
        oid = uuid.uuid4()
        refs = d.parse_order_refs([" dh20261123-0007 ", "DH20261123-0007", str(oid),
                                   str(oid).upper()])
        assert [(r.order_id, r.number) for r in refs] == [
            (None, "DH20261123-0007"), (oid, None)]
        assert refs[0].raw == "dh20261123-0007"

    def test_refuses_empty_blank_and_too_many(self):
        with pytest.raises(d.InvalidInvoice, match="at least one"):
            d.parse_order_refs([])
        with pytest.raises(d.InvalidInvoice, match="blank"):
            d.parse_order_refs(["DH1", "  "])
        with pytest.raises(d.InvalidInvoice, match="at most 100"):
            d.parse_order_refs([f"DH{i}" for i in range(d.MAX_ORDERS + 1)])


def facts(number="DH20261123-0001", status="submitted", total="801.50", in_invoice=None):
    return d.OrderFacts(uuid.uuid4(), number, status,
                        None if total is None else Decimal(total), in_invoice)


class TestCheckInvoiceable:
    def test_amount_is_the_sum_of_order_totals_I1(self):
        assert d.check_invoiceable([facts(total="801.50"), facts(status="approved",
                                                                 total="0.30")]) == Decimal(
            "801.80")

    def test_refuses_rejected_order(self):
        with pytest.raises(d.OrderNotInvoiceable, match="DH20261123-0009 was rejected"):
            d.check_invoiceable([facts(), facts("DH20261123-0009", status="rejected")])

    def test_refuses_order_already_on_an_invoice(self):
        inv = uuid.uuid4()
        with pytest.raises(d.OrderNotInvoiceable, match=f"DH20261123-0001 is already on.*{inv}"):
            d.check_invoiceable([facts(in_invoice=inv)])

    def test_refuses_order_whose_total_is_not_known_yet(self):
        with pytest.raises(d.OrderNotInvoiceable, match="still being processed"):
            d.check_invoiceable([facts(status="approved", total=None)])


class TestIssueDetails:
    def test_invoice_number_is_trimmed_and_bounded_I2(self):
        assert d.clean_invoice_number("  No.00012345 ") == "No.00012345"
        with pytest.raises(d.InvalidInvoice, match="blank"):
            d.clean_invoice_number("   ")
        with pytest.raises(d.InvalidInvoice, match="at most 50"):
            d.clean_invoice_number("9" * 51)
        assert d.clean_invoice_number("9" * 50) == "9" * 50

    def test_invoice_date_not_in_the_future_I2(self):
        today = date(2026, 11, 23)
        d.check_issue_dates(today, None, today=today)
        with pytest.raises(d.InvalidInvoice, match="in the future"):
            d.check_issue_dates(today + timedelta(days=1), None, today=today)

    def test_business_date_is_shanghai(self):
        # 17:00 UTC on the 22nd is already the 23rd in Shanghai: not in the future.
        late = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)
        d.check_issue_dates(date(2026, 11, 23), late, today=date(2026, 11, 23))

    def test_sent_at_not_before_invoice_date_nor_in_future(self):
        today = date(2026, 11, 23)
        with pytest.raises(d.InvalidInvoice, match="before the invoice_date"):
            d.check_issue_dates(today, datetime(2026, 11, 21, 12, tzinfo=UTC), today=today)
        with pytest.raises(d.InvalidInvoice, match="sent_at must not be in the future"):
            d.check_issue_dates(today, datetime(2026, 11, 25, 12, tzinfo=UTC), today=today)
