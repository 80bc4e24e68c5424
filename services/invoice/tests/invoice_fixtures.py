"""Shared builders for the invoice service's integration tests: customers and orders
known to its read models (through the events that feed them), requests and the outbox."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta
from decimal import Decimal

from dinghuo_contracts import (
    CatalogLine,
    CustomerApproved,
    OrderApproved,
    OrderLine,
    OrderSubmitted,
    ReturnApproved,
    ReturnLine,
)
from invoice_service.messaging import registry
from servicekit.testing import helpers as h
from servicekit.timeutil import business_date, utcnow
from sqlalchemy import text

CONSUMER = "invoice"
_seq = itertools.count(1)

TAX = {"invoice_title": "上海印美图文有限公司", "tax_number": "91310000MA1FL0XX1X",
       "bank": "工商银行徐汇支行", "bank_account": "1001234509876543",
       "address": "上海市徐汇区漕溪北路 1 号", "area_code": "021", "telephone": "5888 1234"}


async def deliver(invoice_db, event, source="test"):
    return await h.deliver(invoice_db.sessionmaker, CONSUMER, registry, event, source)


async def known_customer(invoice_db, cid: uuid.UUID | None = None, *, area: str | None = None,
                         **tax) -> uuid.UUID:
    """A customer approved with its tax information (TAX unless given) and area."""
    cid = cid or uuid.uuid4()
    await deliver(invoice_db, CustomerApproved(
        customer_id=cid, customer_number=f"KH{next(_seq):06d}", company_name="上海印美有限公司",
        area=area, catalog=[CatalogLine(product_id=uuid.uuid4(), name="墨水", model="m",
                                        unit_price=Decimal("1"))],
        approved_by="admin", mobile="13900001111", **{**TAX, **tax}), "customer")
    return cid


async def submitted(invoice_db, customer_id, total="801.50", *, number=None,
                    bill_type="ordinary_vat") -> OrderSubmitted:
    """Deliver an order.submitted for the customer; returns the event."""
    event = OrderSubmitted(
        order_id=uuid.uuid4(), number=number or f"DH20261123-{next(_seq):04d}",
        customer_id=customer_id, customer_name="上海印美", total=Decimal(total),
        bill_type=bill_type, delivery_date=date.today() + timedelta(days=3),
        lines=[OrderLine(product_id=uuid.uuid4(), name="墨水", model="INK-1L", quantity=1,
                         unit_price=Decimal(total), line_total=Decimal(total))],
        submitted_at=utcnow())
    await deliver(invoice_db, event, "order")
    return event


def reviewed(cls, ev: OrderSubmitted, **kw):
    return cls(order_id=ev.order_id, number=ev.number, customer_id=ev.customer_id,
               reviewed_by="admin", reviewed_at=utcnow(), **kw)


async def approved(invoice_db, customer_id, total="801.50", **kw) -> OrderSubmitted:
    """A submitted and approved order (invoiceable, I-1)."""
    ev = await submitted(invoice_db, customer_id, total, **kw)
    await deliver(invoice_db, reviewed(OrderApproved, ev), "order")
    return ev


async def refunded(invoice_db, ev: OrderSubmitted, amount: str,
                   return_id: uuid.UUID | None = None) -> ReturnApproved:
    event = ReturnApproved(
        return_id=return_id or uuid.uuid4(), order_id=ev.order_id, number=ev.number,
        customer_id=ev.customer_id, refund_amount=Decimal(amount),
        lines=[ReturnLine(product_id=uuid.uuid4(), name="墨水", model="INK-1L", quantity=1,
                          unit_price=Decimal(amount))], decided_by="boss", decided_at=utcnow())
    await deliver(invoice_db, event, "order")
    return event


async def outbox(invoice_db, invoice_id):
    async with invoice_db.engine.connect() as c:
        rows = await c.execute(text(
            "SELECT event_type, envelope FROM outbox "
            "WHERE envelope->'data'->>'invoice_id' = :id ORDER BY seq"), {"id": str(invoice_id)})
        return [(r[0], r[1]) for r in rows]


async def read_model_status(invoice_db, order_id):
    async with invoice_db.engine.connect() as c:
        return (await c.execute(text(
            "SELECT status, total FROM invoiceable_orders WHERE order_id = :id"),
            {"id": order_id})).one()


def issue_body(**kw):
    return {"invoice_number": f"No.{uuid.uuid4().hex[:12]}",
            "invoice_date": business_date().isoformat(), **kw}


async def requested_invoice(invoice_app, invoice_db, cid=None, total="801.50", *,
                            area: str | None = None, **body):
    """A known customer with an approved order and its invoice request."""
    cid = await known_customer(invoice_db, cid, area=area)
    ev = await approved(invoice_db, cid, total)
    async with h.client(invoice_app, h.customer(cid)) as c:
        r = await c.post("/api/portal/invoice-requests",
                         json={"order_ids": [ev.number], **body})
    assert r.status_code == 201, r.text
    return cid, ev, r.json()
