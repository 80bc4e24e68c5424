"""Unit tests of the one way an order's steps are written (orders/transitions.py), no
database: the state machine is asked first and a refusal changes nothing; the status and
its timestamps are set and flushed before the timeline entry and the outbox event, which
see the flushed order; steps that leave the status alone write entry and event only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from dinghuo_contracts import OrderCompleted
from order_service.models import Order, OrderEvent
from order_service.orders import transitions
from order_service.orders.domain import Action, IllegalTransition
from order_service.orders.domain import OrderStatus as S
from order_service.orders.transitions import Transitions
from servicekit.testing import helpers as h

AT = datetime(2026, 12, 3, 2, 30, tzinfo=UTC)
STAFF = h.staff(username="张三")


class FakeSession:
    """Records what the helper does, in order: rows added, flushes, outbox events. A flush
    bumps the order's version, as the real one does (version_id_col)."""

    def __init__(self, order: Order) -> None:
        self.order = order
        self.calls: list[tuple] = []

    def add(self, row: object) -> None:
        self.calls.append(("add", row))

    async def flush(self) -> None:
        self.order.version += 1
        self.calls.append(("flush",))

    @property
    def kinds(self) -> list[str]:
        return [c[0] for c in self.calls]

    @property
    def entries(self) -> list[OrderEvent]:
        return [c[1] for c in self.calls if c[0] == "add"]

    @property
    def events(self) -> list[tuple[object, str]]:
        return [(c[1], c[2]) for c in self.calls if c[0] == "event"]


@pytest.fixture
def outbox(monkeypatch):
    """add_event, recorded on the session it is given instead of written."""
    async def add_event(session, event, *, source=None):
        session.calls.append(("event", event, source))
    monkeypatch.setattr(transitions, "add_event", add_event)


def order(status: S) -> Order:
    return Order(id=uuid.uuid4(), number="DH20261203-0001", customer_id=uuid.uuid4(),
                 customer_name="公司", status=status.value, total=Decimal("100.00"),
                 version=1, updated_at=None, completed_at=None, cancelled_at=None)


def completed(o: Order, note: str | None = None) -> OrderCompleted:
    return OrderCompleted(order_id=o.id, number=o.number, customer_id=o.customer_id,
                          total=o.total, completed_at=AT, note=note)


class TestApply:
    async def test_sets_status_flushes_then_writes_entry_and_event(self, outbox):
        o = order(S.RECEIVED)
        session = FakeSession(o)
        event = completed(o, "resent")
        at = await Transitions(session).apply(
            o, Action.COMPLETE, S.COMPLETED, STAFF, entry="completed", note="resent",
            data={"k": "v"}, event=event, at=AT)
        assert at == AT
        assert (o.status, o.updated_at, o.completed_at, o.cancelled_at) == (
            "completed", AT, AT, None)
        assert session.kinds == ["flush", "add", "event"]
        [entry] = session.entries
        assert (entry.order_id, entry.action, entry.status, entry.actor, entry.actor_kind,
                entry.note, entry.data) == (o.id, "completed", "completed", "张三", "staff",
                                            "resent", {"k": "v"})
        assert session.events == [(event, "order")]

    async def test_a_refused_transition_changes_and_writes_nothing(self, outbox):
        o = order(S.SHIPPED)
        session = FakeSession(o)
        with pytest.raises(IllegalTransition, match="shipped and cannot be completed") as exc:
            await Transitions(session).apply(o, Action.COMPLETE, S.COMPLETED, STAFF,
                                             entry="completed", event=completed(o))
        assert exc.value.status_code == 409
        assert (o.status, o.updated_at, o.completed_at, o.version) == ("shipped", None,
                                                                       None, 1)
        assert session.calls == []

    async def test_the_action_is_judged_from_the_current_status(self, outbox):
        o = order(S.REJECTED)
        with pytest.raises(IllegalTransition, match="rejected and cannot be cancelled"):
            await Transitions(FakeSession(o)).apply(o, Action.CANCEL, S.CANCELLED, STAFF,
                                                    entry="cancelled")

    async def test_cancelling_sets_cancelled_at(self, outbox):
        o = order(S.SUBMITTED)
        session = FakeSession(o)
        await Transitions(session).apply(o, Action.CANCEL, S.CANCELLED,
                                         h.customer(username="buyer"), entry="cancelled",
                                         note="ordered twice", at=AT)
        assert (o.status, o.cancelled_at, o.completed_at) == ("cancelled", AT, None)
        [entry] = session.entries
        assert (entry.actor, entry.actor_kind, entry.note) == ("buyer", "customer",
                                                               "ordered twice")
        assert session.events == []  # no event given, none written

    async def test_defaults_to_now(self, outbox):
        o = order(S.PROCESSING)
        before = datetime.now(UTC)
        at = await Transitions(FakeSession(o)).apply(o, Action.SHIP, S.SHIPPED, STAFF,
                                                     entry="shipped")
        assert before <= at == o.updated_at <= datetime.now(UTC)

    async def test_data_and_event_can_read_the_flushed_order(self, outbox):
        o = order(S.SUBMITTED)
        session = FakeSession(o)
        await Transitions(session).apply(
            o, Action.MODIFY, S.SUBMITTED, STAFF, entry="modified",
            data=lambda x: {"version": x.version},
            event=lambda x: completed(x, note=f"v{x.version}"), at=AT)
        assert session.entries[0].data == {"version": 2}
        assert session.events[0][0].note == "v2"

    async def test_a_step_passed_through_shows_on_the_timeline_by_the_system(self, outbox):
        o = order(S.SHIPPED)
        session = FakeSession(o)
        await Transitions(session).apply(o, Action.CONFIRM_RECEIPT, S.COMPLETED, None,
                                         entry="received", shown_as=S.RECEIVED, at=AT)
        [entry] = session.entries
        assert (entry.status, entry.actor, entry.actor_kind, entry.data) == (
            "received", "system", "system", {})
        assert (o.status, o.completed_at) == ("completed", AT)

    async def test_several_steps_with_one_flush(self, outbox):
        """Approved, then processing at once: one flush by the caller, one version."""
        o = order(S.SUBMITTED)
        session = FakeSession(o)
        steps = Transitions(session)
        await steps.apply(o, Action.APPROVE, S.APPROVED, STAFF, entry="approved", at=AT,
                          flush=False)
        await steps.apply(o, Action.START_PROCESSING, S.PROCESSING, None,
                          entry="processing", at=AT, flush=False)
        assert session.kinds == ["add", "add"]
        assert [(e.action, e.status) for e in session.entries] == [
            ("approved", "approved"), ("processing", "processing")]
        assert (o.status, o.version) == ("processing", 1)


class TestRecord:
    async def test_entry_and_event_leave_the_status_alone(self, outbox):
        o = order(S.PROCESSING)
        session = FakeSession(o)
        event = completed(o)
        await Transitions(session).record(o, "payment_recorded", STAFF,
                                          data={"amount": "100.00"}, event=event)
        assert (o.status, o.updated_at, o.version) == ("processing", None, 1)
        assert session.kinds == ["add", "event"]
        assert (session.entries[0].action, session.entries[0].status,
                session.entries[0].data) == ("payment_recorded", "processing",
                                             {"amount": "100.00"})
        assert session.events == [(event, "order")]

    async def test_without_an_event_only_the_entry(self, outbox):
        o = order(S.PROCESSING)
        session = FakeSession(o)
        await Transitions(session).record(o, "completed", None, event=None,
                                          status=S.COMPLETED)
        assert session.kinds == ["add"]
        assert session.entries[0].status == "completed"
