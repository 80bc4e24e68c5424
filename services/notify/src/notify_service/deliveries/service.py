"""Delivery use cases (N-2, C-8): ask the external notifier to deliver a message on each
channel, follow its reports, retry failed attempts with backoff, show the log to staff.
Every request to the notifier is an outbox event in the caller's transaction. Nothing
here commits."""

from __future__ import annotations

import uuid
from datetime import datetime

from dinghuo_contracts import DeliveryReported, DeliveryRequested
from servicekit.auth import Principal
from servicekit.errors import Conflict, NotFound
from servicekit.logging import get_logger
from servicekit.messaging import add_event
from servicekit.timeutil import utcnow
from sqlalchemy.ext.asyncio import AsyncSession

from ..config import settings
from ..customers.repository import CustomerViewRepository
from ..models import CustomerView, Delivery
from ..prompts import domain as prompts
from ..prompts.repository import PromptRepository
from . import domain
from .repository import DeliveryRepository

log = get_logger(__name__)
SOURCE = "notify"


def policy() -> domain.RetryPolicy:
    return domain.RetryPolicy(max_attempts=settings.delivery_max_attempts,
                              first=settings.delivery_retry_first,
                              factor=settings.delivery_retry_factor,
                              cap=settings.delivery_retry_cap)


def reach_of(customer: CustomerView | None) -> domain.Reach:
    if customer is None:
        return domain.Reach()
    return domain.Reach(mobile=customer.mobile, wechat_openid=customer.wechat_openid,
                        sms_enabled=customer.sms_enabled,
                        wechat_enabled=customer.wechat_enabled)


