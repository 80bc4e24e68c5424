"""Online payment rules (B-2, O-6) without I/O: what an order may be paid online, when an
open intent is shown again, whether a notification fits its intent, and what a paid
notification does when the order was paid or cancelled meanwhile."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from order_service.orders.domain import OrderStatus as S
from order_service.payments import domain as d

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
DUE = date(2026, 12, 31)


class TestPayable:
    def test_an_approved_order_pays_what_is_outstanding_B2_O6(self):
        for status in (S.PROCESSING, S.SHIPPED, S.COMPLETED, S.CANCELLATION_REQUESTED):
            assert d.payable_amount(status, DUE, Decimal("160.30"),
                                    Decimal("60.30")) == Decimal("100.00")

    @pytest.mark.parametrize(("status", "due", "paid", "says"), [
        (S.SUBMITTED, None, "0", "not been approved"),
        (S.PENDING_SECOND_REVIEW, None, "0", "not been approved"),
        (S.CANCELLED, DUE, "0", "cancelled"),
        (S.REJECTED, None, "0", "rejected"),
        (S.PROCESSING, DUE, "160.30", "fully paid"),
    ])
    def test_an_order_owing_nothing_is_a_conflict_B2(self, status, due, paid, says):
        with pytest.raises(d.NothingOutstanding, match=says):
            d.payable_amount(status, due, Decimal("160.30"), Decimal(paid))

    def test_only_enabled_providers_B2(self):
        assert d.check_provider("sandbox", ["sandbox"]) == "sandbox"
        with pytest.raises(d.ProviderNotEnabled, match="'sandbox'"):
            d.check_provider("wechat", ["sandbox"])
        with pytest.raises(d.ProviderNotEnabled, match="not enabled on this platform"):
            d.check_provider("sandbox", [])


class TestIntents:
    def test_an_open_intent_for_the_same_provider_and_amount_is_reused_B2(self):
        later = NOW + timedelta(minutes=20)
        kw = {"want_provider": "sandbox", "want_amount": Decimal("160.3"), "now": NOW}
        assert d.reusable("created", "sandbox", Decimal("160.30"), later, **kw)
        assert not d.reusable("created", "wechat", Decimal("160.30"), later, **kw)
        assert not d.reusable("created", "sandbox", Decimal("100.00"), later, **kw)
        assert not d.reusable("paid", "sandbox", Decimal("160.30"), later, **kw)
        assert not d.reusable("created", "sandbox", Decimal("160.30"),
                              NOW + timedelta(seconds=30), **kw)

    def test_an_unpaid_intent_past_its_time_shows_expired_B2(self):
        assert d.shown_status("created", NOW, NOW) is d.IntentStatus.EXPIRED
        assert d.shown_status("created", NOW + timedelta(seconds=1), NOW) is \
            d.IntentStatus.CREATED
        assert d.shown_status("paid", NOW - timedelta(hours=1), NOW) is d.IntentStatus.PAID

    def test_out_trade_numbers_suit_both_providers_B2(self):
        numbers = {d.out_trade_no("DH20261201-0007") for _ in range(50)}
        assert len(numbers) == 50
        for n in numbers:
            assert re.fullmatch(r"DH202612010007[0-9A-F]{12}", n)
        assert len(d.out_trade_no("DH20261201-123456789012")) <= 32


class TestNotices:
    def test_provider_amount_and_currency_must_match_B2(self):
        intent = ("sandbox", Decimal("160.30"), "CNY")
        assert d.mismatch(*intent, provider="sandbox", amount=Decimal("160.3"),
                          currency="CNY") is None
        assert "amount" in d.mismatch(*intent, provider="sandbox", amount=Decimal("160.29"),
                                      currency="CNY").reason
        assert "currency" in d.mismatch(*intent, provider="sandbox",
                                        amount=Decimal("160.30"), currency="USD").reason
        assert "wechat" in d.mismatch(*intent, provider="wechat", amount=Decimal("160.30"),
                                      currency="CNY").reason

    def test_a_payment_is_recorded_while_the_order_owes_it_B2_O6(self):
        out = d.settle(S.PROCESSING, Decimal("160.30"), Decimal("0"), Decimal("160.30"))
        assert out.settlement is d.Settlement.RECORD and out.note is None

    def test_paid_meanwhile_or_cancelled_is_noted_not_recorded_B2_O6(self):
        out = d.settle(S.PROCESSING, Decimal("160.30"), Decimal("100"), Decimal("160.30"))
        assert out.settlement is d.Settlement.UNAPPLIED and "60.30" in out.note
        out = d.settle(S.CANCELLED, Decimal("160.30"), Decimal("0"), Decimal("160.30"))
        assert out.settlement is d.Settlement.UNAPPLIED and "cancelled" in out.note
