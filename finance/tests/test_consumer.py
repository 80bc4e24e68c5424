"""The finance subscriber against the real RabbitMQ (I-4): invoice events on its queue
become ledger rows, exactly one per event id however often it is delivered (also across
a restart); unknown types and versions are acked and skipped; garbage is dead-lettered;
a row that could not be written is not acked; the queue is looked up, never declared."""

from __future__ import annotations

import asyncio
import csv
import time
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import structlog
from dinghuo_contracts import EventEnvelope, InvoiceConfirmed, InvoiceIssued, InvoiceRequested
from dinghuo_finance.config import Settings
from dinghuo_finance.consumer import FinanceSubscriber
from dinghuo_finance.ledger import Ledger

pytestmark = pytest.mark.integration

INVOICE = uuid.uuid4()
CUSTOMER = uuid.uuid4()
ORDER = uuid.uuid4()


def settings_for(mq, tmp_path) -> Settings:
    return Settings(amqp_url=mq.url, exchange=mq.exchange, queue_prefix=mq.queue_prefix,
                    ledger_path=tmp_path / "ledger.csv", missing_queue_retry_seconds=0.2)


def the_three(invoice_id: uuid.UUID = INVOICE) -> list[EventEnvelope]:
    common = dict(invoice_id=invoice_id, customer_id=CUSTOMER, order_ids=[ORDER])
    return [
        InvoiceRequested(**common, order_numbers=["DH20261125-0001"],
                         amount=Decimal("892.50")).envelope("invoice"),
        InvoiceIssued(**common, invoice_number="24312000000012345678",
                      invoice_date=date(2026, 11, 25), amount=Decimal("892.50"),
                      ).envelope("invoice"),
        InvoiceConfirmed(**common, invoice_number="24312000000012345678",
                         amount=Decimal("892.50"),
                         confirmed_at=datetime(2026, 11, 26, 1, 0, tzinfo=UTC),
                         ).envelope("invoice"),
    ]