class DeliveryService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.deliveries = DeliveryRepository(session)

    async def to_customer(self, *, source_event_id: uuid.UUID, customer_id: uuid.UUID,
                          channels: tuple[str, ...] | list[str], template: str,
                          params: dict[str, str], text: str, text_en: str,
                          message_id: uuid.UUID | None = None,
                          batch_id: uuid.UUID | None = None,
                          customer: CustomerView | None = None) -> int:
        """One delivery per notifier channel of a customer's message, at most once per
        source event and channel; returns how many were requested of the notifier."""
        if customer is None:
            customer = await CustomerViewRepository(self.session).get(customer_id)
        reach = reach_of(customer)
        requested = 0
        now = utcnow()
        for channel in channels:
            if channel not in domain.NOTIFIER_CHANNELS:
                continue
            to = domain.address(channel, reach)
            delivery_id = await self.deliveries.add_once(
                source_event_id=source_event_id, template=template, channel=channel,
                recipient=to.recipient, customer_id=customer_id,
                status="requested" if to.recipient else "no_recipient",
                message_id=message_id, batch_id=batch_id, params=params, text=text,
                text_en=text_en, last_error=to.why_not, now=now)
            if delivery_id is None or to.recipient is None:
                continue
            await self._request(delivery_id, channel=channel, recipient=to.recipient,
                                template=template, params=params, text=text,
                                text_en=text_en, customer_id=customer_id, attempt=1)
            requested += 1
        return requested

    async def _request(self, delivery_id: uuid.UUID, *, channel: str, recipient: str,
                       template: str, params: dict[str, str], text: str, text_en: str,
                       customer_id: uuid.UUID | None, attempt: int) -> None:
        await add_event(self.session, DeliveryRequested(
            channel=channel, recipient=recipient, template=template,  # type: ignore[arg-type]
            params=params, customer_id=customer_id, delivery_id=delivery_id,
            attempt=attempt, text=text, text_en=text_en), source=SOURCE)
        log.info("delivery_requested", delivery_id=str(delivery_id), template=template,
                 channel=channel, attempt=attempt, recipient=domain.mask(recipient))

    async def _prompt_failed(self, delivery: Delivery, source_event_id: uuid.UUID,
                             now: datetime) -> None:
        customer = (await CustomerViewRepository(self.session).get(delivery.customer_id)
                    if delivery.customer_id else None)
        notice = prompts.delivery_failed(
            delivery_id=str(delivery.id),
            customer_id=str(delivery.customer_id) if delivery.customer_id else None,
            customer_name=customer.name if customer else None, channel=delivery.channel,
            template=delivery.template, attempts=delivery.attempts,
            reason=delivery.last_error or "")
        await PromptRepository(self.session).add_once(source_event_id, notice, now)

    async def report(self, event: DeliveryReported, source_event_id: uuid.UUID) -> None:
        """Apply the notifier's report of one attempt. A report of an unknown delivery or
        of an attempt other than the latest is logged and ignored (at-least-once
        delivery of reports, a notifier bug): it must not stop the queue."""
        delivery = await self.deliveries.get(event.delivery_id, for_update=True)
        if delivery is None:
            log.warning("delivery_report_unknown", delivery_id=str(event.delivery_id),
                        status=event.status)
            return
        if event.attempt != delivery.attempts:
            log.warning("delivery_report_stale", delivery_id=str(delivery.id),
                        attempt=event.attempt, attempts=delivery.attempts)
            return
        now = utcnow()
        outcome = domain.after_report(
            status=delivery.status, attempts=delivery.attempts,
            delivered=event.status == "delivered", retryable=event.retryable,
            can_resend=delivery.params is not None and delivery.recipient is not None,
            now=now, policy=policy())
        if outcome is None:
            log.info("delivery_report_after_final", delivery_id=str(delivery.id),
                     status=delivery.status)
            return
        delivery.status = outcome.status
        delivery.next_attempt_at = outcome.next_attempt_at
        delivery.provider = (event.provider or "")[:40] or None
        delivery.updated_at = now
        if event.status == "delivered":
            delivery.delivered_at = now
            delivery.provider_message_id = (event.provider_message_id or "")[:100] or None
            delivery.last_error = None
        else:
            delivery.last_error = (event.reason or "failed")[:500]
        if outcome.status == "failed" and delivery.template != domain.PASSWORD_RESET:
            await self._prompt_failed(delivery, source_event_id, now)
        log.info("delivery_reported", delivery_id=str(delivery.id), status=delivery.status,
                 attempt=event.attempt)

    async def resend_due(self, now: datetime, limit: int = 200) -> int:
        """The retry job: request every delivery whose next attempt is due again."""
        due = await self.deliveries.due_for_retry(now, limit)
        for delivery in due:
            await self._resend(delivery, now)
        return len(due)

    async def retry(self, principal: Principal, delivery_id: uuid.UUID) -> Delivery:
        """Staff try a failed delivery once more (e.g. after the customer fixed its
        number or the provider account was topped up)."""
        delivery = await self.deliveries.get(delivery_id, for_update=True,
                                             areas=principal.areas)
        if delivery is None:
            raise NotFound("Delivery not found")
        if delivery.status not in ("failed", "retrying"):
            raise Conflict(f"Only a failed delivery can be retried; this one is "
                           f"{delivery.status}")
        if delivery.params is None or delivery.recipient is None:
            raise Conflict("This delivery cannot be sent again (it carried a one-time "
                           "code, or has no recipient)")
        await self._resend(delivery, utcnow())
        return delivery

    async def _resend(self, delivery: Delivery, now: datetime) -> None:
        assert delivery.recipient is not None and delivery.params is not None
        delivery.attempts += 1
        delivery.status = "requested"
        delivery.next_attempt_at = None
        delivery.updated_at = now
        await self._request(delivery.id, channel=delivery.channel,
                            recipient=delivery.recipient, template=delivery.template,
                            params=delivery.params, text=delivery.text,
                            text_en=delivery.text_en, customer_id=delivery.customer_id,
                            attempt=delivery.attempts)

    async def list(self, principal: Principal, *, customer_id: uuid.UUID | None,
                   status: str | None, channel: str | None, batch_id: uuid.UUID | None,
                   template: str | None, limit: int, offset: int):
        return await self.deliveries.list(
            customer_id=customer_id, status=status, channel=channel, batch_id=batch_id,
            template=template, areas=principal.areas, limit=limit, offset=offset)
