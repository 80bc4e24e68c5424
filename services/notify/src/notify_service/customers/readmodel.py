"""What each event changes in the customer read model (N-1, N-2): contact details,
grade and status from customer events; overdue orders from payment reminders, full
payments and cancellations; the ordering cycle due from the cycle reminder until the
customer orders again. Customer events apply by the time they happened: an older one
arriving late changes nothing newer (X-2)."""

from __future__ import annotations

from datetime import datetime

from dinghuo_contracts import (
    CustomerApproved,
    CustomerGradeChanged,
    CustomerOrderingCycleDue,
    CustomerRegistered,
    CustomerRejected,
    CustomerUpdated,
    Event,
    OrderCancelled,
    OrderPaymentDue,
    OrderSubmitted,
    PaymentReceived,
)
from sqlalchemy.ext.asyncio import AsyncSession

from .repository import CustomerViewRepository


async def apply(session: AsyncSession, event: Event, occurred_at: datetime) -> bool:
    """Apply an event that happened at `occurred_at`; False when it is a customer event
    older than the one the read model last applied (it changed nothing known)."""
    view = CustomerViewRepository(session)
    at = occurred_at
    match event:
        case CustomerRegistered():
            return await view.upsert(event.customer_id, as_of=at, name=event.company_name,
                                     number=event.customer_number, area=event.area,
                                     mobile=event.mobile, status="pending_review")
        case CustomerUpdated():
            return await view.upsert(event.customer_id, as_of=at, name=event.company_name,
                                     number=event.customer_number, area=event.area,
                                     status=event.status, mobile=event.mobile,
                                     grade=event.grade)
        case CustomerApproved():
            return await view.upsert(event.customer_id, as_of=at, name=event.company_name,
                                     number=event.customer_number, area=event.area,
                                     status="approved", grade=event.grade or "normal",
                                     mobile=event.mobile)
        case CustomerRejected():
            return await view.upsert(event.customer_id, as_of=at, name=event.company_name,
                                     status="rejected")
        case CustomerGradeChanged():
            return await view.upsert(event.customer_id, as_of=at, name=event.company_name,
                                     number=event.customer_number, grade=event.grade)
        case OrderPaymentDue(stage="overdue"):
            await view.mark_overdue(event.order_id, event.customer_id, event.number,
                                    event.due_date)
        case PaymentReceived() | OrderCancelled():
            await view.settled(event.order_id)
        case CustomerOrderingCycleDue():
            await view.set_cycle_due(event.customer_id, event.due_date,
                                     name=event.customer_name)
        case OrderSubmitted():
            await view.set_cycle_due(event.customer_id, None)
    return True
