"""Integration: reminders become one delivery per SMS/WeChat channel for the external
notifier, the notifier's reports drive the delivery log, failed attempts are retried with
backoff up to a limit, and the log is visible to staff within their areas (N-2, C-7)."""

import asyncio
import uuid
from datetime import timedelta

from dinghuo_contracts import DeliveryReported
from notify_service.deliveries import domain
from notify_service.deliveries.service import DeliveryService
from servicekit.testing import helpers as h
from servicekit.timeutil import utcnow

from .notify_fixtures import deliver, known_customer, payment_due, rows


async def deliveries_of(notify_db, cid) -> list[dict]:
    return await rows(notify_db, "SELECT * FROM deliveries WHERE customer_id = :c "
                      "ORDER BY channel", c=cid)


async def requests_for(notify_db, delivery_id) -> list[dict]:
    found = await rows(notify_db, "SELECT envelope FROM outbox WHERE event_type = "
                       "'notify.delivery_requested' AND envelope->'data'->>'delivery_id' = :d "
                       "ORDER BY (envelope->'data'->>'attempt')::int", d=str(delivery_id))
    return [r["envelope"]["data"] for r in found]


async def bind_wechat(notify_app, cid, openid="oWx-123"):
    async with h.client(notify_app, h.customer(cid)) as c:
        r = await c.put("/api/portal/notification-settings",
                        json={"sms": True, "wechat": True, "wechat_openid": openid})
    assert r.status_code == 200, r.text
    return r.json()


async def run_resend(notify_db, at) -> int:
    async with notify_db.sessionmaker() as session, session.begin():
        return await DeliveryService(session).resend_due(at)


class TestReminderDeliveries:
    async def test_a_reminder_is_one_delivery_per_channel_once_N2(self, notify_app,
                                                                   notify_db):
        cid = await known_customer(notify_db)
        assert (await bind_wechat(notify_app, cid))["mobile"] == "13900001111"
        ev = payment_due(cid)
        env = await deliver(notify_db, ev)
        await deliver(notify_db, env)  # redelivered: nothing more
        sms, wechat = await deliveries_of(notify_db, cid)
        assert (sms["channel"], sms["recipient"], sms["status"]) == (
            "sms", "13900001111", "requested")
        assert (wechat["channel"], wechat["recipient"]) == ("wechat", "oWx-123")
        assert sms["template"] == "payment_due" and ev.number in sms["text"]
        [message] = await rows(notify_db, "SELECT id FROM customer_messages WHERE "
                               "source_event_id = :e", e=env.id)
        assert sms["message_id"] == message["id"] == wechat["message_id"]
        [request] = await requests_for(notify_db, sms["id"])
        assert request["channel"] == "sms" and request["attempt"] == 1
        assert request["params"]["number"] == ev.number
        assert request["params"]["amount_outstanding"] == "801.50"
        assert "付款提醒" in request["text"] and "Payment reminder" in request["text_en"]

    async def test_unreachable_channels_are_recorded_not_sent_N2(self, notify_db):
        cid = await known_customer(notify_db, mobile=None)
        await deliver(notify_db, payment_due(cid))
        sms, wechat = await deliveries_of(notify_db, cid)
        assert (sms["status"], sms["last_error"]) == ("no_recipient", domain.NO_MOBILE)
        assert (wechat["status"], wechat["last_error"]) == ("no_recipient", domain.NO_WECHAT)
        assert await requests_for(notify_db, sms["id"]) == []

    async def test_a_switched_off_channel_is_not_used_N2(self, notify_app, notify_db):
        cid = await known_customer(notify_db)
        async with h.client(notify_app, h.customer(cid)) as c:
            r = await c.put("/api/portal/notification-settings",
                            json={"sms": False, "wechat": True, "wechat_openid": None})
            assert r.status_code == 200, r.text
            bad = await c.put("/api/portal/notification-settings",
                              json={"sms": True, "wechat": True, "wechat_openid": "a b<"})
            assert bad.status_code == 422, bad.text
        await deliver(notify_db, payment_due(cid))
        sms, wechat = await deliveries_of(notify_db, cid)
        assert (sms["status"], sms["last_error"]) == ("no_recipient", domain.SWITCHED_OFF)
        assert wechat["status"] == "no_recipient"


