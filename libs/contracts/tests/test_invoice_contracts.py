"""Invoice events of issue 10 (I-1..I-4): the fields added to invoice.requested,
invoice.issued and invoice.confirmed are optional (events written before still parse),
invoice.rejected is new, and the customer events carry the tax information (C-1)."""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from dinghuo_contracts import (
    REGISTRY,
    CustomerApproved,
    CustomerUpdated,
    EventEnvelope,
    Fapiao,
    InvoiceConfirmed,
    InvoiceIssued,
    InvoiceRejected,
    InvoiceRequested,
    parse_event,
)

IID, CID, OID = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def round_trip(event):
    return parse_event(EventEnvelope.model_validate_json(
        event.envelope("invoice").model_dump_json()))


def test_invoice_rejected_is_a_new_event():
    assert REGISTRY[("invoice.rejected", 1)] is InvoiceRejected
    ev = InvoiceRejected(invoice_id=IID, customer_id=CID, order_ids=[OID],
                         order_numbers=["DH20261201-0001"], amount=Decimal("801.5"),
                         reason="税号有误", rejected_by="finance", rejected_at=NOW)
    wire = ev.envelope("invoice").model_dump_json()
    assert '"amount":"801.50"' in wire
    assert round_trip(ev) == ev


def test_issued_with_several_fapiao_and_old_events_still_parse():
    ev = InvoiceIssued(invoice_id=IID, customer_id=CID, order_ids=[OID], invoice_number="A",
                       invoice_date=date(2026, 12, 1), amount=Decimal("112210"),
                       fapiao=[Fapiao(invoice_number="A", amount=Decimal("100000")),
                               Fapiao(invoice_number="B", amount=Decimal("12210"))],
                       courier="顺丰", tracking_number="SF1", sent_at=NOW)
    back = round_trip(ev)
    assert back == ev and back.fapiao[1].amount == Decimal("12210.00")
    assert '"amount":"12210.00"' in ev.envelope("invoice").model_dump_json()
    old = parse_event(EventEnvelope(type="invoice.issued", source="invoice", data={
        "invoice_id": str(IID), "customer_id": str(CID), "order_ids": [str(OID)],
        "invoice_number": "A", "invoice_date": "2026-12-01", "amount": "1.00"}))
    assert old.fapiao == [] and old.courier is None
    old = parse_event(EventEnvelope(type="invoice.confirmed", source="invoice", data={
        "invoice_id": str(IID), "customer_id": str(CID), "order_ids": [str(OID)],
        "invoice_number": "A", "amount": "1.00", "confirmed_at": NOW.isoformat()}))
    assert isinstance(old, InvoiceConfirmed) and old.fapiao == []


def test_requested_carries_what_the_fapiao_shows():
    old = parse_event(EventEnvelope(type="invoice.requested", source="invoice", data={
        "invoice_id": str(IID), "customer_id": str(CID), "order_ids": [str(OID)],
        "order_numbers": ["DH1"], "amount": "1.00"}))
    assert isinstance(old, InvoiceRequested)
    assert (old.invoice_type, old.title, old.resubmitted) == (None, None, False)
    ev = InvoiceRequested(invoice_id=IID, customer_id=CID, order_ids=[OID],
                          order_numbers=["DH1"], amount=Decimal("1"),
                          invoice_type="special_vat", title="上海印美", tax_number="9131",
                          bank="工行", bank_account="1001", address_phone="上海 021-1",
                          mail_to="上海", resubmitted=True)
    assert round_trip(ev) == ev


def test_customer_events_carry_tax_information_C1():
    for cls, extra in ((CustomerApproved, {"customer_number": "KH1", "catalog": [],
                                           "approved_by": "a"}),
                       (CustomerUpdated, {"changed_fields": [], "changed_by_kind": "staff"})):
        old = cls.model_validate({"customer_id": str(CID), "company_name": "x", **extra})
        assert old.tax_number is None and "tax_number" not in old.model_fields_set
        ev = cls(customer_id=CID, company_name="x", invoice_title="上海印美",
                 tax_number="91310000MA1FL0XX1X", bank="工行", bank_account="1001",
                 address="上海", area_code="021", telephone="5888 1234", **extra)
        assert round_trip(ev) == ev
