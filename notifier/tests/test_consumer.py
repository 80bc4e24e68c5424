"""The notifier against the real RabbitMQ (B-4, N-2, C-8): a request on its queue becomes
an outbox line and a `notify.delivery_reported` on the exchange; anything else is acked
and dropped; the queue is looked up, never declared."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import pytest
import structlog
from dinghuo_contracts import DeliveryRequested, EventEnvelope
from dinghuo_notifier.config import Settings
from dinghuo_notifier.consumer import Notifier

pytestmark = pytest.mark.integration

REQUESTED = "notify.delivery_requested"
REPORTED = "notify.delivery_reported"


def settings_for(mq, tmp_path, **kw) -> Settings:
    return Settings(amqp_url=mq.url, exchange=mq.exchange,
                    queue_prefix=mq.queue_prefix, outbox_path=tmp_path / "outbox.jsonl",
                    missing_queue_retry_seconds=0.2, **kw)


def a_request(**kw) -> DeliveryRequested:
    fields = dict(channel="sms", recipient="13812345678", template="password_reset",
                  params={"token": "RESET-TOKEN-7f3a", "username": "li.lei"},
                  delivery_id=uuid.uuid4(), attempt=2,
                  text="验证码 RESET-TOKEN-7f3a", text_en="Code RESET-TOKEN-7f3a")
    fields.update(kw)
    return DeliveryRequested(**fields)


async def publish_request(mq, req: DeliveryRequested) -> EventEnvelope:
    envelope = req.envelope("notify")
    await mq.publish(envelope.model_dump_json().encode(), REQUESTED, str(envelope.id))
    return envelope


async def next_message(queue, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        message = await queue.get(no_ack=True, fail=False)
        if message is not None:
            return message
        await asyncio.sleep(0.05)
    raise AssertionError(f"nothing arrived on {queue.name} within {seconds:g}s")


async def wait_until(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


def outbox_lines(settings: Settings) -> list[dict]:
    if not settings.outbox_path.exists():
        return []
    return [json.loads(line) for line in settings.outbox_path.read_text().splitlines()]


@pytest.fixture
async def queues(mq):
    """The notifier's queue (a plain one here) and an observer of the reports."""
    requests = await mq.declare(mq.request_queue, (REQUESTED,))
    reports = await mq.declare(f"{mq.queue_prefix}observer.reports", (REPORTED,))
    return requests, reports


class TestDeliveryRoundTrip:
    async def test_request_becomes_outbox_line_and_delivered_report_N2_C8(
            self, mq, queues, tmp_path):
        """N-2/C-8: the request is written to the outbox and answered with a delivered
        report naming the same delivery and attempt, published as a persistent JSON
        envelope whose message_id is the envelope id; the request is acked."""
        requests, reports = queues
        settings = settings_for(mq, tmp_path)
        notifier = Notifier(settings)
        await notifier.start()
        try:
            req = a_request()
            await publish_request(mq, req)
            message = await next_message(reports)
        finally:
            await notifier.close()

        envelope = EventEnvelope.model_validate_json(message.body)
        assert envelope.type == REPORTED and envelope.source == "notifier"
        assert message.message_id == str(envelope.id)
        assert message.routing_key == REPORTED
        assert message.content_type == "application/json"
        assert message.delivery_mode == 2
        assert envelope.data == {
            "delivery_id": str(req.delivery_id), "attempt": 2, "status": "delivered",
            "reason": None, "retryable": True, "provider": "outbox",
            "provider_message_id": None}
        [line] = outbox_lines(settings)
        assert line["channel"] == "sms" and line["recipient"] == "13812345678"
        assert line["template"] == "password_reset"
        assert line["params"] == req.params
        assert (line["text"], line["text_en"]) == (req.text, req.text_en)
        assert (line["delivery_id"], line["attempt"]) == (str(req.delivery_id), 2)
        assert line["time"]
        assert (await requests.declare()).message_count == 0  # acked, not requeued

    async def test_a_request_without_delivery_id_gets_no_report(self, mq, queues,
                                                                tmp_path):
        """N-2: an old request (no delivery_id) is delivered but not reported."""
        requests, reports = queues
        settings = settings_for(mq, tmp_path)
        notifier = Notifier(settings)
        await notifier.start()
        try:
            await publish_request(mq, a_request(delivery_id=None, channel="email",
                                                    recipient="li.lei@example.com"))
            await wait_until(lambda: notifier.handled == 1)
        finally:
            await notifier.close()
        assert [line["channel"] for line in outbox_lines(settings)] == ["email"]
        assert await reports.get(no_ack=True, fail=False) is None
        assert (await requests.declare()).message_count == 0

    async def test_secrets_are_never_logged_and_recipients_are_masked_C8(
            self, mq, queues, tmp_path):
        """C-8: neither the params nor the text (the reset token) reach the logs; the
        mobile number shows as 138****5678."""
        _, reports = queues
        notifier = Notifier(settings_for(mq, tmp_path))
        with structlog.testing.capture_logs() as logs:
            await notifier.start()
            try:
                await publish_request(mq, a_request())
                await next_message(reports)
            finally:
                await notifier.close()
        text = repr(logs)
        assert "RESET-TOKEN-7f3a" not in text
        assert "13812345678" not in text
        [entry] = [e for e in logs if e["event"] == "delivery_delivered"]
        assert entry["recipient"] == "138****5678"


