"""Recording payments; the payment that completes an order emits PaymentReceived (O-6)."""

from __future__ import annotations

import uuid

from dinghuo_contracts import PaymentReceived
from servicekit.auth import Principal
from servicekit.errors import NotFound, Unprocessable
from servicekit.messaging import add_event
from servicekit.timeutil import business_date
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Payment
from ..orders import domain
from ..orders.repository import OrderRepository
from ..orders.service import log
from .schemas import PaymentIn, PaymentRecorded


class PaymentService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.orders = OrderRepository(session)

    async def record(self, principal: Principal, order_id: uuid.UUID,
                     data: PaymentIn) -> PaymentRecorded:
        if data.paid_on > business_date():
            raise Unprocessable("paid_on must not be in the future")
        order = await self.orders.get(order_id, for_update=True, areas=principal.areas)
        if order is None:
            raise NotFound("Order not found")
        outcome = domain.apply_payment(domain.OrderStatus(order.status), order.total,
                                       order.paid_total, data.amount)
        payment = Payment(id=uuid.uuid4(), order_id=order.id, amount=data.amount,
                          paid_on=data.paid_on, method=data.method, reference=data.reference,
                          recorded_by=principal.display)
        self.session.add(payment)
        order.paid_total = outcome.paid_total
        await self.session.flush()
        log(self.orders, order, "payment_recorded", principal, data={
            "payment_id": str(payment.id), "amount": f"{payment.amount}",
            "paid_on": payment.paid_on.isoformat(), "method": payment.method,
            "reference": payment.reference, "paid_total": f"{outcome.paid_total}"})
        if outcome.fully_paid_now:
            await add_event(self.session, PaymentReceived(
                order_id=order.id, number=order.number, customer_id=order.customer_id,
                total=order.total, amount_paid=outcome.paid_total, paid_on=data.paid_on,
                source=order.source,
            ), source="order")
        return PaymentRecorded(
            id=payment.id, order_id=order.id, amount=payment.amount, paid_on=payment.paid_on,
            method=payment.method, paid_total=outcome.paid_total,
            outstanding=outcome.outstanding,
            payment_status=domain.payment_status(order.total, outcome.paid_total).value)
