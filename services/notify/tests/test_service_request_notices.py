"""Fault report notices (S-1, N-3, N-5): a customer's reply prompts the staff (and says
when it reopened a resolved report); a staff reply puts a message in the customer's
inbox, naming the new status when the reply changed it; a report closed by staff tells
the customer. Unit tests of the texts, then the real handlers on notify's database."""

import uuid
from datetime import UTC, datetime

import pytest
from dinghuo_contracts import ServiceRequestClosed, ServiceRequestReplied
from notify_service.messages.domain import MessageKind, customer_message
from notify_service.prompts.domain import PromptKind, staff_prompt
from servicekit.testing import helpers as h

from .notify_fixtures import deliver, rows

RID, CID = uuid.uuid4(), uuid.uuid4()


def replied(author_kind: str, status: str = "in_progress", previous: str = "open",
            text: str = "请清洗喷头后再试", **kw) -> ServiceRequestReplied:
    return ServiceRequestReplied(**{
        "request_id": RID, "customer_id": CID, "customer_name": "上海印美",
        "machine": "UV 喷码机", "reply_id": uuid.uuid4(), "author_kind": author_kind,
        "author": "engineer" if author_kind == "staff" else "buyer1", "status": status,
        "previous_status": previous, "snippet": text, "replied_at": datetime.now(UTC),
        **kw})


def closed(by: str) -> ServiceRequestClosed:
    return ServiceRequestClosed(request_id=RID, customer_id=CID, customer_name="上海印美",
                                machine="UV 喷码机", closed_by_kind=by, closed_by="x",
                                closed_at=datetime.now(UTC))


class TestTexts:
    def test_staff_reply_tells_the_customer_with_the_new_status_S1(self):
        m = customer_message(replied("staff", "waiting_for_customer", "in_progress",
                                     "清洗后还断线吗？"))
        assert m is not None and m.kind is MessageKind.SERVICE_REQUEST_REPLIED
        assert m.message == "您的报修（UV 喷码机）有新回复，状态：等待您的回复：清洗后还断线吗？"
        assert m.message_en == ("There is a new reply on your fault report for UV 喷码机 "
                                "(now waiting for your answer): 清洗后还断线吗？")
        assert m.data["request_id"] == str(RID) and m.data["status_changed"] is True

    def test_staff_reply_without_status_change_names_no_status(self):
        m = customer_message(replied("staff", "in_progress", "in_progress", "x" * 300))
        assert m is not None and "状态" not in m.message and "(now" not in m.message_en
        assert m.message.endswith("…") and len(m.message) < 100
        assert m.data["status_changed"] is False

    def test_customer_reply_prompts_staff_not_the_customer_S1(self):
        assert customer_message(replied("customer", "open", "open")) is None
        p = staff_prompt(replied("customer", "open", "open", "还是断线"))
        assert p is not None and p.kind is PromptKind.SERVICE_REQUEST_REPLIED
        assert p.message == "报修有新回复：上海印美，机器 UV 喷码机：还是断线"
        assert p.message_en == ("上海印美 replied on the fault report for machine UV 喷码机: "
                                "还是断线")
        assert p.data["request_id"] == str(RID) and p.data["customer_id"] == str(CID)

    def test_customer_reply_on_resolved_says_reopened(self):
        p = staff_prompt(replied("customer", "open", "resolved", "又堵了"))
        assert p is not None and "已解决的报修被重新打开" in p.message
        assert "reopened" in p.message_en

    def test_staff_reply_prompts_nobody(self):
        assert staff_prompt(replied("staff")) is None

    @pytest.mark.parametrize(("by", "told"), [("staff", True), ("customer", False)])
    def test_close_tells_the_customer_only_when_staff_closed(self, by, told):
        m = customer_message(closed(by))
        assert staff_prompt(closed(by)) is None
        if not told:
            assert m is None
            return
        assert m is not None and m.kind is MessageKind.SERVICE_REQUEST_CLOSED
        assert m.message == "您的报修（UV 喷码机）已由客服关闭"


class TestThroughHandlers:
    async def test_reply_thread_makes_prompt_and_inbox_message_S1(self, notify_app,
                                                                  notify_db):
        rid, cid = uuid.uuid4(), uuid.uuid4()
        env = await deliver(notify_db, replied("customer", "open", "open", "补充：昨天开始的",
                                               request_id=rid, customer_id=cid))
        await deliver(notify_db, env)  # redelivered: still one prompt
        await deliver(notify_db, replied("staff", "resolved", "open", "已更换喷头",
                                         request_id=rid, customer_id=cid))
        prompts = await rows(notify_db, "SELECT kind, message FROM staff_prompts "
                                        "WHERE data->>'request_id' = :id", id=str(rid))
        assert prompts == [{"kind": "service_request_replied",
                            "message": "报修有新回复：上海印美，机器 UV 喷码机：补充：昨天开始的"}]
        async with h.client(notify_app, h.customer(cid)) as c:
            inbox = (await c.get("/api/portal/messages")).json()
        assert [(m["kind"], m["message"]) for m in inbox] == [
            ("service_request_replied", "您的报修（UV 喷码机）有新回复，状态：已解决：已更换喷头")]
        assert inbox[0]["data"]["request_id"] == str(rid)
