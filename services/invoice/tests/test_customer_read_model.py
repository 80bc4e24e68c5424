"""Integration: the customer read model follows customer.registered / .approved /
.updated — its area (C-7) and tax information (C-1), the defaults of an invoice request
(I-1) — tolerating events out of order and events written before the tax fields existed."""

import uuid
from datetime import timedelta

from dinghuo_contracts import CustomerRegistered, CustomerUpdated, EventEnvelope
from servicekit.testing import helpers as h
from servicekit.timeutil import utcnow
from sqlalchemy import text

from .invoice_fixtures import TAX, deliver, known_customer


async def row(invoice_db, cid):
    async with invoice_db.engine.connect() as c:
        return (await c.execute(text("SELECT * FROM customers WHERE customer_id = :id"),
                                {"id": cid})).mappings().one()


def updated(cid, at, **kw) -> EventEnvelope:
    env = CustomerUpdated(customer_id=cid, company_name="上海印美有限公司",
                          changed_fields=["area"], changed_by_kind="staff",
                          **{**TAX, **kw}).envelope("customer")
    return env.model_copy(update={"occurred_at": at})


class TestCustomerReadModel:
    async def test_registered_then_approved_then_updated(self, invoice_db):
        cid = uuid.uuid4()
        await deliver(invoice_db, CustomerRegistered(
            customer_id=cid, customer_number="KH000001", company_name="上海印美",
            contact_person="张三", mobile="13900001111", area="华东"), "customer")
        got = await row(invoice_db, cid)
        assert (got["company_name"], got["area"], got["tax_number"]) == ("上海印美", "华东", None)
        await known_customer(invoice_db, cid, area="华东")
        got = await row(invoice_db, cid)
        assert got["tax_number"] == TAX["tax_number"] and got["company_name"] == "上海印美有限公司"
        await deliver(invoice_db, updated(cid, utcnow(), area="华北", bank="建设银行"))
        after = await row(invoice_db, cid)
        assert (after["area"], after["bank"]) == ("华北", "建设银行")
        assert after["customer_number"] == got["customer_number"] is not None

    async def test_an_older_event_arriving_late_changes_nothing(self, invoice_db):
        cid = await known_customer(invoice_db, area="华东")
        now = utcnow()
        await deliver(invoice_db, updated(cid, now + timedelta(seconds=5), area="华北"))
        await deliver(invoice_db, updated(cid, now + timedelta(seconds=1), area="华南"))
        assert (await row(invoice_db, cid))["area"] == "华北"

    async def test_an_event_from_before_issue_10_keeps_the_tax_information(self, invoice_db):
        cid = await known_customer(invoice_db, area="华东")
        old = EventEnvelope(type="customer.updated", source="customer", data={
            "customer_id": str(cid), "company_name": "上海印美（新）", "changed_fields": ["name"],
            "changed_by_kind": "customer", "area": "华东", "mobile": "13900002222"})
        await deliver(invoice_db, old)
        got = await row(invoice_db, cid)
        assert (got["company_name"], got["mobile"]) == ("上海印美（新）", "13900002222")
        assert (got["tax_number"], got["bank_account"]) == (TAX["tax_number"],
                                                           TAX["bank_account"])

    async def test_a_cleared_field_is_cleared(self, invoice_app, invoice_db):
        cid = await known_customer(invoice_db)
        await deliver(invoice_db, updated(cid, utcnow(), invoice_title=None, bank=None))
        async with h.client(invoice_app, h.customer(cid)) as c:
            d = (await c.get("/api/portal/invoice-requests/defaults")).json()
        assert d["title"] == "上海印美有限公司" and d["bank"] is None
        assert d["missing"] == {"ordinary_vat": [], "special_vat": ["bank"]}
