"""Shipments (staff) and receipts (customer), O-8."""

import uuid

from fastapi import APIRouter
from servicekit.auth import CustomerPrincipal, require_permission
from servicekit.db import Session
from servicekit.errors import error_responses

from ..orders import views
from ..orders.schemas import OrderOut
from .schemas import ReceiptIn, ShipmentIn
from .service import ShipmentService

router = APIRouter(tags=["shipments"])

OrdersModify = require_permission("orders:modify")


@router.post("/api/console/orders/{order_id}/shipments", status_code=201,
             response_model=OrderOut, responses=error_responses(401, 403, 404, 409, 422))
async def ship(order_id: uuid.UUID, body: ShipmentIn, session: Session,
               staff: OrdersModify) -> OrderOut:
    """Record a shipment with quantities per line, courier and tracking number. Several
    shipments until everything is shipped (partially_shipped meanwhile), never more than
    ordered. The new shipment is the last in `shipments`."""
    return views.detail(await ShipmentService(session).ship(staff, order_id, body))


@router.post("/api/portal/orders/{order_id}/shipments/{shipment_id}/receipt",
             response_model=OrderOut, responses=error_responses(401, 403, 404, 409, 422))
async def confirm_receipt(order_id: uuid.UUID, shipment_id: uuid.UUID, body: ReceiptIn,
                          session: Session, customer: CustomerPrincipal) -> OrderOut:
    """Confirm receipt of a shipment with the quantities received; a shortage needs a
    note. When everything was shipped and received the order is completed; with a
    shortage it stays `received` until staff settle it."""
    return views.detail(await ShipmentService(session).confirm_receipt(
        customer, order_id, shipment_id, body))
