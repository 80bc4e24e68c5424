"""Password-reset codes reach the external notifier (C-8): the reset request becomes a
`notify.delivery_requested` event in the notify outbox, and a delivery record that never
holds the token."""

import json
import uuid
from datetime import UTC, datetime, timedelta

from dinghuo_contracts import PasswordResetRequested
from notify_service.deliveries import domain
from notify_service.messaging import registry
from servicekit.testing import helpers as h
from sqlalchemy import text


def reset(mobile: str | None = "13900001111", email: str | None = "li@example.cn",
          token: str | None = None) -> PasswordResetRequested:
    return PasswordResetRequested(
        user_id=uuid.uuid4(), username="li", kind="customer", customer_id=uuid.uuid4(),
        token=token or f"tok-{uuid.uuid4().hex}",
        expires_at=datetime.now(UTC) + timedelta(minutes=30), mobile=mobile, email=email)


async def rows(notify_db, sql: str, **params) -> list[dict]:
    async with notify_db.engine.connect() as c:
        return [dict(r._mapping) for r in await c.execute(text(sql), params)]


class TestRoute:
    def test_sms_first_then_email_then_nowhere_C8(self):
        assert domain.route("13900001111", "a@b.cn") == domain.Route("sms", "13900001111")
        assert domain.route(None, "a@b.cn") == domain.Route("email", "a@b.cn")
        assert domain.route(None, None) == domain.Route("none", None)

    def test_logs_see_only_masked_recipients(self):
        assert domain.mask("13900001111") == "139****1111"
        assert domain.mask("li.wang@example.cn") == "l***@example.cn"


class TestPasswordResetDelivery:
    async def test_reset_request_becomes_a_delivery_for_the_notifier_once_C8(
            self, notify_app, notify_db):
        ev = reset()
        env = await h.deliver(notify_db.sessionmaker, "notify", registry, ev)
        await h.deliver(notify_db.sessionmaker, "notify", registry, env)  # redelivered
        kept = await rows(notify_db, "SELECT * FROM deliveries WHERE user_id = :u",
                          u=ev.user_id)
        assert len(kept) == 1
        assert kept[0]["channel"] == "sms" and kept[0]["recipient"] == "13900001111"
        assert kept[0]["template"] == "password_reset" and kept[0]["status"] == "requested"
        assert ev.token not in json.dumps(kept[0], default=str)
        sent = await rows(notify_db, "SELECT envelope FROM outbox WHERE event_type = "
                          "'notify.delivery_requested' AND envelope->'data'->'params'->>"
                          "'token' = :t", t=ev.token)
        assert len(sent) == 1
        data = sent[0]["envelope"]["data"]
        assert data["recipient"] == "13900001111" and data["template"] == "password_reset"
        assert data["customer_id"] == str(ev.customer_id)

    async def test_without_mobile_or_email_nothing_is_sent_but_it_is_recorded_C8(
            self, notify_app, notify_db):
        ev = reset(mobile=None, email=None)
        await h.deliver(notify_db.sessionmaker, "notify", registry, ev)
        kept = await rows(notify_db, "SELECT status, channel FROM deliveries WHERE "
                          "user_id = :u", u=ev.user_id)
        assert kept == [{"status": "no_recipient", "channel": "none"}]
        sent = await rows(notify_db, "SELECT 1 FROM outbox WHERE envelope->'data'->'params'"
                          "->>'token' = :t", t=ev.token)
        assert sent == []
