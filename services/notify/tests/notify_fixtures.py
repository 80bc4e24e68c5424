"""Shared builders for the delivery and batch tests: customers known to notify's read
model (through the events that feed it) and reminders."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from dinghuo_contracts import CustomerApproved, CustomerGradeChanged, OrderPaymentDue
from notify_service.messaging import registry
from servicekit.testing import helpers as h
from sqlalchemy import text

CONSUMER = "notify"


async def deliver(notify_db, event, source="test"):
    return await h.deliver(notify_db.sessionmaker, CONSUMER, registry, event, source)


async def rows(notify_db, sql: str, **params) -> list[dict]:
    async with notify_db.engine.connect() as c:
        return [dict(r._mapping) for r in await c.execute(text(sql), params)]


async def known_customer(notify_db, *, area: str | None = None, grade: str = "normal",
                         mobile: str | None = "13900001111",
                         name: str | None = None) -> uuid.UUID:
    cid = uuid.uuid4()
    number = f"C{uuid.uuid4().hex[:8]}"
    await deliver(notify_db, CustomerApproved(
        customer_id=cid, customer_number=number, company_name=name or f"客户{number}",
        area=area, catalog=[], approved_by="admin", mobile=mobile))
    if grade != "normal":
        await deliver(notify_db, CustomerGradeChanged(
            customer_id=cid, customer_number=number, company_name=name or f"客户{number}",
            previous_grade="normal", grade=grade, paid_total=Decimal("0"), reason="test",
            changed_by="admin", changed_by_kind="staff"))
    return cid


def payment_due(cid: uuid.UUID, stage: str = "due", days_overdue: int = 0,
                order_id: uuid.UUID | None = None) -> OrderPaymentDue:
    return OrderPaymentDue(
        order_id=order_id or uuid.uuid4(), number=f"DH-{uuid.uuid4().hex[:6]}",
        customer_id=cid, customer_name="上海印美", amount_outstanding=Decimal("801.50"),
        due_date=date(2026, 12, 1), stage=stage, days_overdue=days_overdue)
