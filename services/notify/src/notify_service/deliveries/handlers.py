"""Password-reset requests become deliveries by the external SMS/e-mail notifier (C-8):
`identity.password_reset_requested` → `notify.delivery_requested` on the notifier's queue.
The token travels only inside the events; it is neither stored here nor logged."""

from __future__ import annotations

from dinghuo_contracts import DeliveryRequested, EventEnvelope, PasswordResetRequested
from servicekit.logging import get_logger
from servicekit.messaging import HandlerRegistry, add_event
from sqlalchemy.ext.asyncio import AsyncSession

from . import domain
from .repository import DeliveryRepository

log = get_logger(__name__)
registry = HandlerRegistry()


@registry.on(PasswordResetRequested)
async def on_password_reset_requested(session: AsyncSession, event: PasswordResetRequested,
                                      env: EventEnvelope) -> None:
    route = domain.route(event.mobile, event.email)
    recorded = await DeliveryRepository(session).add_once(
        source_event_id=env.id, template=domain.PASSWORD_RESET, channel=route.channel,
        recipient=route.recipient, customer_id=event.customer_id, user_id=event.user_id,
        status="requested" if route.recipient else "no_recipient")
    if recorded is None:
        return
    if route.recipient is None:
        log.warning("delivery_without_recipient", template=domain.PASSWORD_RESET,
                    user_id=str(event.user_id))
        return
    await add_event(session, DeliveryRequested(
        channel=route.channel, recipient=route.recipient,  # type: ignore[arg-type]
        template=domain.PASSWORD_RESET, customer_id=event.customer_id,
        params={"token": event.token, "username": event.username,
                "expires_at": event.expires_at.isoformat()}), source="notify")
    log.info("delivery_requested", template=domain.PASSWORD_RESET, channel=route.channel,
             recipient=domain.mask(route.recipient))
