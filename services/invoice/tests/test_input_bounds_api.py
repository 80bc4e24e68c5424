"""Issue 8, no input makes a 500: the issued invoice's date and sending time lie between
2000-01-01 and 2099-12-31 (Asia/Shanghai date); anything else is a 422 naming the field,
never an overflow in the business-date arithmetic."""

import uuid

import pytest
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date


def _refused(r, field: str) -> None:
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == "ValidationError" and body["errors"]
    assert field in body["detail"] and "2000-01-01 and 2099-12-31" in body["detail"]


@pytest.mark.parametrize("day", ["9999-12-31", "2100-01-01", "1999-12-31", "0001-01-01"])
async def test_invoice_date_outside_the_range_is_422(invoice_app, day):
    async with h.client(invoice_app, h.staff()) as s:
        r = await s.post(f"/api/console/invoices/{uuid.uuid4()}/issue",
                         json={"invoice_number": "X1", "invoice_date": day})
    _refused(r, "invoice_date")


@pytest.mark.parametrize("at", ["9999-12-31T23:59:59-23:59", "9999-12-31T23:59:59Z",
                                "0001-01-01T00:00:00+23:59", "0001-01-01T00:00:00Z",
                                "2099-12-31T16:00:00Z", "1999-12-31T23:59:59+08:00"])
async def test_sent_at_outside_the_range_is_422_not_an_overflow(invoice_app, at):
    async with h.client(invoice_app, h.staff()) as s:
        r = await s.post(f"/api/console/invoices/{uuid.uuid4()}/issue", json={
            "invoice_number": "X1", "invoice_date": business_date().isoformat(),
            "sent_at": at})
    _refused(r, "sent_at")
