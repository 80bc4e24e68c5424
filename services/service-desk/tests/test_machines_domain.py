"""Unit: warranty dates of the installed base (S-2), no I/O."""

from datetime import date

import pytest
from servicedesk_service.machines import domain


class TestWarrantyDates:
    @pytest.mark.parametrize(("bought", "months", "until"), [
        (date(2026, 3, 15), 12, date(2027, 3, 14)),
        (date(2026, 1, 31), 1, date(2026, 2, 27)),   # 28 Feb is the month's day, minus one
        (date(2024, 1, 31), 1, date(2024, 2, 28)),   # leap year: 29 Feb minus one
        (date(2026, 12, 1), 1, date(2026, 12, 31)),
        (date(2026, 11, 30), 3, date(2027, 2, 27)),
        (date(2020, 2, 29), 24, date(2022, 2, 27)),
        (date(2026, 5, 1), 120, date(2036, 4, 30)),
    ])
    def test_warranty_until_is_the_last_covered_day_S2(self, bought, months, until):
        assert domain.warranty_until(bought, months) == until

    def test_no_warranty_has_no_date(self):
        assert domain.warranty_until(date(2026, 3, 15), 0) is None
        w = domain.warranty(date(2026, 3, 15), 0, date(2026, 3, 15))
        assert (w.until, w.in_warranty, w.days_left) == (None, False, None)

    def test_in_warranty_up_to_and_including_the_last_day_S2(self):
        bought = date(2026, 3, 15)
        assert domain.warranty(bought, 12, date(2026, 3, 15)).in_warranty
        last = domain.warranty(bought, 12, date(2027, 3, 14))
        assert last.in_warranty and last.days_left == 0
        assert domain.warranty(bought, 12, date(2027, 3, 13)).days_left == 1
        after = domain.warranty(bought, 12, date(2027, 3, 15))
        assert not after.in_warranty and after.days_left == 0

    def test_purchase_date_neither_future_nor_ancient(self):
        today = date(2026, 12, 2)
        domain.check_purchase_date(today, today)
        with pytest.raises(domain.InvalidMachine, match="future"):
            domain.check_purchase_date(date(2026, 12, 3), today)
        with pytest.raises(domain.InvalidMachine, match="1990"):
            domain.check_purchase_date(date(1989, 12, 31), today)
