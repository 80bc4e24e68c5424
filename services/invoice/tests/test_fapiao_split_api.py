"""Integration: an invoice above the per-fapiao limit (INVOICE_MAX_AMOUNT_PER_FAPIAO) is
issued as several fapiao whose amounts add up to it exactly; every number is unique over
all invoices (I-2)."""

import uuid
from decimal import Decimal

import pytest
from invoice_service.app import create_app
from invoice_service.config import Settings
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date

from .invoice_fixtures import outbox, requested_invoice


def several(*parts: tuple[str, str], **kw) -> dict:
    return {"invoice_date": business_date().isoformat(),
            "fapiao": [{"invoice_number": n, "amount": a} for n, a in parts], **kw}


def numbers(prefix: str, n: int) -> list[str]:
    tag = uuid.uuid4().hex[:8]
    return [f"{prefix}{tag}-{i}" for i in range(1, n + 1)]


async def issue(app, invoice_id, body):
    async with h.client(app, h.staff(username="finance")) as s:
        return await s.post(f"/api/console/invoices/{invoice_id}/issue", json=body)


class TestSplit:
    async def test_over_the_limit_is_issued_as_two_fapiao_I2(self, invoice_app, invoice_db):
        cid, _ev, inv = await requested_invoice(invoice_app, invoice_db, total="112210.00")
        async with h.client(invoice_app, h.staff()) as s:
            detail = (await s.get(f"/api/console/invoices/{inv['id']}")).json()
        assert detail["suggested_fapiao"] == ["100000.00", "12210.00"]
        one, two = numbers("No.", 2)
        r = await issue(invoice_app, inv["id"], several((one, "100000"), (two, "12210.00"),
                                                        courier="顺丰", tracking_number="SF1"))
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["fapiao"] == [{"invoice_number": one, "amount": "100000.00"},
                                  {"invoice_number": two, "amount": "12210.00"}]
        assert body["invoice_number"] == one and body["status"] == "issued"
        assert (body["courier"], body["tracking_number"]) == ("顺丰", "SF1")
        async with h.client(invoice_app, h.customer(cid)) as c:
            assert (await c.get(f"/api/portal/invoices/{inv['id']}")).json()[
                "fapiao"] == body["fapiao"]
            assert (await c.post(f"/api/portal/invoices/{inv['id']}/confirm-receipt")
                    ).status_code == 200
        events = dict(await outbox(invoice_db, inv["id"]))
        issued = events["invoice.issued"]["data"]
        assert issued["invoice_number"] == one and issued["amount"] == "112210.00"
        assert [f["invoice_number"] for f in issued["fapiao"]] == [one, two]
        assert events["invoice.confirmed"]["data"]["fapiao"] == issued["fapiao"]

    async def test_one_number_over_the_limit_is_422(self, invoice_app, invoice_db):
        _, _, inv = await requested_invoice(invoice_app, invoice_db, total="112210.00")
        r = await issue(invoice_app, inv["id"], {
            "invoice_number": numbers("No.", 1)[0],
            "invoice_date": business_date().isoformat()})
        assert r.status_code == 422
        assert r.json()["detail"] == (
            "The amount 112210.00 is above the limit of 100000.00 per fapiao: issue it as at "
            "least 2 fapiao (fapiao: [{invoice_number, amount}, …])")

    @pytest.mark.parametrize(("parts", "message"), [
        ((("a", "100000.00"), ("b", "12210.01")),
         "fapiao: the amounts add up to 112210.01, but the invoice is for 112210.00"),
        ((("a", "100000.01"), ("b", "12209.99")),
         "fapiao.1: the amount 100000.01 of fapiao {a} is above the limit"),
        ((("a", "56105.00"), ("a", "56105.00")), "fapiao.2: invoice number {a} is listed "
                                                 "twice"),
    ])
    async def test_amounts_must_add_up_and_stay_within_the_limit(self, invoice_app,
                                                                  invoice_db, parts, message):
        _, _, inv = await requested_invoice(invoice_app, invoice_db, total="112210.00")
        a, b = numbers("No.", 2)
        named = {"a": a, "b": b}
        r = await issue(invoice_app, inv["id"], several(*((named[n], x) for n, x in parts)))
        assert r.status_code == 422, r.text
        assert message.format(a=a) in r.json()["detail"]
        async with h.client(invoice_app, h.staff()) as s:
            assert (await s.get(f"/api/console/invoices/{inv['id']}")).json()[
                "status"] == "requested"

    async def test_a_number_used_by_another_invoice_is_409_naming_it(self, invoice_app,
                                                                      invoice_db):
        _, _, first = await requested_invoice(invoice_app, invoice_db, total="100.00")
        _, _, second = await requested_invoice(invoice_app, invoice_db, total="112210.00")
        used, fresh = numbers("No.", 2)
        assert (await issue(invoice_app, first["id"], {
            "invoice_number": used, "invoice_date": business_date().isoformat()})
        ).status_code == 200
        r = await issue(invoice_app, second["id"], several((fresh, "100000.00"),
                                                           (used, "12210.00")))
        assert r.status_code == 409
        assert r.json()["detail"] == f"Invoice number {used} is already used by another invoice"
        r = await issue(invoice_app, second["id"], several((fresh, "100000.00"),
                                                           (fresh + "b", "12210.00")))
        assert r.status_code == 200, r.text

    async def test_the_limit_is_a_setting(self, invoice_db_url, invoice_db):
        app = create_app(Settings(database_url=invoice_db_url, environment="test",
                                  max_amount_per_fapiao=Decimal("500.00")))
        try:
            _, _, inv = await requested_invoice(app, invoice_db, total="801.50")
            async with h.client(app, h.staff()) as s:
                detail = (await s.get(f"/api/console/invoices/{inv['id']}")).json()
            assert detail["suggested_fapiao"] == ["500.00", "301.50"]
            one = numbers("No.", 1)[0]
            r = await issue(app, inv["id"], {"invoice_number": one,
                                             "invoice_date": business_date().isoformat()})
            assert r.status_code == 422 and "limit of 500.00" in r.json()["detail"]
            a, b = numbers("No.", 2)
            r = await issue(app, inv["id"], several((a, "500.00"), (b, "301.50")))
            assert r.status_code == 200, r.text
        finally:
            await app.state.db.dispose()

    def test_the_default_limit_is_100000_yuan(self):
        assert Settings().max_amount_per_fapiao == Decimal("100000.00")
        with pytest.raises(ValueError):
            Settings(max_amount_per_fapiao=Decimal("0"))
