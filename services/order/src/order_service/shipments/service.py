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
from servicekit.messaging import add_event
from servicekit.timeutil import business_date, utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Order, Shipment, ShipmentLine
from ..orders import domain
from ..orders.domain import OrderStatus
from ..orders.service import SOURCE, OrderService, log
from .schemas import ReceiptIn, ShipmentIn


class ShipmentService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.orders = OrderService(session)

    async def ship(self, principal: Principal, order_id: uuid.UUID, data: ShipmentIn) -> Order:
        order = await self.orders.get(order_id, principal, for_update=True)
        status = OrderStatus(order.status)
        domain.check(status, domain.Action.SHIP)
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
            domain.Quantity(ln.product_id, ln.quantity) for ln in data.lines])
        new = domain.after_shipment(status, all_shipped=all_shipped)
        by_product = {ln.product_id: ln for ln in order.lines}
        shipment = Shipment(
            id=uuid.uuid4(), order_id=order.id, number=len(order.shipments) + 1,
            courier=data.courier, tracking_number=data.tracking_number,
            shipped_on=data.shipped_on, shipped_by=principal.display, created_at=utcnow(),
            shortage=False,
            lines=[ShipmentLine(id=uuid.uuid4(), position=i, product_id=pid,
                                name=by_product[pid].name, model=by_product[pid].model,
                                quantity=q)
                   for i, (pid, q) in enumerate(plan.items(), start=1)])
        self.session.add(shipment)
        order.shipments.append(shipment)
        order.status = new.value
        order.updated_at = utcnow()
        await self.session.flush()
        lines = [ShippedLine(product_id=sl.product_id, name=sl.name, model=sl.model,
                             quantity=sl.quantity) for sl in shipment.lines]
        log(self.orders.orders, order, "shipped", principal, data={
            "shipment_id": str(shipment.id), "shipment_number": shipment.number,
            "courier": shipment.courier, "tracking_number": shipment.tracking_number,
            "shipped_on": shipment.shipped_on.isoformat(),
            "lines": [ln.model_dump(mode="json") for ln in lines]})
        await add_event(self.session, OrderShipped(
            order_id=order.id, number=order.number, customer_id=order.customer_id,
            shipment_id=shipment.id, shipment_number=shipment.number,
            courier=shipment.courier, tracking_number=shipment.tracking_number,
            shipped_on=shipment.shipped_on, lines=lines, fully_shipped=all_shipped,
            shipped_by=principal.display), source=SOURCE)
        return order

    async def confirm_receipt(self, principal: Principal, order_id: uuid.UUID,
                              shipment_id: uuid.UUID, data: ReceiptIn) -> Order:
        order = await self.orders.get_for_customer(principal, order_id, for_update=True)
        shipment = next((s for s in order.shipments if s.id == shipment_id), None)
        if shipment is None:
            raise NotFound("Shipment not found")
        if shipment.received_at is not None:
            raise Conflict(f"the receipt of shipment {shipment.number} was already confirmed "
                           f"on {shipment.received_at.date().isoformat()}")
        status = OrderStatus(order.status)
        domain.check(status, domain.Action.CONFIRM_RECEIPT)
        outcome = domain.check_receipt(
            {sl.product_id: sl.quantity for sl in shipment.lines},
            [domain.Quantity(ln.product_id, ln.quantity_received) for ln in data.lines],
            data.note)
        now = utcnow()
        note = (data.note or "").strip() or None
        for sl in shipment.lines:
            sl.quantity_received = outcome.received[sl.product_id]
        shipment.received_at, shipment.received_by = now, principal.display
        shipment.receipt_note, shipment.shortage = note, outcome.shortage
        new = domain.after_receipt(
            status, all_shipped=status is OrderStatus.SHIPPED,
            all_receipted=all(s.received_at is not None for s in order.shipments),
            shortage=any(s.shortage for s in order.shipments))
        order.status = new.value
        order.updated_at = now
        if new is OrderStatus.COMPLETED:
            order.completed_at = now
        await self.session.flush()
        lines = [ReceivedLine(product_id=sl.product_id, name=sl.name, model=sl.model,
                              quantity_shipped=sl.quantity,
                              quantity_received=sl.quantity_received or 0)
                 for sl in shipment.lines]
        # The timeline passes through "received" on the way to "completed".
        log(self.orders.orders, order, "received", principal, note=note,
            status=OrderStatus.RECEIVED.value if new is OrderStatus.COMPLETED else new.value,
            data={"shipment_id": str(shipment.id), "shipment_number": shipment.number,
                  "shortage": outcome.shortage,
                  "lines": [ln.model_dump(mode="json") for ln in lines]})
        await add_event(self.session, OrderReceived(
            order_id=order.id, number=order.number, customer_id=order.customer_id,
            customer_name=order.customer_name, shipment_id=shipment.id,
            shipment_number=shipment.number, lines=lines, shortage=outcome.shortage,
            note=note, received_by=principal.display, received_at=now), source=SOURCE)
        if new is OrderStatus.COMPLETED:
            log(self.orders.orders, order, "completed", None)
            await add_event(self.session, OrderCompleted(
                order_id=order.id, number=order.number, customer_id=order.customer_id,
                total=order.total, completed_at=now), source=SOURCE)
        return order
