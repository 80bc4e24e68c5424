"""All SQL of shipments and their receipts (O-8). A shipment belongs to its order: the
order is loaded and locked with its shipments and their lines (`OrderRepository.get`),
the rules read them from there, and new rows are added here."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime

from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Order, Shipment, ShipmentLine


class ShipmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, order: Order, plan: Mapping[uuid.UUID, int], *, courier: str,
            tracking_number: str | None, shipped_on: date, shipped_by: str) -> Shipment:
        """The order's next shipment, numbered 1, 2, … within the order, with a line per
        product of `plan` (named as on the order); also appended to `order.shipments`."""
        by_product = {ln.product_id: ln for ln in order.lines}
        shipment = Shipment(
            id=uuid.uuid4(), order_id=order.id, number=len(order.shipments) + 1,
            courier=courier, tracking_number=tracking_number, shipped_on=shipped_on,
            shipped_by=shipped_by, created_at=utcnow(), shortage=False,
            lines=[ShipmentLine(id=uuid.uuid4(), position=i, product_id=pid,
                                name=by_product[pid].name, model=by_product[pid].model,
                                quantity=q)
                   for i, (pid, q) in enumerate(plan.items(), start=1)])
        self.session.add(shipment)
        order.shipments.append(shipment)
        return shipment

    def record_receipt(self, shipment: Shipment, received: Mapping[uuid.UUID, int], *,
                       received_by: str, received_at: datetime, note: str | None,
                       shortage: bool) -> None:
        """The quantities received of each of the shipment's lines, and who confirmed
        them when; written with the order's next flush."""
        for sl in shipment.lines:
            sl.quantity_received = received[sl.product_id]
        shipment.received_at, shipment.received_by = received_at, received_by
        shipment.receipt_note, shipment.shortage = note, shortage
