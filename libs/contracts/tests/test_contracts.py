"""Event contracts: envelope round trip, money on the wire, one model per (type, version)."""

import uuid
from datetime import date
from decimal import Decimal

import pytest
from dinghuo_contracts import (
    EVENT_TYPES,
    EXTERNAL_SUBSCRIBERS,
    REGISTRY,
    CustomerApproved,
    CustomerOrderingCycleDue,
    CustomerPaymentTermsChanged,
    DeliveryReported,
    DeliveryRequested,
    EventEnvelope,
    InvoiceConfirmed,
    OrderPaymentDue,
    PaymentReceived,
    UnknownEvent,
    parse_event,
)


def test_envelope_round_trip_keeps_decimal_money():
    ev = PaymentReceived(order_id=uuid.uuid4(), number="DH20261123-0001",
                         customer_id=uuid.uuid4(), total=Decimal("801.5"),
                         amount_paid=Decimal("801.50"), paid_on=date(2026, 11, 23))
    env = ev.envelope("order")
    wire = env.model_dump_json()
    assert '"total":"801.50"' in wire
    back = parse_event(EventEnvelope.model_validate_json(wire))
    assert back == ev and isinstance(back.total, Decimal)
    assert env.type == "order.payment_received" and env.version == 1


def test_the_three_named_events_exist():
    assert {"order.submitted", "order.payment_received", "invoice.confirmed"} <= EVENT_TYPES
    assert REGISTRY[("invoice.confirmed", 1)] is InvoiceConfirmed


def test_unknown_type_or_version_is_refused():
    with pytest.raises(UnknownEvent):
        parse_event(EventEnvelope(type="order.submitted", version=99, source="x", data={}))


def test_payment_terms_O6_old_approvals_still_parse():
    assert REGISTRY[("customer.payment_terms_changed", 1)] is CustomerPaymentTermsChanged
    old = EventEnvelope(type="customer.approved", source="customer", data={
        "customer_id": str(uuid.uuid4()), "customer_number": "KH000001",
        "company_name": "x", "catalog": [], "approved_by": "admin"})
    approved = parse_event(old)
    assert isinstance(approved, CustomerApproved) and approved.payment_terms_days is None
    new = parse_event(EventEnvelope.model_validate_json(CustomerPaymentTermsChanged(
        customer_id=uuid.uuid4(), days=0, previous_days=30, changed_by="staff",
    ).envelope("customer").model_dump_json()))
    assert (new.days, new.previous_days) == (0, 30)


def test_payment_due_reminder_O6_N2():
    """order.payment_due v1: money as a string, the stage one of three, 0 days overdue
    unless overdue; an unknown stage is refused."""
    assert REGISTRY[("order.payment_due", 1)] is OrderPaymentDue
    ev = OrderPaymentDue(order_id=uuid.uuid4(), number="DH20261123-0001",
                         customer_id=uuid.uuid4(), customer_name="上海印美",
                         amount_outstanding=Decimal("801.5"), due_date=date(2026, 12, 3),
                         stage="due")
    wire = ev.envelope("order").model_dump_json()
    assert '"amount_outstanding":"801.50"' in wire and '"days_overdue":0' in wire
    assert parse_event(EventEnvelope.model_validate_json(wire)) == ev
    with pytest.raises(ValueError):
        OrderPaymentDue.model_validate({**ev.model_dump(), "stage": "later"})


def test_ordering_cycle_due_C6_N2():
    """customer.ordering_cycle_due v1 (produced by the order service): the due date, the
    last order date or null, the cycle. The external notifier receives it as a delivery
    request from notify, not directly."""
    assert REGISTRY[("customer.ordering_cycle_due", 1)] is CustomerOrderingCycleDue
    ev = CustomerOrderingCycleDue(customer_id=uuid.uuid4(), due_date=date(2026, 12, 4),
                                  kind="weekday", weekday=5)
    wire = ev.envelope("order").model_dump_json()
    assert '"last_order_date":null' in wire and '"customer_name":""' in wire
    assert parse_event(EventEnvelope.model_validate_json(wire)) == ev
    with pytest.raises(ValueError):
        CustomerOrderingCycleDue.model_validate({**ev.model_dump(), "kind": "monthly"})
    [notifier] = [s for s in EXTERNAL_SUBSCRIBERS if s.name == "notifier"]
    assert notifier.binding_keys == ("notify.delivery_requested",)


def test_delivery_request_and_report_N2():
    """notify.delivery_requested stays v1 with additive fields (delivery id, attempt, the
    wechat channel, the text); notify.delivery_reported names the delivery and attempt."""
    old = {"channel": "sms", "recipient": "13800000000", "template": "password_reset"}
    assert DeliveryRequested.model_validate(old).delivery_id is None
    req = DeliveryRequested(channel="wechat", recipient="oABC", template="payment_due",
                            params={"number": "SO-1"}, delivery_id=uuid.uuid4(), attempt=2,
                            text="付款提醒", text_en="Payment reminder")
    wire = req.envelope("notify").model_dump_json()
    assert parse_event(EventEnvelope.model_validate_json(wire)) == req
    rep = DeliveryReported(delivery_id=req.delivery_id, attempt=2, status="failed",
                           reason="timeout")
    assert rep.retryable is True
    assert REGISTRY[("notify.delivery_reported", 1)] is DeliveryReported
    with pytest.raises(ValueError):
        DeliveryReported.model_validate({**rep.model_dump(), "status": "lost"})