class TestWhatIsNotARequest:
    async def test_garbage_is_acked_without_report_and_the_consumer_lives_on_B4(
            self, mq, queues, tmp_path):
        """B-4: a body that is not JSON, another event type and an invalid request are
        logged and acked (never requeued); no report; the next request is served."""
        requests, reports = queues
        settings = settings_for(mq, tmp_path)
        notifier = Notifier(settings)
        await notifier.start()
        try:
            await mq.publish(b"\xff not json at all", REQUESTED)
            wrong_type = EventEnvelope(type="order.payment_due", source="order",
                                       data={"anything": 1})
            await mq.publish(wrong_type.model_dump_json().encode(), REQUESTED)
            invalid = EventEnvelope(type=REQUESTED, source="notify",
                                    data={"channel": "fax", "recipient": "x",
                                          "template": "t", "params": {"token": "SECRET-1"}})
            await mq.publish(invalid.model_dump_json().encode(), REQUESTED)
            req = a_request()
            await publish_request(mq, req)
            message = await next_message(reports)
            await wait_until(lambda: notifier.handled == 4)
        finally:
            await notifier.close()
        report = EventEnvelope.model_validate_json(message.body)
        assert report.data["delivery_id"] == str(req.delivery_id)
        assert await reports.get(no_ack=True, fail=False) is None  # only that one report
        assert (await requests.declare()).message_count == 0
        assert len(outbox_lines(settings)) == 1


class TestTopology:
    async def test_waits_for_the_topologys_quorum_queue_and_never_declares_it_B4(
            self, mq, tmp_path):
        """B-4: while the queue is missing the notifier says so and looks again; once
        the topology has declared it (quorum, delivery limit, dead-letter exchange) the
        notifier consumes from it as it is."""
        reports = await mq.declare(f"{mq.queue_prefix}observer.reports", (REPORTED,))
        notifier = Notifier(settings_for(mq, tmp_path))
        with structlog.testing.capture_logs() as logs:
            starting = asyncio.create_task(notifier.start())
            try:
                await wait_until(lambda: sum(e["event"] == "notifier_queue_missing"
                                             for e in logs) >= 2)
                assert not starting.done()
                await mq.declare(mq.request_queue, (REQUESTED,), arguments={
                    "x-queue-type": "quorum", "x-delivery-limit": 10,
                    "x-dead-letter-exchange": f"{mq.exchange}.dlx",
                    "x-dead-letter-routing-key": mq.request_queue,
                    "x-dead-letter-strategy": "at-least-once",
                    "x-overflow": "reject-publish"})
                await asyncio.wait_for(starting, 10)
                req = a_request()
                await publish_request(mq, req)
                report = EventEnvelope.model_validate_json((await next_message(reports)).body)
            finally:
                starting.cancel()
                await notifier.close()
        assert report.data["delivery_id"] == str(req.delivery_id)
        [missing, *_] = [e for e in logs if e["event"] == "notifier_queue_missing"]
        assert missing["queue"] == mq.request_queue

    async def test_an_unroutable_report_is_retried_without_sending_twice_N2(
            self, mq, tmp_path):
        """N-2: while nobody is bound to notify.delivery_reported the report is refused
        (mandatory publish), the request is nacked and comes back; once a queue is
        bound the same report envelope is published, and the message went out once."""
        await mq.declare(mq.request_queue, (REQUESTED,))
        settings = settings_for(mq, tmp_path)
        notifier = Notifier(settings)
        with structlog.testing.capture_logs() as logs:
            await notifier.start()
            try:
                req = a_request()
                await publish_request(mq, req)
                await wait_until(lambda: any(e["event"] == "report_not_published"
                                             for e in logs))
                reports = await mq.declare(f"{mq.queue_prefix}observer.reports",
                                               (REPORTED,))
                message = await next_message(reports)
                await wait_until(lambda: notifier.handled == 1)
            finally:
                await notifier.close()
        report = EventEnvelope.model_validate_json(message.body)
        assert report.data["delivery_id"] == str(req.delivery_id)
        assert len(outbox_lines(settings)) == 1
        assert any(e["event"] == "delivery_already_handled" for e in logs)


class CrashingProvider:
    name = "crashing"

    async def send(self, request):
        raise RuntimeError(f"bug while sending {request.params}")


class TestProviderFailure:
    async def test_a_provider_crash_is_a_retryable_failed_report_N2(self, mq, queues,
                                                                   tmp_path):
        """N-2: an exception inside a provider becomes a failed, retryable report (its
        text, which may quote the params, stays out of the reason); the consumer lives
        on."""
        requests, reports = queues
        crashing = CrashingProvider()
        notifier = Notifier(settings_for(mq, tmp_path),
                            providers={"sms": crashing, "wechat": crashing,
                                       "email": crashing})
        await notifier.start()
        try:
            req = a_request()
            await publish_request(mq, req)
            report = EventEnvelope.model_validate_json((await next_message(reports)).body)
        finally:
            await notifier.close()
        assert report.data["delivery_id"] == str(req.delivery_id)
        assert report.data["status"] == "failed"
        assert report.data["retryable"] is True
        assert report.data["provider"] == "crashing"
        assert report.data["reason"] == "notifier error in provider crashing: RuntimeError"
        assert (await requests.declare()).message_count == 0
