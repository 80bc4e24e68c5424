"""Unit: maintenance record rules (S-3..S-8, B-5), no I/O."""

from datetime import date
from decimal import Decimal

import pytest
from servicedesk_service.maintenance import domain
from servicedesk_service.maintenance.domain import Flags, Menu


def flags(**kw) -> Flags:
    return Flags(**{"return_to_factory": False, "key_matter": False, "processed": False,
                    "suspended": False, **kw})


class TestMenus:
    def test_every_record_is_under_content_and_unprocessed_until_processed_S3_S7(self):
        assert domain.menus(flags()) == {Menu.CONTENT, Menu.UNPROCESSED}
        assert domain.menus(flags(processed=True)) == {Menu.CONTENT}

    def test_factory_and_key_flags_add_their_menus_S6(self):
        assert domain.menus(flags(return_to_factory=True, key_matter=True, processed=True)) \
            == {Menu.CONTENT, Menu.FACTORY, Menu.KEY}

    def test_suspended_leaves_unprocessed_S8(self):
        assert domain.menus(flags(suspended=True, key_matter=True)) \
            == {Menu.CONTENT, Menu.SUSPENDED, Menu.KEY}


class TestRules:
    def test_factory_return_needs_a_method_S6(self):
        domain.check_factory(False, None)
        domain.check_factory(True, "顺丰到付")
        with pytest.raises(domain.InvalidRecord, match="factory_return_method"):
            domain.check_factory(True, None)

    @pytest.mark.parametrize(("charge", "requested", "expected"), [
        ("0", None, "free"), ("0", "free", "free"), ("0", "paid", "paid"),
        ("120.00", None, "unpaid"), ("120.00", "paid", "paid"),
    ])
    def test_payment_status_follows_the_charge(self, charge, requested, expected):
        status = domain.payment_status_for(
            Decimal(charge), domain.PaymentStatus(requested) if requested else None)
        assert status.value == expected

    @pytest.mark.parametrize(("charge", "requested"), [("0", "unpaid"), ("5.00", "free"),
                                                       ("-1", None), ("1000000.01", None)])
    def test_payment_status_refuses_what_does_not_fit(self, charge, requested):
        with pytest.raises(domain.InvalidRecord):
            domain.payment_status_for(
                Decimal(charge), domain.PaymentStatus(requested) if requested else None)

    def test_entries_suspend_and_resume_S4_S8(self):
        domain.check_can_add_entry(flags())
        with pytest.raises(domain.IllegalRecordTransition, match="already processed"):
            domain.check_can_add_entry(flags(processed=True))
        with pytest.raises(domain.IllegalRecordTransition, match="resume"):
            domain.check_can_add_entry(flags(suspended=True))
        domain.check_can_suspend(flags())
        with pytest.raises(domain.IllegalRecordTransition):
            domain.check_can_suspend(flags(processed=True))
        with pytest.raises(domain.IllegalRecordTransition):
            domain.check_can_suspend(flags(suspended=True))
        domain.check_can_resume(flags(suspended=True))
        with pytest.raises(domain.IllegalRecordTransition):
            domain.check_can_resume(flags())

    def test_a_processed_repair_calls_for_a_return_visit_B5(self):
        assert domain.return_visit_due(domain.Kind.REPAIR, date(2026, 12, 28), 7) \
            == date(2027, 1, 4)
        assert domain.return_visit_due(domain.Kind.RETURN_VISIT, date(2026, 12, 28), 7) is None

    def test_categories_match_the_kind_S4_S5(self):
        assert domain.category_kind_for(domain.Kind.REPAIR) is domain.CategoryKind.FAULT
        assert domain.category_kind_for(domain.Kind.RETURN_VISIT) is domain.CategoryKind.VISIT
