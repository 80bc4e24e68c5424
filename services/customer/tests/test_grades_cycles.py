"""Unit tests, no I/O: grades and the never-downgrade rule (C-4), the ordering cycle's
next due date (C-6), payment terms (O-6), the remaining company field rules (C-1) and
audit values (X-3)."""

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from customer_service.customers import domain as d
from customer_service.customers.domain import Grade, GradeSource

T = d.GradeThresholds(small=Decimal("10000"), large=Decimal("50000"))


class TestEarnedGradeC4:
    @pytest.mark.parametrize(("total", "grade"), [
        ("0", Grade.NORMAL), ("9999.99", Grade.NORMAL), ("10000.00", Grade.SMALL),
        ("49999.99", Grade.SMALL), ("50000", Grade.LARGE), ("1000000", Grade.LARGE),
    ])
    def test_thresholds_are_inclusive(self, total, grade):
        assert d.earned_grade(Decimal(total), T) is grade

    def test_thresholds_come_from_settings_values(self):
        low = d.GradeThresholds(small=Decimal("100"), large=Decimal("200"))
        assert d.earned_grade(Decimal("150"), low) is Grade.SMALL

    @pytest.mark.parametrize(("small", "large"), [("0", "10"), ("50", "50"), ("60", "50")])
    def test_thresholds_must_rise(self, small, large):
        with pytest.raises(ValueError, match="0 < small < large"):
            d.GradeThresholds(small=Decimal(small), large=Decimal(large))

    def test_settings_refuse_thresholds_out_of_order(self):
        from customer_service.config import Settings
        with pytest.raises(ValueError, match="THRESHOLD"):
            Settings(grade_small_threshold=Decimal("60000"))


class TestAutomaticGradeC4:
    def test_upgrades_when_a_payment_reaches_small(self):
        assert d.automatic_grade(Grade.NORMAL, GradeSource.AUTO, Decimal("9000"),
                                 Decimal("10000"), T) is Grade.SMALL

    def test_jumps_straight_to_large(self):
        assert d.automatic_grade(Grade.NORMAL, GradeSource.AUTO, Decimal("0"),
                                 Decimal("60000"), T) is Grade.LARGE

    def test_no_change_below_the_next_threshold(self):
        assert d.automatic_grade(Grade.SMALL, GradeSource.AUTO, Decimal("10000"),
                                 Decimal("20000"), T) is None

    def test_never_downgrades_automatically(self):
        # staff raised the customer to large: a payment that earns only small keeps it
        assert d.automatic_grade(Grade.LARGE, GradeSource.STAFF, Decimal("100"),
                                 Decimal("12000"), T) is None
        assert d.automatic_grade(Grade.LARGE, GradeSource.AUTO, Decimal("100"),
                                 Decimal("200"), T) is None

    def test_automatic_grade_catches_up_after_a_lowered_threshold(self):
        # already above the threshold before this payment, but the grade lags behind
        assert d.automatic_grade(Grade.NORMAL, GradeSource.AUTO, Decimal("12000"),
                                 Decimal("12500"), T) is Grade.SMALL

    def test_a_staff_downgrade_holds_until_a_new_threshold_is_crossed(self):
        # staff lowered a small customer (15,000 paid) to normal: more payments within
        # the small band keep it normal …
        assert d.automatic_grade(Grade.NORMAL, GradeSource.STAFF, Decimal("15000"),
                                 Decimal("20000"), T) is None
        # … crossing 50,000 earns large again
        assert d.automatic_grade(Grade.NORMAL, GradeSource.STAFF, Decimal("45000"),
                                 Decimal("50000"), T) is Grade.LARGE

    def test_reason_names_total_and_threshold(self):
        reason = d.grade_reason(Grade.SMALL, Decimal("10500"), T)
        assert "10500.00" in reason and "10000.00" in reason and "small" in reason


class TestNextDueC6:
    MON = date(2026, 11, 23)  # a Monday

    def test_every_n_days_after_the_last_order(self):
        cycle = d.OrderingCycle(d.CycleKind.DAYS, days=30)
        assert d.next_due(cycle, date(2026, 11, 1), self.MON) == date(2026, 12, 1)

    def test_every_n_days_may_be_overdue(self):
        cycle = d.OrderingCycle(d.CycleKind.DAYS, days=7)
        assert d.next_due(cycle, date(2026, 11, 1), self.MON) == date(2026, 11, 8)

    def test_every_n_days_without_an_order_is_due_today(self):
        cycle = d.OrderingCycle(d.CycleKind.DAYS, days=14)
        assert d.next_due(cycle, None, self.MON) == self.MON

    def test_every_day(self):
        cycle = d.OrderingCycle(d.CycleKind.DAYS, days=1)
        assert d.next_due(cycle, self.MON, self.MON) == self.MON + timedelta(days=1)

    @pytest.mark.parametrize(("last", "weekday", "due"), [
        (date(2026, 11, 23), 1, date(2026, 11, 30)),  # ordered on the day: next week
        (date(2026, 11, 24), 1, date(2026, 11, 30)),  # Tuesday → next Monday
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # Saturday → Monday: wraps the week
        (date(2026, 11, 29), 7, date(2026, 12, 6)),  # Sunday → next Sunday
        (date(2026, 11, 23), 5, date(2026, 11, 27)),  # Monday → Friday of the same week
        (date(2026, 12, 31), 3, date(2027, 1, 6)),  # wraps the year
    ])
    def test_weekday_is_the_first_such_day_after_the_last_order(self, last, weekday, due):
        cycle = d.OrderingCycle(d.CycleKind.WEEKDAY, weekday=weekday)
        assert d.next_due(cycle, last, self.MON) == due
        assert due.isoweekday() == weekday

    def test_weekday_without_an_order_is_the_next_such_day_from_today(self):
        assert d.next_due(d.OrderingCycle(d.CycleKind.WEEKDAY, weekday=1), None,
                          self.MON) == self.MON
        assert d.next_due(d.OrderingCycle(d.CycleKind.WEEKDAY, weekday=3), None,
                          self.MON) == date(2026, 11, 25)
        assert d.next_due(d.OrderingCycle(d.CycleKind.WEEKDAY, weekday=7), None,
                          date(2026, 11, 28)) == date(2026, 11, 29)

    def test_no_cycle_no_due_date(self):
        assert d.next_due(None, date(2026, 11, 1), self.MON) is None

    @pytest.mark.parametrize(("kind", "days", "weekday", "field"), [
        ("days", None, None, "days"), ("days", 0, None, "days"), ("days", 366, None, "days"),
        ("days", 30, 1, "weekday"), ("weekday", None, None, "weekday"),
        ("weekday", None, 8, "weekday"), ("weekday", None, 0, "weekday"),
        ("weekday", 30, 1, "days"), (None, 30, None, "kind"),
    ])
    def test_refuses_a_cycle_that_does_not_fit_its_kind(self, kind, days, weekday, field):
        with pytest.raises(d.InvalidCustomer) as err:
            d.make_cycle(kind, days, weekday)
        assert err.value.status_code == 422 and err.value.message.startswith(f"{field}:")

    def test_clearing(self):
        assert d.make_cycle(None, None, None) is None

    def test_last_order_date_only_moves_forward(self):
        assert d.later(None, self.MON) == self.MON
        assert d.later(self.MON, date(2026, 11, 1)) == self.MON
        assert d.later(date(2026, 11, 1), self.MON) == self.MON


