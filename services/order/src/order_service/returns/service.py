"""Returns (O-9): the customer asks to return received goods with a reason; staff
approve (recording the refund amount) or reject; both sides see the status. Each step is
on the order's timeline and emits an event that notifies the other side."""

from __future__ import annotations

import uuid
from decimal import Decimal

from dinghuo_contracts import ReturnApproved, ReturnLine, ReturnRejected, ReturnRequested
from servicekit.auth import Principal
from servicekit.errors import NotFound
from servicekit.money import quantize
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import OrderReturn, OrderReturnLine
from ..orders import domain, views
from ..orders.repository import OrderRepository
from ..orders.transitions import Transitions
from .repository import ReturnRepository
from .schemas import ReturnApproveIn, ReturnIn


def _lines(r: OrderReturn) -> list[ReturnLine]:
    return [ReturnLine(product_id=ln.product_id, name=ln.name, model=ln.model,
                       quantity=ln.quantity, unit_price=ln.unit_price) for ln in r.lines]


class ReturnService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.orders = OrderRepository(session)
        self.returns = ReturnRepository(session)
        self.transitions = Transitions(session, self.orders)

    async def request(self, principal: Principal, order_id: uuid.UUID,
                      data: ReturnIn) -> OrderReturn:
        # The order's row lock serialises return requests of one order. Another
        # customer's order is simply not there (404).
        order = await self.orders.get(order_id, customer_id=principal.customer_id,
                                      for_update=True)
        if order is None:
            raise NotFound("Order not found")
        # A return leaves the order's status alone; its state only has to allow it.
        domain.check_return_allowed(domain.OrderStatus(order.status))
        _, received, _, held = views.quantities(order)
        plan = domain.plan_return(received, held, [
            domain.Quantity(ln.product_id, ln.quantity) for ln in data.lines])
        by_product = {ln.product_id: ln for ln in order.lines}
        lines = [OrderReturnLine(
            id=uuid.uuid4(), position=i, product_id=pid, name=by_product[pid].name,
            model=by_product[pid].model, quantity=q, unit_price=by_product[pid].unit_price,
            line_total=quantize(by_product[pid].unit_price * q))
            for i, (pid, q) in enumerate(plan.items(), start=1)]
        now = utcnow()
        r = OrderReturn(
            id=uuid.uuid4(), order_id=order.id, customer_id=order.customer_id,
            status=domain.ReturnStatus.REQUESTED.value, reason=data.reason,
            amount=quantize(sum((ln.line_total for ln in lines), Decimal("0"))),
            requested_by=principal.display, created_at=now, lines=lines)
        self.returns.add(r)
        order.returns.append(r)
        await self.session.flush()
        await self.transitions.record(
            order, "return_requested", principal, note=data.reason,
            data={"return_id": str(r.id), "amount": f"{r.amount}",
                  "lines": [{"product_id": str(ln.product_id), "model": ln.model,
                             "quantity": ln.quantity} for ln in lines]},
            event=ReturnRequested(
                return_id=r.id, order_id=order.id, number=order.number,
                customer_id=order.customer_id, customer_name=order.customer_name,
                lines=_lines(r), amount=r.amount, reason=r.reason,
                requested_by=principal.display, requested_at=now))
        return r

    async def get(self, principal: Principal, return_id: uuid.UUID) -> OrderReturn:
        if principal.kind == "customer":
            r = await self.returns.get(return_id, customer_id=principal.customer_id)
        else:
            r = await self.returns.get(return_id, areas=principal.areas)
        if r is None:
            raise NotFound("Return not found")
        return r

    async def list(self, principal: Principal, *, status: str | None,
                   customer_id: uuid.UUID | None, order_id: uuid.UUID | None, limit: int,
                   offset: int) -> tuple[list[OrderReturn], int]:
        if principal.kind == "customer":
            customer_id = principal.customer_id
        return await self.returns.list(customer_id=customer_id, order_id=order_id,
                                       status=status, areas=principal.areas, limit=limit,
                                       offset=offset)

    async def approve(self, principal: Principal, return_id: uuid.UUID,
                      data: ReturnApproveIn) -> OrderReturn:
        r = await self._for_decision(principal, return_id)
        new = domain.decide_return(domain.ReturnStatus(r.status), approve=True)
        refund = domain.check_refund(data.refund_amount, r.amount)
        now = utcnow()
        note = (data.note or "").strip() or None
        r.status, r.refund_amount, r.decided_by, r.decided_at = (
            new.value, refund, principal.display, now)
        r.decision_reason = note
        await self.session.flush()
        await self.transitions.record(
            r.order, "return_approved", principal, note=note,
            data={"return_id": str(r.id), "refund_amount": f"{refund}"},
            event=ReturnApproved(
                return_id=r.id, order_id=r.order_id, number=r.order.number,
                customer_id=r.customer_id, refund_amount=refund, lines=_lines(r),
                source=r.order.source, decided_by=principal.display, decided_at=now))
        return r

    async def reject(self, principal: Principal, return_id: uuid.UUID,
                     reason: str) -> OrderReturn:
        r = await self._for_decision(principal, return_id)
        new = domain.decide_return(domain.ReturnStatus(r.status), approve=False)
        now = utcnow()
        r.status, r.decided_by, r.decided_at, r.decision_reason = (
            new.value, principal.display, now, reason)
        await self.session.flush()
        await self.transitions.record(
            r.order, "return_rejected", principal, note=reason,
            data={"return_id": str(r.id)},
            event=ReturnRejected(
                return_id=r.id, order_id=r.order_id, number=r.order.number,
                customer_id=r.customer_id, reason=reason, decided_by=principal.display,
                decided_at=now))
        return r

    async def _for_decision(self, principal: Principal, return_id: uuid.UUID) -> OrderReturn:
        r = await self.returns.get(return_id, areas=principal.areas, for_update=True)
        if r is None:
            raise NotFound("Return not found")
        return r
