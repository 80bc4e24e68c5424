"""Unit tests of the Excel export's columns (O-10), no I/O."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from order_service.exports import domain as x
from servicekit.errors import Unprocessable

ROW = {"number": "DH20261123-0007", "order_date": date(2026, 11, 23), "status": "processing",
       "total": Decimal("801.50"), "paid_total": Decimal("500.00"), "invoiced": False,
       "created_at": datetime(2026, 11, 23, 16, 30, tzinfo=UTC), "source": "staff",
       "bill_type": "special_vat"}


class TestColumns:
    def test_default_and_chosen_columns_in_order_O10(self):
        assert x.parse_columns(None) == list(x.DEFAULT_COLUMNS)
        assert x.parse_columns(" total , number,total") == ["total", "number"]

    def test_unknown_column_is_a_422_listing_the_valid_ones(self):
        with pytest.raises(Unprocessable, match="unknown column price, foo; choose from"):
            x.parse_columns("number,price,foo")

    def test_values_in_chinese_and_english(self):
        cols = ["number", "status", "outstanding", "payment_status", "invoiced", "source",
                "bill_type", "created_at"]
        assert x.values(ROW, cols, "zh") == [
            "DH20261123-0007", "已审核待发货", Decimal("301.50"), "部分付款", "否", "员工代录",
            "增值税专用发票", datetime(2026, 11, 24, 0, 30)]
        assert x.values(ROW, cols, "en")[1:7] == [
            "processing", Decimal("301.50"), "partially_paid", "no", "staff", "special_vat"]
        assert x.headers(["number", "total"], "zh") == ["订单号", "金额"]

    def test_due_date_column_O6(self):
        assert x.headers(["number", "due_date"], "zh") == ["订单号", "付款到期日"]
        assert x.headers(["due_date"], "en") == ["Due date"]
        assert x.values({**ROW, "due_date": date(2026, 12, 23)}, ["due_date"], "zh") == [
            date(2026, 12, 23)]
        assert x.values({**ROW, "due_date": None}, ["due_date"], "en") == [None]
        assert "due_date" in x.parse_columns("number,due_date")

    def test_too_many_rows_is_a_422(self):
        with pytest.raises(Unprocessable, match="narrow the filter"):
            x.check_size(x.MAX_ROWS + 1)
