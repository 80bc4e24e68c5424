"""The delivery log over HTTP (N-2): staff follow and retry what the notifier was asked
to send; a customer chooses its channels and binds WeChat."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response
from servicekit.auth import CustomerPrincipal, require_permission
from servicekit.db import Session
from servicekit.errors import NotFound, error_responses
from servicekit.pagination import set_total

from ..customers.repository import CustomerViewRepository
from . import views
from .schemas import Channel, ChannelSettings, ChannelSettingsOut, DeliveryOut, Status
from .service import DeliveryService

console = APIRouter(prefix="/api/console/deliveries", tags=["console: deliveries"])
portal = APIRouter(prefix="/api/portal/notification-settings",
                   tags=["portal: notification settings"])

MessagesEntry = require_permission("messages:entry")
MessagesQuery = require_permission("messages:query")

Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


@console.get("", response_model=list[DeliveryOut], responses=error_responses(401, 403, 422))
async def list_deliveries(session: Session, staff: MessagesQuery, response: Response,
                          customer_id: uuid.UUID | None = None, status: Status | None = None,
                          channel: Channel | None = None, batch_id: uuid.UUID | None = None,
                          template: Annotated[str | None, Query(max_length=40)] = None,
                          limit: Limit = 50, offset: Offset = 0) -> list[DeliveryOut]:
    """The delivery log, newest first (X-Total-Count): every SMS/WeChat/e-mail the notifier
    was asked to send, its status, attempts and last error. Staff bound to areas see
    their areas' customers only (C-7). Needs `messages:query`."""
    rows, total = await DeliveryService(session).list(
        staff, customer_id=customer_id, status=status, channel=channel, batch_id=batch_id,
        template=template, limit=limit, offset=offset)
    set_total(response, total)
    return [views.delivery(d, c) for d, c in rows]


@console.post("/{delivery_id}/retry", response_model=DeliveryOut,
              responses=error_responses(401, 403, 404, 409, 422))
async def retry_delivery(delivery_id: uuid.UUID, session: Session,
                         staff: MessagesEntry) -> DeliveryOut:
    """Send a failed delivery once more now (409 when it is not failed, or carried a
    one-time code). Needs `messages:entry`."""
    service = DeliveryService(session)
    delivery = await service.retry(staff, delivery_id)
    customer = (await CustomerViewRepository(session).get(delivery.customer_id)
                if delivery.customer_id else None)
    return views.delivery(delivery, customer)


async def _settings(session, customer_id: uuid.UUID) -> ChannelSettingsOut:
    c = await CustomerViewRepository(session).get(customer_id)
    if c is None:
        raise NotFound("Your company is not known to the message service yet; try again "
                       "in a moment")
    return ChannelSettingsOut(sms=c.sms_enabled, wechat=c.wechat_enabled,
                              wechat_openid=c.wechat_openid, mobile=c.mobile)


@portal.get("", response_model=ChannelSettingsOut, responses=error_responses(401, 403, 404))
async def my_channels(session: Session, customer: CustomerPrincipal) -> ChannelSettingsOut:
    """How you receive reminders and our messages besides the portal inbox (N-2)."""
    assert customer.customer_id is not None
    return await _settings(session, customer.customer_id)


@portal.put("", response_model=ChannelSettingsOut,
            responses=error_responses(401, 403, 404, 422))
async def set_my_channels(body: ChannelSettings, session: Session,
                          customer: CustomerPrincipal) -> ChannelSettingsOut:
    """Switch SMS and WeChat on or off and bind (or unbind, null) your WeChat openid."""
    assert customer.customer_id is not None
    await _settings(session, customer.customer_id)  # 404 before an update of nothing
    await CustomerViewRepository(session).set_channels(
        customer.customer_id, sms=body.sms, wechat=body.wechat,
        wechat_openid=body.wechat_openid)
    return await _settings(session, customer.customer_id)
