"""Shipping (staff) and confirming receipt (customer), O-8. An order ships in one or more
shipments, never more than ordered; each shipment's receipt is confirmed with the
quantities received; everything shipped and received completes the order."""

from __future__ import annotations

import uuid
from collections import Counter

from dinghuo_contracts import (
    OrderCompleted,
    OrderReceived,
    OrderShipped,
    ReceivedLine,
    ShippedLine,
)
from servicekit.auth import Principal
from servicekit.errors import Conflict, NotFound, Unprocessable
from servicekit.timeutil import business_date, utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Order
from ..orders.domain import Action, OrderStatus, Quantity, check
from ..orders.repository import OrderRepository
from ..orders.transitions import Transitions
from . import domain
from .repository import ShipmentRepository
from .schemas import ReceiptIn, ShipmentIn


class ShipmentService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.orders = OrderRepository(session)
        self.shipments = ShipmentRepository(session)
        self.transitions = Transitions(session, self.orders)

    async def ship(self, principal: Principal, order_id: uuid.UUID, data: ShipmentIn) -> Order:
        # Outside the staff member's areas the order is not there (C-7).
        order = await self.orders.get(order_id, areas=principal.areas, for_update=True)
        if order is None:
            raise NotFound("Order not found")
        status = OrderStatus(order.status)
        check(status, Action.SHIP)
        if data.shipped_on > business_date():
            raise Unprocessable("shipped_on: must not be in the future")
        if data.shipped_on < order.order_date:
            raise Unprocessable(
                f"shipped_on: must not be before the order date {order.order_date.isoformat()}")
        ordered = {ln.product_id: ln.quantity for ln in order.lines}
        shipped: Counter = Counter()
        for s in order.shipments:
            for sl in s.lines:
                shipped[sl.product_id] += sl.quantity
        plan, all_shipped = domain.plan_shipment(ordered, shipped, [
            Quantity(ln.product_id, ln.quantity) for ln in data.lines])
        new = domain.after_shipment(status, all_shipped=all_shipped)
        shipment = self.shipments.add(
            order, plan, courier=data.courier, tracking_number=data.tracking_number,
            shipped_on=data.shipped_on, shipped_by=principal.display)
        lines = [ShippedLine(product_id=sl.product_id, name=sl.name, model=sl.model,
                             quantity=sl.quantity) for sl in shipment.lines]
        await self.transitions.apply(
            order, Action.SHIP, new, principal, entry="shipped",
            data={"shipment_id": str(shipment.id), "shipment_number": shipment.number,
                  "courier": shipment.courier, "tracking_number": shipment.tracking_number,
                  "shipped_on": shipment.shipped_on.isoformat(),
                  "lines": [ln.model_dump(mode="json") for ln in lines]},
            event=OrderShipped(
                order_id=order.id, number=order.number, customer_id=order.customer_id,
                shipment_id=shipment.id, shipment_number=shipment.number,
                courier=shipment.courier, tracking_number=shipment.tracking_number,
                shipped_on=shipment.shipped_on, lines=lines, fully_shipped=all_shipped,
                shipped_by=principal.display))
        return order

    async def confirm_receipt(self, principal: Principal, order_id: uuid.UUID,
                              shipment_id: uuid.UUID, data: ReceiptIn) -> Order:
        # Another customer's order is simply not there (404).
        order = await self.orders.get(order_id, customer_id=principal.customer_id,
                                      for_update=True)
        if order is None:
            raise NotFound("Order not found")
        shipment = next((s for s in order.shipments if s.id == shipment_id), None)
        if shipment is None:
            raise NotFound("Shipment not found")
        if shipment.received_at is not None:
            raise Conflict(f"the receipt of shipment {shipment.number} was already confirmed "
                           f"on {shipment.received_at.date().isoformat()}")
        status = OrderStatus(order.status)
        check(status, Action.CONFIRM_RECEIPT)
        outcome = domain.check_receipt(
            {sl.product_id: sl.quantity for sl in shipment.lines},
            [Quantity(ln.product_id, ln.quantity_received) for ln in data.lines],
            data.note)
        now = utcnow()
        note = (data.note or "").strip() or None
        self.shipments.record_receipt(shipment, outcome.received, received_by=principal.display,
                                      received_at=now, note=note, shortage=outcome.shortage)
        new = domain.after_receipt(
            status, all_shipped=status is OrderStatus.SHIPPED,
            all_receipted=all(s.received_at is not None for s in order.shipments),
            shortage=any(s.shortage for s in order.shipments))
        completed = new is OrderStatus.COMPLETED
        lines = [ReceivedLine(product_id=sl.product_id, name=sl.name, model=sl.model,
                              quantity_shipped=sl.quantity,
                              quantity_received=sl.quantity_received or 0)
                 for sl in shipment.lines]
        # The timeline passes through "received" on the way to "completed".
        await self.transitions.apply(
            order, Action.CONFIRM_RECEIPT, new, principal, entry="received", note=note,
            shown_as=OrderStatus.RECEIVED if completed else None,
            data={"shipment_id": str(shipment.id), "shipment_number": shipment.number,
                  "shortage": outcome.shortage,
                  "lines": [ln.model_dump(mode="json") for ln in lines]},
            event=OrderReceived(
                order_id=order.id, number=order.number, customer_id=order.customer_id,
                customer_name=order.customer_name, shipment_id=shipment.id,
                shipment_number=shipment.number, lines=lines, shortage=outcome.shortage,
                note=note, received_by=principal.display, received_at=now), at=now)
        if completed:
            await self.transitions.record(
                order, "completed", None, event=OrderCompleted(
                    order_id=order.id, number=order.number, customer_id=order.customer_id,
                    total=order.total, completed_at=now))
        return order
