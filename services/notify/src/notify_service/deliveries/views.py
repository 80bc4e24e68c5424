"""ORM rows → API schemas."""

from __future__ import annotations

from ..models import CustomerView, Delivery
from . import domain
from .schemas import DeliveryOut


def delivery(d: Delivery, c: CustomerView | None) -> DeliveryOut:
    secret = d.template == domain.PASSWORD_RESET
    return DeliveryOut(
        id=d.id, customer_id=d.customer_id,
        customer_number=c.customer_number if c else None, customer_name=c.name if c else None,
        template=d.template, channel=d.channel,  # type: ignore[arg-type]
        recipient=domain.mask(d.recipient) if secret else d.recipient,
        status=d.status,  # type: ignore[arg-type]
        attempts=d.attempts, last_error=d.last_error, next_attempt_at=d.next_attempt_at,
        provider=d.provider, provider_message_id=d.provider_message_id, text=d.text,
        text_en=d.text_en, message_id=d.message_id, batch_id=d.batch_id,
        created_at=d.created_at, updated_at=d.updated_at, delivered_at=d.delivered_at,
        can_retry=(d.status in ("failed", "retrying") and d.params is not None
                   and d.recipient is not None))