class TestReports:
    async def _one(self, notify_app, notify_db):
        cid = await known_customer(notify_db)
        await deliver(notify_db, payment_due(cid))
        sms, _ = await deliveries_of(notify_db, cid)
        return cid, sms["id"]

    async def test_delivered_N2(self, notify_app, notify_db):
        cid, did = await self._one(notify_app, notify_db)
        await deliver(notify_db, DeliveryReported(
            delivery_id=did, attempt=1, status="delivered", provider="aliyun",
            provider_message_id="biz-1"), source="notifier")
        [d] = [d for d in await deliveries_of(notify_db, cid) if d["id"] == did]
        assert (d["status"], d["provider"], d["provider_message_id"]) == (
            "delivered", "aliyun", "biz-1")
        assert d["delivered_at"] is not None

    async def test_a_failed_attempt_is_retried_with_backoff_until_the_limit_N2(
            self, notify_app, notify_db):
        cid, did = await self._one(notify_app, notify_db)
        policy = domain.RetryPolicy()
        for attempt in range(1, policy.max_attempts + 1):
            before = utcnow()
            await deliver(notify_db, DeliveryReported(
                delivery_id=did, attempt=attempt, status="failed", reason="timeout after 10s"))
            [d] = [d for d in await deliveries_of(notify_db, cid) if d["id"] == did]
            assert d["last_error"] == "timeout after 10s" and d["attempts"] == attempt
            if attempt == policy.max_attempts:
                assert (d["status"], d["next_attempt_at"]) == ("failed", None)
                # the staff are told: a prompt naming the customer and the reason
                [prompt] = await rows(notify_db, "SELECT kind, message FROM staff_prompts "
                                      "WHERE data->>'delivery_id' = :d", d=str(did))
                assert prompt["kind"] == "delivery_failed"
                assert "短信发送失败" in prompt["message"] and "付款提醒" in prompt["message"]
                assert "timeout after 10s" in prompt["message"]
                break
            assert d["status"] == "retrying"
            wait = d["next_attempt_at"] - before
            assert policy.delay(attempt) <= wait <= policy.delay(attempt) + timedelta(seconds=5)
            # not yet due: nothing is sent; once due: attempt n+1 is requested
            await run_resend(notify_db, before)
            assert len(await requests_for(notify_db, did)) == attempt
            assert await run_resend(notify_db, d["next_attempt_at"]) >= 1
            requests = await requests_for(notify_db, did)
            assert [r["attempt"] for r in requests] == list(range(1, attempt + 2))
            # a late report of the old attempt changes nothing
            await deliver(notify_db, DeliveryReported(delivery_id=did, attempt=attempt,
                                                      status="delivered"))
            [d] = [d for d in await deliveries_of(notify_db, cid) if d["id"] == did]
            assert (d["status"], d["attempts"]) == ("requested", attempt + 1)

    async def test_a_permanent_failure_is_not_retried_N2(self, notify_app, notify_db):
        cid, did = await self._one(notify_app, notify_db)
        await deliver(notify_db, DeliveryReported(
            delivery_id=did, status="failed", retryable=False,
            reason="isv.MOBILE_NUMBER_ILLEGAL: invalid number"))
        [d] = [d for d in await deliveries_of(notify_db, cid) if d["id"] == did]
        assert d["status"] == "failed" and "MOBILE_NUMBER_ILLEGAL" in d["last_error"]
        # staff may still try once more by hand
        async with h.client(notify_app, h.staff("messages:entry")) as s:
            r = await s.post(f"/api/console/deliveries/{did}/retry")
            assert r.status_code == 200, r.text
            assert (r.json()["status"], r.json()["attempts"]) == ("requested", 2)
            again = await s.post(f"/api/console/deliveries/{did}/retry")
            assert again.status_code == 409, again.text
            missing = await s.post(f"/api/console/deliveries/{uuid.uuid4()}/retry")
            assert missing.status_code == 404, missing.text

    async def test_a_report_of_an_unknown_delivery_is_acked_and_logged_N2(self, notify_db):
        env = await deliver(notify_db, DeliveryReported(delivery_id=uuid.uuid4(),
                                                        status="delivered"))
        [inbox] = await rows(notify_db, "SELECT event_type FROM inbox WHERE event_id = :e",
                             e=env.id)
        assert inbox["event_type"] == "notify.delivery_reported"

    async def test_two_workers_resend_each_due_delivery_once_N2(self, notify_app, notify_db):
        dids = []
        for _ in range(4):
            cid, did = await self._one(notify_app, notify_db)
            await deliver(notify_db, DeliveryReported(delivery_id=did, status="failed",
                                                      reason="HTTP 503"))
            dids.append(did)
        later = utcnow() + timedelta(hours=3)
        await asyncio.gather(run_resend(notify_db, later), run_resend(notify_db, later))
        for did in dids:
            assert [r["attempt"] for r in await requests_for(notify_db, did)] == [1, 2]


class TestDeliveryLogApi:
    async def test_staff_see_the_log_within_their_areas_N2_C7(self, notify_app, notify_db):
        area = f"区-{uuid.uuid4().hex[:6]}"
        inside = await known_customer(notify_db, area=area)
        outside = await known_customer(notify_db, area=f"{area}-外")
        for cid in (inside, outside):
            await deliver(notify_db, payment_due(cid))
        async with h.client(notify_app, h.staff("messages:query", areas=(area,))) as s:
            r = await s.get("/api/console/deliveries", params={"limit": 200})
            assert r.status_code == 200, r.text
            customers = {d["customer_id"] for d in r.json()}
            assert str(inside) in customers and str(outside) not in customers
            r = await s.get("/api/console/deliveries",
                            params={"customer_id": str(inside), "channel": "sms"})
            [d] = r.json()
            assert (d["status"], d["template"], d["can_retry"]) == (
                "requested", "payment_due", False)
            assert r.headers["X-Total-Count"] == "1"
            bad = await s.get("/api/console/deliveries", params={"status": "lost"})
            assert bad.status_code == 422
        async with h.client(notify_app, h.staff("orders:query")) as s:
            r = await s.get("/api/console/deliveries")
            assert r.status_code == 403
