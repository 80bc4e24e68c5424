"""Unit tests of the invoice rules, no I/O (I-1, I-2, I-3): the state machine, which
orders may be invoiced and for how much, what each fapiao type needs after the profile's
defaults, and the split into several fapiao above the per-fapiao limit."""

import re
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

    def test_requested_then_rejected_then_requested_again_I1(self):
        assert d.reject(S.REQUESTED) is S.REJECTED
        assert d.resubmit(S.REJECTED) is S.REQUESTED

    @pytest.mark.parametrize("status", [S.ISSUED, S.CONFIRMED])
    def test_issues_only_once_I2(self, status):
        with pytest.raises(d.IllegalTransition, match="cannot be issued again"):
            d.issue(status)

    def test_a_rejected_request_is_not_issued_before_resubmission(self):
        with pytest.raises(d.IllegalTransition, match="resubmitted"):
            d.issue(S.REJECTED)

    @pytest.mark.parametrize(("status", "message"), [
        (S.ISSUED, "already issued and can no longer be rejected"),
        (S.CONFIRMED, "already confirmed and can no longer be rejected"),
        (S.REJECTED, "already rejected")])
    def test_only_a_requested_invoice_is_rejected(self, status, message):
        with pytest.raises(d.IllegalTransition, match=message):
            d.reject(status)

    @pytest.mark.parametrize("status", [S.REQUESTED, S.ISSUED, S.CONFIRMED])
    def test_only_a_rejected_request_is_resubmitted(self, status):
        with pytest.raises(d.IllegalTransition, match="only a rejected request"):
            d.resubmit(status)

    def test_confirm_before_issue_is_refused_I3(self):
        with pytest.raises(d.IllegalTransition, match="not been issued yet"):
            d.confirm(S.REQUESTED)
        with pytest.raises(d.IllegalTransition, match="rejected"):
            d.confirm(S.REJECTED)

    def test_confirms_only_once_I3(self):
        with pytest.raises(d.IllegalTransition, match="already been confirmed"):
            d.confirm(S.CONFIRMED)

    def test_illegal_transition_is_409(self):
        assert d.IllegalTransition("x").status_code == 409
        assert d.OrderNotInvoiceable("x").status_code == 409
        assert d.InvalidInvoice("x").status_code == 422

    def test_actions_per_side_follow_the_table(self):
        assert d.actions(S.REQUESTED, "staff") == ["issue", "reject"]
        assert d.actions(S.REQUESTED, "customer") == []
        assert d.actions(S.ISSUED, "customer") == ["confirm_receipt"]
        assert d.actions(S.ISSUED, "staff") == []
        assert d.actions(S.REJECTED, "customer") == ["resubmit"]
        assert d.actions(S.CONFIRMED, "customer") == d.actions(S.CONFIRMED, "staff") == []
        for status, moves in d.ALLOWED.items():  # every action leads somewhere legal
            for action, target in moves.items():
                assert d.transition(status, action) is target


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


def facts(number="DH20261123-0001", status="approved", total="801.50", in_invoice=None,
          refund="0", in_status=None):
    return d.OrderFacts(uuid.uuid4(), number, status,
                        None if total is None else Decimal(total), in_invoice, Decimal(refund),
                        in_status)


class TestCheckInvoiceable:
    def test_amount_is_the_sum_of_order_totals_I1(self):
        assert d.check_invoiceable([facts(total="801.50"), facts(total="0.30")]) == Decimal(
            "801.80")

    def test_approved_returns_are_not_invoiced_O9(self):
        assert d.check_invoiceable([facts(total="801.50", refund="160.30"),
                                    facts(total="100.00")]) == Decimal("741.20")

    def test_refuses_an_order_refunded_in_full(self):
        with pytest.raises(d.OrderNotInvoiceable, match="DH20261123-0001 was refunded in full"):
            d.check_invoiceable([facts(total="10.00", refund="10.00")])

    def test_refuses_an_order_not_reviewed_yet_I1(self):
        with pytest.raises(d.OrderNotInvoiceable,
                           match="DH20261123-0002 has not been reviewed yet"):
            d.check_invoiceable([facts(), facts("DH20261123-0002", status="submitted")])

    def test_refuses_rejected_order(self):
        with pytest.raises(d.OrderNotInvoiceable, match="DH20261123-0009 was rejected"):
            d.check_invoiceable([facts(), facts("DH20261123-0009", status="rejected")])

    def test_refuses_order_already_on_an_invoice(self):
        inv = uuid.uuid4()
        with pytest.raises(d.OrderNotInvoiceable, match=f"DH20261123-0001 is already on.*{inv}"):
            d.check_invoiceable([facts(in_invoice=inv, in_status="requested")])
        with pytest.raises(d.OrderNotInvoiceable,
                           match=f"DH20261123-0001 is already invoiced \\(invoice {inv}"):
            d.check_invoiceable([facts(in_invoice=inv, in_status="issued")])

    def test_refuses_order_whose_total_is_not_known_yet(self):
        with pytest.raises(d.OrderNotInvoiceable, match="still being processed"):
            d.check_invoiceable([facts(status="approved", total=None)])

    def test_settled_means_total_known_and_reviewed(self):
        assert d.settled(facts())
        assert not d.settled(facts(status="submitted"))
        assert not d.settled(facts(total=None))
        assert d.settled(facts(status="cancelled"))