class TestPaymentTermsO6:
    @pytest.mark.parametrize("days", [0, 1, 30, 365])
    def test_whole_days_from_0_to_365(self, days):
        assert d.payment_terms_days(days) == days

    @pytest.mark.parametrize("raw", [-1, 366, "30", "abc", 30.0, 1.5, True, False, None])
    def test_anything_else_is_refused(self, raw):
        with pytest.raises(ValueError, match="whole number of days from 0"):
            d.payment_terms_days(raw)

    def test_the_default_setting_is_bounded_too(self):
        from customer_service.config import Settings
        assert Settings().default_payment_terms_days == 30
        assert Settings(default_payment_terms_days=0).default_payment_terms_days == 0
        with pytest.raises(ValueError):
            Settings(default_payment_terms_days=366)


class TestCompanyFieldsC1:
    @pytest.mark.parametrize("raw", ["10000", "123456789012", " 2345678 "])
    def test_qq_5_to_12_digits(self, raw):
        assert d.normalize_qq(raw) == raw.strip()

    @pytest.mark.parametrize("raw", ["1234", "1234567890123", "01234567", "12a45", "１２３４５"])
    def test_qq_refused(self, raw):
        with pytest.raises(ValueError, match="5 to 12 digits"):
            d.normalize_qq(raw)

    @pytest.mark.parametrize("raw", ["010", "021", "0571", " 0755 "])
    def test_area_code(self, raw):
        assert d.normalize_area_code(raw) == raw.strip()

    @pytest.mark.parametrize("raw", ["21", "1021", "05712", "0a1"])
    def test_area_code_refused(self, raw):
        with pytest.raises(ValueError, match="area code"):
            d.normalize_area_code(raw)

    @pytest.mark.parametrize("raw", ["021-5888 1234", "(021) 58881234", "+86 21 5888 1234",
                                     "0571-8888 8888转123", "58881234", "400-820-8820"])
    def test_phone(self, raw):
        assert d.normalize_phone(raw) == raw

    @pytest.mark.parametrize("raw", ["1234", "phone", "021-5888-1234-5678-9999-0000",
                                     "021/58881234", "0571-8888 8888 ext"])
    def test_phone_refused(self, raw):
        with pytest.raises(ValueError, match="telephone number"):
            d.normalize_phone(raw)

    def test_bank_account_drops_spaces(self):
        assert d.normalize_bank_account("6222 0212 3456 7890") == "6222021234567890"
        assert d.normalize_bank_account("  ") is None

    @pytest.mark.parametrize("raw", ["1234567", "6222-abc-1234", "1" * 31])
    def test_bank_account_refused(self, raw):
        with pytest.raises(ValueError, match="8 to 30 digits"):
            d.normalize_bank_account(raw)

    def test_mobile_email_tax_rules_still_hold(self):
        assert d.normalize_mobile("+86 139-0000-1111") == "13900001111"
        with pytest.raises(ValueError):
            d.normalize_email("a@b")
        with pytest.raises(ValueError):
            d.normalize_tax_number("ABC")


class TestAuditValuesX3:
    def test_jsonable(self):
        cid = uuid.uuid4()
        value = {"paid_total": Decimal("801.5"), "on": date(2026, 11, 23),
                 "at": datetime(2026, 11, 23, 8, 0, tzinfo=UTC), "id": cid,
                 "grade": Grade.SMALL, "lines": [{"p": Decimal("1")}], "n": None}
        assert d.jsonable(value) == {
            "paid_total": "801.50", "on": "2026-11-23", "at": "2026-11-23T08:00:00+00:00",
            "id": str(cid), "grade": "small", "lines": [{"p": "1.00"}], "n": None}

    def test_diff_keeps_only_changed_fields(self):
        before = {"mobile": "13800000000", "qq": None, "name": "A"}
        after = {"mobile": "13900000000", "qq": "12345", "name": "A"}
        assert d.diff(before, after, ("name", "mobile", "qq")) == (
            {"mobile": "13800000000", "qq": None}, {"mobile": "13900000000", "qq": "12345"})
