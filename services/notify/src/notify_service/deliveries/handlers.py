"""Events that become deliveries, and the notifier's reports on them (N-2, C-8).

`identity.password_reset_requested` → a delivery by SMS or e-mail with the code; the token
travels only inside the events, is neither stored here nor logged, and such a delivery is
not retried (the user asks for a new code). `notify.delivery_reported` (from the
notifier) → the delivery log."""

from __future__ import annotations

from dinghuo_contracts import (
    DeliveryReported,
    DeliveryRequested,
    EventEnvelope,
    PasswordResetRequested,
)
from servicekit.logging import get_logger
from servicekit.messaging import HandlerRegistry, add_event
from sqlalchemy.ext.asyncio import AsyncSession

from . import domain
from .repository import DeliveryRepository
from .service import DeliveryService

log = get_logger(__name__)
registry = HandlerRegistry()


@registry.on(PasswordResetRequested)
async def on_password_reset_requested(session: AsyncSession, event: PasswordResetRequested,
                                      env: EventEnvelope) -> None:
    route = domain.route(event.mobile, event.email)
    delivery_id = await DeliveryRepository(session).add_once(
        source_event_id=env.id, template=domain.PASSWORD_RESET, channel=route.channel,
        recipient=route.recipient, customer_id=event.customer_id, user_id=event.user_id,
        status="requested" if route.recipient else "no_recipient",
        last_error=None if route.recipient else "no mobile number or e-mail")
    if delivery_id is None:
        return
    if route.recipient is None:
        log.warning("delivery_without_recipient", template=domain.PASSWORD_RESET,
                    user_id=str(event.user_id))
        return
    await add_event(session, DeliveryRequested(
        channel=route.channel, recipient=route.recipient,  # type: ignore[arg-type]
        template=domain.PASSWORD_RESET, customer_id=event.customer_id,
        delivery_id=delivery_id,
        params={"token": event.token, "username": event.username,
                "expires_at": event.expires_at.isoformat()}), source="notify")
    log.info("delivery_requested", template=domain.PASSWORD_RESET, channel=route.channel,
             recipient=domain.mask(route.recipient))


@registry.on(DeliveryReported)
async def on_delivery_reported(session: AsyncSession, event: DeliveryReported,
                               env: EventEnvelope) -> None:
    await DeliveryService(session).report(event, env.id)