PROFILE = d.Profile(company_name="上海印美有限公司", invoice_title="上海印美图文有限公司",
                    tax_number="91310000MA1FL0XX1X", bank="工商银行徐汇支行",
                    bank_account="1001234509876543", address="上海市徐汇区漕溪北路 1 号",
                    area_code="021", telephone="5888 1234", mobile="13900001111")


class TestDetails:
    def test_profile_gives_every_default_C1_I1(self):
        assert d.with_defaults(d.Details(), PROFILE) == d.Details(
            title="上海印美图文有限公司", tax_number="91310000MA1FL0XX1X", bank="工商银行徐汇支行",
            bank_account="1001234509876543",
            address_phone="上海市徐汇区漕溪北路 1 号 021-5888 1234", mail_to=None)

    def test_what_the_customer_gives_wins(self):
        given = d.Details(title="别的抬头", mail_to="上海市 张三 13900001111")
        got = d.with_defaults(given, PROFILE)
        assert (got.title, got.mail_to, got.tax_number) == (
            "别的抬头", "上海市 张三 13900001111", "91310000MA1FL0XX1X")

    def test_title_falls_back_to_the_company_name_and_phone_to_the_mobile(self):
        bare = d.Profile(company_name="上海印美有限公司", address="上海市", mobile="13900001111")
        got = bare.defaults()
        assert got.title == "上海印美有限公司" and got.address_phone == "上海市 13900001111"
        assert d.Profile().defaults() == d.Details()
        assert d.Profile(address="上海市").defaults().address_phone is None
        assert d.Profile(mobile="13900001111").defaults().address_phone is None
        assert d.Profile(telephone="5888 1234").phone() == "5888 1234"

    def test_special_vat_names_exactly_what_is_missing_I1(self):
        details = d.Details(title="上海印美", tax_number="91310000MA1FL0XX1X")
        with pytest.raises(d.InvalidInvoice) as e:
            d.check_details(d.InvoiceType.SPECIAL_VAT, details)
        assert e.value.message == (
            "A special VAT fapiao needs title, tax_number, bank, bank_account, address_phone;"
            " missing: bank, bank_account, address_phone. Give them in the request or in your "
            "company profile")
        d.check_details(d.InvoiceType.ORDINARY_VAT, details)
        d.check_details(d.InvoiceType.SPECIAL_VAT, d.with_defaults(details, PROFILE))

    def test_ordinary_vat_needs_title_and_tax_number(self):
        with pytest.raises(d.InvalidInvoice, match="missing: tax_number. Give it"):
            d.check_details(d.InvoiceType.ORDINARY_VAT, d.Details(title="上海印美"))
        assert d.missing_details(d.InvoiceType.ORDINARY_VAT, d.Details()) == [
            "title", "tax_number"]

    def test_type_defaults_from_the_orders_bill_types(self):
        assert d.default_type(["special_vat", "special_vat"]) is d.InvoiceType.SPECIAL_VAT
        assert d.default_type(["special_vat", "ordinary_vat"]) is d.InvoiceType.ORDINARY_VAT
        assert d.default_type(["none", None]) is d.InvoiceType.ORDINARY_VAT
        assert d.default_type([]) is d.InvoiceType.ORDINARY_VAT

    def test_tax_number_and_bank_account_are_normalised(self):
        assert d.normalize_tax_number(" 91310000ma1fl0xx1x ") == "91310000MA1FL0XX1X"
        assert d.normalize_tax_number("  ") is None
        with pytest.raises(ValueError, match="15 to 20"):
            d.normalize_tax_number("1234")
        assert d.normalize_bank_account("1001 2345-0987 6543") == "1001234509876543"
        with pytest.raises(ValueError, match="8 to 30 digits"):
            d.normalize_bank_account("12ab")


