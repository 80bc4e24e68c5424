"""Unit tests of the customer and price rules, no I/O (C-1, C-2, C-3, C-5, C-7)."""

from decimal import Decimal

import pytest
from customer_service.catalog import domain as cat
from customer_service.customers import domain as d


class TestMobileC1:
    @pytest.mark.parametrize("raw", [
        "13812345678", " 138 1234 5678 ", "138-1234-5678", "+86 138 1234 5678",
        "+8613812345678", "8613812345678", "0086-138-1234-5678", "(+86) 13812345678",
    ])
    def test_normalises_to_11_digits(self, raw):
        assert d.normalize_mobile(raw) == "13812345678"

    @pytest.mark.parametrize("raw", [
        "", "1381234567", "138123456789", "23812345678", "12812345678", "1381234567a",
        "021-12345678", "+1 13812345678", "+86 1381234567",
    ])
    def test_refuses_what_is_not_a_chinese_mobile(self, raw):
        with pytest.raises(ValueError, match="Chinese mobile number"):
            d.normalize_mobile(raw)


class TestEmailC1:
    def test_trims_and_lowercases(self):
        assert d.normalize_email("  Buyer@Example.COM ") == "buyer@example.com"

    @pytest.mark.parametrize("raw", ["", "buyer", "buyer@", "@example.com", "a b@x.cn",
                                     "buyer@example", "buyer@@example.com", "a@.cn",
                                     "x" * 250 + "@example.com"])
    def test_refuses_invalid(self, raw):
        with pytest.raises(ValueError, match="valid email"):
            d.normalize_email(raw)


class TestTaxNumberC1:
    def test_uppercases_and_drops_spaces(self):
        assert d.normalize_tax_number(" 91310000ma1fl0 xx1x ") == "91310000MA1FL0XX1X"

    @pytest.mark.parametrize("raw", [None, "", "   "])
    def test_blank_is_none(self, raw):
        assert d.normalize_tax_number(raw) is None

    @pytest.mark.parametrize("raw", ["12345678901234", "1" * 21, "91310000MA1FL0-X1X"])
    def test_refuses_wrong_length_or_characters(self, raw):
        with pytest.raises(ValueError, match="15 to 20"):
            d.normalize_tax_number(raw)

    def test_15_and_20_are_allowed(self):
        assert d.normalize_tax_number("1" * 15) == "1" * 15
        assert d.normalize_tax_number("A" * 20) == "A" * 20


class TestTextRules:
    def test_non_blank_trims(self):
        assert d.non_blank("  上海印美  ") == "上海印美"
        with pytest.raises(ValueError, match="blank"):
            d.non_blank("   ")

    def test_optional_blank_is_none(self):
        assert d.optional_text("  ") is None
        assert d.optional_text(" 华东 ") == "华东"

    def test_qq_digits(self):
        assert d.normalize_qq(" 123456 ") == "123456"
        assert d.normalize_qq("") is None
        with pytest.raises(ValueError, match="QQ"):
            d.normalize_qq("12ab5")

    def test_rejection_reason_is_required_C2(self):
        assert d.check_reason("  营业执照不清晰 ") == "营业执照不清晰"
        with pytest.raises(ValueError, match="reason"):
            d.check_reason("  ")
        with pytest.raises(ValueError, match="500"):
            d.check_reason("x" * 501)


class TestReviewC2:
    def test_pending_can_be_approved_or_rejected(self):
        assert d.review(d.CustomerStatus.PENDING_REVIEW, d.Decision.APPROVE) is (
            d.CustomerStatus.APPROVED)
        assert d.review(d.CustomerStatus.PENDING_REVIEW, d.Decision.REJECT) is (
            d.CustomerStatus.REJECTED)

    @pytest.mark.parametrize("status", [d.CustomerStatus.APPROVED, d.CustomerStatus.REJECTED])
    @pytest.mark.parametrize("decision", list(d.Decision))
    def test_reviewed_customers_cannot_be_reviewed_again(self, status, decision):
        with pytest.raises(d.IllegalTransition, match="only a customer pending review"):
            d.review(status, decision)

    def test_illegal_transition_is_409(self):
        assert d.IllegalTransition("x").status_code == 409

    def test_rejected_customer_correcting_goes_back_to_review(self):
        assert d.after_correction(d.CustomerStatus.REJECTED) is d.CustomerStatus.PENDING_REVIEW

    @pytest.mark.parametrize("status", [d.CustomerStatus.PENDING_REVIEW,
                                        d.CustomerStatus.APPROVED])
    def test_other_customers_correcting_keep_their_status(self, status):
        assert d.after_correction(status) is status


class TestNumbersAndChanges:
    def test_customer_number_is_readable_and_sortable(self):
        assert d.customer_number(1) == "KH000001"
        assert d.customer_number(42) < d.customer_number(420)
        assert d.customer_number(1234567) == "KH1234567"
        with pytest.raises(ValueError):
            d.customer_number(0)

    def test_changed_fields_in_form_order_C5(self):
        before = {f: None for f in d.COMPANY_FIELDS} | {"name": "A", "mobile": "13812345678"}
        after = before | {"mobile": "13912345678", "name": "B", "qq": "12345"}
        assert d.changed_fields(before, after) == ["name", "mobile", "qq"]
        assert d.changed_fields(before, dict(before)) == []


class TestAreasC7:
    def test_staff_without_areas_see_everyone(self):
        assert d.visible_to(frozenset(), "华东")
        assert d.visible_to(frozenset(), None)

    def test_staff_with_areas_see_their_areas_only(self):
        assert d.visible_to(frozenset({"华东", "华南"}), "华南")
        assert not d.visible_to(frozenset({"华东"}), "华北")
        assert not d.visible_to(frozenset({"华东"}), None)


class TestPriceChangeC3:
    def test_first_price_has_no_old_price(self):
        change = cat.price_change(None, Decimal("160.3"), cat.ChangeReason.APPROVAL)
        assert change == cat.PriceChange(None, Decimal("160.30"), cat.ChangeReason.APPROVAL)

    def test_change_keeps_old_and_new(self):
        change = cat.price_change(Decimal("160.30"), Decimal("150"))
        assert (change.old, change.new, change.reason) == (
            Decimal("160.30"), Decimal("150.00"), cat.ChangeReason.CHANGE)

    def test_same_price_writes_no_history(self):
        assert cat.price_change(Decimal("160.30"), Decimal("160.3")) is None

    @pytest.mark.parametrize("price", [Decimal("0"), Decimal("-1")])
    def test_price_must_be_positive(self, price):
        with pytest.raises(cat.InvalidPrice, match="greater than zero"):
            cat.price_change(Decimal("1"), price)

    def test_products_are_keyed_by_trimmed_name_and_model(self):
        assert cat.product_key(" 墨水 ", " INK-1L ") == ("墨水", "INK-1L")

    def test_first_duplicate(self):
        assert cat.first_duplicate(["a", "b", "a"]) == 2
        assert cat.first_duplicate(["a", "b"]) is None
