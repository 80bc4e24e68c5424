"""Unit: the customer is told when the points an order asked for were refused or given back
unconfirmed (P-2, N-5); the order is then payable in full. Releases of cancelled or
rejected orders add nothing to the cancellation's own message."""

import uuid
from datetime import UTC, datetime

import pytest
from dinghuo_contracts import PointsEarned, PointsRefused, PointsReleased
from notify_service.messages.domain import MessageKind, customer_message

OID = uuid.uuid4()


@pytest.mark.parametrize(("reason", "zh", "en"), [
    ("insufficient", "积分余额不足", "not enough points left"),
    ("threshold", "未达到使用门槛", "have not been reached"),
    ("redeemable", "耗材和配件", "consumables and accessories"),
])
def test_refused_points_say_why_P2(reason, zh, en):
    n = customer_message(PointsRefused(customer_id=uuid.uuid4(), order_id=OID,
                                       order_number="DH20261201-0001", points=50,
                                       reason=reason, detail="detail"))
    assert n is not None and n.kind is MessageKind.POINTS_REFUSED
    assert "DH20261201-0001" in n.message and "50" in n.message and zh in n.message
    assert en in n.message_en and "payable in full" in n.message_en
    assert n.data == {"order_id": str(OID), "number": "DH20261201-0001", "points": 50,
                      "reason": reason}


@pytest.mark.parametrize(("cause", "told"), [
    ("timeout", True), ("not_confirmed", True), ("cancelled", False), ("rejected", False)])
def test_released_points_are_told_only_when_unconfirmed_P2(cause, told):
    n = customer_message(PointsReleased(customer_id=uuid.uuid4(), order_id=OID,
                                        order_number="DH20261201-0002", points=30, cause=cause,
                                        released_at=datetime.now(UTC)))
    if not told:
        assert n is None
        return
    assert n is not None and n.kind is MessageKind.POINTS_RELEASED
    assert "积分已退回" in n.message and "back in your account" in n.message_en


@pytest.mark.parametrize(("event", "concerned"), [
    (PointsEarned(customer_id=uuid.uuid4(), order_id=OID, points=5, status="pending"), False),
    (PointsEarned(customer_id=uuid.uuid4(), order_id=OID, points=5, status="effective"), True),
    (PointsReleased(customer_id=uuid.uuid4(), order_id=OID, points=3, cause="cancelled",
                    released_at=datetime.now(UTC)), False),
    (PointsReleased(customer_id=uuid.uuid4(), order_id=OID, points=3, cause="timeout",
                    released_at=datetime.now(UTC)), True),
])
def test_the_worker_takes_no_transaction_for_points_that_say_nothing_issue16_N5(event,
                                                                                concerned):
    """issue 16: a new order's pending points (and a release the cancellation already
    told) make no message and no prompt, so the consumer acknowledges them without a
    transaction; the ones that do say something are handled as before."""
    from notify_service.handlers import registry, says_something

    assert says_something(event) is concerned
    assert registry.concerns(event.envelope("points")) is concerned
    assert (customer_message(event) is not None) is concerned
