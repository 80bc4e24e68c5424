"""Order use cases: load through repositories, decide in the domain, write outbox rows.
The request's session commits; nothing here commits."""

from __future__ import annotations

import asyncio
import uuid

from dinghuo_contracts import OrderApproved, OrderRejected, OrderSubmitted
from dinghuo_contracts import OrderLine as OrderLineEvent
from servicekit.auth import Principal
from servicekit.errors import Forbidden, NotFound
from servicekit.messaging import add_event
from servicekit.timeutil import business_date, utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..customers.repository import CustomerViewRepository
from ..models import CustomerView, Order, OrderLine
from . import domain
from .repository import OrderRepository
from .schemas import OrderIn, ReviewIn

SOURCE = "order"
APPROVAL_GRACE_STEPS = 15
APPROVAL_GRACE_STEP_SECONDS = 0.1


class OrderService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.orders = OrderRepository(session)
        self.customers = CustomerViewRepository(session)

    async def submit(self, principal: Principal, data: OrderIn) -> Order:
        """A customer submits an order priced at its own prices (O-1, O-3)."""
        assert principal.customer_id is not None
        customer = await self._approved_customer(principal.customer_id)
        if customer is None:
            raise Forbidden("Your company's registration has not been approved yet; "
                            "orders can be placed once staff have approved it")
        catalog = await self.customers.catalog(customer.customer_id)
        priced = domain.price_order(catalog, [
            domain.RequestedLine(ln.product_id, ln.quantity) for ln in data.lines])
        today = business_date()
        domain.check_delivery_date(today, data.delivery_date)
        seq = await self.orders.next_sequence(today)
        order = Order(
            id=uuid.uuid4(), number=domain.order_number(today, seq),
            customer_id=customer.customer_id, customer_name=customer.name, source="portal",
            status=domain.OrderStatus.SUBMITTED.value, order_date=today,
            delivery_date=data.delivery_date, bill_type=data.bill_type,
            remark=(data.remark or "").strip() or None, total=priced.total,
            list_total=priced.list_total, paid_total=0, invoiced=False,
            created_by=principal.display,
            lines=[OrderLine(position=i, product_id=ln.product_id, name=ln.name,
                             model=ln.model, quantity=ln.quantity, unit_price=ln.unit_price,
                             list_price=ln.list_price, line_total=ln.line_total)
                   for i, ln in enumerate(priced.lines, start=1)],
            payments=[],
        )
        self.orders.add(order)
        await self.session.flush()
        await add_event(self.session, OrderSubmitted(
            order_id=order.id, number=order.number, customer_id=order.customer_id,
            customer_name=order.customer_name, total=order.total, bill_type=data.bill_type,
            delivery_date=order.delivery_date, source="portal",
            lines=[OrderLineEvent(product_id=ln.product_id, name=ln.name, model=ln.model,
                                  quantity=ln.quantity, unit_price=ln.unit_price,
                                  line_total=ln.line_total) for ln in priced.lines],
            submitted_at=order.created_at or utcnow(),
        ), source=SOURCE)
        return order

    async def _approved_customer(self, customer_id: uuid.UUID) -> CustomerView | None:
        """The customer if approved. An approval travels by event (milliseconds), so a
        customer who orders the moment it is approved gets a short grace period rather
        than a refusal."""
        for attempt in range(APPROVAL_GRACE_STEPS + 1):
            customer = await self.customers.fresh(customer_id)
            if customer is not None and customer.status == "approved":
                return customer
            if attempt < APPROVAL_GRACE_STEPS:
                await asyncio.sleep(APPROVAL_GRACE_STEP_SECONDS)
        return None

    async def get_for_customer(self, principal: Principal, order_id: uuid.UUID) -> Order:
        order = await self.orders.get(order_id, customer_id=principal.customer_id)
        if order is None:  # another customer's order is simply not there (404)
            raise NotFound("Order not found")
        return order

    async def get(self, order_id: uuid.UUID) -> Order:
        order = await self.orders.get(order_id)
        if order is None:
            raise NotFound("Order not found")
        return order

    async def review(self, principal: Principal, data: ReviewIn) -> list[Order]:
        """Batch review (O-5): all listed orders get the decision, or none does."""
        ids = list(dict.fromkeys(data.order_ids))
        orders = await self.orders.get_many_for_update(ids)
        missing = set(ids) - {o.id for o in orders}
        if missing:
            raise NotFound("Orders not found: " + ", ".join(sorted(str(m) for m in missing)))
        decision = domain.Decision(data.decision)
        problems = []
        for o in orders:
            try:
                domain.review(domain.OrderStatus(o.status), decision)
            except domain.IllegalTransition:
                problems.append(f"{o.number} is already {o.status}")
        if problems:
            raise domain.IllegalTransition(
                "No order was reviewed: " + "; ".join(problems))
        now = utcnow()
        reason = (data.reason or "").strip() or None
        by_id = {o.id: o for o in orders}
        result = []
        for oid in ids:
            o = by_id[oid]
            o.status = domain.review(domain.OrderStatus(o.status), decision).value
            o.reviewed_by, o.reviewed_at, o.review_reason = principal.display, now, reason
            if decision is domain.Decision.APPROVE:
                event = OrderApproved(order_id=o.id, number=o.number, customer_id=o.customer_id,
                                      reviewed_by=principal.display, reviewed_at=now)
            else:
                event = OrderRejected(order_id=o.id, number=o.number, customer_id=o.customer_id,
                                      reason=reason, reviewed_by=principal.display,
                                      reviewed_at=now)
            await add_event(self.session, event, source=SOURCE)
            result.append(o)
        await self.session.flush()
        return result

    async def list(self, *, customer_id: uuid.UUID | None, status: str | None,
                   limit: int, offset: int) -> tuple[list[Order], int]:
        return await self.orders.list(customer_id=customer_id, status=status, limit=limit,
                                      offset=offset)
