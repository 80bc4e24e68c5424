import uuid

from fastapi import APIRouter
from servicekit.auth import require_permission
from servicekit.db import Session
from servicekit.errors import error_responses

from .schemas import PaymentIn, PaymentRecorded
from .service import PaymentService

router = APIRouter(tags=["payments"])

PaymentsEntry = require_permission("payments:entry")


@router.post("/api/console/orders/{order_id}/payments", status_code=201,
             response_model=PaymentRecorded,
             responses=error_responses(401, 403, 404, 409, 422))
async def record_payment(order_id: uuid.UUID, body: PaymentIn, session: Session,
                         staff: PaymentsEntry) -> PaymentRecorded:
    """Record a payment against an order; the one that completes it emits
    order.payment_received."""
    return await PaymentService(session).record(staff, order_id, body)
