"""Monthly statement notices (B-1, N-3, N-5): a customer's dispute prompts the staff (a
window prompt naming the customer, month, closing balance, note and area), a
confirmation is noted for the staff, and staff's answer to a dispute reaches the
customer's inbox; each once, through the real handlers and database."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from dinghuo_contracts import StatementConfirmed, StatementDisputed, StatementDisputeResolved
from notify_service.messages.domain import customer_message
from notify_service.messaging import registry
from notify_service.prompts.domain import staff_prompt
from servicekit.testing import helpers as h
from sqlalchemy import text

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def disputed(cid: uuid.UUID) -> StatementDisputed:
    return StatementDisputed(customer_id=cid, customer_name="上海印美", area="华东",
                             month="2026-11", opening_balance=Decimal("0"),
                             closing_balance=Decimal("-500"),
                             note="11 月 28 日另有一笔 1,000 元转账未列入", disputed_by="buyer",
                             disputed_at=NOW)


class TestTexts:
    def test_a_dispute_prompts_the_staff_with_what_is_wrong_B1(self):
        p = staff_prompt(disputed(uuid.uuid4()))
        assert p is not None and p.kind == "statement_disputed" and p.window
        assert "上海印美" in p.message and "2026-11" in p.message and "-500.00" in p.message
        assert "1,000 元转账未列入" in p.message
        assert "disputes the statement of 2026-11" in p.message_en
        assert (p.data["month"], p.data["area"], p.data["closing_balance"]) == (
            "2026-11", "华东", "-500.00")

    def test_a_confirmation_is_noted_not_popped_up(self):
        p = staff_prompt(StatementConfirmed(
            customer_id=uuid.uuid4(), customer_name="上海印美", month="2026-11",
            opening_balance=Decimal("0"), closing_balance=Decimal("88"),
            confirmed_by="buyer", confirmed_at=NOW))
        assert p is not None and p.kind == "statement_confirmed" and not p.window

    def test_the_answer_messages_the_customer(self):
        m = customer_message(StatementDisputeResolved(
            customer_id=uuid.uuid4(), customer_name="上海印美", month="2026-11",
            closing_balance=Decimal("-500"), note="已补记该笔转账。", resolved_by="finance",
            resolved_at=NOW))
        assert m is not None and m.kind == "statement_dispute_resolved"
        assert m.message.startswith("您对 2026-11 对账单的异议已答复：已补记该笔转账。请")
        assert m.data["month"] == "2026-11"
        assert staff_prompt(StatementDisputeResolved(
            customer_id=uuid.uuid4(), customer_name="x", month="2026-11",
            closing_balance=Decimal("0"), note="n", resolved_by="f",
            resolved_at=NOW)) is None


class TestDelivery:
    async def test_dispute_and_answer_each_once_to_the_right_side_B1(self, notify_app,
                                                                     notify_db):
        cid = uuid.uuid4()
        for event in (disputed(cid), StatementDisputeResolved(
                customer_id=cid, customer_name="上海印美", month="2026-11",
                closing_balance=Decimal("-1500"), note="已补记", resolved_by="finance",
                resolved_at=NOW)):
            env = await h.deliver(notify_db.sessionmaker, "notify", registry, event)
            await h.deliver(notify_db.sessionmaker, "notify", registry, env)  # redelivered
        async with notify_db.engine.connect() as c:
            prompts = (await c.execute(text(
                "SELECT kind, data->>'area' FROM staff_prompts "
                "WHERE data->>'customer_id' = :c"), {"c": str(cid)})).all()
        assert [tuple(p) for p in prompts] == [("statement_disputed", "华东")]
        async with h.client(notify_app, h.customer(cid)) as c:
            r = await c.get("/api/portal/messages")
        assert [m["kind"] for m in r.json()] == ["statement_dispute_resolved"]