LIMIT = Decimal("100000.00")


class TestFapiaoSplit:
    def test_one_number_within_the_limit_I2(self):
        assert d.plan_fapiao(Decimal("100000.00"), LIMIT, invoice_number=" No.1 ",
                             fapiao=None) == [d.FapiaoPlan("No.1", Decimal("100000.00"))]

    def test_one_number_above_the_limit_is_refused(self):
        with pytest.raises(d.InvalidInvoice,
                           match="112210.00 is above the limit of 100000.00.*at least 2"):
            d.plan_fapiao(Decimal("112210.00"), LIMIT, invoice_number="No.1", fapiao=None)

    def test_several_fapiao_adding_up_exactly(self):
        plans = d.plan_fapiao(Decimal("112210.00"), LIMIT, invoice_number=None, fapiao=[
            ("No.1", Decimal("100000")), (" No.2", Decimal("12210.00"))])
        assert plans == [d.FapiaoPlan("No.1", Decimal("100000.00")),
                         d.FapiaoPlan("No.2", Decimal("12210.00"))]
        # fewer than possible is fine too, as long as each is within the limit
        assert len(d.plan_fapiao(Decimal("300.00"), LIMIT, invoice_number=None, fapiao=[
            ("A", Decimal("100")), ("B", Decimal("100")), ("C", Decimal("100"))])) == 3

    @pytest.mark.parametrize(("fapiao", "message"), [
        ([("No.1", "100000.00"), ("No.2", "12209.99")],
         "add up to 112209.99, but the invoice is for 112210.00"),
        ([("No.1", "100000.01"), ("No.2", "12209.99")],
         "fapiao.1: the amount 100000.01 of fapiao No.1 is above the limit of 100000.00"),
        ([("No.1", "100000.00"), ("No.1", "12210.00")], "fapiao.2: invoice number No.1 is "
                                                        "listed twice"),
        ([("No.1", "112210.00"), ("No.2", "0")], "fapiao.1: the amount 112210.00"),
        ([("No.1", "100000.00"), ("  ", "12210.00")], "fapiao.2.invoice_number must not be "
                                                      "blank"),
        ([("No.1", "0"), ("No.2", "112210.00")], "fapiao.1: the amount of fapiao No.1 must be"
                                                 " more than zero"),
        ([], "list at least one"),
    ])
    def test_refusals_name_the_fapiao(self, fapiao, message):
        with pytest.raises(d.InvalidInvoice, match=re.escape(message)):
            d.plan_fapiao(Decimal("112210.00"), LIMIT, invoice_number=None,
                          fapiao=[(n, Decimal(a)) for n, a in fapiao])

    def test_either_one_number_or_several(self):
        with pytest.raises(d.InvalidInvoice, match="not both"):
            d.plan_fapiao(Decimal("1"), LIMIT, invoice_number="A", fapiao=[("B", Decimal(1))])
        with pytest.raises(d.InvalidInvoice, match="invoice_number: give"):
            d.plan_fapiao(Decimal("1"), LIMIT, invoice_number=None, fapiao=None)
        assert d.plan_fapiao(Decimal("1"), LIMIT, invoice_number=" ",
                             fapiao=[("B", Decimal(1))]) == [d.FapiaoPlan("B", Decimal("1"))]

    @pytest.mark.parametrize(("amount", "parts"), [
        ("112210.00", ["100000.00", "12210.00"]), ("100000.00", ["100000.00"]),
        ("200000.00", ["100000.00", "100000.00"]), ("200000.01", ["100000.00", "100000.00",
                                                                  "0.01"]),
        ("0.01", ["0.01"])])
    def test_suggested_split_is_the_fewest(self, amount, parts):
        got = d.suggest_split(Decimal(amount), LIMIT)
        assert got == [Decimal(p) for p in parts]
        assert len(got) == d.fapiao_needed(Decimal(amount), LIMIT)
        d.plan_fapiao(Decimal(amount), LIMIT, invoice_number=None,
                      fapiao=[(f"N{i}", p) for i, p in enumerate(got)])


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


def test_reason_is_required():
    assert d.clean_reason("  税号有误  ") == "税号有误"
    with pytest.raises(d.InvalidInvoice, match="reason"):
        d.clean_reason("   ")
