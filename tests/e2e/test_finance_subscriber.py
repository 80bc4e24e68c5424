"""The finance system's contract, end to end (I-4): an invoice driven through the gateway
(request → issue → confirm receipt) reaches the reference finance subscriber, which the
system runs like `make run` does, through the topology's durable queue
finance.invoice-events — one ledger row per event, exactly once each; and the gateway
serves the AsyncAPI document that describes those events."""

from __future__ import annotations

import csv
import secrets

import pytest
import yaml
from servicekit.timeutil import business_date
from system import FINANCE_LEDGER

from .api import eventually, order_body
from .test_slice import approved_customer, place

pytestmark = pytest.mark.e2e

TYPES = ("invoice.requested", "invoice.issued", "invoice.confirmed")


def ledger_rows(system, invoice_id: str) -> list[dict[str, str]]:
    path = system.config.run_dir / FINANCE_LEDGER
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return [row for row in csv.DictReader(f) if row["invoice_id"] == invoice_id]


class TestFinanceSubscriber:
    async def test_an_invoice_reaches_the_finance_ledger_once_per_event_I4(
            self, system, api, admin):
        customer, cid, catalog = await approved_customer(api, admin)
        order = await place(customer, order_body([(catalog[0]["product_id"], 3)]))
        r = await admin.post("/api/console/orders/review",
                             json={"order_ids": [order["id"]], "decision": "approve"})
        assert r.status_code == 200, r.text

        # I-1: an ordinary VAT fapiao needs a tax number; the title is the company's name
        r = await customer.post("/api/portal/invoice-requests", json={
            "order_ids": [order["id"]], "invoice_type": "ordinary_vat",
            "tax_number": "91310000MA1FL8XQ3K"})
        assert r.status_code == 201, r.text
        invoice = r.json()
        number = f"INV{secrets.token_hex(6)}"
        r = await admin.post(f"/api/console/invoices/{invoice['id']}/issue", json={
            "invoice_number": number, "invoice_date": business_date().isoformat()})
        assert r.status_code == 200, r.text
        r = await customer.post(f"/api/portal/invoices/{invoice['id']}/confirm-receipt")
        assert r.status_code == 200, r.text

        async def all_three():
            rows = ledger_rows(system, invoice["id"])
            return rows if {r["type"] for r in rows} >= set(TYPES) else None

        rows = await eventually(all_three, timeout=60)
        assert sorted(r["type"] for r in rows) == sorted(TYPES), rows  # once each
        assert len({r["event_id"] for r in rows}) == len(rows)
        by_type = {r["type"]: r for r in rows}
        for row in rows:
            assert row["customer_id"] == cid
            assert row["amount"] == invoice["amount"]
            assert row["order_ids"] == order["id"]
            assert row["version"] == "1"
        assert by_type["invoice.requested"]["invoice_number"] == ""
        assert by_type["invoice.issued"]["invoice_number"] == number
        assert by_type["invoice.confirmed"]["invoice_number"] == number
        # per-producer order: the invoice service committed them in this order
        assert [r["status"] for r in rows] == ["requested", "issued", "confirmed"]

    async def test_the_gateway_serves_the_events_contract_I4(self, system, api):
        r = await api.client.get("/api/events/asyncapi.yaml")  # no login
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/yaml"
        doc = yaml.load(r.text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        assert doc["asyncapi"].startswith("3.")
        assert "invoice.issued" in doc["channels"]
        assert "invoice.issued.v1" in doc["channels"]["finance.invoice-events"]["messages"]
        r = await api.client.get("/api/events/asyncapi.json")
        assert r.status_code == 200 and r.json()["channels"].keys() == doc["channels"].keys()
