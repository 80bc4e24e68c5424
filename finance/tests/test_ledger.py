"""The ledger CSV (I-4): one row per invoice event with the agreed columns, the event
ids read back on opening, a half-written last line cut off, a foreign file refused."""

from __future__ import annotations

import csv
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from dinghuo_contracts import InvoiceConfirmed, InvoiceIssued, InvoiceRequested, PaymentReceived
from dinghuo_finance.ledger import COLUMNS, Ledger, LedgerError, row_for

INVOICE = uuid.uuid4()
CUSTOMER = uuid.uuid4()
ORDERS = [uuid.uuid4(), uuid.uuid4()]


def requested():
    return InvoiceRequested(invoice_id=INVOICE, customer_id=CUSTOMER, order_ids=ORDERS,
                            order_numbers=["DH20261123-0007", "DH20261123-0008"],
                            amount=Decimal("892.5"))


def issued():
    return InvoiceIssued(invoice_id=INVOICE, customer_id=CUSTOMER, order_ids=ORDERS,
                         invoice_number="24312000000012345678",
                         invoice_date=date(2026, 11, 25), amount=Decimal("892.50"))


def rows(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_rows_of_the_invoice_events_I4():
    env = requested().envelope("invoice")
    assert row_for(env, requested()) == {
        "event_id": str(env.id), "type": "invoice.requested", "version": "1",
        "occurred_at": env.model_dump(mode="json")["occurred_at"],
        "invoice_id": str(INVOICE), "invoice_number": "", "customer_id": str(CUSTOMER),
        "amount": "892.50", "order_ids": f"{ORDERS[0]};{ORDERS[1]}", "status": "requested"}
    row = row_for(issued().envelope("invoice"), issued())
    assert (row["invoice_number"], row["status"]) == ("24312000000012345678", "issued")
    confirmed = InvoiceConfirmed(invoice_id=INVOICE, customer_id=CUSTOMER, order_ids=ORDERS,
                                 invoice_number="24312000000012345678",
                                 amount=Decimal("892.50"),
                                 confirmed_at=datetime(2026, 11, 26, 1, tzinfo=UTC))
    assert row_for(confirmed.envelope("invoice"), confirmed)["status"] == "confirmed"
    paid = PaymentReceived(order_id=ORDERS[0], number="DH1", customer_id=CUSTOMER,
                           total=Decimal(1), amount_paid=Decimal(1), paid_on=date.today())
    assert row_for(paid.envelope("order"), paid) is None


def test_append_and_read_back_the_ids_I4(tmp_path):
    path = tmp_path / "books" / "ledger.csv"
    ledger = Ledger(path).open()
    env = requested().envelope("invoice")
    assert env.id not in ledger
    ledger.append(row_for(env, requested()))
    assert env.id in ledger
    ledger.close()
    assert path.read_text().splitlines()[0] == ",".join(COLUMNS)
    again = Ledger(path).open()
    assert env.id in again and len(again.seen) == 1
    again.close()
    assert [r["event_id"] for r in rows(path)] == [str(env.id)]


def test_a_half_written_last_line_is_cut_off_I4(tmp_path):
    path = tmp_path / "ledger.csv"
    ledger = Ledger(path).open()
    env = requested().envelope("invoice")
    ledger.append(row_for(env, requested()))
    ledger.close()
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"{uuid.uuid4()},invoice.issued,1,2026-11-")  # the process died here
    reopened = Ledger(path).open()
    assert reopened.seen == {str(env.id)}
    env2 = issued().envelope("invoice")
    reopened.append(row_for(env2, issued()))
    reopened.close()
    assert [r["type"] for r in rows(path)] == ["invoice.requested", "invoice.issued"]


def test_a_file_that_is_not_a_ledger_is_refused(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text("date,amount\n2026-11-25,1.00\n")
    with pytest.raises(LedgerError, match="FINANCE_LEDGER_PATH"):
        Ledger(path).open()