def ledger_rows(settings: Settings) -> list[dict[str, str]]:
    if not settings.ledger_path.exists():
        return []
    with open(settings.ledger_path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


async def wait_until(condition, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


@pytest.fixture
async def queue(mq):
    """The finance queue: a plain durable one here, bound like the topology binds it."""
    return await mq.declare(mq.finance_queue, ("invoice.#",))


class TestLedger:
    async def test_requested_issued_confirmed_become_three_rows_I4(self, mq, queue,
                                                                  tmp_path):
        """I-4: each invoice event is one row with the agreed columns, in the order
        published; everything is acked."""
        settings = settings_for(mq, tmp_path)
        subscriber = FinanceSubscriber(settings)
        await subscriber.start()
        try:
            events = the_three()
            for envelope in events:
                await mq.publish_envelope(envelope)
            await wait_until(lambda: subscriber.handled == 3)
        finally:
            await subscriber.close()
        rows = ledger_rows(settings)
        assert [r["event_id"] for r in rows] == [str(e.id) for e in events]
        assert [r["status"] for r in rows] == ["requested", "issued", "confirmed"]
        assert {r["invoice_id"] for r in rows} == {str(INVOICE)}
        assert {r["customer_id"] for r in rows} == {str(CUSTOMER)}
        assert {r["amount"] for r in rows} == {"892.50"}
        assert {r["order_ids"] for r in rows} == {str(ORDER)}
        assert [r["invoice_number"] for r in rows] == ["", "24312000000012345678",
                                                       "24312000000012345678"]
        assert rows[0]["occurred_at"] == events[0].model_dump(mode="json")["occurred_at"]
        assert rows[0]["version"] == "1"
        assert (await queue.declare()).message_count == 0

    async def test_a_duplicate_delivery_is_one_row_also_after_a_restart_I4(
            self, mq, queue, tmp_path):
        """I-4: delivery is at least once; the ledger deduplicates by the envelope id —
        in the same run and after a restart (the ids are read back from the CSV)."""
        settings = settings_for(mq, tmp_path)
        requested, issued, _ = the_three()
        subscriber = FinanceSubscriber(settings)
        with structlog.testing.capture_logs() as logs:
            await subscriber.start()
            try:
                await mq.publish_envelope(requested)
                await mq.publish_envelope(requested)  # the same event id again
                await wait_until(lambda: subscriber.handled == 2)
            finally:
                await subscriber.close()
        assert [r["event_id"] for r in ledger_rows(settings)] == [str(requested.id)]
        assert any(e["event"] == "event_duplicate" for e in logs)

        restarted = FinanceSubscriber(settings)
        await restarted.start()
        try:
            await mq.publish_envelope(requested)  # redelivered after the restart
            await mq.publish_envelope(issued)
            await wait_until(lambda: restarted.handled == 2)
        finally:
            await restarted.close()
        assert [r["event_id"] for r in ledger_rows(settings)] == [str(requested.id),
                                                                  str(issued.id)]
        assert (await queue.declare()).message_count == 0


class TestWhatIsNotForTheLedger:
    async def test_unknown_types_and_versions_are_acked_and_skipped_I4(
            self, mq, queue, tmp_path):
        """I-4: a type or version the subscriber does not know is logged and acked (it
        must not block the queue); a body that is not an envelope is dead-lettered
        (rejected, not requeued); the next event is recorded."""
        settings = settings_for(mq, tmp_path)
        subscriber = FinanceSubscriber(settings)
        with structlog.testing.capture_logs() as logs:
            await subscriber.start()
            try:
                newer = EventEnvelope(type="invoice.issued", version=99, source="invoice",
                                      data={"anything": 1})
                unknown = EventEnvelope(type="invoice.archived", source="invoice",
                                        data={"invoice_id": str(INVOICE)})
                await mq.publish_envelope(newer)
                await mq.publish_envelope(unknown)
                await mq.publish(b"\xff not json", "invoice.issued")
                await mq.publish_envelope(the_three()[0])
                await wait_until(lambda: subscriber.handled == 4)
            finally:
                await subscriber.close()
        assert [r["type"] for r in ledger_rows(settings)] == ["invoice.requested"]
        skipped = [e for e in logs if e["event"] == "event_skipped"]
        assert {(e["type"], e["version"]) for e in skipped} == {("invoice.issued", 99),
                                                               ("invoice.archived", 1)}
        assert any(e["event"] == "message_dead_lettered" for e in logs)
        assert (await queue.declare()).message_count == 0


class FailingOnceLedger(Ledger):
    def __init__(self, path) -> None:
        super().__init__(path)
        self.failures = 0

    def append(self, row) -> None:
        if self.failures == 0:
            self.failures += 1
            raise OSError("No space left on device")
        super().append(row)


class TestAckAfterTheRow:
    async def test_a_row_not_written_is_not_acked_and_comes_back_once_I4(
            self, mq, queue, tmp_path):
        """I-4: the ack follows the flushed row; when writing fails the message is
        nacked, comes back and is then recorded once."""
        settings = settings_for(mq, tmp_path)
        ledger = FailingOnceLedger(settings.ledger_path)
        subscriber = FinanceSubscriber(settings, ledger=ledger)
        with structlog.testing.capture_logs() as logs:
            await subscriber.start()
            try:
                requested = the_three()[0]
                await mq.publish_envelope(requested)
                await wait_until(lambda: subscriber.handled == 1)
            finally:
                await subscriber.close()
        assert ledger.failures == 1
        assert [r["event_id"] for r in ledger_rows(settings)] == [str(requested.id)]
        assert any(e["event"] == "event_not_recorded" for e in logs)
        assert (await queue.declare()).message_count == 0


class TestTopology:
    async def test_waits_for_the_topologys_quorum_queue_and_never_declares_it_I4(
            self, mq, tmp_path):
        """I-4: while the queue is missing the subscriber says so and looks again; once
        the topology has declared it (quorum, delivery limit, dead-letter exchange) the
        subscriber consumes from it as it is — had it declared a plain queue first, this
        declaration would be refused."""
        settings = settings_for(mq, tmp_path)
        subscriber = FinanceSubscriber(settings)
        with structlog.testing.capture_logs() as logs:
            starting = asyncio.create_task(subscriber.start())
            try:
                await wait_until(lambda: sum(e["event"] == "finance_queue_missing"
                                             for e in logs) >= 2)
                assert not starting.done()
                await mq.declare(mq.finance_queue, ("invoice.#",), arguments={
                    "x-queue-type": "quorum", "x-delivery-limit": 10,
                    "x-dead-letter-exchange": f"{mq.exchange}.dlx",
                    "x-dead-letter-routing-key": mq.finance_queue,
                    "x-dead-letter-strategy": "at-least-once",
                    "x-overflow": "reject-publish"})
                await asyncio.wait_for(starting, 15)
                await mq.publish_envelope(the_three()[1])
                await wait_until(lambda: subscriber.handled == 1)
            finally:
                starting.cancel()
                await subscriber.close()
        [row] = ledger_rows(settings)
        assert row["type"] == "invoice.issued"
        [missing, *_] = [e for e in logs if e["event"] == "finance_queue_missing"]
        assert missing["queue"] == mq.finance_queue
